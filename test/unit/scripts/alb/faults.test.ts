/**
 * The alb script under the executor's fault rules, against a fake that loses answers: a create whose answer was
 * lost is found and adopted (no duplicate, even where the emulator would make one), a create that never happened
 * is repeated, and deletes of what is already gone end as done.
 */
import { expect } from 'chai';
import type { Elbv2Api, elbv2 } from '../../../../lib/aws/ports.js';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { configSchema, createAlbScript } from '../../../../lib/scripts/alb/index.js';
import { CREATED_BY_TAG, OWNER_TAG } from '../../../../lib/scripts/ownership.js';
import { applyContext } from '../../../helpers/apply-context.js';
import { FakeElbv2 } from '../../../helpers/fake-elbv2.js';
import { deploy, makeModel, remove } from './alb-driver.js';

const web = {
  subnets: ['subnet-1', 'subnet-2'],
  vpc_id: 'vpc-1',
  listeners: [{ port: 80, protocol: 'HTTP' }],
  rules: [{ listener_port: 80, priority: 10, host_header: 'web.example.com' }],
};

/** A fake that, like moto, would make a second resource for a repeated create. */
function emulator(): FakeElbv2 {
  const fake = new FakeElbv2();
  fake.allowDuplicates = true;
  return fake;
}

function counts(fake: FakeElbv2) {
  const listeners = fake.listenersOf('hako-web');
  return {
    loadBalancers: fake.loadBalancers.size,
    targetGroups: fake.targetGroups.size,
    listeners: listeners.length,
    rules: listeners.flatMap((l) => fake.rulesOf(l.ListenerArn!)).length,
  };
}

const ONE_OF_EACH = { loadBalancers: 1, targetGroups: 1, listeners: 1, rules: 1 };

