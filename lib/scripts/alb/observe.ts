/**
 * Read-only: what AWS holds for one app's load balancer, target group, listeners and rules, with their tags
 * (ownership lives in tags). The planners receive this and nothing else; the reconciler (reconcile.ts) reads
 * through the same functions.
 */
import type { Elbv2Api, elbv2 } from '../../aws/ports.js';
import { awsErrorCode } from '../../util/backoff.js';
import {
  attributeMap,
  toListener,
  toLoadBalancer,
  toTargetGroup,
  type ObservedAlb,
  type ObservedLoadBalancerCopy,
} from './observed.js';

export interface ObserveOptions {
  readonly loadBalancerName: string;
  readonly targetGroupName: string;
  readonly loadBalancerAttributes?: boolean;
  readonly targetGroupAttributes?: boolean;
}

const DESCRIBE_TAGS_MAX_ARNS = 20;
const DESCRIBE_LOAD_BALANCERS_PAGE = 400;

function notFound(e: unknown, code: string): boolean {
  const c = awsErrorCode(e);
  return c === code || c === `${code}Exception`;
}

/** The load balancer named `name`, or undefined (one call: for status, where a duplicate changes nothing). */
export async function findLoadBalancer(api: Elbv2Api, name: string): Promise<elbv2.LoadBalancer | undefined> {
  try {
    const out = await api.describeLoadBalancers({ Names: [name] });
    return out.LoadBalancers?.[0];
  } catch (e) {
    if (notFound(e, 'LoadBalancerNotFound')) return undefined;
    throw e;
  }
}

type WithArn<T, K extends keyof T> = T & { [P in K]-?: string };

/**
 * Every load balancer named `name`, oldest first. AWS keeps names unique, but an emulator does not (moto makes a
 * second one for a repeated CreateLoadBalancer, and answers a describe by name with only one of them): listing them
 * all is the only way to see such copies before planning on top of one.
 */
export async function loadBalancersNamed(api: Elbv2Api, name: string): Promise<WithArn<elbv2.LoadBalancer, 'LoadBalancerArn'>[]> {
  const all: elbv2.LoadBalancer[] = [];
  const seen = new Set<string>();
  let marker: string | undefined;
  do {
    const out = await api.describeLoadBalancers({ PageSize: DESCRIBE_LOAD_BALANCERS_PAGE, ...(marker ? { Marker: marker } : {}) });
    all.push(...(out.LoadBalancers ?? []));
    // A marker seen before would page for ever (an emulator that keys its markers by name, with duplicate names).
    marker = out.NextMarker !== undefined && !seen.has(out.NextMarker) ? out.NextMarker : undefined;
    if (marker !== undefined) seen.add(marker);
  } while (marker);
  const byArn = new Map<string, WithArn<elbv2.LoadBalancer, 'LoadBalancerArn'>>();
  for (const lb of all) {
    if (lb.LoadBalancerName === name && lb.LoadBalancerArn !== undefined) byArn.set(lb.LoadBalancerArn, lb as WithArn<elbv2.LoadBalancer, 'LoadBalancerArn'>);
  }
  return [...byArn.values()].sort((a, b) => (a.CreatedTime?.getTime() ?? 0) - (b.CreatedTime?.getTime() ?? 0));
}

/** Every target group named `name` (AWS and moto keep names unique; a fake or a future emulator may not). */
export async function targetGroupsNamed(api: Elbv2Api, name: string): Promise<WithArn<elbv2.TargetGroup, 'TargetGroupArn'>[]> {
  try {
    const out = await api.describeTargetGroups({ Names: [name] });
    return (out.TargetGroups ?? []).filter((t): t is WithArn<elbv2.TargetGroup, 'TargetGroupArn'> => t.TargetGroupArn !== undefined);
  } catch (e) {
    if (notFound(e, 'TargetGroupNotFound')) return [];
    throw e;
  }
}

/** The target group named `name`, or undefined. */
export async function findTargetGroup(api: Elbv2Api, name: string): Promise<elbv2.TargetGroup | undefined> {
  return (await targetGroupsNamed(api, name))[0];
}


