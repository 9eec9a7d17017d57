/**
 * `scheduler.autoscaling` (reference §3.5, §4.15): the pure planner. Desired autoscaling config × observed
 * Application Auto Scaling and CloudWatch state → steps owned by `autoscaling`.
 *
 * Unlike hako, which re-registers the scalable target and re-puts every policy and alarm on every deploy, each
 * step is planned only when the live state differs, so a redeploy makes no mutating call.
 */
import type { appAutoScaling, cloudWatch } from '../../../aws/ports.js';
import type { AppModel, AutoscalingConfig as AutoscalingConfigData, AutoscalingPolicy as AutoscalingPolicyData, DeepReadonly } from '../../../definition/model.js';
import { HakoError } from '../../../errors.js';
import { outputRef, type Deferred } from '../../../plan/outputs.js';
import type { OwnedStep } from '../../../plan/plan.js';

type AutoscalingConfig = DeepReadonly<AutoscalingConfigData>;
type AutoscalingPolicy = DeepReadonly<AutoscalingPolicyData>;

/** `Step.owner` of every step planned here. */
export const AUTOSCALING_STEP_OWNER = 'autoscaling';
export const SERVICE_NAMESPACE = 'ecs';
export const SCALABLE_DIMENSION = 'ecs:service:DesiredCount';
/** Shown in place of a value that only exists once an earlier step of the same apply has run. */
export const KNOWN_AFTER_APPLY = '(known after apply)';

/**
 * Where the service's target group stands, for `ALBRequestCountPerTarget`: `none` (the service has no target
 * group and the definition binds none), `pending` (it will exist, or be attached to its load balancer, during this
 * apply), or `known`.
 */
export type AlbTarget =
  | { readonly state: 'none' }
  | { readonly state: 'pending'; readonly targetGroupName?: string; readonly targetGroupArn?: Deferred }
  | { readonly state: 'known'; readonly targetGroupArn: string; readonly loadBalancerArn: string };

/** Live state the planner needs, gathered by `observeAutoscaling`. */
export interface AutoscalingObserved {
  readonly resourceId: string;
  readonly scalableTarget?: appAutoScaling.ScalableTarget;
  /** The resource's scaling policies, by name. */
  readonly policies: ReadonlyMap<string, appAutoScaling.ScalingPolicy>;
  /** The alarms named by StepScaling policies that exist, by name. */
  readonly alarms: ReadonlyMap<string, cloudWatch.MetricAlarm>;
  /** Only looked up when a policy uses `ALBRequestCountPerTarget`. */
  readonly albTarget?: AlbTarget;
}

export interface RegisterScalableTargetPayload {
  readonly input: appAutoScaling.RegisterScalableTargetCommandInput;
}

export interface PutScalingPolicyPayload {
  /** Complete, except `ResourceLabel` when `resourceLabelFromApply`. */
  readonly input: appAutoScaling.PutScalingPolicyCommandInput;
  /** True: the ALB resource label is computed at apply time (the target group appears during this apply). */
  readonly resourceLabelFromApply: boolean;
  /** With `resourceLabelFromApply`: the target group to compute it from (its ARN may come from an earlier step). */
  readonly targetGroup?: { readonly arn?: Deferred; readonly name?: string };
  /** The policy's ARN before this apply, when it exists. */
  readonly currentArn?: string;
}

export interface UpdateAlarmActionsPayload {
  readonly policyName: string;
  /** The policy's ARN: known at plan time, or the output of this apply's put-scaling-policy. */
  readonly policyArn: Deferred;
  /** The alarm as observed: PutMetricAlarm replaces an alarm, so every setting is copied from here. */
  readonly alarm: cloudWatch.MetricAlarm;
}

export interface AutoscalingPayloads {
  'register-scalable-target': RegisterScalableTargetPayload;
  'put-scaling-policy': PutScalingPolicyPayload;
  'update-alarm-actions': UpdateAlarmActionsPayload;
}
export type AutoscalingStepKind = keyof AutoscalingPayloads;

export type AutoscalingStep<K extends AutoscalingStepKind = AutoscalingStepKind> = OwnedStep<typeof AUTOSCALING_STEP_OWNER, AutoscalingPayloads, K>;

/** The output key of a scaling policy's ARN. */
export function policyArnKey(resourceId: string, name: string): string {
  return `ecs:autoscaling:${resourceId}:policy/${name}:arn`;
}

