/**
 * A stateful in-memory fake of our Elbv2Api port: load balancers, target groups, listeners (each with its default
 * rule, as AWS has), rules and tags, with AWS's error codes for the cases hako meets (not found, duplicate name,
 * priority in use, target group in use). Listeners and rules are paginated two per page so that callers must
 * follow NextMarker; DescribeTags refuses more than 20 ARNs, as AWS does.
 *
 * Faults for the executor's rules: `failNext` makes a mutating call answer HTTP 500 either after carrying it out
 * (the answer was lost) or before; `allowDuplicates` creates a second resource for a name, port or priority that
 * is taken, as an emulator (moto) does, instead of refusing as AWS does.
 */
import { ELBV2_MUTATING_METHODS, type Elbv2Api, type elbv2 } from '../../lib/aws/ports.js';
import { awsError, FaultQueue, type InjectedFault } from './aws-errors.js';

const meta = { $metadata: {} };
const PAGE = 2;

export interface FakeElbv2Options {
  /** Any mutating call throws (for dry-run tests). */
  readonly forbidMutations?: boolean;
  /** VPC of the fake subnets. */
  readonly vpcId?: string;
}

export interface Elbv2Call {
  readonly method: keyof Elbv2Api;
  readonly input: unknown;
}

type MutatingMethod = (typeof ELBV2_MUTATING_METHODS)[number];

interface RuleState {
  rule: elbv2.Rule;
  listenerArn: string;
}

export class FakeElbv2 implements Elbv2Api {
  readonly calls: Elbv2Call[] = [];
  readonly loadBalancers = new Map<string, elbv2.LoadBalancer>();
  readonly targetGroups = new Map<string, elbv2.TargetGroup>();
  readonly listeners = new Map<string, elbv2.Listener>();
  readonly rules = new Map<string, RuleState>();
  readonly tags = new Map<string, Record<string, string>>();
  readonly lbAttributes = new Map<string, Record<string, string>>();
  readonly tgAttributes = new Map<string, Record<string, string>>();
  /** DeleteTargetGroup answers ResourceInUse this many more times even when nothing uses the group. */
  tgInUseFailures = 0;
  /** Create a second resource for a taken load balancer / target group name, listener port or rule priority. */
  allowDuplicates = false;
  private seq = 0;
  private readonly faults = new FaultQueue<MutatingMethod>();

  constructor(private readonly options: FakeElbv2Options = {}) {
    // Every mutating call goes through its fault queue; a refused one is recorded although it never acts.
    for (const method of ELBV2_MUTATING_METHODS) {
      const original = (this[method] as (input: unknown) => Promise<unknown>).bind(this);
      Object.assign(this, {
        [method]: (input: unknown) =>
          this.faults.run(
            method,
            'FakeElbv2',
            () => original(input),
            () => this.calls.push({ method, input }),
          ),
      });
    }
  }

  /** The next `times` calls of `method` fail with HTTP 500, `lost` after acting or `refused` before. */
  failNext(method: MutatingMethod, fault: InjectedFault, times = 1): this {
    this.faults.add(method, fault, times);
    return this;
  }

  /** Names of the mutating methods called, in order. */
  mutations(): string[] {
    const mutating = new Set<string>(ELBV2_MUTATING_METHODS);
    return this.calls.map((c) => c.method).filter((m) => mutating.has(m));
  }

  private record(method: keyof Elbv2Api, input: unknown): void {
    this.calls.push({ method, input });
    if (this.options.forbidMutations && (ELBV2_MUTATING_METHODS as readonly string[]).includes(method)) {
      throw new Error(`FakeElbv2: mutating call ${method} during a read-only run`);
    }
  }

  private arn(kind: string, name: string): string {
    this.seq++;
    return `arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:${kind}/${name}/${this.seq.toString(16).padStart(16, '0')}`;
  }

  private setTags(arn: string, tags: readonly elbv2.Tag[] | undefined): void {
    const t = { ...(this.tags.get(arn) ?? {}) };
    for (const { Key, Value } of tags ?? []) if (Key !== undefined) t[Key] = Value ?? '';
    this.tags.set(arn, t);
  }

  private lbByArn(arn: string | undefined): elbv2.LoadBalancer {
    const lb = arn === undefined ? undefined : this.loadBalancers.get(arn);
    if (!lb) throw awsError('LoadBalancerNotFoundException', `Load balancer '${arn}' not found`);
    return lb;
  }

