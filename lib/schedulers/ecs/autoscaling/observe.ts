/**
 * Reads what the autoscaling planner needs: the scalable target, its policies, the StepScaling alarms and (only
 * for `ALBRequestCountPerTarget`) the service's target group and load balancer. Read-only.
 */
import type { ApplicationAutoScalingApi, CloudWatchApi, Elbv2Api, appAutoScaling, cloudWatch, ecs } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import { AwsApiError } from '../../../errors.js';
import {
  alarmNames,
  needsAlbTarget,
  SCALABLE_DIMENSION,
  SERVICE_NAMESPACE,
  type AlbTarget,
  type AutoscalingObserved,
} from './plan.js';

type AutoscalingConfig = NonNullable<AppModel['scheduler']['autoscaling']>;
type LoadBalancerBinding = AppModel['load_balancers'][number];

export interface AutoscalingReadPorts {
  readonly autoScaling: ApplicationAutoScalingApi;
  readonly cloudWatch: CloudWatchApi;
  /** Needed only when a policy uses `ALBRequestCountPerTarget`. */
  readonly elbv2?: () => Promise<Elbv2Api>;
}

async function describeTarget(api: ApplicationAutoScalingApi, resourceId: string): Promise<appAutoScaling.ScalableTarget | undefined> {
  const out = await api.describeScalableTargets({
    ServiceNamespace: SERVICE_NAMESPACE,
    ResourceIds: [resourceId],
    ScalableDimension: SCALABLE_DIMENSION,
  });
  return (out.ScalableTargets ?? []).find((t) => t.ResourceId === resourceId && t.ScalableDimension === SCALABLE_DIMENSION);
}

async function describePolicies(api: ApplicationAutoScalingApi, resourceId: string): Promise<Map<string, appAutoScaling.ScalingPolicy>> {
  const policies = new Map<string, appAutoScaling.ScalingPolicy>();
  let token: string | undefined;
  do {
    const out = await api.describeScalingPolicies({
      ServiceNamespace: SERVICE_NAMESPACE,
      ResourceId: resourceId,
      ScalableDimension: SCALABLE_DIMENSION,
      ...(token !== undefined ? { NextToken: token } : {}),
    });
    for (const p of out.ScalingPolicies ?? []) {
      // Filtered again: an emulator may match resource ids by substring.
      if (p.ResourceId === resourceId && p.PolicyName !== undefined) policies.set(p.PolicyName, p);
    }
    token = out.NextToken || undefined;
  } while (token !== undefined);
  return policies;
}

async function describeAlarms(api: CloudWatchApi, names: readonly string[]): Promise<Map<string, cloudWatch.MetricAlarm>> {
  const alarms = new Map<string, cloudWatch.MetricAlarm>();
  // DescribeAlarms takes at most 100 names per call.
  for (let i = 0; i < names.length; i += 100) {
    let token: string | undefined;
    do {
      const out = await api.describeAlarms({
        AlarmNames: names.slice(i, i + 100),
        AlarmTypes: ['MetricAlarm'],
        ...(token !== undefined ? { NextToken: token } : {}),
      });
      for (const a of out.MetricAlarms ?? []) if (a.AlarmName !== undefined) alarms.set(a.AlarmName, a);
      token = out.NextToken || undefined;
    } while (token !== undefined);
  }
  return alarms;
}

function isNotFound(e: unknown): boolean {
  const code = e instanceof AwsApiError ? e.awsCode : (e as { name?: unknown } | null)?.name;
  return code === 'TargetGroupNotFound' || code === 'TargetGroupNotFoundException';
}

/**
 * The service's target group and its load balancer. The service's own binding wins; without a service yet (first
 * deploy), the definition's binding is looked up by name. Anything that will only exist once this apply has run
 * (the target group, or its attachment to the load balancer) is `pending`.
 */
export async function observeAlbTarget(
  elbv2: () => Promise<Elbv2Api>,
  service: ecs.Service | undefined,
  bindings: readonly LoadBalancerBinding[],
): Promise<AlbTarget> {
  const binding = bindings[0];
  const bound = binding?.target_group_arn;
  // The binding's ARN may only be known once the alb script's step has run (an OutputRef): then it is pending.
  const arn = service?.loadBalancers?.find((lb) => lb.targetGroupArn !== undefined)?.targetGroupArn ?? (typeof bound === 'string' ? bound : undefined);
  const name = binding?.target_group_name;
  const pending: AlbTarget = {
    state: 'pending',
    ...(name !== undefined ? { targetGroupName: name } : {}),
    ...(bound !== undefined ? { targetGroupArn: bound } : {}),
  };
  if (arn === undefined && bound !== undefined) return pending;
  if (arn === undefined && name === undefined) return { state: 'none' };
  return describeAlbTarget(await elbv2(), arn !== undefined ? { arn } : { name: name! }, pending);
}

/** The target group (by ARN or name) and its load balancer; `pending` when either is not there (yet). */
export async function describeAlbTarget(api: Elbv2Api, group: { arn: string } | { name: string }, pending: AlbTarget = { state: 'pending' }): Promise<AlbTarget> {
  let groups;
  try {
    groups = (await api.describeTargetGroups('arn' in group ? { TargetGroupArns: [group.arn] } : { Names: [group.name] })).TargetGroups ?? [];
  } catch (e) {
    if (isNotFound(e)) return pending;
    throw e;
  }
  const found = groups[0];
  const loadBalancerArn = found?.LoadBalancerArns?.[0];
  if (found?.TargetGroupArn === undefined || loadBalancerArn === undefined) return pending;
  return { state: 'known', targetGroupArn: found.TargetGroupArn, loadBalancerArn };
}

/**
 * Observes the autoscaling state of the service `resourceId`. `service` is the live ECS service (absent before
 * the first deploy); `bindings` are the definition's load balancer bindings.
 */
export async function observeAutoscaling(
  ports: AutoscalingReadPorts,
  config: AutoscalingConfig,
  resourceId: string,
  service: ecs.Service | undefined,
  bindings: readonly LoadBalancerBinding[],
): Promise<AutoscalingObserved> {
  const [scalableTarget, policies, alarms, albTarget] = await Promise.all([
    describeTarget(ports.autoScaling, resourceId),
    describePolicies(ports.autoScaling, resourceId),
    describeAlarms(ports.cloudWatch, alarmNames(config)),
    needsAlbTarget(config)
      ? ports.elbv2 !== undefined
        ? observeAlbTarget(ports.elbv2, service, bindings)
        : Promise.resolve<AlbTarget>({ state: 'none' })
      : Promise.resolve(undefined),
  ]);
  return {
    resourceId,
    ...(scalableTarget !== undefined ? { scalableTarget } : {}),
    policies,
    alarms,
    ...(albTarget !== undefined ? { albTarget } : {}),
  };
}
