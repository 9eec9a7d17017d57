import { appModel, container as baseContainer, withLogs } from '../../../helpers/model-builders.js';
import { expect } from 'chai';
import type { AwsClients, LogsApi, logs } from '../../../../lib/aws/ports.js';
import type { AppModel, ContainerModel, LogConfiguration } from '../../../../lib/definition/model.js';
import { DefinitionError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import {
  LOG_GROUP_TYPE,
  logGroupConfigSchema,
  logGroupScript,
  logGroupTargets,
  type LogGroupConfig,
} from '../../../../lib/scripts/log-group/index.js';
import { Execution } from '../../../../lib/plan/executor.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { applyContext } from '../../../helpers/apply-context.js';


function model(containers: ContainerModel[]): AppModel {
  return appModel({ containers });
}

function container(name: string, log?: LogConfiguration): ContainerModel {
  return baseContainer(name, { image: name, ...withLogs(log) });
}

function awslogs(group?: string, region?: string): LogConfiguration {
  const options: Record<string, string> = { 'awslogs-stream-prefix': 'ecs' };
  if (group !== undefined) options['awslogs-group'] = group;
  if (region !== undefined) options['awslogs-region'] = region;
  return { log_driver: 'awslogs', options };
}


/** hako's spec model: app logs to `group` in ap-northeast-1, front has no log configuration. */
const SPEC_MODEL = model([container('app', awslogs('group', 'ap-northeast-1')), container('front')]);

interface Group {
  name: string;
  retentionInDays?: number;
}

/** Log groups per region in memory; DescribeLogGroups pages by `pageSize` like the API's prefix search. */
class FakeLogs implements LogsApi {
  readonly calls: { method: string; input: unknown }[] = [];
  /** The next this-many CreateLogGroup calls take effect, then answer HTTP 500 (the answer was lost). */
  lostCreateAnswers = 0;
  constructor(
    readonly groups: Group[] = [],
    private readonly pageSize = 50,
    private readonly forbidMutations = false,
  ) {}
  async describeLogGroups(input: logs.DescribeLogGroupsCommandInput): Promise<logs.DescribeLogGroupsCommandOutput> {
    this.calls.push({ method: 'describeLogGroups', input });
    // Insertion order, not name order: the script must not rely on where the exact name lands.
    const matching = this.groups.filter((g) => g.name.startsWith(input.logGroupNamePrefix ?? ''));
    const start = Number(input.nextToken ?? '0');
    const page = matching.slice(start, start + this.pageSize);
    const next = start + this.pageSize < matching.length ? String(start + this.pageSize) : undefined;
    return {
      $metadata: {},
      logGroups: page.map((g) => ({ logGroupName: g.name, ...(g.retentionInDays === undefined ? {} : { retentionInDays: g.retentionInDays }) })),
      ...(next ? { nextToken: next } : {}),
    };
  }
  async getLogEvents(): Promise<logs.GetLogEventsCommandOutput> {
    throw new Error('FakeLogs: the log-group script reads no events');
  }
  async createLogGroup(input: logs.CreateLogGroupCommandInput): Promise<logs.CreateLogGroupCommandOutput> {
    this.calls.push({ method: 'createLogGroup', input });
    if (this.forbidMutations) throw new Error('FakeLogs: createLogGroup forbidden');
    if (this.groups.some((g) => g.name === input.logGroupName)) {
      const e = new Error('The specified log group already exists');
      e.name = 'ResourceAlreadyExistsException';
      throw e;
    }
    this.groups.push({ name: input.logGroupName! });
    if (this.lostCreateAnswers > 0) {
      this.lostCreateAnswers -= 1;
      throw Object.assign(new Error('FakeLogs: answer lost'), { name: 'InternalFailure', $metadata: { httpStatusCode: 500 } });
    }
    return { $metadata: {} };
  }
  async putRetentionPolicy(input: logs.PutRetentionPolicyCommandInput): Promise<logs.PutRetentionPolicyCommandOutput> {
    this.calls.push({ method: 'putRetentionPolicy', input });
    if (this.forbidMutations) throw new Error('FakeLogs: putRetentionPolicy forbidden');
    const g = this.groups.find((x) => x.name === input.logGroupName);
    if (!g) throw new Error('ResourceNotFoundException');
    g.retentionInDays = input.retentionInDays;
    return { $metadata: {} };
  }
  callsInputs(method: string): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input);
  }
  methods(): string[] {
    return this.calls.map((c) => c.method);
  }
}