  private tgByArn(arn: string | undefined): elbv2.TargetGroup {
    const tg = arn === undefined ? undefined : this.targetGroups.get(arn);
    if (!tg) throw awsError('TargetGroupNotFoundException', `Target group '${arn}' not found`);
    return tg;
  }

  private checkActions(actions: readonly elbv2.Action[] | undefined): void {
    for (const a of actions ?? []) if (a.TargetGroupArn) this.tgByArn(a.TargetGroupArn);
  }

  private page<T>(items: T[], marker: string | undefined): { items: T[]; next?: string } {
    const start = marker === undefined ? 0 : Number(marker);
    const next = start + PAGE < items.length ? String(start + PAGE) : undefined;
    return { items: items.slice(start, start + PAGE), ...(next === undefined ? {} : { next }) };
  }

  // Reads.
  async describeLoadBalancers(input: elbv2.DescribeLoadBalancersCommandInput) {
    this.record('describeLoadBalancers', input);
    const all = [...this.loadBalancers.values()];
    const found = input.Names ? all.filter((l) => input.Names!.includes(l.LoadBalancerName ?? '')) : all;
    if (input.Names && found.length < input.Names.length) {
      throw awsError('LoadBalancerNotFoundException', `One or more load balancers not found`);
    }
    return { ...meta, LoadBalancers: structuredClone(found) };
  }

  async describeTargetGroups(input: elbv2.DescribeTargetGroupsCommandInput) {
    this.record('describeTargetGroups', input);
    const all = [...this.targetGroups.values()];
    const found = input.Names ? all.filter((t) => input.Names!.includes(t.TargetGroupName ?? '')) : all;
    if (input.Names && found.length < input.Names.length) {
      throw awsError('TargetGroupNotFoundException', `One or more target groups not found`);
    }
    return { ...meta, TargetGroups: structuredClone(found) };
  }

  async describeListeners(input: elbv2.DescribeListenersCommandInput) {
    this.record('describeListeners', input);
    this.lbByArn(input.LoadBalancerArn);
    const all = [...this.listeners.values()].filter((l) => l.LoadBalancerArn === input.LoadBalancerArn);
    const { items, next } = this.page(all, input.Marker);
    return { ...meta, Listeners: structuredClone(items), ...(next === undefined ? {} : { NextMarker: next }) };
  }

  async describeRules(input: elbv2.DescribeRulesCommandInput) {
    this.record('describeRules', input);
    if (!input.ListenerArn || !this.listeners.has(input.ListenerArn)) throw awsError('ListenerNotFoundException');
    // The default rule mirrors the listener's default actions.
    const listener = this.listeners.get(input.ListenerArn)!;
    const all = [...this.rules.values()]
      .filter((r) => r.listenerArn === input.ListenerArn)
      .map((r) => (r.rule.IsDefault ? { ...r.rule, Actions: listener.DefaultActions ?? [] } : r.rule));
    const { items, next } = this.page(all, input.Marker);
    return { ...meta, Rules: structuredClone(items), ...(next === undefined ? {} : { NextMarker: next }) };
  }

  async describeTags(input: elbv2.DescribeTagsCommandInput) {
    this.record('describeTags', input);
    const arns = input.ResourceArns ?? [];
    if (arns.length > 20) throw awsError('ValidationError', 'at most 20 resource ARNs');
    return {
      ...meta,
      TagDescriptions: arns.map((a) => ({
        ResourceArn: a,
        Tags: Object.entries(this.tags.get(a) ?? {}).map(([Key, Value]) => ({ Key, Value })),
      })),
    };
  }

  async describeLoadBalancerAttributes(input: elbv2.DescribeLoadBalancerAttributesCommandInput) {
    this.record('describeLoadBalancerAttributes', input);
    this.lbByArn(input.LoadBalancerArn);
    const a = this.lbAttributes.get(input.LoadBalancerArn!) ?? {};
    return { ...meta, Attributes: Object.entries(a).map(([Key, Value]) => ({ Key, Value })) };
  }

  async describeTargetGroupAttributes(input: elbv2.DescribeTargetGroupAttributesCommandInput) {
    this.record('describeTargetGroupAttributes', input);
    this.tgByArn(input.TargetGroupArn);
    const a = this.tgAttributes.get(input.TargetGroupArn!) ?? {};
    return { ...meta, Attributes: Object.entries(a).map(([Key, Value]) => ({ Key, Value })) };
  }

