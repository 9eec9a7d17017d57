/**
 * The real CLI (`bin/hako`) against moto: deploy, redeploy, diff and dry runs, asserting on what moto holds
 * afterwards through real SDK clients rather than on what hako says it did.
 */
import { expect } from 'chai';
import path from 'node:path';
import {
  DescribeServicesCommand,
  DescribeTaskDefinitionCommand,
  ECSClient,
  ListServicesCommand,
  ListTaskDefinitionsCommand,
} from '@aws-sdk/client-ecs';
import { GetObjectCommand, ListObjectsV2Command, S3Client } from '@aws-sdk/client-s3';
import { CloudWatchLogsClient, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { prepareEmulatorAccount, DEMO_BUCKET, DEMO_CLUSTERS } from '../../scripts/emulator-account.js';
import { useMoto, type MotoHandle } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';

const HELLO = path.join('definitions', 'hello.jsonnet');

/**
 * Everything a mutating hako call could leave behind in the services these commands touch. Two equal snapshots
 * say the account did not change; the proxy's recording says no write was even attempted.
 */
export async function snapshotMoto(moto: MotoHandle): Promise<unknown> {
  const ecs = new ECSClient(motoClientConfig(moto));
  const s3 = new S3Client(motoClientConfig(moto));
  const logs = new CloudWatchLogsClient(motoClientConfig(moto));
  try {
    const active = await ecs.send(new ListTaskDefinitionsCommand({ status: 'ACTIVE' }));
    const inactive = await ecs.send(new ListTaskDefinitionsCommand({ status: 'INACTIVE' }));
    const services: unknown[] = [];
    for (const cluster of DEMO_CLUSTERS) {
      const arns = (await ecs.send(new ListServicesCommand({ cluster }))).serviceArns ?? [];
      if (arns.length === 0) continue;
      const described = await ecs.send(new DescribeServicesCommand({ cluster, services: arns }));
      for (const s of described.services ?? []) {
        services.push({ arn: s.serviceArn, status: s.status, desired: s.desiredCount, td: s.taskDefinition });
      }
    }
    const objects = (await s3.send(new ListObjectsV2Command({ Bucket: DEMO_BUCKET }))).Contents ?? [];
    const groups = (await logs.send(new DescribeLogGroupsCommand({}))).logGroups ?? [];
    return {
      taskDefinitions: { active: active.taskDefinitionArns ?? [], inactive: inactive.taskDefinitionArns ?? [] },
      services,
      objects: objects.map((o) => ({ key: o.Key, etag: o.ETag })),
      logGroups: groups.map((g) => ({ name: g.logGroupName, retention: g.retentionInDays })),
    };
  } finally {
    ecs.destroy();
    s3.destroy();
    logs.destroy();
  }
}

describe('integration: hako deploy / diff against moto', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  // hako talks to moto through the proxy, which records every call it makes on the wire.
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let ecs: ECSClient;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...aws.env(), AWS_PROFILE: undefined, ...account.env };
    ecs = new ECSClient(motoClientConfig(moto));
  });
  afterEach(() => ecs.destroy());

  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env, cwd: repoRoot });

  function expectCode(r: CliResult, code: number): void {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  }

  async function helloRevisions(): Promise<string[]> {
    return (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: 'hello', status: 'ACTIVE' }))).taskDefinitionArns ?? [];
  }

  /** No write reached the wire since the last `aws.clearCalls()`, and there were reads (or it would prove nothing). */
  function expectNoWrites(what: string): void {
    const calls = aws.calls();
    expect(calls.map(callName), `${what}: no AWS call at all\n${formatCalls(calls)}`).to.include('ECS DescribeServices');
    expect(aws.mutatingCalls().map(callName), `${what}\n${formatCalls(calls)}`).to.deep.equal([]);
  }

  async function helloService() {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: ['hello'] }));
    const service = out.services?.[0];
    if (service === undefined) throw new Error(`no service hello: ${JSON.stringify(out.failures)}`);
    return service;
  }

  it('creates the task definition, service, front config and log group exactly once on first deploy', async () => {
    const r = await hako('deploy', HELLO);
    expectCode(r, 0);

    const revisions = await helloRevisions();
    expect(revisions).to.have.length(1);
    expect(revisions[0]).to.match(/task-definition\/hello:1$/);

    const service = await helloService();
    expect(service.status).to.equal('ACTIVE');
    expect(service.desiredCount).to.equal(1);
    expect(service.taskDefinition).to.equal(revisions[0]);

    const s3 = new S3Client(motoClientConfig(moto));
    try {
      const obj = await s3.send(new GetObjectCommand({ Bucket: DEMO_BUCKET, Key: 'front_config/hello.conf' }));
      expect(await obj.Body!.transformToString()).to.contain('proxy_pass http://backend:3000;');
    } finally {
      s3.destroy();
    }

    const logs = new CloudWatchLogsClient(motoClientConfig(moto));
    try {
      const groups = await logs.send(new DescribeLogGroupsCommand({ logGroupNamePrefix: '/hako/front' }));
      const front = (groups.logGroups ?? []).filter((g) => g.logGroupName === '/hako/front');
      expect(front).to.have.length(1);
      expect(front[0]!.retentionInDays).to.equal(14);
    } finally {
      logs.destroy();
    }
  });

  it('registers nothing on an unchanged redeploy; diff sees only a new --tag', async () => {
    expectCode(await hako('deploy', HELLO), 0);
    aws.clearCalls();
    const again = await hako('deploy', HELLO);
    expectCode(again, 0);
    expect(again.stdout).to.contain("Task definition isn't changed");
    expect(again.stdout).to.contain("Service isn't changed");
    expectNoWrites('unchanged redeploy');
    const revisions = await helloRevisions();
    expect(revisions).to.have.length(1);
    expect(revisions[0]).to.match(/hello:1$/);

    expectCode(await hako('diff', HELLO), 0);

    aws.clearCalls();
    const tagged = await hako('diff', HELLO, '--tag', 'v2');
    expectCode(tagged, 16);
    expectNoWrites('diff --tag v2');
    expect(tagged.stdout).to.contain('ryotarai/hello-sinatra:v2');
    expect(tagged.stdout).to.contain('ryotarai/hello-sinatra:latest');
    // diff is read-only: still one revision.
    expect(await helloRevisions()).to.have.length(1);
  });

  it('deploy --tag v2 registers revision 2 and points the service at it', async () => {
    expectCode(await hako('deploy', HELLO), 0);
    // Our wait follows the deployment id UpdateService returns, so this completes even though moto never rolls
    // the service's deployments over to the new task definition.
    const r = await hako('deploy', HELLO, '--tag', 'v2');
    expectCode(r, 0);

    const revisions = await helloRevisions();
    expect(revisions).to.have.length(2);
    const service = await helloService();
    expect(service.taskDefinition).to.match(/task-definition\/hello:2$/);
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'hello:2' }));
    const app = td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'app');
    expect(app?.image).to.equal('ryotarai/hello-sinatra:v2');
  });

  it('an invalid definition exits 1 and changes nothing in the account', async () => {
    expectCode(await hako('deploy', HELLO), 0);
    const before = await snapshotMoto(moto);
    aws.clearCalls();
    const r = await hako('deploy', fixture('integration', 'invalid', 'hello.jsonnet'));
    expectCode(r, 1);
    expect(r.stderr).to.contain('app.memory');
    expect(await snapshotMoto(moto)).to.deep.equal(before);
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
  });

  it('deploy --dry-run and diff on a fresh account change nothing (exit 0 and 16)', async () => {
    const before = await snapshotMoto(moto);
    expectCode(await hako('deploy', '--dry-run', HELLO), 0);
    expect(await snapshotMoto(moto)).to.deep.equal(before);
    expectNoWrites('deploy --dry-run');
    aws.clearCalls();
    const diff = await hako('diff', HELLO);
    expectCode(diff, 16);
    expect(await snapshotMoto(moto)).to.deep.equal(before);
    expectNoWrites('diff');
    // The snapshot must be able to see a deploy, or "unchanged" above would prove nothing.
    expectCode(await hako('deploy', HELLO), 0);
    expect(await snapshotMoto(moto)).to.not.deep.equal(before);
  });
});
