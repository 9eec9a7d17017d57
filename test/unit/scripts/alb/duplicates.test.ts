/**
 * Copies of what must be unique — left by an emulator that does not refuse them, or by a crashed or concurrent
 * run: deploy stops before planning and names every copy; remove deletes every copy the app owns.
 */
import { expect } from 'chai';
import { DuplicateResourcesError } from '../../../../lib/errors.js';
import { CREATED_BY_TAG, OWNER_TAG } from '../../../../lib/scripts/ownership.js';
import { rejectionOf } from '../../../helpers/definition-error.js';
import { FakeElbv2 } from '../../../helpers/fake-elbv2.js';
import { deploy, remove } from './alb-driver.js';

const web = {
  subnets: ['subnet-1', 'subnet-2'],
  vpc_id: 'vpc-1',
  listeners: [{ port: 80, protocol: 'HTTP' }],
  rules: [{ listener_port: 80, priority: 10, host_header: 'web.example.com' }],
};

const expectDuplicates = (p: Promise<unknown>): Promise<DuplicateResourcesError> => rejectionOf(p, DuplicateResourcesError);

/** The app deployed once, then copies made the way an emulator makes them for a repeated create. */
async function deployedWithCopies(): Promise<FakeElbv2> {
  const fake = new FakeElbv2();
  await deploy(fake, 'web', web);
  fake.allowDuplicates = true;
  return fake;
}

function lbArns(fake: FakeElbv2): string[] {
  return [...fake.loadBalancers.keys()];
}