export async function describeAllListeners(api: Elbv2Api, loadBalancerArn: string): Promise<elbv2.Listener[]> {
  const all: elbv2.Listener[] = [];
  let marker: string | undefined;
  do {
    const out = await api.describeListeners({ LoadBalancerArn: loadBalancerArn, ...(marker ? { Marker: marker } : {}) });
    all.push(...(out.Listeners ?? []));
    marker = out.NextMarker;
  } while (marker);
  return all.sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0));
}

/** The listener's rules without its default rule. */
export async function describeNonDefaultRules(api: Elbv2Api, listenerArn: string): Promise<elbv2.Rule[]> {
  const all: elbv2.Rule[] = [];
  let marker: string | undefined;
  do {
    const out = await api.describeRules({ ListenerArn: listenerArn, ...(marker ? { Marker: marker } : {}) });
    all.push(...(out.Rules ?? []));
    marker = out.NextMarker;
  } while (marker);
  return all.filter((r) => !r.IsDefault);
}

/** Tags of many resources, asking at most 20 ARNs per call (the API's limit). */
export async function describeTags(api: Elbv2Api, arns: readonly string[]): Promise<Map<string, Record<string, string>>> {
  const result = new Map<string, Record<string, string>>();
  for (let i = 0; i < arns.length; i += DESCRIBE_TAGS_MAX_ARNS) {
    const out = await api.describeTags({ ResourceArns: arns.slice(i, i + DESCRIBE_TAGS_MAX_ARNS) });
    for (const d of out.TagDescriptions ?? []) {
      if (d.ResourceArn === undefined) continue;
      result.set(d.ResourceArn, Object.fromEntries((d.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])));
    }
  }
  return result;
}

/** Reads everything the planners need, every copy of a name included. Never mutates. */
export async function observeAlb(api: Elbv2Api, options: ObserveOptions): Promise<ObservedAlb> {
  const [lbs, tgs] = await Promise.all([
    loadBalancersNamed(api, options.loadBalancerName),
    targetGroupsNamed(api, options.targetGroupName),
  ]);
  const withListeners = await Promise.all(
    lbs.map(async (lb) => {
      const listeners = await describeAllListeners(api, lb.LoadBalancerArn);
      const rules = await Promise.all(listeners.map((l) => (l.ListenerArn ? describeNonDefaultRules(api, l.ListenerArn) : [])));
      return { lb, listeners, rules };
    }),
  );
  const arns = [
    ...lbs.map((lb) => lb.LoadBalancerArn),
    ...tgs.map((tg) => tg.TargetGroupArn),
    ...withListeners.flatMap(({ listeners, rules }) => [...listeners.map((l) => l.ListenerArn), ...rules.flat().map((r) => r.RuleArn)]),
  ].filter((a): a is string => a !== undefined);
  const tags = await describeTags(api, arns);

  // Attributes are compared for the one the plan works on; copies only ever get deleted.
  const firstLb = lbs[0];
  const lbAttributes =
    firstLb && options.loadBalancerAttributes === true
      ? attributeMap((await api.describeLoadBalancerAttributes({ LoadBalancerArn: firstLb.LoadBalancerArn })).Attributes)
      : undefined;
  const firstTg = tgs[0];
  const tgAttributes =
    firstTg && options.targetGroupAttributes === true
      ? attributeMap((await api.describeTargetGroupAttributes({ TargetGroupArn: firstTg.TargetGroupArn })).Attributes)
      : undefined;

  const copies = withListeners.map(
    ({ lb, listeners, rules }, i): ObservedLoadBalancerCopy => ({
      loadBalancer: toLoadBalancer(lb, options.loadBalancerName, tags, i === 0 ? lbAttributes : undefined),
      listeners: listeners.map((l, j) => toListener(l, rules[j] ?? [], tags)),
    }),
  );
  const targetGroups = tgs.map((tg, i) => toTargetGroup(tg, options.targetGroupName, tags, i === 0 ? tgAttributes : undefined));
  const [first, ...extraLoadBalancers] = copies;
  const [targetGroup, ...extraTargetGroups] = targetGroups;
  return {
    ...(first === undefined ? {} : { loadBalancer: first.loadBalancer }),
    ...(targetGroup === undefined ? {} : { targetGroup }),
    listeners: first?.listeners ?? [],
    extraLoadBalancers,
    extraTargetGroups,
  };
}