function clients(byRegion: Record<string, FakeLogs>): () => AwsClients {
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected client ${name}`));
  const aws = {
    ecs: unexpected('ecs'),
    elbv2: unexpected('elbv2'),
    route53: unexpected('route53'),
    s3: unexpected('s3'),
    ec2: unexpected('ec2'),
    ssm: unexpected('ssm'),
    secretsManager: unexpected('secretsManager'),
    logs: async (region?: string) => {
      const fake = region === undefined ? undefined : byRegion[region];
      if (!fake) throw new Error(`no logs client expected for region ${String(region)}`);
      return fake;
    },
  } as Partial<AwsClients> as AwsClients;
  return () => aws;
}

function script(byRegion: Record<string, FakeLogs>, config: Partial<LogGroupConfig> = {}, io = new RecordingIoHost()) {
  return logGroupScript.create(logGroupConfigSchema.parse(config), { appId: 'nanika', rootPath: '/defs', aws: clients(byRegion), io, dryRun: false });
}

async function planAndApply(byRegion: Record<string, FakeLogs>, m: AppModel, config: Partial<LogGroupConfig> = {}, forOneshot = false) {
  const io = new RecordingIoHost();
  const s = script(byRegion, config, io);
  const steps = await s.plan!(m, { forOneshot });
  for (const step of steps) await s.apply!(step, applyContext({ io, aws: clients(byRegion) }));
  return { steps, io };
}

describe('create_aws_cloud_watch_logs_log_group script', () => {
  describe('config schema', () => {
    it('takes no options but retention_in_days', () => {
      expect(logGroupConfigSchema.safeParse({}).success).to.equal(true);
      expect(logGroupConfigSchema.safeParse({ retention_in_days: 14 }).success).to.equal(true);
      expect(logGroupConfigSchema.safeParse({ region: 'x' }).success).to.equal(false);
    });

    it('accepts only the retention values CloudWatch Logs allows', () => {
      for (const ok of [1, 30, 365, 3653]) expect(logGroupConfigSchema.safeParse({ retention_in_days: ok }).success, String(ok)).to.equal(true);
      const r = logGroupConfigSchema.safeParse({ retention_in_days: 2 });
      expect(r.success).to.equal(false);
      expect(r.error!.issues[0]!.message).to.match(/must be one of 1, 3, 5, 7, 14/);
    });
  });

  describe('targets', () => {
    it('lists awslogs groups, skipping containers without awslogs', () => {
      const m = model([
        container('app', awslogs('group', 'ap-northeast-1')),
        container('front'),
        container('fluentd', { log_driver: 'json-file', options: {} }),
      ]);
      expect(logGroupTargets(m)).to.deep.equal([{ group: 'group', region: 'ap-northeast-1', containers: ['app'] }]);
    });

    it('deduplicates groups shared by containers, keeping groups in other regions apart', () => {
      const m = model([
        container('app', awslogs('shared', 'ap-northeast-1')),
        container('front', awslogs('shared', 'ap-northeast-1')),
        container('worker', awslogs('shared', 'us-east-1')),
      ]);
      expect(logGroupTargets(m)).to.deep.equal([
        { group: 'shared', region: 'ap-northeast-1', containers: ['app', 'sidecars.front'] },
        { group: 'shared', region: 'us-east-1', containers: ['sidecars.worker'] },
      ]);
    });

    it('reports every missing awslogs-group / awslogs-region with the container path', () => {
      const m = model([container('app', awslogs(undefined, 'ap-northeast-1')), container('x', awslogs('g'))]);
      let caught: unknown;
      try {
        logGroupTargets(m);
      } catch (e) {
        caught = e;
      }
      expect(caught).to.be.instanceOf(DefinitionError);
      expect((caught as DefinitionError).issues.map((i) => i.path)).to.deep.equal([
        'app.log_configuration.options.awslogs-group',
        'sidecars.x.log_configuration.options.awslogs-region',
      ]);
      expect((caught as DefinitionError).message).to.include(LOG_GROUP_TYPE);
    });
  });

  describe('plan and apply', () => {
    it('creates a missing group (hako spec: CreateLogGroup log_group_name group)', async () => {
      const fake = new FakeLogs();
      const { steps, io } = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL);
      expect(steps.map((s) => [s.owner, s.kind, s.action])).to.deep.equal([[LOG_GROUP_TYPE, 'create-log-group', 'create']]);
      expect(steps[0]!.title).to.equal('Create CloudWatch log group group in ap-northeast-1');
      expect(fake.methods()).to.deep.equal(['describeLogGroups', 'createLogGroup']);
      expect(fake.calls[0]!.input).to.deep.equal({ logGroupNamePrefix: 'group', nextToken: undefined });
      expect(fake.calls[1]!.input).to.deep.equal({ logGroupName: 'group' });
      expect(io.lines).to.deep.equal(['Created CloudWatch log group group in ap-northeast-1']);
    });

    it('plans a noop and makes no mutating call when the group exists (hako spec)', async () => {
      const fake = new FakeLogs([{ name: 'group' }], 50, true);
      const { steps } = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL);
      expect(steps.map((s) => [s.kind, s.action])).to.deep.equal([['log-group-unchanged', 'noop']]);
      expect(fake.methods()).to.deep.equal(['describeLogGroups']);
    });

    it('finds the exact name on a later page of the prefix search', async () => {
      const fake = new FakeLogs([{ name: 'group-a' }, { name: 'group-b' }, { name: 'group-c' }, { name: 'group' }], 2, true);
      const { steps } = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL);
      expect(steps.map((s) => s.action)).to.deep.equal(['noop']);
      expect(fake.callsInputs('describeLogGroups')).to.deep.equal([
        { logGroupNamePrefix: 'group', nextToken: undefined },
        { logGroupNamePrefix: 'group', nextToken: '2' },
      ]);
    });

    it('does not mistake a prefix match for the group', async () => {
      const fake = new FakeLogs([{ name: 'group-a' }, { name: 'group-b' }, { name: 'group-c' }], 2);
      const { steps } = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL);
      expect(steps.map((s) => s.kind)).to.deep.equal(['create-log-group']);
      expect(fake.callsInputs('describeLogGroups')).to.deep.equal([
        { logGroupNamePrefix: 'group', nextToken: undefined },
        { logGroupNamePrefix: 'group', nextToken: '2' },
      ]);
    });

    it('runs for oneshot too', async () => {
      const fake = new FakeLogs();
      const { steps } = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL, {}, true);
      expect(steps.map((s) => s.kind)).to.deep.equal(['create-log-group']);
      expect(fake.groups.map((g) => g.name)).to.deep.equal(['group']);
    });

    it('uses a client in each group\'s own region and creates a shared group once', async () => {
      const tokyo = new FakeLogs();
      const virginia = new FakeLogs([{ name: 'shared' }], 50, true);
      const m = model([
        container('app', awslogs('shared', 'ap-northeast-1')),
        container('front', awslogs('shared', 'ap-northeast-1')),
        container('worker', awslogs('shared', 'us-east-1')),
      ]);
      const { steps } = await planAndApply({ 'ap-northeast-1': tokyo, 'us-east-1': virginia }, m);
      expect(steps.map((s) => [s.resource, s.action])).to.deep.equal([
        ['CloudWatch log group shared in ap-northeast-1', 'create'],
        ['CloudWatch log group shared in us-east-1', 'noop'],
      ]);
      expect(tokyo.methods().filter((x) => x === 'createLogGroup')).to.have.length(1);
    });

    it('creates with retention: CreateLogGroup then PutRetentionPolicy', async () => {
      const fake = new FakeLogs();
      const { steps, io } = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL, { retention_in_days: 30 });
      expect(steps[0]!.after).to.deep.equal({ log_group_name: 'group', retention_in_days: 30 });
      expect(fake.methods()).to.deep.equal(['describeLogGroups', 'createLogGroup', 'putRetentionPolicy']);
      expect(fake.groups).to.deep.equal([{ name: 'group', retentionInDays: 30 }]);
      expect(io.lines).to.deep.equal([
        'Created CloudWatch log group group in ap-northeast-1',
        'Set retention of CloudWatch log group group in ap-northeast-1 to 30 days',
      ]);
    });

    it('updates the retention of an existing group when it differs, and leaves it when equal', async () => {
      const fake = new FakeLogs([{ name: 'group', retentionInDays: 7 }]);
      const first = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL, { retention_in_days: 14 });
      expect(first.steps.map((s) => [s.kind, s.action])).to.deep.equal([['put-retention-policy', 'update']]);
      expect(first.steps[0]!.before).to.deep.equal({ log_group_name: 'group', retention_in_days: 7 });
      expect(fake.groups[0]!.retentionInDays).to.equal(14);
      const second = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL, { retention_in_days: 14 });
      expect(second.steps.map((s) => s.action)).to.deep.equal(['noop']);
    });

    it('leaves an existing group\'s retention alone when none is configured', async () => {
      const fake = new FakeLogs([{ name: 'group', retentionInDays: 7 }], 50, true);
      const { steps } = await planAndApply({ 'ap-northeast-1': fake }, SPEC_MODEL);
      expect(steps.map((s) => s.action)).to.deep.equal(['noop']);
    });

    it('treats a group created concurrently (ResourceAlreadyExists) as created', async () => {
      const fake = new FakeLogs();
      const io = new RecordingIoHost();
      const s = script({ 'ap-northeast-1': fake }, { retention_in_days: 5 }, io);
      const [step] = await s.plan!(SPEC_MODEL, { forOneshot: false });
      fake.groups.push({ name: 'group' }); // someone else wins the race between plan and apply
      await s.apply!(step!, applyContext({ io, aws: clients({ 'ap-northeast-1': fake }) }));
      expect(fake.groups).to.deep.equal([{ name: 'group', retentionInDays: 5 }]);
      expect(io.codes()).to.deep.equal(['log-group.exists', 'log-group.retention']);
    });

    it('plans nothing when no container uses awslogs', async () => {
      const { steps } = await planAndApply({}, model([container('app'), container('front')]));
      expect(steps).to.deep.equal([]);
    });
  });
});

describe('create_aws_cloud_watch_logs_log_group script under the executor', () => {
  async function run(fake: FakeLogs, config: Partial<LogGroupConfig> = {}) {
    const io = new RecordingIoHost();
    const time = createVirtualTime();
    const aws = clients({ 'ap-northeast-1': fake });
    const s = script({ 'ap-northeast-1': fake }, config, io);
    const steps = await s.plan!(SPEC_MODEL, { forOneshot: false });
    const execution = new Execution({
      context: applyContext({ io, aws, sleep: time.sleep, clock: time.clock }),
      applierFor: () => ({ apply: (step, c) => s.apply!(step, c), reconcile: (step, c) => s.reconcile!(step, c) }),
    });
    await execution.run(steps);
    return execution;
  }

  it('adopts the group a CreateLogGroup whose answer was lost created', async () => {
    const fake = new FakeLogs();
    fake.lostCreateAnswers = 1;
    const execution = await run(fake);
    expect(execution.journal.map((e) => `${e.status}:${e.attempts}`)).to.deep.equal(['adopted:1']);
    expect(fake.methods().filter((m) => m === 'createLogGroup')).to.have.length(1);
    expect(fake.groups).to.deep.equal([{ name: 'group' }]);
  });

  it('repeats the create when the lost call made the group but the retention is still to set; AlreadyExists then counts as created', async () => {
    const fake = new FakeLogs();
    fake.lostCreateAnswers = 1;
    const execution = await run(fake, { retention_in_days: 30 });
    expect(execution.journal.map((e) => `${e.status}:${e.attempts}`)).to.deep.equal(['applied:2']);
    expect(fake.groups).to.deep.equal([{ name: 'group', retentionInDays: 30 }]);
  });
});