describe('alb under the executor fault rules', () => {
  for (const method of ['createLoadBalancer', 'createTargetGroup', 'createListener', 'createRule'] as const) {
    it(`adopts what a ${method} whose answer was lost created, instead of creating it again`, async () => {
      const fake = emulator().failNext(method, 'lost');
      const run = await deploy(fake, 'web', web);
      expect(counts(fake)).to.deep.equal(ONE_OF_EACH);
      expect(fake.calls.filter((c) => c.method === method)).to.have.length(1);
      const statuses = run.execution!.journal.map((e) => `${e.step.kind}:${e.status}`);
      expect(statuses.filter((s) => s.endsWith(':adopted'))).to.have.length(1);
      expect(run.io.codes()).to.include('step.adopted');
      // The adopted resource's ARN reached the steps after it: everything is wired to the one copy.
      const [listener] = fake.listenersOf('hako-web');
      const tgArn = fake.targetGroupArn('hako-web');
      expect(listener?.DefaultActions?.[0]?.TargetGroupArn).to.equal(tgArn);
      expect(fake.rulesOf(listener!.ListenerArn!)[0]?.Actions?.[0]?.TargetGroupArn).to.equal(tgArn);
      // And the next plan sees one of each, all up to date.
      const again = await deploy(fake, 'web', web, { planOnly: true });
      expect(again.steps.every((s) => s.action === 'noop')).to.equal(true);
    });
  }

  it('adopts after every create lost its answer in one run', async () => {
    const fake = emulator();
    for (const m of ['createLoadBalancer', 'createTargetGroup', 'createListener', 'createRule'] as const) fake.failNext(m, 'lost');
    const run = await deploy(fake, 'web', web);
    expect(counts(fake)).to.deep.equal(ONE_OF_EACH);
    expect(run.execution!.journal.map((e) => e.status)).to.deep.equal(['adopted', 'adopted', 'adopted', 'adopted']);
  });

  it('repeats a create that failed before taking effect, and makes it once', async () => {
    const fake = emulator().failNext('createLoadBalancer', 'refused').failNext('createListener', 'refused', 2);
    const run = await deploy(fake, 'web', web);
    expect(counts(fake)).to.deep.equal(ONE_OF_EACH);
    const lb = run.execution!.journal.find((e) => e.step.kind === 'create-load-balancer')!;
    expect(lb).to.include({ status: 'applied', attempts: 2 });
    expect(run.execution!.journal.find((e) => e.step.kind === 'create-listener')).to.include({ status: 'applied', attempts: 3 });
  });

  it('adopts after "Duplicate…" when a retry below the executor reached a service that refuses duplicates (AWS)', async () => {
    // The SDK's own retry: the first request took effect, the repeated one is answered DuplicateLoadBalancerName.
    const fake = new FakeElbv2();
    const sdkRetrying: Elbv2Api = Object.assign(Object.create(fake) as FakeElbv2, {
      createLoadBalancer: async (input: elbv2.CreateLoadBalancerCommandInput) => {
        await fake.createLoadBalancer(input);
        return fake.createLoadBalancer(input);
      },
    });
    const run = await deploy(sdkRetrying, 'web', web);
    expect(counts(fake)).to.deep.equal(ONE_OF_EACH);
    expect(run.execution!.journal.find((e) => e.step.kind === 'create-load-balancer')).to.include({ status: 'adopted', attempts: 1 });
    expect(run.execution!.journal.find((e) => e.step.kind === 'create-load-balancer')!.outputs).to.deep.equal({
      'alb:load-balancer:hako-web:arn': [...fake.loadBalancers.keys()][0],
      'alb:load-balancer:hako-web:vpc-id': 'vpc-fake',
    });
  });

  it('does not adopt a load balancer of that name that another app created meanwhile', async () => {
    const fake = new FakeElbv2();
    const aws = () => awsClientsFromPorts({ elbv2: fake });
    const script = createAlbScript(configSchema.parse(web), { appId: 'web', rootPath: '/defs', aws, io: new RecordingIoHost(), dryRun: false });
    const [createLb] = await script.plan!(makeModel('web', web), { forOneshot: false });
    await fake.createLoadBalancer({ Name: 'hako-web', Subnets: ['subnet-1'], Tags: [{ Key: CREATED_BY_TAG, Value: 'api' }] });
    expect(await script.reconcile!(createLb!, applyContext({ io: new RecordingIoHost(), aws }))).to.equal(undefined);
  });

  it('does not adopt a rule at that priority with other conditions', async () => {
    const fake = emulator();
    await deploy(fake, 'web', { ...web, rules: [] });
    const io = new RecordingIoHost();
    const aws = () => awsClientsFromPorts({ elbv2: fake });
    const script = createAlbScript(configSchema.parse(web), { appId: 'web', rootPath: '/defs', aws, io, dryRun: false });
    const createRule = (await script.plan!(makeModel('web', web), { forOneshot: false })).find((s) => s.kind === 'create-rule')!;
    // Meanwhile a rule of this app at priority 10, for another host, appears on the listener.
    const [listener] = fake.listenersOf('hako-web');
    await fake.createRule({
      ListenerArn: listener!.ListenerArn!,
      Priority: 10,
      Conditions: [{ Field: 'host-header', HostHeaderConfig: { Values: ['other.example.com'] } }],
      Actions: [{ Type: 'forward', TargetGroupArn: fake.targetGroupArn('hako-web')! }],
      Tags: [{ Key: OWNER_TAG, Value: 'web' }],
    });
    expect(await script.reconcile!(createRule, applyContext({ io, aws }))).to.equal(undefined);
  });

  it('a remove whose deletes lost their answers ends with everything gone, each repeated delete counted as done', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    for (const m of ['deleteRule', 'deleteListener', 'deleteLoadBalancer', 'deleteTargetGroup'] as const) fake.failNext(m, 'lost');
    const run = await remove(fake, 'web', web);
    expect(counts(fake)).to.deep.equal({ loadBalancers: 0, targetGroups: 0, listeners: 0, rules: 0 });
    expect(run.execution!.journal.filter((e) => e.step.action === 'delete').map((e) => `${e.step.kind}:${e.status}:${e.attempts}`)).to.deep.equal([
      'delete-rule:gone:2',
      'delete-listener:gone:2',
      'delete-load-balancer:gone:2',
      'delete-target-group:gone:2',
    ]);
    expect(run.execution!.left).to.deep.equal([]);
  });

  it('a remove planned before something else deleted the resources ends as done, not failed', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    const planned = await remove(fake, 'web', web, { planOnly: true });
    // Another remove got there first.
    await remove(fake, 'web', web);
    const { Execution } = await import('../../../../lib/plan/executor.js');
    const io = new RecordingIoHost();
    const execution = new Execution({
      context: applyContext({ io, aws: () => awsClientsFromPorts({ elbv2: fake }) }),
      applierFor: () => ({ apply: planned.script.apply!, isGone: planned.script.isGone! }),
      keepGoing: true,
    });
    await execution.run(planned.steps);
    expect(execution.journal.filter((e) => e.step.action === 'delete').map((e) => e.status)).to.deep.equal(['gone', 'gone', 'gone', 'gone']);
    expect(execution.left).to.deep.equal([]);
  });

  it('a delete failing for another reason is not taken for gone', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    fake.tgInUseFailures = 100;
    try {
      await remove(fake, 'web', web, { deleteTargetGroupAttempts: 2 });
      expect.fail('expected the removal to fail');
    } catch (e) {
      expect((e as Error).message).to.match(/still in use after 2 attempts/);
    }
    expect(fake.targetGroups.size).to.equal(1);
  });
});
