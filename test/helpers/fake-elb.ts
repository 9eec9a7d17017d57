/**
 * A stateful in-memory fake of our ElbApi port (classic load balancing), with AWS's answers for what hako meets:
 * a missing load balancer is `AccessPointNotFoundException` (the SDK's name for `LoadBalancerNotFound`), a taken
 * name `DuplicateAccessPointNameException`, and DeleteLoadBalancer of a missing one succeeds (AWS documents it so).
 *
 * `failNext` makes the next call of a mutating method answer HTTP 500, either after carrying it out (the answer was
 * lost) or before; `forbidMutations` fails any mutating call (dry runs, no-op redeploys).
 */
import { ELB_MUTATING_METHODS, type ElbApi, type elb } from '../../lib/aws/ports.js';
import { awsError, FaultQueue, type InjectedFault } from './aws-errors.js';

const meta = { $metadata: {} };

export interface ElbCall {
  readonly method: keyof ElbApi;
  readonly input: unknown;
}

interface State {
  description: elb.LoadBalancerDescription;
  tags: Record<string, string>;
  crossZone: boolean;
}

export class FakeElb implements ElbApi {
  readonly calls: ElbCall[] = [];
  readonly loadBalancers = new Map<string, State>();
  private readonly faults = new FaultQueue<keyof ElbApi>();

  constructor(private readonly options: { forbidMutations?: boolean } = {}) {}

  /** Puts a load balancer in place, as if someone had created it. */
  add(name: string, options: { instancePort?: number; listeners?: elb.Listener[]; tags?: Record<string, string>; crossZone?: boolean; subnets?: string[]; securityGroups?: string[]; scheme?: string } = {}): void {
    const listeners = options.listeners ?? [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstanceProtocol: 'HTTP', InstancePort: options.instancePort ?? 10000 }];
    this.loadBalancers.set(name, {
      description: {
        LoadBalancerName: name,
        DNSName: `${name}-1234567890.ap-northeast-1.elb.amazonaws.com`,
        ListenerDescriptions: listeners.map((Listener) => ({ Listener, PolicyNames: [] })),
        Subnets: options.subnets ?? ['subnet-a', 'subnet-c'],
        SecurityGroups: options.securityGroups ?? ['sg-web'],
        Scheme: options.scheme ?? 'internet-facing',
      },
      tags: options.tags ?? {},
      crossZone: options.crossZone ?? false,
    });
  }

  failNext(method: keyof ElbApi, fault: InjectedFault): void {
    this.faults.add(method, fault);
  }

  methods(): (keyof ElbApi)[] {
    return this.calls.map((c) => c.method);
  }

  inputs<M extends keyof ElbApi>(method: M): Parameters<ElbApi[M]>[0][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input as Parameters<ElbApi[M]>[0]);
  }

  private async call<T>(method: keyof ElbApi, input: unknown, act: () => T): Promise<T> {
    this.calls.push({ method, input });
    const mutating = (ELB_MUTATING_METHODS as readonly string[]).includes(method);
    if (mutating && this.options.forbidMutations) throw new Error(`FakeElb: mutating call ${method} is forbidden in this test`);
    return this.faults.run(method, 'FakeElb', act);
  }

  private get(name: string | undefined): State {
    const s = this.loadBalancers.get(name ?? '');
    if (s === undefined) throw awsError('AccessPointNotFoundException', `There is no ACTIVE Load Balancer named '${name}'`, 400);
    return s;
  }

  describeLoadBalancers(input: elb.DescribeLoadBalancersCommandInput) {
    return this.call('describeLoadBalancers', input, () => {
      const names = input.LoadBalancerNames ?? [...this.loadBalancers.keys()];
      return { ...meta, LoadBalancerDescriptions: names.map((n) => structuredClone(this.get(n).description)) };
    });
  }

  describeTags(input: elb.DescribeTagsCommandInput) {
    return this.call('describeTags', input, () => ({
      ...meta,
      TagDescriptions: (input.LoadBalancerNames ?? []).map((n) => ({
        LoadBalancerName: n,
        Tags: Object.entries(this.get(n).tags).map(([Key, Value]) => ({ Key, Value })),
      })),
    }));
  }

  describeLoadBalancerAttributes(input: elb.DescribeLoadBalancerAttributesCommandInput) {
    return this.call('describeLoadBalancerAttributes', input, () => ({
      ...meta,
      LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: this.get(input.LoadBalancerName).crossZone } },
    }));
  }

  createLoadBalancer(input: elb.CreateLoadBalancerCommandInput) {
    return this.call('createLoadBalancer', input, () => {
      const name = input.LoadBalancerName ?? '';
      if (this.loadBalancers.has(name)) throw awsError('DuplicateAccessPointNameException', `Load Balancer named ${name} already exists`, 400);
      this.add(name, {
        listeners: (input.Listeners ?? []).map((l) => ({ ...l })),
        tags: Object.fromEntries((input.Tags ?? []).map((t) => [t.Key ?? '', t.Value ?? ''])),
        subnets: [...(input.Subnets ?? [])],
        securityGroups: [...(input.SecurityGroups ?? [])],
        scheme: input.Scheme ?? 'internet-facing',
      });
      return { ...meta, DNSName: this.loadBalancers.get(name)!.description.DNSName };
    });
  }

  deleteLoadBalancer(input: elb.DeleteLoadBalancerCommandInput) {
    return this.call('deleteLoadBalancer', input, () => {
      this.loadBalancers.delete(input.LoadBalancerName ?? '');
      return { ...meta };
    });
  }

  modifyLoadBalancerAttributes(input: elb.ModifyLoadBalancerAttributesCommandInput) {
    return this.call('modifyLoadBalancerAttributes', input, () => {
      const s = this.get(input.LoadBalancerName);
      const enabled = input.LoadBalancerAttributes?.CrossZoneLoadBalancing?.Enabled;
      if (enabled !== undefined) s.crossZone = enabled;
      return { ...meta, LoadBalancerName: input.LoadBalancerName, LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: s.crossZone } } };
    });
  }
}
