import { expect } from 'chai';
import { PluginError } from '../../../../lib/errors.js';
import { RELEASED_BY_TAG } from '../../../../lib/scripts/alb/compare.js';
import { CREATED_BY_TAG, OWNER_TAG } from '../../../../lib/scripts/ownership.js';
import { FakeElbv2 } from '../../../helpers/fake-elbv2.js';
import { deploy, kinds, remove } from './alb-driver.js';

const SUBNETS = ['subnet-1', 'subnet-2'];
const web = {
  subnets: SUBNETS,
  vpc_id: 'vpc-1',
  listeners: [{ port: 80, protocol: 'HTTP' }],
  rules: [{ listener_port: 80, priority: 10, host_header: 'web.example.com' }],
};
const api = {
  load_balancer_name: 'hako-web',
  vpc_id: 'vpc-1',
  listeners: [{ port: 8080, protocol: 'HTTP' }],
  rules: [{ listener_port: 80, priority: 20, host_header: 'api.example.com' }],
};

async function twoApps(): Promise<FakeElbv2> {
  const fake = new FakeElbv2();
  await deploy(fake, 'web', web);
  await deploy(fake, 'api', api);
  return fake;
}

describe('alb remove', () => {
  it("removes only the app's rules, listener and target group, leaving the other app's and the shared load balancer", async () => {
    const fake = await twoApps();
    const { steps, io } = await remove(fake, 'api', api);
    expect(kinds(steps)).to.deep.equal(['delete-rule', 'delete-listener', 'delete-target-group']);
    expect(fake.loadBalancers.size).to.equal(1);
    expect(fake.listenersOf('hako-web').map((l) => l.Port)).to.deep.equal([80]);
    const rules = fake.rulesOf(fake.listenersOf('hako-web')[0]!.ListenerArn!);
    expect(rules.map((r) => fake.tags.get(r.RuleArn!)?.[OWNER_TAG])).to.deep.equal(['web']);
    expect(fake.targetGroupArn('hako-api')).to.equal(undefined);
    expect(fake.targetGroupArn('hako-web')).to.be.a('string');
    const tgArn = (steps.find((s) => s.kind === 'delete-target-group')!.payload as { targetGroupArn: string }).targetGroupArn;
    expect(tgArn).to.match(/targetgroup\/hako-api\//);
    expect(io.lines).to.include(`Deleted target group ${tgArn}`);
  });

  it('deletes the load balancer when its creator leaves last', async () => {
    const fake = await twoApps();
    await remove(fake, 'api', api);
    const { steps, io } = await remove(fake, 'web', web);
    expect(kinds(steps)).to.deep.equal(['delete-rule', 'delete-listener', 'delete-load-balancer', 'delete-target-group']);
    expect(fake.loadBalancers.size).to.equal(0);
    expect(fake.targetGroups.size).to.equal(0);
    expect(io.lines.some((l) => l.startsWith('Deleted ELBv2 arn:'))).to.equal(true);
  });

  it("keeps the load balancer while another app's listener remains, and keeps a listener other apps' rules use", async () => {
    const fake = await twoApps();
    const { steps, io } = await remove(fake, 'web', web);
    // web's listener 80 carries api's rule: kept, answering 404 by default, so web's target group can go.
    // web created the load balancer; it hands it and the listener over to api, which stays on them.
    expect(kinds(steps)).to.deep.equal(['delete-rule', 'release-listener', 'add-tags', 'add-tags', 'delete-target-group']);
    expect(fake.loadBalancers.size).to.equal(1);
    const ports = fake.listenersOf('hako-web').map((l) => l.Port);
    expect(ports).to.deep.equal([80, 8080]);
    const l80 = fake.listenersOf('hako-web').find((l) => l.Port === 80)!;
    expect(l80.DefaultActions?.[0]?.Type).to.equal('fixed-response');
    expect(fake.rulesOf(l80.ListenerArn!).map((r) => r.Priority)).to.deep.equal(['20']);
    expect(fake.targetGroupArn('hako-web')).to.equal(undefined);
    expect(fake.targetGroupArn('hako-api')).to.be.a('string');
    expect(io.messages.filter((m) => m.level === 'warn').map((m) => m.message).join('\n')).to.match(/load balancer hako-web is kept/);
  });

  it('the creator removed first hands the load balancer over, so removing the last app leaves nothing', async () => {
    // The training scenario: each app on its own listener of one load balancer, the creator removed first.
    const fake = new FakeElbv2();
    const node = { subnets: SUBNETS, vpc_id: 'vpc-1', load_balancer_name: 'shared', listeners: [{ port: 80, protocol: 'HTTP' }] };
    const go = { subnets: SUBNETS, vpc_id: 'vpc-1', load_balancer_name: 'shared', listeners: [{ port: 8080, protocol: 'HTTP' }] };
    await deploy(fake, 'node', node);
    await deploy(fake, 'go', go);
    const first = await remove(fake, 'node', node);
    expect(kinds(first.steps)).to.deep.equal(['delete-listener', 'add-tags', 'delete-target-group']);
    expect(fake.loadBalancers.size).to.equal(1);
    const last = await remove(fake, 'go', go);
    expect(kinds(last.steps)).to.include('delete-load-balancer');
    expect(fake.loadBalancers.size).to.equal(0);
    expect(fake.targetGroupArn('hako-go')).to.equal(undefined);
  });

  describe('shared port: one app owns listener 80, the other only has a host rule on it', () => {
    const node = {
      subnets: SUBNETS,
      vpc_id: 'vpc-1',
      load_balancer_name: 'shared',
      listeners: [{ port: 80, protocol: 'HTTP' }],
      rules: [{ listener_port: 80, priority: 10, host_header: 'node.example.com' }],
    };
    const go = {
      subnets: SUBNETS,
      vpc_id: 'vpc-1',
      load_balancer_name: 'shared',
      rules: [{ listener_port: 80, priority: 20, host_header: 'go.example.com' }],
    };

    async function both(): Promise<FakeElbv2> {
      const fake = new FakeElbv2();
      await deploy(fake, 'node', node);
      await deploy(fake, 'go', go);
      return fake;
    }

    function expectNothingLeft(fake: FakeElbv2): void {
      expect(fake.loadBalancers.size).to.equal(0);
      expect(fake.listeners.size).to.equal(0);
      expect(fake.targetGroups.size).to.equal(0);
    }

    it("removing the listener's owner hands the listener to the app whose rule stays; removing that app leaves nothing", async () => {
      const fake = await both();
      const first = await remove(fake, 'node', node);
      expect(kinds(first.steps)).to.deep.equal(['delete-rule', 'release-listener', 'add-tags', 'add-tags', 'delete-target-group']);
      const [l80] = fake.listenersOf('shared');
      expect(fake.tags.get(l80!.ListenerArn!)).to.deep.equal({ [OWNER_TAG]: 'go', [RELEASED_BY_TAG]: 'node' });
      expect(fake.tags.get([...fake.loadBalancers.keys()][0]!)?.[CREATED_BY_TAG]).to.equal('go');
      // go's rule still forwards to go's target group.
      const [rule] = fake.rulesOf(l80!.ListenerArn!);
      expect(rule?.Actions?.[0]?.TargetGroupArn).to.equal(fake.targetGroupArn('hako-go'));

      const last = await remove(fake, 'go', go);
      expect(kinds(last.steps)).to.deep.equal(['delete-rule', 'delete-listener', 'delete-load-balancer', 'delete-target-group']);
      expectNothingLeft(fake);
    });

    it('removing the app with only a rule first, then the owner, leaves nothing', async () => {
      const fake = await both();
      const first = await remove(fake, 'go', go);
      expect(kinds(first.steps)).to.deep.equal(['delete-rule', 'delete-target-group']);
      expect(fake.listenersOf('shared').map((l) => l.Port)).to.deep.equal([80]);
      const last = await remove(fake, 'node', node);
      expect(kinds(last.steps)).to.deep.equal(['delete-rule', 'delete-listener', 'delete-load-balancer', 'delete-target-group']);
      expectNothingLeft(fake);
    });

    it('a re-deploy of the heir plans only noop steps, warns nothing and makes no mutating call', async () => {
      const fake = await both();
      await remove(fake, 'node', node);
      const before = fake.mutations().length;
      const again = await deploy(fake, 'go', go);
      expect(again.steps.map((s) => `${s.action} ${s.resource}`)).to.include('noop listener shared:80');
      expect(kinds(again.steps)).to.deep.equal([]);
      expect(again.io.messages.filter((m) => m.level === 'warn' || m.level === 'error')).to.deep.equal([]);
      expect(fake.mutations().length).to.equal(before);
      const [l80] = fake.listenersOf('shared');
      expect(fake.tags.get(l80!.ListenerArn!)?.[OWNER_TAG]).to.equal('go');
    });

    it('the first owner deployed again claims its released listener back; the rule of the heir stays', async () => {
      const fake = await both();
      await remove(fake, 'node', node);
      const back = await deploy(fake, 'node', node);
      expect(kinds(back.steps)).to.deep.equal(['create-target-group', 'add-tags', 'modify-listener', 'create-rule']);
      const [l80] = fake.listenersOf('shared');
      expect(fake.tags.get(l80!.ListenerArn!)?.[OWNER_TAG]).to.equal('node');
      expect(l80!.DefaultActions?.[0]?.TargetGroupArn).to.equal(fake.targetGroupArn('hako-node'));
      expect(fake.rulesOf(l80!.ListenerArn!).map((r) => r.Priority).sort()).to.deep.equal(['10', '20']);
      // And the two apps still leave nothing when both go.
      await remove(fake, 'go', go);
      await remove(fake, 'node', node);
      expectNothingLeft(fake);
    });

    it('a listener passes along a chain of heirs: owner, then each app with a rule, and the last leaves nothing', async () => {
      const fake = await both();
      const third = { ...go, rules: [{ listener_port: 80, priority: 30, host_header: 'third.example.com' }] };
      await deploy(fake, 'third', third);
      await remove(fake, 'node', node);
      const mid = await remove(fake, 'go', go);
      // Already answering 404: only the tags move on.
      expect(kinds(mid.steps)).to.deep.equal(['delete-rule', 'add-tags', 'add-tags', 'delete-target-group']);
      const [l80] = fake.listenersOf('shared');
      expect(fake.tags.get(l80!.ListenerArn!)).to.deep.equal({ [OWNER_TAG]: 'third', [RELEASED_BY_TAG]: 'go' });
      await remove(fake, 'third', third);
      expectNothingLeft(fake);
    });
  });

  it('a non-creator never deletes the load balancer, even when it leaves no listener', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', { subnets: SUBNETS, vpc_id: 'vpc-1' });
    await deploy(fake, 'api', { load_balancer_name: 'hako-web', vpc_id: 'vpc-1', listeners: [{ port: 80, protocol: 'HTTP' }] });
    const { steps } = await remove(fake, 'api', { load_balancer_name: 'hako-web', vpc_id: 'vpc-1', listeners: [{ port: 80, protocol: 'HTTP' }] });
    expect(kinds(steps)).to.deep.equal(['delete-listener', 'delete-target-group']);
    expect(fake.loadBalancers.size).to.equal(1);
  });

  it('retries DeleteTargetGroup while it is in use, then gives up with a clear error', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    fake.tgInUseFailures = 3;
    const ok = await remove(fake, 'web', web);
    expect(ok.time.sleeps).to.have.length(3);
    expect(ok.io.messages.filter((m) => m.code === 'alb.target-group.in-use')).to.have.length(3);
    expect(fake.targetGroups.size).to.equal(0);

    await deploy(fake, 'web', web);
    fake.tgInUseFailures = 100;
    try {
      await remove(fake, 'web', web, { deleteTargetGroupAttempts: 5 });
      expect.fail('expected the removal to fail');
    } catch (e) {
      expect(e).to.be.instanceOf(PluginError);
      expect((e as Error).message).to.match(/^Cannot delete target group arn:.*after 5 attempts/);
    }
    expect(fake.calls.filter((c) => c.method === 'deleteTargetGroup').length).to.equal(3 + 1 + 5);
  });

  it('plans nothing mutating when nothing exists', async () => {
    const fake = new FakeElbv2({ forbidMutations: true });
    const { steps } = await remove(fake, 'web', web);
    expect(kinds(steps)).to.deep.equal([]);
    expect(steps.map((s) => s.title)).to.include("ELBv2 hako-web doesn't exist");
  });
});
