/**
 * Stateful fakes for the route53 script: a Route 53 that keeps hosted zones and record sets in memory with the
 * real change semantics (a batch is atomic; DELETE must repeat the current values; CREATE fails on an existing
 * record), and an ELBv2 that only answers DescribeLoadBalancers. Every call is recorded.
 */
import type { Elbv2Api, Route53Api, elbv2, route53 } from '../../lib/aws/ports.js';
import { awsError } from './fake-ecs.js';

type RecordSet = route53.ResourceRecordSet;

export interface Route53Call {
  method: keyof Route53Api;
  input: unknown;
}

function canonical(name: string): string {
  const lower = name.toLowerCase().replace(/\\052/g, '*');
  return lower.endsWith('.') ? lower : `${lower}.`;
}

function key(set: { Name?: string | undefined; Type?: string | undefined; SetIdentifier?: string | undefined }): string {
  return `${canonical(set.Name ?? '')} ${set.Type ?? ''} ${set.SetIdentifier ?? ''}`;
}

/** What DELETE must repeat exactly: the alias target, or the TTL and the values. */
function contents(set: RecordSet): unknown {
  if (set.AliasTarget !== undefined) return { alias: set.AliasTarget, records: set.ResourceRecords ?? [] };
  return { ttl: set.TTL, records: set.ResourceRecords ?? [] };
}

interface Zone {
  id: string;
  name: string;
  sets: Map<string, RecordSet>;
}

export class FakeRoute53 implements Route53Api {
  readonly calls: Route53Call[] = [];
  private readonly zones = new Map<string, Zone>();
  private changeCounter = 0;
  /** Statuses GetChange answers in order before it settles on INSYNC. */
  getChangeStatuses: ('PENDING' | 'INSYNC')[] = [];
  /** Status ChangeResourceRecordSets answers with (real Route 53: PENDING). */
  changeStatus: 'PENDING' | 'INSYNC' = 'PENDING';
  /** Page size of ListResourceRecordSets, to exercise pagination. */
  pageSize = 100;
  /** The next this-many ChangeResourceRecordSets calls take effect, then answer HTTP 500 (the answer was lost). */
  loseChangeAnswers = 0;
  /** What a DELETE of a missing record answers: Route 53's code, or moto's. */
  missingDeleteCode: 'InvalidChangeBatch' | 'InvalidInput' = 'InvalidChangeBatch';

  /** Creates a zone with its SOA and NS records, as Route 53 does; returns its bare id. */
  addZone(name: string, id = `Z${String(this.zones.size + 1).padStart(4, '0')}FAKE`): string {
    const zone: Zone = { id, name: canonical(name), sets: new Map() };
    this.zones.set(id, zone);
    this.put(id, { Name: zone.name, Type: 'SOA', TTL: 900, ResourceRecords: [{ Value: 'ns-1.awsdns.com. hostmaster. 1 7200 900 1209600 86400' }] });
    this.put(id, { Name: zone.name, Type: 'NS', TTL: 172800, ResourceRecords: [{ Value: 'ns-1.awsdns.com.' }] });
    return id;
  }

  /** Writes a record set directly (test set-up), as Route 53 would store it. */
  put(zoneId: string, set: RecordSet): void {
    this.zone(zoneId).sets.set(key(set), structuredClone({ ...set, Name: canonical(set.Name ?? '') }));
  }

  /** The stored record set, if any. */
  get(zoneId: string, name: string, type: string): RecordSet | undefined {
    return this.zone(zoneId).sets.get(key({ Name: name, Type: type }));
  }

  /** All stored record sets of a zone. */
  all(zoneId: string): RecordSet[] {
    return [...this.zone(zoneId).sets.values()];
  }

