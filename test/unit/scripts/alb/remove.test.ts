import { expect } from 'chai';
import { PluginError } from '../../../../lib/errors.js';
import { OWNER_TAG } from '../../../../lib/scripts/ownership.js';
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
    // web created the load balancer; it hands it over to api, which stays on it.
    expect(kinds(steps)).to.deep.equal(['delete-rule', 'release-listener', 'add-tags', 'delete-target-group']);
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
