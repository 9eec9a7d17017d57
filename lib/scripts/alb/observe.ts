/**
 * Read-only: what AWS holds for one app's load balancer, target group, listeners and rules, with their tags
 * (ownership lives in tags). The planner receives this and nothing else.
 */
import type { Elbv2Api, elbv2 } from '../../aws/ports.js';
import { awsErrorCode } from '../../util/backoff.js';

export interface ObservedLoadBalancer {
  readonly arn: string;
  readonly name: string;
  readonly dnsName: string;
  readonly type: string;
  readonly scheme?: string;
  readonly vpcId?: string;
  /** Sorted subnet ids of its availability zones. */
  readonly subnets: readonly string[];
  readonly securityGroups: readonly string[];
  readonly tags: Readonly<Record<string, string>>;
  /** Only read when the definition sets load_balancer_attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
}

export interface ObservedTargetGroup {
  readonly arn: string;
  readonly name: string;
  readonly protocol?: string;
  readonly port?: number;
  readonly vpcId?: string;
  readonly healthCheckPath?: string;
  readonly matcher?: { readonly httpCode?: string; readonly grpcCode?: string };
  readonly protocolVersion?: string;
  readonly targetType?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Only read when the definition sets target_group_attributes. */
  readonly attributes?: Readonly<Record<string, string>>;
}

/** Where an action sends requests: a forward to target groups, or some other action type. */
export interface ObservedAction {
  readonly type: string;
  readonly targetGroupArns: readonly string[];
}

export interface ObservedRule {
  readonly arn: string;
  readonly priority: number;
  readonly hostHeader: readonly string[];
  readonly pathPattern: readonly string[];
  /** Conditions other than host-header and path-pattern (set outside hako): any makes the rule "different". */
  readonly otherConditions: number;
  readonly actions: readonly ObservedAction[];
  readonly tags: Readonly<Record<string, string>>;
}

export interface ObservedListener {
  readonly arn: string;
  readonly port: number;
  readonly protocol?: string;
  /** The default certificate. */
  readonly certificateArn?: string;
  readonly sslPolicy?: string;
  readonly defaultActions: readonly ObservedAction[];
  readonly tags: Readonly<Record<string, string>>;
  /** Non-default rules, by ascending priority. */
  readonly rules: readonly ObservedRule[];
}

export interface ObservedAlb {
  readonly loadBalancer?: ObservedLoadBalancer;
  readonly targetGroup?: ObservedTargetGroup;
  /** All listeners of the load balancer, by port (every app's: ownership is decided by the planner). */
  readonly listeners: readonly ObservedListener[];
}

export interface ObserveOptions {
  readonly loadBalancerName: string;
  readonly targetGroupName: string;
  readonly loadBalancerAttributes?: boolean;
  readonly targetGroupAttributes?: boolean;
}

const DESCRIBE_TAGS_MAX_ARNS = 20;

function notFound(e: unknown, code: string): boolean {
  const c = awsErrorCode(e);
  return c === code || c === `${code}Exception`;
}

/** The load balancer named `name`, or undefined. */
export async function findLoadBalancer(api: Elbv2Api, name: string): Promise<elbv2.LoadBalancer | undefined> {
  try {
    const out = await api.describeLoadBalancers({ Names: [name] });
    return out.LoadBalancers?.[0];
  } catch (e) {
    if (notFound(e, 'LoadBalancerNotFound')) return undefined;
    throw e;
  }
}

/** The target group named `name`, or undefined. */
export async function findTargetGroup(api: Elbv2Api, name: string): Promise<elbv2.TargetGroup | undefined> {
  try {
    const out = await api.describeTargetGroups({ Names: [name] });
    return out.TargetGroups?.[0];
  } catch (e) {
    if (notFound(e, 'TargetGroupNotFound')) return undefined;
    throw e;
  }
}

/**
 * The ARN of the target group named `name`, or undefined when there is none. The ECS applier uses it to bind the
 * service to the target group this script created earlier in the same apply.
 */