  // Mutations.
  async createLoadBalancer(input: elbv2.CreateLoadBalancerCommandInput) {
    this.record('createLoadBalancer', input);
    const name = input.Name ?? '';
    if (!this.allowDuplicates && [...this.loadBalancers.values()].some((l) => l.LoadBalancerName === name)) {
      throw awsError('DuplicateLoadBalancerNameException');
    }
    if (!input.Subnets?.length) throw awsError('ValidationError', 'subnets are required');
    const type = input.Type ?? 'application';
    const arn = this.arn(`loadbalancer/${type === 'network' ? 'net' : 'app'}`, name);
    const lb: elbv2.LoadBalancer = {
      LoadBalancerArn: arn,
      LoadBalancerName: name,
      DNSName: `${name}-${this.seq}.ap-northeast-1.elb.amazonaws.com`,
      CreatedTime: new Date(Date.UTC(2024, 0, 1, 0, 0, this.seq)),
      Type: type,
      Scheme: input.Scheme ?? 'internet-facing',
      VpcId: this.options.vpcId ?? 'vpc-fake',
      AvailabilityZones: input.Subnets.map((s, i) => ({ ZoneName: `ap-northeast-1${'acd'[i % 3]}`, SubnetId: s })),
      ...(type === 'application' ? { SecurityGroups: [...(input.SecurityGroups ?? ['sg-default'])] } : {}),
    };
    this.loadBalancers.set(arn, lb);
    this.setTags(arn, input.Tags);
    return { ...meta, LoadBalancers: [structuredClone(lb)] };
  }

  async deleteLoadBalancer(input: elbv2.DeleteLoadBalancerCommandInput) {
    this.record('deleteLoadBalancer', input);
    this.lbByArn(input.LoadBalancerArn);
    for (const l of [...this.listeners.values()]) {
      if (l.LoadBalancerArn === input.LoadBalancerArn) this.dropListener(l.ListenerArn!);
    }
    this.loadBalancers.delete(input.LoadBalancerArn!);
    this.tags.delete(input.LoadBalancerArn!);
    return { ...meta };
  }

  async setSubnets(input: elbv2.SetSubnetsCommandInput) {
    this.record('setSubnets', input);
    const lb = this.lbByArn(input.LoadBalancerArn);
    lb.AvailabilityZones = (input.Subnets ?? []).map((s, i) => ({ ZoneName: `ap-northeast-1${'acd'[i % 3]}`, SubnetId: s }));
    return { ...meta, AvailabilityZones: lb.AvailabilityZones };
  }

  async setSecurityGroups(input: elbv2.SetSecurityGroupsCommandInput) {
    this.record('setSecurityGroups', input);
    const lb = this.lbByArn(input.LoadBalancerArn);
    lb.SecurityGroups = [...(input.SecurityGroups ?? [])];
    return { ...meta, SecurityGroupIds: lb.SecurityGroups };
  }

  async modifyLoadBalancerAttributes(input: elbv2.ModifyLoadBalancerAttributesCommandInput) {
    this.record('modifyLoadBalancerAttributes', input);
    this.lbByArn(input.LoadBalancerArn);
    const a = { ...(this.lbAttributes.get(input.LoadBalancerArn!) ?? {}) };
    for (const { Key, Value } of input.Attributes ?? []) a[Key ?? ''] = Value ?? '';
    this.lbAttributes.set(input.LoadBalancerArn!, a);
    return { ...meta, Attributes: input.Attributes };
  }

  async createTargetGroup(input: elbv2.CreateTargetGroupCommandInput) {
    this.record('createTargetGroup', input);
    const name = input.Name ?? '';
    if (!this.allowDuplicates && [...this.targetGroups.values()].some((t) => t.TargetGroupName === name)) {
      throw awsError('DuplicateTargetGroupNameException');
    }
    if (!input.VpcId) throw awsError('ValidationError', 'VPC ID must be specified');
    const arn = this.arn('targetgroup', name);
    const tg: elbv2.TargetGroup = {
      TargetGroupArn: arn,
      TargetGroupName: name,
      Protocol: input.Protocol,
      Port: input.Port,
      VpcId: input.VpcId,
      HealthCheckPath: input.HealthCheckPath ?? (input.Protocol === 'TCP' ? undefined : '/'),
      ...(input.Protocol === 'TCP' ? {} : { Matcher: input.Matcher ?? { HttpCode: '200' } }),
      ...(input.ProtocolVersion === undefined ? {} : { ProtocolVersion: input.ProtocolVersion }),
      TargetType: input.TargetType ?? 'instance',
    };
    this.targetGroups.set(arn, tg);
    this.setTags(arn, input.Tags);
    return { ...meta, TargetGroups: [structuredClone(tg)] };
  }