  callsOf(method: keyof Route53Api): unknown[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input);
  }

  private zone(id: string): Zone {
    const zone = this.zones.get(id.replace(/^\/hostedzone\//, ''));
    if (zone === undefined) throw awsError('NoSuchHostedZone', `No hosted zone found with ID: ${id}`);
    return zone;
  }

  private meta<T>(out: T): T & { $metadata: object } {
    return { $metadata: {}, ...out };
  }

  async listHostedZonesByName(input: route53.ListHostedZonesByNameCommandInput): Promise<route53.ListHostedZonesByNameCommandOutput> {
    this.calls.push({ method: 'listHostedZonesByName', input });
    const start = input.DNSName === undefined ? '' : canonical(input.DNSName);
    const zones = [...this.zones.values()]
      .filter((z) => z.name >= start)
      .sort((a, b) => a.name.localeCompare(b.name))
      .map((z) => ({ Id: `/hostedzone/${z.id}`, Name: z.name, CallerReference: z.id }));
    return this.meta({ HostedZones: zones, IsTruncated: false, MaxItems: 100 });
  }

  async getHostedZone(input: route53.GetHostedZoneCommandInput): Promise<route53.GetHostedZoneCommandOutput> {
    this.calls.push({ method: 'getHostedZone', input });
    const zone = this.zone(input.Id ?? '');
    return this.meta({ HostedZone: { Id: `/hostedzone/${zone.id}`, Name: zone.name, CallerReference: zone.id } });
  }

  async listResourceRecordSets(input: route53.ListResourceRecordSetsCommandInput): Promise<route53.ListResourceRecordSetsCommandOutput> {
    this.calls.push({ method: 'listResourceRecordSets', input });
    const sets = [...this.zone(input.HostedZoneId ?? '').sets.values()].sort((a, b) => key(a).localeCompare(key(b)));
    let from = 0;
    if (input.StartRecordName !== undefined) {
      const startKey = `${canonical(input.StartRecordName)} ${input.StartRecordType ?? ''}`;
      from = sets.findIndex((s) => key(s) >= startKey);
      if (from < 0) from = sets.length;
    }
    const page = sets.slice(from, from + this.pageSize);
    const next = sets[from + this.pageSize];
    return this.meta({
      ResourceRecordSets: structuredClone(page),
      IsTruncated: next !== undefined,
      MaxItems: this.pageSize,
      ...(next === undefined ? {} : { NextRecordName: next.Name, NextRecordType: next.Type }),
    });
  }

  async changeResourceRecordSets(
    input: route53.ChangeResourceRecordSetsCommandInput,
  ): Promise<route53.ChangeResourceRecordSetsCommandOutput> {
    this.calls.push({ method: 'changeResourceRecordSets', input: structuredClone(input) });
    const zone = this.zone(input.HostedZoneId ?? '');
    const next = new Map(zone.sets);
    for (const change of input.ChangeBatch?.Changes ?? []) {
      const set = change.ResourceRecordSet;
      if (set === undefined) throw awsError('InvalidInput', 'missing ResourceRecordSet');
      const k = key(set);
      const stored = { ...structuredClone(set), Name: canonical(set.Name ?? '') };
      if (change.Action === 'DELETE') {
        const current = next.get(k);
        if (current === undefined || JSON.stringify(contents(current)) !== JSON.stringify(contents(stored))) {
          throw awsError(this.missingDeleteCode, `Tried to delete resource record set [name='${set.Name}', type='${set.Type}'] but it was not found`);
        }
        next.delete(k);
      } else if (change.Action === 'CREATE') {
        if (next.has(k)) throw awsError('InvalidChangeBatch', `Tried to create resource record set ${k} but it already exists`);
        next.set(k, stored);
      } else {
        next.set(k, stored);
      }
    }
    zone.sets.clear();
    for (const [k, v] of next) zone.sets.set(k, v);
    this.changeCounter += 1;
    if (this.loseChangeAnswers > 0) {
      this.loseChangeAnswers -= 1;
      throw Object.assign(awsError('InternalFailure', 'FakeRoute53: answer lost (HTTP 500)'), { $metadata: { httpStatusCode: 500 } });
    }
    return this.meta({ ChangeInfo: { Id: `/change/C${this.changeCounter}`, Status: this.changeStatus, SubmittedAt: new Date(0) } });
  }

  async getChange(input: route53.GetChangeCommandInput): Promise<route53.GetChangeCommandOutput> {
    this.calls.push({ method: 'getChange', input });
    const status = this.getChangeStatuses.shift() ?? 'INSYNC';
    return this.meta({ ChangeInfo: { Id: `/change/${input.Id}`, Status: status, SubmittedAt: new Date(0) } });
  }
}

/** Load balancers by name for DescribeLoadBalancers; every other ELBv2 call fails the test. */
export class FakeLoadBalancers {
  readonly calls: elbv2.DescribeLoadBalancersCommandInput[] = [];
  private readonly lbs = new Map<string, elbv2.LoadBalancer>();

  add(name: string, options: { dnsName?: string; zoneId?: string; type?: 'application' | 'network' } = {}): elbv2.LoadBalancer {
    const lb: elbv2.LoadBalancer = {
      LoadBalancerName: name,
      LoadBalancerArn: `arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:loadbalancer/app/${name}/abc`,
      DNSName: options.dnsName ?? `${name}-123.ap-northeast-1.elb.amazonaws.com`,
      CanonicalHostedZoneId: options.zoneId ?? 'Z14GRHDCWA56QT',
      Type: options.type ?? 'application',
    };
    this.lbs.set(name, lb);
    return lb;
  }

  /** The port, as `awsClientsFromPorts` wants it. */
  port(): Elbv2Api {
    const describeLoadBalancers = async (
      input: elbv2.DescribeLoadBalancersCommandInput,
    ): Promise<elbv2.DescribeLoadBalancersCommandOutput> => {
      this.calls.push(input);
      const found = (input.Names ?? []).map((n) => this.lbs.get(n));
      if (found.some((lb) => lb === undefined)) {
        throw awsError('LoadBalancerNotFoundException', `One or more load balancers not found`);
      }
      return { $metadata: {}, LoadBalancers: found as elbv2.LoadBalancer[] };
    };
    return new Proxy({ describeLoadBalancers } as unknown as Elbv2Api, {
      get(_target, prop) {
        if (prop === 'describeLoadBalancers') return describeLoadBalancers;
        if (prop === 'then') return undefined;
        return () => Promise.reject(new Error(`FakeLoadBalancers: unexpected call elbv2.${String(prop)}`));
      },
    });
  }
}