/** `service/<cluster name>/<service name>`; a cluster given as an ARN contributes its last path segment. */
export function scalableResourceId(cluster: string, serviceName: string): string {
  return `service/${cluster.split('/').pop() ?? cluster}/${serviceName}`;
}

/** hako's name for a StepScaling policy: its alarms joined with `-and-`. */
export function policyName(policy: AutoscalingPolicy): string {
  return policy.policy_type === 'StepScaling' ? (policy.alarms ?? []).join('-and-') : (policy.name ?? '');
}

/**
 * The `ResourceLabel` of `ALBRequestCountPerTarget`: `app/<lb name>/<lb id>/targetgroup/<tg name>/<tg id>`.
 * Throws hako's errors when there is no target group or the load balancer is not an application one.
 */
export function albResourceLabel(target: AlbTarget): string {
  if (target.state !== 'known') {
    throw new HakoError(
      'Target group must be attached to the ECS service for predefined metric type ALBRequestCountPerTarget',
      'AUTOSCALING_NO_TARGET_GROUP',
      1,
      { hint: 'Bind the service to an application load balancer (the alb script or scheduler.elb_v2).' },
    );
  }
  const lbPart = target.loadBalancerArn.split(':loadbalancer/')[1] ?? '';
  const tgPart = target.targetGroupArn.split(':').pop() ?? '';
  const label = `${lbPart}/${tgPart}`;
  if (!label.startsWith('app/')) {
    throw new HakoError(
      "Load balancer type must be 'application' for predefined metric type ALBRequestCountPerTarget",
      'AUTOSCALING_NOT_ALB',
    );
  }
  return label;
}

/** The readable shape of a policy, for diffs and for comparison (only the settings hako manages). */
export type PolicyShape = Record<string, unknown>;

function desiredPolicyShape(policy: AutoscalingPolicy, resourceLabel: string | undefined): PolicyShape {
  if (policy.policy_type === 'StepScaling') {
    return {
      policy_type: 'StepScaling',
      adjustment_type: policy.adjustment_type,
      step_adjustments: [
        {
          scaling_adjustment: policy.scaling_adjustment,
          metric_interval_lower_bound: policy.metric_interval_lower_bound,
          metric_interval_upper_bound: policy.metric_interval_upper_bound,
        },
      ],
      cooldown: policy.cooldown,
      metric_aggregation_type: policy.metric_aggregation_type,
    };
  }
  return {
    policy_type: 'TargetTrackingScaling',
    target_value: policy.target_value,
    predefined_metric_type: policy.predefined_metric_type,
    resource_label: resourceLabel,
    scale_out_cooldown: policy.scale_out_cooldown,
    scale_in_cooldown: policy.scale_in_cooldown,
    // Absent means "scale in allowed" to AWS: compare it as false so removing the key is seen as a change.
    disable_scale_in: policy.disable_scale_in ?? false,
  };
}

/**
 * The live policy in the desired shape. A setting the definition leaves unset is left unset here too: AWS may
 * report its own default for it, which is not drift.
 */
function livePolicyShape(live: appAutoScaling.ScalingPolicy, desired: PolicyShape): PolicyShape {
  const keep = (key: string, value: unknown): unknown => (desired[key] === undefined ? undefined : value);
  if (live.PolicyType === 'StepScaling') {
    const c: appAutoScaling.StepScalingPolicyConfiguration = live.StepScalingPolicyConfiguration ?? {};
    const desiredStep = ((desired.step_adjustments as Record<string, unknown>[] | undefined) ?? [])[0] ?? {};
    return {
      policy_type: 'StepScaling',
      adjustment_type: keep('adjustment_type', c.AdjustmentType),
      step_adjustments: (c.StepAdjustments ?? []).map((s) => ({
        scaling_adjustment: s.ScalingAdjustment,
        metric_interval_lower_bound: desiredStep.metric_interval_lower_bound === undefined ? undefined : s.MetricIntervalLowerBound,
        metric_interval_upper_bound: desiredStep.metric_interval_upper_bound === undefined ? undefined : s.MetricIntervalUpperBound,
      })),
      cooldown: keep('cooldown', c.Cooldown),
      metric_aggregation_type: keep('metric_aggregation_type', c.MetricAggregationType),
    };
  }
  const c: Partial<appAutoScaling.TargetTrackingScalingPolicyConfiguration> = live.TargetTrackingScalingPolicyConfiguration ?? {};
  return {
    policy_type: live.PolicyType,
    target_value: c.TargetValue,
    predefined_metric_type: c.PredefinedMetricSpecification?.PredefinedMetricType,
    resource_label: c.PredefinedMetricSpecification?.ResourceLabel,
    scale_out_cooldown: keep('scale_out_cooldown', c.ScaleOutCooldown),
    scale_in_cooldown: keep('scale_in_cooldown', c.ScaleInCooldown),
    disable_scale_in: c.DisableScaleIn ?? false,
  };
}

