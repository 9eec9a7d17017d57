import { expect } from 'chai';
import type { ecs, Elbv2Api, elbv2 } from '../../../../lib/aws/ports.js';
import type { AutoscalingConfig } from '../../../../lib/definition/model.js';
import { HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import {
  albResourceLabel,
  planAutoscaling,
  policyName,
  scalableResourceId,
  type AlbTarget,
  type AutoscalingStep,
} from '../../../../lib/schedulers/ecs/autoscaling/plan.js';
import { putAlarmInput } from '../../../../lib/schedulers/ecs/autoscaling/apply.js';
import { observeAlbTarget, observeAutoscaling } from '../../../../lib/schedulers/ecs/autoscaling/observe.js';
import type { ApplicationAutoScalingApi, CloudWatchApi } from '../../../../lib/aws/ports.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { applyEcs } from '../../../helpers/ecs-apply.js';
import { alarm, FakeAutoScaling, FakeCloudWatch } from '../../../helpers/fake-autoscaling.js';

/** Applies autoscaling steps as a deploy does: through the executor, the ECS scheduler (its owner) applying them. */
async function applyAutoscalingSteps(
  steps: readonly Step[],
  ctx: { autoScaling: ApplicationAutoScalingApi; cloudWatch: CloudWatchApi; io: RecordingIoHost; elbv2?: Elbv2Api },
): Promise<void> {
  await applyEcs(
    steps,
    { applicationAutoScaling: ctx.autoScaling, cloudWatch: ctx.cloudWatch, ...(ctx.elbv2 ? { elbv2: ctx.elbv2 } : {}) },
    { io: ctx.io },
  );
}

const RESOURCE = 'service/eagletmt/ecs';
const ROLE = 'arn:aws:iam::123456789012:role/ecsAutoscaleRole';
const LB_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/hako-lb/50dc6c495c0c9188';
const NLB_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/net/hako-nlb/50dc6c495c0c9188';
const TG_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/hako-ecs/73e2d6bc24d8a067';

function config(overrides: Partial<AutoscalingConfig> = {}): AutoscalingConfig {
  return {
    role_arn: ROLE,
    min_capacity: 1,
    max_capacity: 4,
    policies: [
      {
        policy_type: 'StepScaling',
        alarms: ['ecs-cpu-high'],
        cooldown: 300,
        adjustment_type: 'ChangeInCapacity',
        scaling_adjustment: 1,
        metric_aggregation_type: 'Average',
        metric_interval_lower_bound: 0,
      },
      {
        policy_type: 'StepScaling',
        alarms: ['ecs-cpu-low', 'ecs-mem-low'],
        cooldown: 300,
        adjustment_type: 'ChangeInCapacity',
        scaling_adjustment: -1,
        metric_aggregation_type: 'Average',
        metric_interval_upper_bound: 0,
      },
      {
        policy_type: 'TargetTrackingScaling',
        name: 'cpu-target',
        target_value: 50,
        predefined_metric_type: 'ECSServiceAverageCPUUtilization',
        scale_out_cooldown: 60,
        scale_in_cooldown: 300,
      },
    ],
    ...overrides,
  };
}

function albConfig(): AutoscalingConfig {
  return config({
    policies: [{ policy_type: 'TargetTrackingScaling', name: 'requests', target_value: 100, predefined_metric_type: 'ALBRequestCountPerTarget' }],
  });
}

function fakes() {
  const autoScaling = new FakeAutoScaling();
  const cloudWatch = new FakeCloudWatch([alarm('ecs-cpu-high'), alarm('ecs-cpu-low', { Threshold: 10, AlarmActions: ['arn:old'] }), alarm('ecs-mem-low')]);
  return { autoScaling, cloudWatch };
}

async function plan(
  f: ReturnType<typeof fakes>,
  c: AutoscalingConfig = config(),
  elb?: Elbv2Api,
  service?: ecs.Service,
): Promise<AutoscalingStep[]> {
  const observed = await observeAutoscaling({ ...f, ...(elb ? { elbv2: async () => elb } : {}) }, c, RESOURCE, service, []);
  return planAutoscaling(c, observed);
}

function summary(steps: readonly AutoscalingStep[]): string[] {
  return steps.map((s) => `${s.kind} ${s.action} ${s.resource}`);
}

/** An ELBv2 fake that knows one target group (by name and ARN) behind `loadBalancerArn`. */
function elbWith(loadBalancerArn: string | undefined): Elbv2Api {
  const group: elbv2.TargetGroup = {
    TargetGroupArn: TG_ARN,
    TargetGroupName: 'hako-ecs',
    LoadBalancerArns: loadBalancerArn ? [loadBalancerArn] : [],
  };
  return {
    async describeTargetGroups(input: elbv2.DescribeTargetGroupsCommandInput) {
      const match = input.TargetGroupArns?.includes(TG_ARN) || input.Names?.includes('hako-ecs');
      if (!match) throw Object.assign(new Error('not found'), { name: 'TargetGroupNotFoundException' });
      return { $metadata: {}, TargetGroups: [group] };
    },
  } as Partial<Elbv2Api> as Elbv2Api;
}

describe('autoscaling planner', () => {
  it('names resources and StepScaling policies like hako', () => {
    expect(scalableResourceId('arn:aws:ecs:ap-northeast-1:123456789012:cluster/eagletmt', 'ecs')).to.equal(RESOURCE);
    expect(scalableResourceId('eagletmt', 'ecs')).to.equal(RESOURCE);
    expect(policyName(config().policies[1]!)).to.equal('ecs-cpu-low-and-ecs-mem-low');
    expect(policyName(config().policies[2]!)).to.equal('cpu-target');
  });

  it('first deploy registers the target, puts every policy and points each alarm at its policy', async () => {
    const f = fakes();
    const steps = await plan(f);
    expect(summary(steps)).to.deep.equal([
      `register-scalable-target create scalable target ${RESOURCE}`,
      'put-scaling-policy create scaling policy ecs-cpu-high',
      'update-alarm-actions update alarm ecs-cpu-high',
      'put-scaling-policy create scaling policy ecs-cpu-low-and-ecs-mem-low',
      'update-alarm-actions update alarm ecs-cpu-low',
      'update-alarm-actions update alarm ecs-mem-low',
      'put-scaling-policy create scaling policy cpu-target',
    ]);
    expect(f.autoScaling.mutations().length + f.cloudWatch.mutations().length, 'planning mutates nothing').to.equal(0);

    const io = new RecordingIoHost();
    await applyAutoscalingSteps(steps, { ...f, io });

    expect(f.autoScaling.mutations().map((c) => c.method)).to.deep.equal([
      'registerScalableTarget',
      'putScalingPolicy',
      'putScalingPolicy',
      'putScalingPolicy',
    ]);
    expect(f.autoScaling.calls.find((c) => c.method === 'registerScalableTarget')!.input).to.deep.equal({
      ServiceNamespace: 'ecs',
      ResourceId: RESOURCE,
      ScalableDimension: 'ecs:service:DesiredCount',
      MinCapacity: 1,
      MaxCapacity: 4,
      RoleARN: ROLE,
    });
    const high = f.autoScaling.policies.get(`${RESOURCE}|ecs-cpu-high`)!;
    expect(high.PolicyType).to.equal('StepScaling');
    expect(high.StepScalingPolicyConfiguration).to.deep.equal({
      AdjustmentType: 'ChangeInCapacity',
      StepAdjustments: [{ ScalingAdjustment: 1, MetricIntervalLowerBound: 0, MetricIntervalUpperBound: undefined }],
      Cooldown: 300,
      MetricAggregationType: 'Average',
    });
    const tt = f.autoScaling.policies.get(`${RESOURCE}|cpu-target`)!;
    expect(tt.TargetTrackingScalingPolicyConfiguration).to.deep.include({ TargetValue: 50, ScaleOutCooldown: 60, ScaleInCooldown: 300 });
    expect(tt.TargetTrackingScalingPolicyConfiguration!.PredefinedMetricSpecification).to.deep.equal({
      PredefinedMetricType: 'ECSServiceAverageCPUUtilization',
    });

    const low = f.autoScaling.policies.get(`${RESOURCE}|ecs-cpu-low-and-ecs-mem-low`)!;
    expect(f.cloudWatch.alarms.get('ecs-cpu-high')!.AlarmActions).to.deep.equal([high.PolicyARN]);
    expect(f.cloudWatch.alarms.get('ecs-cpu-low')!.AlarmActions).to.deep.equal([low.PolicyARN]);
    expect(f.cloudWatch.alarms.get('ecs-mem-low')!.AlarmActions).to.deep.equal([low.PolicyARN]);
    // Every other setting survives the PutMetricAlarm that replaced the alarm.
    expect(f.cloudWatch.alarms.get('ecs-cpu-low')).to.deep.equal(alarm('ecs-cpu-low', { Threshold: 10, AlarmActions: [low.PolicyARN!] }));

    expect(io.lines).to.include(`Registering scalable target to ${RESOURCE}`);
    expect(io.lines).to.include('Configuring scaling policy ecs-cpu-low-and-ecs-mem-low');
    expect(io.lines).to.include(`Updating ecs-cpu-low's alarm_actions from [arn:old] to [${low.PolicyARN}]`);
  });

  it('a second plan is all noop and its apply makes no mutating call', async () => {
    const f = fakes();
    await applyAutoscalingSteps(await plan(f), { ...f, io: new RecordingIoHost() });
    const before = f.autoScaling.mutations().length + f.cloudWatch.mutations().length;

    const again = await plan(f);
    expect(again.map((s) => s.action)).to.deep.equal(again.map(() => 'noop'));
    expect(again).to.have.length(7);
    await applyAutoscalingSteps(again, { ...f, io: new RecordingIoHost() });
    expect(f.autoScaling.mutations().length + f.cloudWatch.mutations().length).to.equal(before);
  });

  it('a changed min/max re-registers the target only, showing the change', async () => {
    const f = fakes();
    await applyAutoscalingSteps(await plan(f), { ...f, io: new RecordingIoHost() });
    const steps = await plan(f, config({ min_capacity: 2, max_capacity: 8 }));
    const changed = steps.filter((s) => s.action !== 'noop');
    expect(summary(changed)).to.deep.equal([`register-scalable-target update scalable target ${RESOURCE}`]);
    expect(changed[0]!.before).to.deep.equal({ min_capacity: 1, max_capacity: 4, role_arn: ROLE });
    expect(changed[0]!.after).to.deep.equal({ min_capacity: 2, max_capacity: 8, role_arn: ROLE });

    const mutationsBefore = f.autoScaling.mutations().length;
    await applyAutoscalingSteps(steps, { ...f, io: new RecordingIoHost() });
    expect(f.autoScaling.mutations().slice(mutationsBefore).map((c) => c.method)).to.deep.equal(['registerScalableTarget']);
    expect(f.autoScaling.targets.get(RESOURCE)).to.deep.include({ MinCapacity: 2, MaxCapacity: 8 });
  });

  it("a live service-linked role is not drift (AWS registers ECS targets with its own role)", async () => {
    const f = fakes();
    await applyAutoscalingSteps(await plan(f), { ...f, io: new RecordingIoHost() });
    const target = f.autoScaling.targets.get(RESOURCE)!;
    f.autoScaling.targets.set(RESOURCE, {
      ...target,
      RoleARN: 'arn:aws:iam::123456789012:role/aws-service-role/ecs.application-autoscaling.amazonaws.com/AWSServiceRoleForApplicationAutoScaling_ECSService',
    });
    expect((await plan(f))[0]!.action).to.equal('noop');
  });

  it('a changed policy is re-put and its unchanged alarms stay as they are', async () => {
    const f = fakes();
    await applyAutoscalingSteps(await plan(f), { ...f, io: new RecordingIoHost() });
    const c = config();
    const policies = [{ ...c.policies[0]!, scaling_adjustment: 2 }, ...c.policies.slice(1)];
    const steps = await plan(f, { ...c, policies });
    const changed = steps.filter((s) => s.action !== 'noop');
    expect(summary(changed)).to.deep.equal([
      'put-scaling-policy update scaling policy ecs-cpu-high',
      'update-alarm-actions update alarm ecs-cpu-high',
    ]);
    const puts = f.cloudWatch.mutations().length;
    await applyAutoscalingSteps(steps, { ...f, io: new RecordingIoHost() });
    // The fake keeps a re-put policy's ARN, as AWS does: the alarm already points at it.
    expect(f.cloudWatch.mutations().length).to.equal(puts);
    expect(f.autoScaling.policies.get(`${RESOURCE}|ecs-cpu-high`)!.StepScalingPolicyConfiguration!.StepAdjustments![0]!.ScalingAdjustment).to.equal(2);
  });

  it('a missing alarm is an error at plan time', async () => {
    const f = fakes();
    f.cloudWatch.alarms.delete('ecs-mem-low');
    const err = await plan(f).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(HakoError);
    expect((err as Error).message).to.equal('Alarm ecs-mem-low does not exist');
  });

  describe('ALBRequestCountPerTarget', () => {
    it('labels the policy with the load balancer and target group of the service', async () => {
      const f = fakes();
      const steps = await plan(f, albConfig(), elbWith(LB_ARN), { loadBalancers: [{ targetGroupArn: TG_ARN, containerName: 'front', containerPort: 80 }] });
      const put = steps.find((s) => s.kind === 'put-scaling-policy')! as AutoscalingStep<'put-scaling-policy'>;
      expect(put.payload.input.TargetTrackingScalingPolicyConfiguration!.PredefinedMetricSpecification).to.deep.equal({
        PredefinedMetricType: 'ALBRequestCountPerTarget',
        ResourceLabel: 'app/hako-lb/50dc6c495c0c9188/targetgroup/hako-ecs/73e2d6bc24d8a067',
      });
      expect(put.payload.resourceLabelFromApply).to.equal(false);
    });

    it('finds the target group from the live service binding first', async () => {
      const target = await observeAlbTarget(async () => elbWith(LB_ARN), { loadBalancers: [{ targetGroupArn: TG_ARN }] }, []);
      expect(target).to.deep.equal({ state: 'known', targetGroupArn: TG_ARN, loadBalancerArn: LB_ARN });
    });

    it('fails when no target group is attached to the service', async () => {
      const err = await plan(fakes(), albConfig(), elbWith(LB_ARN)).then(
        () => undefined,
        (e: unknown) => e,
      );
      // observeAutoscaling got no bindings and no service: nothing to attach.
      expect((err as Error).message).to.equal('Target group must be attached to the ECS service for predefined metric type ALBRequestCountPerTarget');
    });

    it('fails when the load balancer is not an application load balancer', () => {
      const target: AlbTarget = { state: 'known', targetGroupArn: TG_ARN, loadBalancerArn: NLB_ARN };
      expect(() => albResourceLabel(target)).to.throw("Load balancer type must be 'application' for predefined metric type ALBRequestCountPerTarget");
    });

    it('a target group created in the same apply is labelled at apply time', async () => {
      const f = fakes();
      const c = albConfig();
      const missing = elbWith(undefined);
      const observed = await observeAutoscaling({ ...f, elbv2: async () => missing }, c, RESOURCE, undefined, [
        { target_group_name: 'hako-ecs', container_name: 'front', container_port: 80 },
      ]);
      expect(observed.albTarget).to.deep.equal({ state: 'pending', targetGroupName: 'hako-ecs' });
      const steps = planAutoscaling(c, observed);
      expect((steps[1]!.after as { resource_label: string }).resource_label).to.equal('(known after apply)');

      // By apply time the earlier steps have created the target group: the label is read from it then.
      await applyAutoscalingSteps(steps, { ...f, io: new RecordingIoHost(), elbv2: elbWith(LB_ARN) });
      const put = f.autoScaling.policies.get(`${RESOURCE}|requests`)!;
      expect(put.TargetTrackingScalingPolicyConfiguration!.PredefinedMetricSpecification!.ResourceLabel).to.equal(
        'app/hako-lb/50dc6c495c0c9188/targetgroup/hako-ecs/73e2d6bc24d8a067',
      );
      const again = planAutoscaling(c, await observeAutoscaling({ ...f, elbv2: async () => elbWith(LB_ARN) }, c, RESOURCE, undefined, [
        { target_group_name: 'hako-ecs', container_name: 'front', container_port: 80 },
      ]));
      expect(again.map((s) => s.action)).to.deep.equal(['noop', 'noop']);
    });
  });

  it('copies metric-math alarms without the single-metric fields they lack', () => {
    const input = putAlarmInput(
      { AlarmName: 'math', Metrics: [{ Id: 'e1', Expression: 'm1 + m2' }], EvaluationPeriods: 1, Threshold: 5, ComparisonOperator: 'GreaterThanThreshold' },
      ['arn:policy'],
    );
    expect(input).to.deep.equal({
      AlarmName: 'math',
      AlarmActions: ['arn:policy'],
      Metrics: [{ Id: 'e1', Expression: 'm1 + m2' }],
      EvaluationPeriods: 1,
      Threshold: 5,
      ComparisonOperator: 'GreaterThanThreshold',
    });
  });
});
