/**
 * What the planners receive: the app's load balancer, target group, listeners and rules as AWS holds them, with
 * their tags (ownership lives in tags), in shapes that compare easily. Built from the API's shapes here; read by
 * observe.ts.
 */
import type { elbv2 } from '../../aws/ports.js';

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

/** A load balancer with its listeners (every app's: ownership is decided by the planners). */
export interface ObservedLoadBalancerCopy {
  readonly loadBalancer: ObservedLoadBalancer;
  readonly listeners: readonly ObservedListener[];
}

export interface ObservedAlb {
  /** The load balancer of that name; the oldest when there are several. */
  readonly loadBalancer?: ObservedLoadBalancer;
  readonly targetGroup?: ObservedTargetGroup;
  /** All listeners of `loadBalancer`, by port. */
  readonly listeners: readonly ObservedListener[];
  /**
   * More load balancers / target groups of the same names, which AWS never makes but an emulator or a crashed or
   * concurrent earlier run may have left: deploy refuses to choose (duplicates.ts), remove deletes this app's.
   */
  readonly extraLoadBalancers: readonly ObservedLoadBalancerCopy[];
  readonly extraTargetGroups: readonly ObservedTargetGroup[];
}

export type Tags = ReadonlyMap<string, Record<string, string>>;

export function attributeMap(attrs: readonly elbv2.LoadBalancerAttribute[] | undefined): Record<string, string> {
  return Object.fromEntries((attrs ?? []).map((a) => [a.Key ?? '', a.Value ?? '']));
}

export function toAction(a: elbv2.Action): ObservedAction {
  const arns = new Set<string>();
  if (a.TargetGroupArn) arns.add(a.TargetGroupArn);
  for (const t of a.ForwardConfig?.TargetGroups ?? []) if (t.TargetGroupArn) arns.add(t.TargetGroupArn);
  return { type: a.Type ?? 'unknown', targetGroupArns: [...arns].sort() };
}

function conditionValues(c: elbv2.RuleCondition): string[] {
  const v = c.Field === 'host-header' ? c.HostHeaderConfig?.Values : c.PathPatternConfig?.Values;
  return [...(v ?? c.Values ?? [])];
}

export function toRule(r: elbv2.Rule, tags: Record<string, string> | undefined): ObservedRule {
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

export function toLoadBalancer(
  lb: elbv2.LoadBalancer & { LoadBalancerArn: string },
  fallbackName: string,
  tags: Tags,
  attributes: Record<string, string> | undefined,
): ObservedLoadBalancer {
  return {
    arn: lb.LoadBalancerArn,
    name: lb.LoadBalancerName ?? fallbackName,
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

export function toTargetGroup(
  tg: elbv2.TargetGroup & { TargetGroupArn: string },
  fallbackName: string,
  tags: Tags,
  attributes: Record<string, string> | undefined,
): ObservedTargetGroup {
  const matcher =
    tg.Matcher === undefined
      ? undefined
      : {
          ...(tg.Matcher.HttpCode === undefined ? {} : { httpCode: tg.Matcher.HttpCode }),
          ...(tg.Matcher.GrpcCode === undefined ? {} : { grpcCode: tg.Matcher.GrpcCode }),
        };
  return {
    arn: tg.TargetGroupArn,
    name: tg.TargetGroupName ?? fallbackName,
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

export function toListener(l: elbv2.Listener, rules: readonly elbv2.Rule[], tags: Tags): ObservedListener {
  const cert = (l.Certificates ?? []).find((c) => c.IsDefault !== false) ?? l.Certificates?.[0];
  return {
    arn: l.ListenerArn ?? '',
    port: l.Port ?? 0,
    ...(l.Protocol === undefined ? {} : { protocol: l.Protocol }),
    ...(cert?.CertificateArn === undefined ? {} : { certificateArn: cert.CertificateArn }),
    ...(l.SslPolicy === undefined ? {} : { sslPolicy: l.SslPolicy }),
    defaultActions: (l.DefaultActions ?? []).map(toAction),
    tags: tags.get(l.ListenerArn ?? '') ?? {},
    rules: rules.map((r) => toRule(r, tags.get(r.RuleArn ?? ''))).sort((a, b) => a.priority - b.priority),
  };
}
