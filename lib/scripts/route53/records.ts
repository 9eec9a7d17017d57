/**
 * Record sets as the planner sees them: what the definition wants (with the load balancer possibly not known
 * until apply), how live and desired compare, how they read in a plan, and the ownership TXT records.
 */
import type { route53 } from '../../aws/ports.js';
import { OWNER_PREFIX, type RecordType } from './config.js';
import { canonicalName, comparableHost, bareZoneId } from './names.js';

export type RecordSet = route53.ResourceRecordSet;

/** What the app's load balancer looks like to DNS (from DescribeLoadBalancers). */
export interface LoadBalancerTarget {
  readonly name: string;
  readonly dnsName: string;
  readonly canonicalHostedZoneId: string;
  /** `application`, `network`, `gateway`. */
  readonly type?: string;
}

/** Where a desired record points. `pending-*`: at the app's load balancer, which does not exist yet. */
export type RecordTarget =
  | { readonly kind: 'alias'; readonly hostedZoneId: string; readonly dnsName: string; readonly evaluateTargetHealth: boolean }
  | { readonly kind: 'values'; readonly ttl: number; readonly values: readonly string[] }
  | { readonly kind: 'pending-alias'; readonly loadBalancerName: string; readonly evaluateTargetHealth: boolean }
  | { readonly kind: 'pending-cname'; readonly loadBalancerName: string; readonly ttl: number };

export interface DesiredRecord {
  /** Canonical fully qualified name. */
  readonly name: string;
  readonly type: RecordType;
  readonly target: RecordTarget;
  /** Where it was written, for errors: `scripts[1].records[0]`. */
  readonly path: string;
}

/** The alias DNS name Route 53 is given for a load balancer: ALBs are reached through their dualstack name. */
export function aliasDnsName(lb: LoadBalancerTarget): string {
  const host = comparableHost(lb.dnsName);
  return `${lb.type === undefined || lb.type === 'application' ? `dualstack.${host}` : host}.`;
}

/** Replaces a `pending-*` target by the real one once the load balancer exists. */
export function resolveTarget(target: RecordTarget, lb: LoadBalancerTarget): RecordTarget {
  switch (target.kind) {
    case 'pending-alias':
      return {
        kind: 'alias',
        hostedZoneId: lb.canonicalHostedZoneId,
        dnsName: aliasDnsName(lb),
        evaluateTargetHealth: target.evaluateTargetHealth,
      };
    case 'pending-cname':
      return { kind: 'values', ttl: target.ttl, values: [`${comparableHost(lb.dnsName)}.`] };
    default:
      return target;
  }
}

/** The record set to send to Route 53. Throws for a pending target: resolve it first. */
export function toRecordSet(name: string, type: string, target: RecordTarget): RecordSet {
  switch (target.kind) {
    case 'alias':
      return {
        Name: name,
        Type: type as RecordType,
        AliasTarget: {
          HostedZoneId: target.hostedZoneId,
          DNSName: target.dnsName,
          EvaluateTargetHealth: target.evaluateTargetHealth,
        },
      };
    case 'values':
      return { Name: name, Type: type as RecordType, TTL: target.ttl, ResourceRecords: target.values.map((Value) => ({ Value })) };
    default:
      throw new Error(`internal: ${name} ${type} still points at load balancer ${target.loadBalancerName}`);
  }
}

/**
 * TXT strings are quoted on the wire and at most 255 characters each; a value written unquoted is quoted (and
 * split) here so that what the user writes reads naturally and still compares equal to what Route 53 returns.
 */
export function quoteTxt(value: string): string {
  if (value.startsWith('"')) return value;
  const chunks: string[] = [];
  for (let i = 0; i === 0 || i < value.length; i += 255) {
    chunks.push(`"${value.slice(i, i + 255).replace(/[\\"]/g, (c) => `\\${c}`)}"`);
  }
  return chunks.join(' ');
}

const HOST_VALUE_TYPES = new Set(['CNAME', 'NS', 'PTR']);