describe('alb duplicates', () => {
  it('stops a deploy on two load balancers of the name, naming both ARNs (oldest first) and what to do', async () => {
    const fake = await deployedWithCopies();
    const [original] = lbArns(fake);
    const out = await fake.createLoadBalancer({ Name: 'hako-web', Subnets: ['subnet-1'], Tags: [{ Key: CREATED_BY_TAG, Value: 'web' }] });
    const copy = out.LoadBalancers![0]!.LoadBalancerArn!;
    // Listed in whatever order; the copy is the older one here.
    fake.loadBalancers.get(copy)!.CreatedTime = new Date(0);
    const mutations = fake.mutations().length;
    const err = await expectDuplicates(deploy(fake, 'web', web));
    expect(err.code).to.equal('DUPLICATE_RESOURCES');
    expect(err.exitCode).to.equal(1);
    expect(err.duplicates).to.deep.equal([{ resource: 'load balancer hako-web', arns: [copy, original] }]);
    expect(err.message).to.contain(`load balancer hako-web: ${copy}, ${original}`);
    expect(err.hint).to.match(/delete-load-balancer --load-balancer-arn/).and.match(/hako remove/);
    expect(fake.mutations().length).to.equal(mutations);
  });

  it('stops on a second listener on a port the app uses, and on a second rule of the app at its priority', async () => {
    const fake = await deployedWithCopies();
    const [listener] = fake.listenersOf('hako-web');
    const tgArn = fake.targetGroupArn('hako-web')!;
    await fake.createListener({
      LoadBalancerArn: listener!.LoadBalancerArn!,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      Tags: [{ Key: OWNER_TAG, Value: 'web' }],
    });
    const [rule] = fake.rulesOf(listener!.ListenerArn!);
    await fake.createRule({
      ListenerArn: listener!.ListenerArn!,
      Priority: 10,
      Conditions: rule!.Conditions!,
      Actions: rule!.Actions!,
      Tags: [{ Key: OWNER_TAG, Value: 'web' }],
    });
    const err = await expectDuplicates(deploy(fake, 'web', web, { planOnly: true }));
    const listenerArns = fake.listenersOf('hako-web').map((l) => l.ListenerArn!);
    const ruleArns = fake.rulesOf(listener!.ListenerArn!).map((r) => r.RuleArn!);
    expect(err.duplicates).to.deep.equal([
      { resource: 'listener hako-web:80', arns: listenerArns },
      { resource: 'rule hako-web:80 priority 10', arns: ruleArns },
    ]);
    expect(err.message).to.match(/^Cannot plan load balancer hako-web for web: 2 resources exist more than once:\n/);
    expect(err.hint).to.match(/delete-listener/).and.match(/delete-rule/);
  });

  it('stops on two target groups of the name', async () => {
    const fake = await deployedWithCopies();
    await fake.createTargetGroup({ Name: 'hako-web', VpcId: 'vpc-1', Port: 80, Protocol: 'HTTP', Tags: [{ Key: OWNER_TAG, Value: 'web' }] });
    const err = await expectDuplicates(deploy(fake, 'web', web, { planOnly: true }));
    expect(err.duplicates.map((d) => d.resource)).to.deep.equal(['target group hako-web']);
    expect(err.duplicates[0]!.arns).to.have.length(2);
  });

  it("leaves other apps' duplicates on a shared load balancer to them", async () => {
    const fake = await deployedWithCopies();
    const [listener] = fake.listenersOf('hako-web');
    for (let i = 0; i < 2; i++) {
      await fake.createListener({
        LoadBalancerArn: listener!.LoadBalancerArn!,
        Port: 9000,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404' } }],
        Tags: [{ Key: OWNER_TAG, Value: 'other' }],
      });
    }
    const { steps } = await deploy(fake, 'web', web, { planOnly: true });
    expect(steps.every((s) => s.action === 'noop')).to.equal(true);
  });

  it("remove deletes every copy the app owns: both load balancers, their listeners and rules, both target groups", async () => {
    const fake = await deployedWithCopies();
    const tgArn = fake.targetGroupArn('hako-web')!;
    const out = await fake.createLoadBalancer({ Name: 'hako-web', Subnets: ['subnet-1'], Tags: [{ Key: CREATED_BY_TAG, Value: 'web' }] });
    const copyArn = out.LoadBalancers![0]!.LoadBalancerArn!;
    await fake.createListener({
      LoadBalancerArn: copyArn,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      Tags: [{ Key: OWNER_TAG, Value: 'web' }],
    });
    const [listener] = fake.listenersOf('hako-web');
    await fake.createListener({
      LoadBalancerArn: listener!.LoadBalancerArn!,
      Port: 80,
      Protocol: 'HTTP',
      DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
      Tags: [{ Key: OWNER_TAG, Value: 'web' }],
    });
    await fake.createTargetGroup({ Name: 'hako-web', VpcId: 'vpc-1', Port: 80, Protocol: 'HTTP', Tags: [{ Key: OWNER_TAG, Value: 'web' }] });

    const run = await remove(fake, 'web', web);
    expect(fake.loadBalancers.size).to.equal(0);
    expect(fake.listeners.size).to.equal(0);
    expect(fake.targetGroups.size).to.equal(0);
    const deletes = run.steps.filter((s) => s.action === 'delete');
    expect(deletes.map((s) => s.kind)).to.deep.equal([
      'delete-rule',
      'delete-listener',
      'delete-listener',
      'delete-load-balancer',
      'delete-listener',
      'delete-load-balancer',
      'delete-target-group',
      'delete-target-group',
    ]);
    // Each copy is named by its ARN.
    expect(deletes.find((s) => s.kind === 'delete-load-balancer')!.title).to.match(/^Delete load balancer hako-web \(arn:/);
    expect(run.execution!.left).to.deep.equal([]);
  });

  it("remove leaves a copy the app did not create", async () => {
    const fake = await deployedWithCopies();
    await fake.createLoadBalancer({ Name: 'hako-web', Subnets: ['subnet-1'], Tags: [{ Key: CREATED_BY_TAG, Value: 'other' }] });
    const run = await remove(fake, 'web', web);
    expect(fake.loadBalancers.size).to.equal(1);
    expect(fake.tags.get(lbArns(fake)[0]!)?.[CREATED_BY_TAG]).to.equal('other');
    expect(run.steps.some((s) => /was not created by web/.test(s.title))).to.equal(true);
  });
});
