/**
 * Read-only AWS calls of the route53 script: which hosted zone, what it holds, where the load balancer is.
 */
import type { Elbv2Api, Route53Api, route53 } from '../../aws/ports.js';
import { HakoError } from '../../errors.js';
import { awsErrorCode } from '../../util/backoff.js';
import type { Route53Config } from './config.js';
import { bareZoneId, canonicalName } from './names.js';
import type { LoadBalancerTarget, RecordSet } from './records.js';

export interface ZoneRef {
  /** Bare id (`Z123…`). */
  readonly id: string;
  /** Canonical name (`example.com.`). */
  readonly name: string;
}

/** Finds the zone named by `hosted_zone` or `hosted_zone_id`. A missing or ambiguous zone is an error. */
export async function findHostedZone(route53: Pick<Route53Api, 'getHostedZone' | 'listHostedZonesByName'>, config: Route53Config): Promise<ZoneRef> {
  if (config.hosted_zone_id !== undefined) {
    const id = bareZoneId(config.hosted_zone_id);
    try {
      const out = await route53.getHostedZone({ Id: id });
      return { id, name: canonicalName(out.HostedZone?.Name ?? '') };
    } catch (e) {
      if (awsErrorCode(e) === 'NoSuchHostedZone') {
        throw new HakoError(`Hosted zone ${id} does not exist`, 'ROUTE53_ZONE_NOT_FOUND', 1, {
          cause: e,
          hint: 'Check hosted_zone_id in the route53 script entry.',
        });
      }
      throw e;
    }
  }
  const name = canonicalName(config.hosted_zone ?? '');
  const out = await route53.listHostedZonesByName({ DNSName: name });
  // The answer starts at `name` in zone order: exact matches come first, then the following zones.
  const matches = (out.HostedZones ?? []).filter((z) => canonicalName(z.Name ?? '') === name);
  const [only] = matches;
  if (only === undefined) {
    throw new HakoError(`Hosted zone ${name} does not exist`, 'ROUTE53_ZONE_NOT_FOUND', 1, {
      hint: 'Create the hosted zone first, or fix hosted_zone in the route53 script entry.',
    });
  }
  if (matches.length > 1) {
    const ids = matches.map((z) => bareZoneId(z.Id ?? '')).join(', ');
    throw new HakoError(`There are ${matches.length} hosted zones named ${name} (${ids})`, 'ROUTE53_ZONE_AMBIGUOUS', 1, {
      hint: 'Set hosted_zone_id instead of hosted_zone to say which one.',
    });
  }
  return { id: bareZoneId(only.Id ?? ''), name };
}

/** Every record set of the zone (all pages). */
export async function listRecordSets(route53: Pick<Route53Api, 'listResourceRecordSets'>, zoneId: string): Promise<RecordSet[]> {
  const sets: RecordSet[] = [];
  let next: Omit<route53.ListResourceRecordSetsCommandInput, 'HostedZoneId'> = {};
  for (;;) {
    const out = await route53.listResourceRecordSets({ HostedZoneId: zoneId, ...next });
    sets.push(...(out.ResourceRecordSets ?? []));
    if (out.IsTruncated !== true || out.NextRecordName === undefined) return sets;
    next = {
      StartRecordName: out.NextRecordName,
      ...(out.NextRecordType === undefined ? {} : { StartRecordType: out.NextRecordType }),
      ...(out.NextRecordIdentifier === undefined ? {} : { StartRecordIdentifier: out.NextRecordIdentifier }),
    };
  }
}

/** The load balancer's DNS name and zone, or undefined when it does not exist (yet). */
export async function findLoadBalancer(
  elbv2: Pick<Elbv2Api, 'describeLoadBalancers'>,
  name: string,
): Promise<LoadBalancerTarget | undefined> {
  try {
    const out = await elbv2.describeLoadBalancers({ Names: [name] });
    const lb = out.LoadBalancers?.[0];
    if (lb?.DNSName === undefined || lb.CanonicalHostedZoneId === undefined) return undefined;
    return {
      name,
      dnsName: lb.DNSName,
      canonicalHostedZoneId: lb.CanonicalHostedZoneId,
      ...(lb.Type === undefined ? {} : { type: lb.Type }),
    };
  } catch (e) {
    const code = awsErrorCode(e);
    if (code === 'LoadBalancerNotFoundException' || code === 'LoadBalancerNotFound') return undefined;
    throw e;
  }
}