/** What decides whether two record sets are the same; absent fields and ordering do not. */
function comparable(set: RecordSet): unknown {
  const type = set.Type ?? '';
  if (set.AliasTarget !== undefined) {
    return {
      type,
      alias: [
        bareZoneId(set.AliasTarget.HostedZoneId ?? ''),
        // Route 53 answers with or without the dualstack prefix depending on how the record was written.
        comparableHost(set.AliasTarget.DNSName ?? '').replace(/^dualstack\./, ''),
        set.AliasTarget.EvaluateTargetHealth ?? false,
      ],
    };
  }
  const values = (set.ResourceRecords ?? []).map((r) => {
    const v = r.Value ?? '';
    return HOST_VALUE_TYPES.has(type) ? comparableHost(v) : v;
  });
  return { type, ttl: set.TTL, values: [...values].sort() };
}

/**
 * An observed record set as a change must repeat it: an alias has no TTL (moto answers `TTL: 0` for aliases,
 * which AWS would refuse in a change) and no ResourceRecords.
 */
export function asChangeRecordSet(set: RecordSet): RecordSet {
  if (set.AliasTarget === undefined) return set;
  const { TTL: _ttl, ResourceRecords: _records, ...alias } = set;
  return alias;
}

/** True when applying `desired` over `live` would change nothing. */
export function sameRecordSet(live: RecordSet | undefined, desired: RecordSet): boolean {
  return live !== undefined && JSON.stringify(comparable(live)) === JSON.stringify(comparable(desired));
}

/** `www.example.com. A ALIAS dualstack.lb.elb.amazonaws.com.` / `www.example.com. CNAME 300 lb.elb…` lines. */
export function describeRecordSet(set: RecordSet): string[] {
  const name = canonicalName(set.Name ?? '');
  const type = set.Type ?? '';
  if (set.AliasTarget !== undefined) {
    return [`${name} ${type} ALIAS ${canonicalName(set.AliasTarget.DNSName ?? '')}`];
  }
  return (set.ResourceRecords ?? []).map((r) => `${name} ${type} ${set.TTL ?? ''} ${r.Value ?? ''}`);
}

/** The plan lines of a desired record, whose load balancer may still be unknown. */
export function describeDesired(name: string, type: string, target: RecordTarget): string[] {
  switch (target.kind) {
    case 'pending-alias':
      return [`${name} ${type} ALIAS (known after apply: load balancer ${target.loadBalancerName})`];
    case 'pending-cname':
      return [`${name} ${type} ${target.ttl} (known after apply: load balancer ${target.loadBalancerName})`];
    default:
      return describeRecordSet(toRecordSet(name, type, target));
  }
}

/** Name of the TXT record that says which app owns `name` (a CNAME cannot share its name with a TXT). */
export function ownerRecordName(name: string): string {
  return `${OWNER_PREFIX}${name}`;
}

/** The ownership TXT value, quoted as Route 53 stores TXT strings. */
export function ownerValue(appId: string): string {
  return `"heritage=hako,hako/app=${appId}"`;
}

export function ownerRecordSet(name: string, appId: string): RecordSet {
  return { Name: ownerRecordName(name), Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: ownerValue(appId) }] };
}

/** Who owns a name according to its ownership TXT record. `foreign`: a TXT that hako did not write. */
export type Ownership =
  | { readonly kind: 'none' }
  | { readonly kind: 'foreign' }
  | { readonly kind: 'app'; readonly appId: string };

function unquoteTxt(value: string): string {
  const parts = [...value.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => (m[1] ?? '').replace(/\\(.)/g, '$1'));
  return parts.length > 0 ? parts.join('') : value;
}

/** Reads an ownership TXT record set (absent = no owner). The first hako value wins. */
export function parseOwnership(set: RecordSet | undefined): Ownership {
  if (set === undefined) return { kind: 'none' };
  for (const record of set.ResourceRecords ?? []) {
    const fields = new Map(
      unquoteTxt(record.Value ?? '')
        .split(',')
        .map((kv) => {
          const eq = kv.indexOf('=');
          return eq < 0 ? [kv.trim(), ''] : [kv.slice(0, eq).trim(), kv.slice(eq + 1).trim()];
        }),
    );
    const app = fields.get('hako/app');
    if (fields.get('heritage') === 'hako' && app !== undefined && app !== '') return { kind: 'app', appId: app };
  }
  return { kind: 'foreign' };
}
