/**
 * create_aws_cloud_watch_logs_log_group against moto through the real factory: apply creates the group with its
 * retention (read back with DescribeLogGroups), and a second plan is a noop.
 */
import { appModel, container as baseContainer, withLogs } from '../../helpers/model-builders.js';
import { expect } from 'chai';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { createAwsClients } from '../../../lib/aws/factory.js';
import type { AwsClients } from '../../../lib/aws/ports.js';
import type { AppModel, ContainerModel, LogConfiguration } from '../../../lib/definition/model.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { logGroupConfigSchema, logGroupScript } from '../../../lib/scripts/log-group/index.js';
import { motoClientConfig } from '../harness/aws.js';
import { applyProcessEnv, useMoto } from '../harness/moto.js';
import { applyContext } from '../../helpers/apply-context.js';

function container(name: string, log?: LogConfiguration): ContainerModel {
  return baseContainer(name, { image: name, ...withLogs(log) });
}


function awslogs(group: string, region: string): LogConfiguration {
  return { log_driver: 'awslogs', options: { 'awslogs-group': group, 'awslogs-region': region, 'awslogs-stream-prefix': 'ecs' } };
}

const MODEL: AppModel = appModel({
  containers: [
    container('app', awslogs('/ecs/nanika', 'ap-northeast-1')),
    container('front', awslogs('/ecs/nanika', 'ap-northeast-1')),
    container('worker', awslogs('/ecs/nanika-worker', 'us-east-1')),
    container('sidecar'),
  ],
});

describe('integration: create_aws_cloud_watch_logs_log_group', () => {
  const moto = useMoto();
  let restoreEnv: () => void;
  let aws: AwsClients;

  before(() => {
    restoreEnv = applyProcessEnv({ ...moto.env(), AWS_PROFILE: undefined });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    aws = createAwsClients({ region: 'ap-northeast-1', userAgentVersion: 'integration' });
  });

  async function groups(region: string): Promise<[string | undefined, number | undefined][]> {
    const logs = new CloudWatchLogsClient(motoClientConfig(moto, region));
    try {
      const out = await logs.send(new DescribeLogGroupsCommand({}));
      return (out.logGroups ?? []).map((g) => [g.logGroupName, g.retentionInDays]);
    } finally {
      logs.destroy();
    }
  }

  it('creates each missing group once, in its own region, with the retention; then plans noops', async () => {
    // A group whose name extends the wanted one must not count as the wanted group.
    const direct = new CloudWatchLogsClient(motoClientConfig(moto, 'ap-northeast-1'));
    await direct.send(new CreateLogGroupCommand({ logGroupName: '/ecs/nanika-old' }));
    direct.destroy();

    const io = new RecordingIoHost();
    const script = logGroupScript.create(logGroupConfigSchema.parse({ retention_in_days: 14 }), {
      appId: 'nanika',
      rootPath: '/defs',
      aws: () => aws,
      io,
      dryRun: false,
    });
    const steps = await script.plan!(MODEL, { forOneshot: false });
    expect(steps.map((s) => [s.kind, s.resource])).to.deep.equal([
      ['create-log-group', 'CloudWatch log group /ecs/nanika in ap-northeast-1'],
      ['create-log-group', 'CloudWatch log group /ecs/nanika-worker in us-east-1'],
    ]);
    for (const step of steps) await script.apply!(step, applyContext({ io, aws: () => aws }));

    expect(await groups('ap-northeast-1')).to.have.deep.members([
      ['/ecs/nanika', 14],
      ['/ecs/nanika-old', undefined],
    ]);
    expect(await groups('us-east-1')).to.deep.equal([['/ecs/nanika-worker', 14]]);
    expect(io.lines).to.include('Created CloudWatch log group /ecs/nanika in ap-northeast-1');

    const again = await script.plan!(MODEL, { forOneshot: true });
    expect(again.map((s) => s.action)).to.deep.equal(['noop', 'noop']);
  });

  it('changes the retention of an existing group when the definition asks for another', async () => {
    const io = new RecordingIoHost();
    const make = (days: number) =>
      logGroupScript.create(logGroupConfigSchema.parse({ retention_in_days: days }), { appId: 'nanika', rootPath: '/defs', aws: () => aws, io, dryRun: false });
    for (const step of await make(7).plan!(MODEL, { forOneshot: false })) await make(7).apply!(step, applyContext({ io, aws: () => aws }));
    const steps = await make(30).plan!(MODEL, { forOneshot: false });
    expect(steps.map((s) => [s.kind, s.action])).to.deep.equal([
      ['put-retention-policy', 'update'],
      ['put-retention-policy', 'update'],
    ]);
    for (const step of steps) await make(30).apply!(step, applyContext({ io, aws: () => aws }));
    expect(await groups('ap-northeast-1')).to.deep.equal([['/ecs/nanika', 30]]);
    expect(await groups('us-east-1')).to.deep.equal([['/ecs/nanika-worker', 30]]);
  });
});