  async modifyTargetGroup(input: elbv2.ModifyTargetGroupCommandInput) {
    this.record('modifyTargetGroup', input);
    const tg = this.tgByArn(input.TargetGroupArn);
    if (input.HealthCheckPath !== undefined) tg.HealthCheckPath = input.HealthCheckPath;
    if (input.Matcher !== undefined) tg.Matcher = input.Matcher;
    return { ...meta, TargetGroups: [structuredClone(tg)] };
  }

  async modifyTargetGroupAttributes(input: elbv2.ModifyTargetGroupAttributesCommandInput) {
    this.record('modifyTargetGroupAttributes', input);
    this.tgByArn(input.TargetGroupArn);
    const a = { ...(this.tgAttributes.get(input.TargetGroupArn!) ?? {}) };
    for (const { Key, Value } of input.Attributes ?? []) a[Key ?? ''] = Value ?? '';
    this.tgAttributes.set(input.TargetGroupArn!, a);
    return { ...meta, Attributes: input.Attributes };
  }

  async deleteTargetGroup(input: elbv2.DeleteTargetGroupCommandInput) {
    this.record('deleteTargetGroup', input);
    const arn = input.TargetGroupArn!;
    this.tgByArn(arn);
    const used = (actions: readonly elbv2.Action[] | undefined) => (actions ?? []).some((a) => a.TargetGroupArn === arn);
    if (
      this.tgInUseFailures > 0 ||
      [...this.listeners.values()].some((l) => used(l.DefaultActions)) ||
      [...this.rules.values()].some((r) => !r.rule.IsDefault && used(r.rule.Actions))
    ) {
      if (this.tgInUseFailures > 0) this.tgInUseFailures--;
      throw awsError('ResourceInUseException', `Target group '${arn}' is currently in use by a listener or a rule`);
    }
    this.targetGroups.delete(arn);
    this.tags.delete(arn);
    return { ...meta };
  }

  async createListener(input: elbv2.CreateListenerCommandInput) {
    this.record('createListener', input);
    const lb = this.lbByArn(input.LoadBalancerArn);
    this.checkActions(input.DefaultActions);
    if (!this.allowDuplicates && [...this.listeners.values()].some((l) => l.LoadBalancerArn === input.LoadBalancerArn && l.Port === input.Port)) {
      throw awsError('DuplicateListenerException');
    }
    if ((input.Protocol === 'HTTPS' || input.Protocol === 'TLS') && !input.Certificates?.length) {
      throw awsError('CertificateNotFoundException', 'a certificate must be specified for HTTPS listeners');
    }
    const arn = this.arn(`listener/app/${lb.LoadBalancerName}`, String(input.Port));
    const listener: elbv2.Listener = {
      ListenerArn: arn,
      LoadBalancerArn: input.LoadBalancerArn,
      Port: input.Port,
      Protocol: input.Protocol,
      ...(input.Certificates ? { Certificates: input.Certificates.map((c) => ({ ...c, IsDefault: true })) } : {}),
      ...(input.Protocol === 'HTTPS' ? { SslPolicy: input.SslPolicy ?? 'ELBSecurityPolicy-2016-08' } : {}),
      DefaultActions: structuredClone(input.DefaultActions ?? []),
    };
    this.listeners.set(arn, listener);
    this.setTags(arn, input.Tags);
    const ruleArn = this.arn('listener-rule/app', 'default');
    this.rules.set(ruleArn, {
      listenerArn: arn,
      rule: { RuleArn: ruleArn, Priority: 'default', IsDefault: true, Conditions: [], Actions: [] },
    });
    return { ...meta, Listeners: [structuredClone(listener)] };
  }

  async modifyListener(input: elbv2.ModifyListenerCommandInput) {
    this.record('modifyListener', input);
    const l = input.ListenerArn === undefined ? undefined : this.listeners.get(input.ListenerArn);
    if (!l) throw awsError('ListenerNotFoundException');
    this.checkActions(input.DefaultActions);
    if (input.Protocol !== undefined) l.Protocol = input.Protocol;
    if (input.SslPolicy !== undefined) l.SslPolicy = input.SslPolicy;
    if (input.Certificates !== undefined) l.Certificates = input.Certificates.map((c) => ({ ...c, IsDefault: true }));
    if (input.DefaultActions !== undefined) l.DefaultActions = structuredClone(input.DefaultActions);
    return { ...meta, Listeners: [structuredClone(l)] };
  }