export async function findTargetGroupArn(api: Elbv2Api, name: string): Promise<string | undefined> {
  return (await findTargetGroup(api, name))?.TargetGroupArn;
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

async function describeAllRules(api: Elbv2Api, listenerArn: string): Promise<elbv2.Rule[]> {
  const all: elbv2.Rule[] = [];
  let marker: string | undefined;
  do {
    const out = await api.describeRules({ ListenerArn: listenerArn, ...(marker ? { Marker: marker } : {}) });
    all.push(...(out.Rules ?? []));
    marker = out.NextMarker;
  } while (marker);
  return all;
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

function attributeMap(attrs: readonly elbv2.LoadBalancerAttribute[] | undefined): Record<string, string> {
  return Object.fromEntries((attrs ?? []).map((a) => [a.Key ?? '', a.Value ?? '']));
}

function toAction(a: elbv2.Action): ObservedAction {
  const arns = new Set<string>();
  if (a.TargetGroupArn) arns.add(a.TargetGroupArn);
  for (const t of a.ForwardConfig?.TargetGroups ?? []) if (t.TargetGroupArn) arns.add(t.TargetGroupArn);
  return { type: a.Type ?? 'unknown', targetGroupArns: [...arns].sort() };
}

function conditionValues(c: elbv2.RuleCondition): string[] {
  const v = c.Field === 'host-header' ? c.HostHeaderConfig?.Values : c.PathPatternConfig?.Values;
  return [...(v ?? c.Values ?? [])];
}

function toRule(r: elbv2.Rule, tags: Record<string, string> | undefined): ObservedRule {
  const hostHeader: string[] = [];
  const pathPattern: string[] = [];
  let otherConditions = 0;
  for (const c of r.Conditions ?? []) {
    if (c.Field === 'host-header') hostHeader.push(...conditionValues(c));
    else if (c.Field === 'path-pattern') pathPattern.push(...conditionValues(c));
    else otherConditions++;
  }
  return {
    arn: r.RuleArn ?? '',
    priority: Number(r.Priority),
    hostHeader: hostHeader.sort(),
    pathPattern: pathPattern.sort(),
    otherConditions,
    actions: (r.Actions ?? []).map(toAction),
    tags: tags ?? {},
  };
}

/** Reads everything the planner needs. Never mutates. */
export async function observeAlb(api: Elbv2Api, options: ObserveOptions): Promise<ObservedAlb> {
  const [lb, tg] = await Promise.all([
    findLoadBalancer(api, options.loadBalancerName),
    findTargetGroup(api, options.targetGroupName),
  ]);
  const listeners = lb?.LoadBalancerArn ? await describeAllListeners(api, lb.LoadBalancerArn) : [];
  const rulesByListener = await Promise.all(
    listeners.map(async (l) => (l.ListenerArn ? (await describeAllRules(api, l.ListenerArn)).filter((r) => !r.IsDefault) : [])),
  );
  const arns = [
    lb?.LoadBalancerArn,
    tg?.TargetGroupArn,
    ...listeners.map((l) => l.ListenerArn),
    ...rulesByListener.flat().map((r) => r.RuleArn),
  ].filter((a): a is string => a !== undefined);
  const tags = await describeTags(api, arns);

  let loadBalancer: ObservedLoadBalancer | undefined;
  if (lb?.LoadBalancerArn) {
    const attributes =
      options.loadBalancerAttributes === true
        ? attributeMap((await api.describeLoadBalancerAttributes({ LoadBalancerArn: lb.LoadBalancerArn })).Attributes)
        : undefined;
    loadBalancer = {
      arn: lb.LoadBalancerArn,
      name: lb.LoadBalancerName ?? options.loadBalancerName,
      dnsName: lb.DNSName ?? '',
      type: lb.Type ?? 'application',
      ...(lb.Scheme === undefined ? {} : { scheme: lb.Scheme }),
      ...(lb.VpcId === undefined ? {} : { vpcId: lb.VpcId }),
      subnets: (lb.AvailabilityZones ?? []).flatMap((z) => (z.SubnetId ? [z.SubnetId] : [])).sort(),
      securityGroups: [...(lb.SecurityGroups ?? [])].sort(),
      tags: tags.get(lb.LoadBalancerArn) ?? {},
      ...(attributes === undefined ? {} : { attributes }),
    };
  }

  let targetGroup: ObservedTargetGroup | undefined;
  if (tg?.TargetGroupArn) {
    const attributes =
      options.targetGroupAttributes === true
        ? attributeMap((await api.describeTargetGroupAttributes({ TargetGroupArn: tg.TargetGroupArn })).Attributes)
        : undefined;
    const matcher =
      tg.Matcher === undefined
        ? undefined
        : {
            ...(tg.Matcher.HttpCode === undefined ? {} : { httpCode: tg.Matcher.HttpCode }),
            ...(tg.Matcher.GrpcCode === undefined ? {} : { grpcCode: tg.Matcher.GrpcCode }),
          };
    targetGroup = {
      arn: tg.TargetGroupArn,
      name: tg.TargetGroupName ?? options.targetGroupName,
      ...(tg.Protocol === undefined ? {} : { protocol: tg.Protocol }),
      ...(tg.Port === undefined ? {} : { port: tg.Port }),
      ...(tg.VpcId === undefined ? {} : { vpcId: tg.VpcId }),
      ...(tg.HealthCheckPath === undefined ? {} : { healthCheckPath: tg.HealthCheckPath }),
      ...(matcher === undefined ? {} : { matcher }),
      ...(tg.ProtocolVersion === undefined ? {} : { protocolVersion: tg.ProtocolVersion }),
      ...(tg.TargetType === undefined ? {} : { targetType: tg.TargetType }),
      tags: tags.get(tg.TargetGroupArn) ?? {},
      ...(attributes === undefined ? {} : { attributes }),
    };
  }

  const observedListeners = listeners.map((l, i): ObservedListener => {
    const cert = (l.Certificates ?? []).find((c) => c.IsDefault !== false) ?? l.Certificates?.[0];
    return {
      arn: l.ListenerArn ?? '',
      port: l.Port ?? 0,
      ...(l.Protocol === undefined ? {} : { protocol: l.Protocol }),
      ...(cert?.CertificateArn === undefined ? {} : { certificateArn: cert.CertificateArn }),
      ...(l.SslPolicy === undefined ? {} : { sslPolicy: l.SslPolicy }),
      defaultActions: (l.DefaultActions ?? []).map(toAction),
      tags: tags.get(l.ListenerArn ?? '') ?? {},
      rules: (rulesByListener[i] ?? [])
        .map((r) => toRule(r, tags.get(r.RuleArn ?? '')))
        .sort((a, b) => a.priority - b.priority),
    };
  });

  return {
    ...(loadBalancer === undefined ? {} : { loadBalancer }),
    ...(targetGroup === undefined ? {} : { targetGroup }),
    listeners: observedListeners,
  };
}
