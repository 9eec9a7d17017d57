/**
 * The route53 script's part of `hako status`: each configured record as it is live in the zone, and who owns it.
 */
import type { Route53Config } from './config.js';
import { canonicalName, qualifyName } from './names.js';
import type { ZoneRef } from './observe.js';
import { ownerRecordName, parseOwnership, type Ownership, type RecordSet } from './records.js';

/** The section header; sections of several route53 entries merge under it. */
export const DNS_STATUS_HEADER = 'DNS:';

function ownershipNote(owner: Ownership): string {
  return owner.kind === 'app' ? `owned by ${owner.appId}` : 'not owned by hako';
}

/** What a live record set points at: the alias target, else its values. */
function liveTarget(set: RecordSet): string {
  if (set.AliasTarget !== undefined) return canonicalName(set.AliasTarget.DNSName ?? '');
  return (set.ResourceRecords ?? []).map((r) => r.Value ?? '').join(', ');
}

/**
 * `DNS:` then one line per configured record: `  www.example.com. A → dualstack.lb…. (owned by hello)`, or
 * `  www.example.com. A: missing`. Records with a routing policy show one line per set identifier.
 */
export function renderDnsStatus(config: Route53Config, zone: ZoneRef, recordSets: readonly RecordSet[]): string[] {
  const lines = [DNS_STATUS_HEADER];
  const find = (name: string, type: string): RecordSet[] =>
    recordSets.filter((s) => canonicalName(s.Name ?? '') === name && s.Type === type);
  for (const record of config.records) {
    const name = qualifyName(record.name, zone.name);
    const live = find(name, record.type);
    if (live.length === 0) {
      lines.push(`  ${name} ${record.type}: missing`);
      continue;
    }
    const note = ownershipNote(parseOwnership(find(ownerRecordName(name), 'TXT')[0]));
    for (const set of live) {
      const id = set.SetIdentifier === undefined ? '' : ` [${set.SetIdentifier}]`;
      lines.push(`  ${name} ${record.type}${id} → ${liveTarget(set)} (${note})`);
    }
  }
  return lines;
}

/** The section when the zone itself cannot be read: status still shows the rest of the app. */
export function renderDnsZoneProblem(message: string): string[] {
  return [DNS_STATUS_HEADER, `  ${message}`];
}
