/**
 * Reads the classic load balancer of the app's name. Read-only; reads only what the caller needs, so a no-op
 * deploy costs one call (DescribeLoadBalancers) unless the definition configures cross-zone load balancing.
 */
import type { ElbApi, elb } from '../../../aws/ports.js';
import { awsErrorCode } from '../../../util/backoff.js';
import type { ClassicElbObserved } from './plan.js';

/** Classic load balancing names a missing load balancer `LoadBalancerNotFound` on the wire, the SDK `AccessPointNotFoundException`. */
export function isLoadBalancerNotFound(e: unknown): boolean {
  const code = awsErrorCode(e);
  return code === 'AccessPointNotFoundException' || code === 'LoadBalancerNotFound';
}

/** The load balancer named `name`, or undefined. */
export async function describeClassicElb(api: ElbApi, name: string): Promise<elb.LoadBalancerDescription | undefined> {
  try {
    const out = await api.describeLoadBalancers({ LoadBalancerNames: [name] });
    return out.LoadBalancerDescriptions?.find((d) => d.LoadBalancerName === name);
  } catch (e) {
    if (isLoadBalancerNotFound(e)) return undefined;
    throw e;
  }
}

/** Its tags as a map (a load balancer deleted in between has none). */
export async function classicElbTags(api: ElbApi, name: string): Promise<Record<string, string>> {
  try {
    const out = await api.describeTags({ LoadBalancerNames: [name] });
    const tags = out.TagDescriptions?.find((d) => d.LoadBalancerName === name)?.Tags ?? [];
    return Object.fromEntries(tags.map((t) => [t.Key ?? '', t.Value ?? '']));
  } catch (e) {
    if (isLoadBalancerNotFound(e)) return {};
    throw e;
  }
}

export interface ObserveClassicElbOptions {
  /** Read the cross-zone attribute (the definition configures it). */
  readonly crossZone?: boolean;
  /** Read the tags (ownership: remove). */
  readonly tags?: boolean;
}

export async function observeClassicElb(api: ElbApi, name: string, options: ObserveClassicElbOptions = {}): Promise<ClassicElbObserved> {
  const loadBalancer = await describeClassicElb(api, name);
  if (loadBalancer === undefined) return {};
  const [attributes, tags] = await Promise.all([
    options.crossZone ? api.describeLoadBalancerAttributes({ LoadBalancerName: name }) : undefined,
    options.tags ? classicElbTags(api, name) : undefined,
  ]);
  const crossZone = attributes?.LoadBalancerAttributes?.CrossZoneLoadBalancing?.Enabled;
  return { loadBalancer, ...(crossZone === undefined ? {} : { crossZone }), ...(tags === undefined ? {} : { tags }) };
}
