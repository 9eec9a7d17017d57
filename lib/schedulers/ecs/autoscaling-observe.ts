/**
 * Reads what the autoscaling planner needs: the scalable target, its policies, the StepScaling alarms and (only
 * for `ALBRequestCountPerTarget`) the service's target group and load balancer. Read-only.
 */
import type { ApplicationAutoScalingApi, CloudWatchApi, Elbv2Api, appAutoScaling, cloudWatch, ecs } from '../../aws/ports.js';
import type { AppModel } from '../../definition/model.js';
import { AwsApiError } from '../../errors.js';
import {
  alarmNames,
  needsAlbTarget,
  SCALABLE_DIMENSION,
  SERVICE_NAMESPACE,
  type AlbTarget,
  type AutoscalingObserved,
} from './autoscaling.js';

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
  const arn = service?.loadBalancers?.find((lb) => lb.targetGroupArn !== undefined)?.targetGroupArn;
  const name = bindings[0]?.target_group_name;
  if (arn === undefined && name === undefined) return { state: 'none' };
  const api = await elbv2();
  let groups;
  try {
    groups = (await api.describeTargetGroups(arn !== undefined ? { TargetGroupArns: [arn] } : { Names: [name!] })).TargetGroups ?? [];
  } catch (e) {
    if (isNotFound(e)) return { state: 'pending', ...(name !== undefined ? { targetGroupName: name } : {}) };
    throw e;
  }
  const group = groups[0];
  const loadBalancerArn = group?.LoadBalancerArns?.[0];
  if (group?.TargetGroupArn === undefined || loadBalancerArn === undefined) {
    return { state: 'pending', ...(name !== undefined ? { targetGroupName: name } : {}) };
  }
  return { state: 'known', targetGroupArn: group.TargetGroupArn, loadBalancerArn };
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