/** JSON with undefined members dropped, so shapes compare by their set values only. */
function canonical(value: unknown): string {
  return JSON.stringify(value);
}

function putPolicyInput(
  resourceId: string,
  name: string,
  policy: AutoscalingPolicy,
  resourceLabel: string | undefined,
): appAutoScaling.PutScalingPolicyCommandInput {
  const base = { PolicyName: name, ServiceNamespace: SERVICE_NAMESPACE, ResourceId: resourceId, ScalableDimension: SCALABLE_DIMENSION } as const;
  if (policy.policy_type === 'StepScaling') {
    return {
      ...base,
      PolicyType: 'StepScaling',
      StepScalingPolicyConfiguration: {
        AdjustmentType: policy.adjustment_type as appAutoScaling.AdjustmentType | undefined,
        StepAdjustments: [
          {
            ScalingAdjustment: policy.scaling_adjustment,
            MetricIntervalLowerBound: policy.metric_interval_lower_bound,
            MetricIntervalUpperBound: policy.metric_interval_upper_bound,
          },
        ],
        Cooldown: policy.cooldown,
        MetricAggregationType: policy.metric_aggregation_type as appAutoScaling.MetricAggregationType | undefined,
      },
    };
  }
  return {
    ...base,
    PolicyType: 'TargetTrackingScaling',
    TargetTrackingScalingPolicyConfiguration: {
      TargetValue: policy.target_value,
      PredefinedMetricSpecification: {
        PredefinedMetricType: policy.predefined_metric_type as appAutoScaling.MetricType,
        ...(resourceLabel !== undefined ? { ResourceLabel: resourceLabel } : {}),
      },
      ScaleOutCooldown: policy.scale_out_cooldown,
      ScaleInCooldown: policy.scale_in_cooldown,
      DisableScaleIn: policy.disable_scale_in,
    },
  };
}

/**
 * A live role ARN that is a service-linked role: AWS registers ECS scalable targets with its own
 * `AWSServiceRoleForApplicationAutoScaling_ECSService` whatever role was passed, so comparing would be drift forever.
 */
function isServiceLinkedRole(arn: string | undefined): boolean {
  return arn !== undefined && arn.includes(':role/aws-service-role/');
}

function planScalableTarget(config: AutoscalingConfig, observed: AutoscalingObserved): AutoscalingStep<'register-scalable-target'> {
  const live = observed.scalableTarget;
  const after = { min_capacity: config.min_capacity, max_capacity: config.max_capacity, role_arn: config.role_arn };
  const before =
    live === undefined
      ? undefined
      : {
          min_capacity: live.MinCapacity,
          max_capacity: live.MaxCapacity,
          role_arn: isServiceLinkedRole(live.RoleARN) || live.RoleARN === undefined ? config.role_arn : live.RoleARN,
        };
  const changed = before === undefined || canonical(before) !== canonical(after);
  const resource = `scalable target ${observed.resourceId}`;
  return {
    owner: AUTOSCALING_STEP_OWNER,
    kind: 'register-scalable-target',
    action: before === undefined ? 'create' : changed ? 'update' : 'noop',
    resource,
    title: changed
      ? `Register scalable target ${observed.resourceId} (min ${config.min_capacity}, max ${config.max_capacity})`
      : `Scalable target ${observed.resourceId} isn't changed`,
    ...(before !== undefined ? { before } : {}),
    after,
    payload: {
      input: {
        ServiceNamespace: SERVICE_NAMESPACE,
        ResourceId: observed.resourceId,
        ScalableDimension: SCALABLE_DIMENSION,
        MinCapacity: config.min_capacity,
        MaxCapacity: config.max_capacity,
        RoleARN: config.role_arn,
      },
    },
  };
}

function pendingTargetGroup(observed: AutoscalingObserved): { arn?: Deferred; name?: string } {
  const target = observed.albTarget;
  if (target?.state !== 'pending') return {};
  return {
    ...(target.targetGroupArn === undefined ? {} : { arn: target.targetGroupArn }),
    ...(target.targetGroupName === undefined ? {} : { name: target.targetGroupName }),
  };
}

