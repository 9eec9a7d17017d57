/**
 * The deploy action's dry run (`deploy --dry-run`, `diff`) over fakes of every port whose mutating methods throw:
 * the plan covers the scripts' and the ECS steps, nothing mutating is attempted, and provider values are compared
 * but never rendered.
 */
import { expect } from 'chai';
import { outputRef } from '../../../lib/plan/outputs.js';
import type { AwsClients, LogsApi, S3Api } from '../../../lib/aws/ports.js';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import { deploy, planDeploy } from '../../../lib/actions/deploy.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { renderPlan } from '../../../lib/plan/render.js';
import { awsError, FakeEcs } from '../../helpers/fake-ecs.js';
import { FakeElbv2 } from '../../helpers/fake-elbv2.js';
import { fixture } from '../../helpers/paths.js';

function readOnlyS3(): S3Api & { mutations: string[] } {
  const mutations: string[] = [];
  return {
    mutations,
    async getObject() {
      return undefined;
    },
    async headObject() {
      return undefined;
    },
    async putObject() {
      mutations.push('putObject');
      throw new Error('putObject during a dry run');
    },
  };
}

function readOnlyLogs(): LogsApi & { mutations: string[] } {
  const mutations: string[] = [];
  return {
    mutations,
    async describeLogGroups() {
      return { logGroups: [], $metadata: {} };
    },
    async getLogEvents() {
      return { events: [], $metadata: {} };
    },
    async createLogGroup() {
      mutations.push('createLogGroup');
      throw new Error('createLogGroup during a dry run');
    },
    async putRetentionPolicy() {
      mutations.push('putRetentionPolicy');
      throw new Error('putRetentionPolicy during a dry run');
    },
  };
}

describe('deploy action, dry run', () => {
  let ecs: FakeEcs;
  let elbv2: FakeElbv2;
  let s3: ReturnType<typeof readOnlyS3>;
  let logs: ReturnType<typeof readOnlyLogs>;
  let clients: AwsClients;

  beforeEach(() => {
    ecs = new FakeEcs({ forbidMutations: true })
      .fallback('describeServices', { services: [], failures: [{ reason: 'MISSING' }] })
      .fallback('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'));
    elbv2 = new FakeElbv2({ forbidMutations: true });
    s3 = readOnlyS3();
    logs = readOnlyLogs();
    clients = awsClientsFromPorts({ ecs, elbv2, s3, logs });
  });

  const options = (io: RecordingIoHost) => ({
    source: { file: fixture('actions', 'web.jsonnet') },
    io,
    awsFor: () => () => clients,
  });

  it('plans every script step and the ECS steps without a mutating call', async () => {
    const io = new RecordingIoHost();
    const result = await deploy({ ...options(io), dryRun: true });
    const kinds = result.plan.steps.map((s) => `${s.owner}:${s.kind}`);
    expect(kinds).to.include.members([
      'alb:create-load-balancer',
      'alb:create-target-group',
      'alb:create-listener',
      'nginx_front:upload-front-config',
      'create_aws_cloud_watch_logs_log_group:create-log-group',
      'ecs:register-task-definition',
      'ecs:create-service',
    ]);
    // The ECS steps come after the scripts' (the service needs the target group).
    expect(kinds.indexOf('ecs:create-service')).to.be.greaterThan(kinds.indexOf('alb:create-target-group'));
    expect(result.changed).to.equal(true);
    expect(ecs.methods()).to.have.members(['describeServices', 'describeTaskDefinition']);
    expect(elbv2.mutations()).to.deep.equal([]);
    expect(s3.mutations).to.deep.equal([]);
    expect(logs.mutations).to.deep.equal([]);
  });

  it('binds the service to the target group the alb script plans', async () => {
    const io = new RecordingIoHost();
    const { plan } = await planDeploy({ ...options(io), dryRun: true });
    const create = plan.steps.find((s) => s.owner === 'ecs' && s.kind === 'create-service')!;
    const payload = create.payload as { loadBalancers: { targetGroupArn: unknown; containerName: string; containerPort: number }[] };
    // The target group does not exist yet: its ARN is the output of the alb script's create-target-group step.
    expect(payload.loadBalancers).to.deep.equal([
      { targetGroupArn: outputRef('alb:target-group:hako-web:arn', 'ARN of target group hako-web'), containerName: 'front', containerPort: 80 },
    ]);
    const createTg = plan.steps.find((s) => s.owner === 'alb' && s.kind === 'create-target-group')!;
    expect(createTg.outputs).to.deep.equal({ 'alb:target-group:hako-web:arn': undefined });
  });

  it('reads provider values to compare, but the rendered plan masks them', async () => {
    const io = new RecordingIoHost();
    const { plan, displayPlan } = await planDeploy({ ...options(io), dryRun: true });
    const register = plan.steps.find((s) => s.kind === 'register-task-definition')!;
    expect(JSON.stringify(register.payload)).to.include('hunter2-correct-horse');
    const text = renderPlan(displayPlan, { color: false });
    expect(text).to.include('DB_PASSWORD=(from a provider, sha256:');
    expect(text).not.to.include('hunter2-correct-horse');
    expect(io.lines.join('\n')).not.to.include('hunter2-correct-horse');
  });
});