  private dropListener(arn: string): void {
    for (const [ruleArn, r] of [...this.rules]) {
      if (r.listenerArn === arn) {
        this.rules.delete(ruleArn);
        this.tags.delete(ruleArn);
      }
    }
    this.listeners.delete(arn);
    this.tags.delete(arn);
  }

  async deleteListener(input: elbv2.DeleteListenerCommandInput) {
    this.record('deleteListener', input);
    if (!input.ListenerArn || !this.listeners.has(input.ListenerArn)) throw awsError('ListenerNotFoundException');
    this.dropListener(input.ListenerArn);
    return { ...meta };
  }

  async createRule(input: elbv2.CreateRuleCommandInput) {
    this.record('createRule', input);
    if (!input.ListenerArn || !this.listeners.has(input.ListenerArn)) throw awsError('ListenerNotFoundException');
    this.checkActions(input.Actions);
    const taken = [...this.rules.values()].some(
      (r) => r.listenerArn === input.ListenerArn && r.rule.Priority === String(input.Priority),
    );
    if (taken && !this.allowDuplicates) throw awsError('PriorityInUseException', `Priority '${input.Priority}' is currently in use`);
    const arn = this.arn('listener-rule/app', String(input.Priority));
    const rule: elbv2.Rule = {
      RuleArn: arn,
      Priority: String(input.Priority),
      IsDefault: false,
      Conditions: structuredClone(input.Conditions ?? []),
      Actions: structuredClone(input.Actions ?? []),
    };
    this.rules.set(arn, { listenerArn: input.ListenerArn, rule });
    this.setTags(arn, input.Tags);
    return { ...meta, Rules: [structuredClone(rule)] };
  }

  async modifyRule(input: elbv2.ModifyRuleCommandInput) {
    this.record('modifyRule', input);
    const r = input.RuleArn === undefined ? undefined : this.rules.get(input.RuleArn);
    if (!r) throw awsError('RuleNotFoundException');
    this.checkActions(input.Actions);
    if (input.Conditions !== undefined) r.rule.Conditions = structuredClone(input.Conditions);
    if (input.Actions !== undefined) r.rule.Actions = structuredClone(input.Actions);
    return { ...meta, Rules: [structuredClone(r.rule)] };
  }

  async deleteRule(input: elbv2.DeleteRuleCommandInput) {
    this.record('deleteRule', input);
    if (!input.RuleArn || !this.rules.has(input.RuleArn)) throw awsError('RuleNotFoundException');
    this.rules.delete(input.RuleArn);
    this.tags.delete(input.RuleArn);
    return { ...meta };
  }

  async setRulePriorities(input: elbv2.SetRulePrioritiesCommandInput) {
    this.record('setRulePriorities', input);
    for (const p of input.RulePriorities ?? []) {
      const r = this.rules.get(p.RuleArn ?? '');
      if (!r) throw awsError('RuleNotFoundException');
      r.rule.Priority = String(p.Priority);
    }
    return { ...meta, Rules: [] };
  }

  async addTags(input: elbv2.AddTagsCommandInput) {
    this.record('addTags', input);
    for (const arn of input.ResourceArns ?? []) this.setTags(arn, input.Tags);
    return { ...meta };
  }

  async removeTags(input: elbv2.RemoveTagsCommandInput) {
    this.record('removeTags', input);
    for (const arn of input.ResourceArns ?? []) {
      const t = { ...(this.tags.get(arn) ?? {}) };
      for (const k of input.TagKeys ?? []) delete t[k];
      this.tags.set(arn, t);
    }
    return { ...meta };
  }

  // Helpers for assertions.
  listenersOf(lbName: string): elbv2.Listener[] {
    const lb = [...this.loadBalancers.values()].find((l) => l.LoadBalancerName === lbName);
    return [...this.listeners.values()].filter((l) => l.LoadBalancerArn === lb?.LoadBalancerArn);
  }

  rulesOf(listenerArn: string): elbv2.Rule[] {
    return [...this.rules.values()].filter((r) => r.listenerArn === listenerArn && !r.rule.IsDefault).map((r) => r.rule);
  }

  targetGroupArn(name: string): string | undefined {
    return [...this.targetGroups.values()].find((t) => t.TargetGroupName === name)?.TargetGroupArn;
  }
}