function resourceLabelFor(policy: AutoscalingPolicy, observed: AutoscalingObserved): { label?: string; fromApply: boolean } {
  if (policy.policy_type !== 'TargetTrackingScaling' || policy.predefined_metric_type !== 'ALBRequestCountPerTarget') {
    return { fromApply: false };
  }
  const target = observed.albTarget ?? { state: 'none' };
  if (target.state === 'pending') return { fromApply: true };
  return { label: albResourceLabel(target), fromApply: false };
}

/**
 * Plans the autoscaling steps of a deploy: register the scalable target, put each policy, point each StepScaling
 * alarm at its policy. Each step's action is `noop` when the live state already matches. Throws hako's errors for
 * a missing alarm or an unusable ALB target.
 */
export function planAutoscaling(config: AutoscalingConfig, observed: AutoscalingObserved): AutoscalingStep[] {
  const steps: AutoscalingStep[] = [planScalableTarget(config, observed)];
  for (const policy of config.policies) {
    const name = policyName(policy);
    const { label, fromApply } = resourceLabelFor(policy, observed);
    const desired = desiredPolicyShape(policy, fromApply ? KNOWN_AFTER_APPLY : label);
    const live = observed.policies.get(name);
    const before = live === undefined ? undefined : livePolicyShape(live, desired);
    const changed = before === undefined || fromApply || canonical(before) !== canonical(desired);
    steps.push({
      owner: AUTOSCALING_STEP_OWNER,
      kind: 'put-scaling-policy',
      action: before === undefined ? 'create' : changed ? 'update' : 'noop',
      resource: `scaling policy ${name}`,
      title: changed ? `Configure scaling policy ${name}` : `Scaling policy ${name} isn't changed`,
      ...(before !== undefined ? { before } : {}),
      after: desired,
      payload: {
        input: putPolicyInput(observed.resourceId, name, policy, label),
        resourceLabelFromApply: fromApply,
        ...(fromApply ? { targetGroup: pendingTargetGroup(observed) } : {}),
        ...(live?.PolicyARN !== undefined ? { currentArn: live.PolicyARN } : {}),
      },
      outputs: { [policyArnKey(observed.resourceId, name)]: changed ? undefined : live?.PolicyARN },
    });
    if (policy.policy_type !== 'StepScaling') continue;
    // A put policy may come back with another ARN: the alarm is then pointed at whatever the apply returns.
    const policyArn = changed ? undefined : live?.PolicyARN;
    const policyRef = policyArn ?? outputRef(policyArnKey(observed.resourceId, name), `ARN of scaling policy ${name}`);
    for (const alarmName of policy.alarms ?? []) {
      const alarm = observed.alarms.get(alarmName);
      if (alarm === undefined) {
        throw new HakoError(`Alarm ${alarmName} does not exist`, 'AUTOSCALING_ALARM_MISSING', 1, {
          hint: `Create the CloudWatch alarm ${alarmName} before deploying; its alarm actions are set by hako.`,
        });
      }
      const current = alarm.AlarmActions ?? [];
      const wanted = [policyArn ?? KNOWN_AFTER_APPLY];
      const same = policyArn !== undefined && canonical(current) === canonical(wanted);
      steps.push({
        owner: AUTOSCALING_STEP_OWNER,
        kind: 'update-alarm-actions',
        action: same ? 'noop' : 'update',
        resource: `alarm ${alarmName}`,
        title: same ? `Alarm ${alarmName}'s alarm_actions aren't changed` : `Point alarm ${alarmName} at scaling policy ${name}`,
        before: { alarm_actions: current },
        after: { alarm_actions: wanted },
        payload: { policyName: name, policyArn: policyRef, alarm },
      });
    }
  }
  return steps;
}

/** The alarm names every StepScaling policy of `config` refers to, in order, without repeats. */
export function alarmNames(config: AutoscalingConfig): string[] {
  return [...new Set(config.policies.flatMap((p) => (p.policy_type === 'StepScaling' ? (p.alarms ?? []) : [])))];
}

/** True when some policy needs the ALB resource label. */
export function needsAlbTarget(config: AutoscalingConfig): boolean {
  return config.policies.some((p) => p.policy_type === 'TargetTrackingScaling' && p.predefined_metric_type === 'ALBRequestCountPerTarget');
}

/** The autoscaling config of a model, if any (ECS scheduler only). */
export function autoscalingOf(model: AppModel): AutoscalingConfig | undefined {
  return model.scheduler.autoscaling;
}
