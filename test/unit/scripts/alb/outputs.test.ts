/**
 * Step outputs of the alb script: refs between its own steps, and the binding's ref to the target group's ARN
 * resolving for a later step of another owner (the scheduler) through the one executor, as a deploy wires it.
 */
import { expect } from 'chai';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { LoadBalancerBinding } from '../../../../lib/definition/model.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { Execution, type StepApplier } from '../../../../lib/plan/executor.js';
import { isOutputRef, refsIn, type OutputRef } from '../../../../lib/plan/outputs.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { renderPlan } from '../../../../lib/plan/render.js';
import { configSchema, createAlbScript } from '../../../../lib/scripts/alb/index.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { applyContext } from '../../../helpers/apply-context.js';
import { FakeElbv2 } from '../../../helpers/fake-elbv2.js';
import { deploy, makeModel } from './alb-driver.js';

const SUBNETS = ['subnet-1', 'subnet-2'];
const web = {
  subnets: SUBNETS,
  listeners: [{ port: 80, protocol: 'HTTP' }],
  rules: [{ listener_port: 80, priority: 10, host_header: 'web.example.com' }],
};

/** A scheduler stand-in: records the payload its step received, refs filled in. */
class RecordingScheduler implements StepApplier {
  readonly applied: Step[] = [];
  async apply(step: Step): Promise<void> {
    this.applied.push(step);
  }
}

/** Plans the alb script, then applies its steps and one scheduler step that binds the service, in one Execution. */
async function deployWithService(fake: FakeElbv2, config: Record<string, unknown>) {
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  const aws = () => awsClientsFromPorts({ elbv2: fake });
  const script = createAlbScript(configSchema.parse(config), { appId: 'web', rootPath: '/defs', aws, io, dryRun: false }, { sleep: time.sleep });
  const base = makeModel('web', config);
  const binding = script.contribute!(base).load_balancers![0]!;
  const albSteps = await script.plan!({ ...base, load_balancers: [binding] }, { forOneshot: false });
  const scheduler = new RecordingScheduler();
  const execution = new Execution({
    context: applyContext({ io, aws, sleep: time.sleep, clock: time.clock }),
    applierFor: (step) => (step.owner === 'alb' ? { apply: (s, c) => script.apply!(s, c), reconcile: script.reconcile!, isGone: script.isGone! } : scheduler),
  });
  const serviceStep: Step<{ loadBalancers: readonly LoadBalancerBinding[] }> = {
    owner: 'ecs',
    kind: 'update-service',
    action: 'update',
    resource: 'service web',
    title: 'Update service web',
    payload: { loadBalancers: [binding] },
  };
  // Scripts' steps first, then the scheduler's, sharing outputs (as deploy runs them).
  await execution.run(albSteps);
  await execution.run([serviceStep]);
  const bound = (scheduler.applied[0]?.payload as { loadBalancers: LoadBalancerBinding[] }).loadBalancers[0]!;
  return { albSteps, binding, bound, execution };
}

describe('alb step outputs', () => {
  it('binds the service to the ARN of the target group created in the same apply', async () => {
    const fake = new FakeElbv2();
    const { binding, bound, execution } = await deployWithService(fake, web);
    expect(isOutputRef(binding.target_group_arn)).to.equal(true);
    expect(bound.target_group_arn).to.equal(fake.targetGroupArn('hako-web'));
    expect(bound.target_group_name).to.equal('hako-web');
    // The scheduler's step ran after the step that provides its ARN, which the journal names.
    const tgEntry = execution.journal.find((e) => e.step.kind === 'create-target-group')!;
    expect(tgEntry.outputs).to.deep.equal({ [(binding.target_group_arn as OutputRef).$output]: fake.targetGroupArn('hako-web') });
  });

  it('binds to the existing target group when nothing is created: its unchanged step provides the ARN', async () => {
    const fake = new FakeElbv2();
    await deployWithService(fake, web);
    const mutations = fake.mutations().length;
    const { albSteps, bound } = await deployWithService(fake, web);
    expect(albSteps.every((s) => s.action === 'noop')).to.equal(true);
    expect(bound.target_group_arn).to.equal(fake.targetGroupArn('hako-web'));
    expect(fake.mutations().length).to.equal(mutations);
  });

  it('refers to what earlier steps create by refs, and declares what each create provides', async () => {
    const fake = new FakeElbv2({ forbidMutations: true });
    const { steps } = await deploy(fake, 'web', web, { planOnly: true });
    const byKind = new Map(steps.map((s) => [s.kind, s]));
    const described = (s: Step | undefined): string[] => refsIn(s?.payload).map((r) => r.describe);

    expect(Object.keys(byKind.get('create-load-balancer')!.outputs!)).to.deep.equal([
      'alb:load-balancer:hako-web:arn',
      'alb:load-balancer:hako-web:vpc-id',
    ]);
    expect(byKind.get('create-target-group')!.outputs).to.deep.equal({ 'alb:target-group:hako-web:arn': undefined });
    expect(described(byKind.get('create-target-group'))).to.deep.equal(['VPC of load balancer hako-web']);
    expect(described(byKind.get('create-listener'))).to.deep.equal(['ARN of load balancer hako-web', 'ARN of target group hako-web']);
    expect(described(byKind.get('create-rule'))).to.deep.equal([
      'ARN of load balancer hako-web',
      'ARN of listener hako-web:80',
      'ARN of target group hako-web',
    ]);
    expect(byKind.get('create-rule')!.outputs).to.deep.equal({ 'alb:rule:hako-web:80:10:arn': undefined });
  });

  it('applies refs between its own steps: the listener on the new load balancer, the rule on the new listener', async () => {
    const fake = new FakeElbv2({ vpcId: 'vpc-from-lb' });
    const run = await deploy(fake, 'web', web);
    const [lb] = [...fake.loadBalancers.values()];
    const [listener] = fake.listenersOf('hako-web');
    expect(listener?.LoadBalancerArn).to.equal(lb?.LoadBalancerArn);
    expect(fake.rulesOf(listener!.ListenerArn!)).to.have.length(1);
    expect(fake.targetGroups.get(fake.targetGroupArn('hako-web')!)?.VpcId).to.equal('vpc-from-lb');
    expect(run.execution!.journal.map((e) => e.status)).to.deep.equal(['applied', 'applied', 'applied', 'applied']);
  });

  it('renders values created in the same apply as "known after apply" in the plan', async () => {
    const fake = new FakeElbv2({ forbidMutations: true });
    const { steps } = await deploy(fake, 'web', web, { planOnly: true });
    const text = renderPlan({ steps }, { color: false });
    expect(text).to.contain('vpc_id: "(known after apply: VPC of load balancer hako-web)"');
    // Shapes never carry a raw ref object.
    for (const s of steps) expect(refsIn([s.before, s.after])).to.deep.equal([]);
  });

  it('shows the configured VPC when it is known', async () => {
    const fake = new FakeElbv2({ forbidMutations: true });
    const { steps } = await deploy(fake, 'web', { ...web, vpc_id: 'vpc-1' }, { planOnly: true });
    const tg = steps.find((s) => s.kind === 'create-target-group')!;
    expect(tg.after).to.deep.include({ vpc_id: 'vpc-1' });
    expect(refsIn(tg.payload)).to.deep.equal([]);
  });
});
