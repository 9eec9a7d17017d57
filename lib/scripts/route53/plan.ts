/**
 * Pure planning for the route53 script: desired records × observed zone → one step per zone.
 *
 * Ownership works like external-dns: beside each managed name sits a TXT record `_hako-owner.<name>` holding
 * `"heritage=hako,hako/app=<appId>"`. A record that exists without it is someone else's unless `adopt: true`;
 * a record owned by another app is never touched. Only records whose live value differs are sent, so a
 * redeploy plans a noop and makes no ChangeResourceRecordSets call.
 */
import type { AppModel } from '../../definition/model.js';
import { DefinitionError, HakoError } from '../../errors.js';
import type { Step } from '../../plan/plan.js';
import { defaultResourceName } from '../alb/config.js';
import { DEFAULT_TTL, LOAD_BALANCER_TYPES, type RecordType, type Route53Config } from './config.js';
import { canonicalName, isInZone, qualifyName } from './names.js';
import type { ZoneRef } from './observe.js';
import {
  asChangeRecordSet,
  describeDesired,
  describeRecordSet,
  ownerRecordName,
  ownerRecordSet,
  parseOwnership,
  quoteTxt,
  resolveTarget,
  sameRecordSet,
  toRecordSet,
  type DesiredRecord,
  type LoadBalancerTarget,
  type RecordSet,
  type RecordTarget,
} from './records.js';

export const STEP_OWNER = 'route53';
export const UPSERT_KIND = 'upsert-records';
export const DELETE_KIND = 'delete-records';

/** One UPSERT; `target` may still be `pending-*` (the load balancer is created earlier in the same apply). */
export interface UpsertChange {
  readonly name: string;
  readonly type: RecordType;
  readonly target: RecordTarget;
}

export interface UpsertRecordsPayload {
  readonly hostedZoneId: string;
  readonly zoneName: string;
  readonly appId: string;
  readonly wait: boolean;
  /** Only the records (and ownership TXT records) whose live value differs. */
  readonly changes: readonly UpsertChange[];
}

export interface DeleteRecordsPayload {
  readonly hostedZoneId: string;
  readonly zoneName: string;
  readonly wait: boolean;
  /** Exactly as observed: DELETE must repeat the current values. */
  readonly recordSets: readonly RecordSet[];
}

/** The app's load balancer as seen at plan time; `target` undefined = it does not exist yet. */
export interface ObservedLoadBalancer {
  readonly name: string;
  readonly target?: LoadBalancerTarget;
}

/**
 * The `alb` script's `load_balancer_name`, else its default (`hako-<appId>`, shortened as the alb script does for
 * long ids); undefined when the model has no `alb` script.
 */
export function appLoadBalancerName(model: AppModel): string | undefined {
  const alb = model.scripts.find((s) => s.type === 'alb');
  if (alb === undefined) return undefined;
  const name = alb.config['load_balancer_name'];
  return typeof name === 'string' && name !== '' ? name : defaultResourceName(model.id);
}

/** True when the record points at the app's load balancer (no explicit value). */
function needsLoadBalancer(record: Route53Config['records'][number]): boolean {
  return record.value === undefined && LOAD_BALANCER_TYPES.has(record.type);
}

/**
 * The load balancer name the config needs, or undefined when no record points at it. A record that needs one
 * in a model without an `alb` script is a definition error naming the record.
 */
export function requiredLoadBalancer(model: AppModel, config: Route53Config, entryPath: string): string | undefined {
  const needing = config.records.map((r, j) => ({ r, j })).filter(({ r }) => needsLoadBalancer(r));
  if (needing.length === 0) return undefined;
  const name = appLoadBalancerName(model);
  if (name !== undefined) return name;
  throw new DefinitionError(
    model.file,
    needing.map(({ r, j }) => ({
      path: `${entryPath}.records[${j}]`,
      message: `${r.type} record ${r.name} has no value, so it points at the app's load balancer, but there is no alb script`,
      severity: 'error' as const,
    })),
    { hint: 'Add an alb script entry (or scheduler.elb_v2) before route53, or give the record a value.' },
  );
}

/** Where an entry sits in `scripts[]`, for messages: the entry whose config is this one. */
export function entryPathOf(model: AppModel, matches: (config: Readonly<Record<string, unknown>>) => boolean): string {
  const candidates = model.scripts.map((s, i) => ({ s, i })).filter(({ s }) => s.type === STEP_OWNER);
  const found = candidates.length === 1 ? candidates[0] : candidates.find(({ s }) => matches(s.config));
  return found === undefined ? 'scripts[route53]' : `scripts[${found.i}]`;
}

interface QualifiedRecord {
  readonly name: string;
  readonly record: Route53Config['records'][number];
  readonly path: string;
}

function qualifyAll(file: string, config: Route53Config, zone: ZoneRef, entryPath: string): QualifiedRecord[] {
  const qualified = config.records.map((record, j) => ({
    name: qualifyName(record.name, zone.name),
    record,
    path: `${entryPath}.records[${j}]`,
  }));
  const outside = qualified.filter((q) => !isInZone(q.name, zone.name));
  if (outside.length > 0) {
    throw new DefinitionError(
      file,
      outside.map((q) => ({
        path: `${q.path}.name`,
        message: `${q.name} is not in hosted zone ${zone.name}`,
        severity: 'error' as const,
      })),
    );
  }
  return qualified;
}

/** The records the config asks for, with load balancer targets resolved when the load balancer exists. */
export function desiredRecords(
  file: string,
  config: Route53Config,
  zone: ZoneRef,
  entryPath: string,
  loadBalancer?: ObservedLoadBalancer,
): DesiredRecord[] {
  return qualifyAll(file, config, zone, entryPath).map(({ name, record, path }): DesiredRecord => {
    let target: RecordTarget;
    if (record.value !== undefined) {
      const raw = Array.isArray(record.value) ? record.value : [record.value];
      const values = record.type === 'TXT' || record.type === 'SPF' ? raw.map(quoteTxt) : [...raw];
      target = { kind: 'values', ttl: record.ttl ?? DEFAULT_TTL, values };
    } else {
      if (loadBalancer === undefined) throw new Error(`internal: ${path} needs the load balancer`);
      const pending: RecordTarget =
        record.type === 'CNAME'
          ? { kind: 'pending-cname', loadBalancerName: loadBalancer.name, ttl: record.ttl ?? DEFAULT_TTL }
          : {
              kind: 'pending-alias',
              loadBalancerName: loadBalancer.name,
              evaluateTargetHealth: record.evaluate_target_health ?? false,
            };
      target = loadBalancer.target === undefined ? pending : resolveTarget(pending, loadBalancer.target);
    }
    return { name, type: record.type, target, path };
  });
}

/** Live record sets by `name type` (canonical name). */
function indexRecordSets(sets: readonly RecordSet[]): Map<string, RecordSet> {
  const index = new Map<string, RecordSet>();
  for (const set of sets) {
    const key = `${canonicalName(set.Name ?? '')} ${set.Type ?? ''}`;
    if (!index.has(key)) index.set(key, set);
  }
  return index;
}

export interface DeployPlanInput {
  readonly appId: string;
  /** Definition file, for definition errors. */
  readonly file: string;
  readonly entryPath: string;
  readonly config: Route53Config;
  readonly zone: ZoneRef;
  readonly recordSets: readonly RecordSet[];
  /** Required when a record points at the load balancer. */
  readonly loadBalancer?: ObservedLoadBalancer;
}

/** The deploy step for one zone: UPSERT what differs, or a noop. Throws on ownership conflicts. */
export function planDeploy(input: DeployPlanInput): Step<UpsertRecordsPayload> {
  const { appId, config, zone } = input;
  const desired = desiredRecords(input.file, config, zone, input.entryPath, input.loadBalancer);
  const live = indexRecordSets(input.recordSets);
  const conflicts: string[] = [];
  const changes: UpsertChange[] = [];
  const before: string[] = [];
  const after: string[] = [];
  const owners = new Set<string>();
  let replacesExisting = false;

  for (const d of desired) {
    const current = live.get(`${d.name} ${d.type}`);
    const ownerName = ownerRecordName(d.name);
    const ownerCurrent = live.get(`${ownerName} TXT`);
    const owner = parseOwnership(ownerCurrent);
    if (current?.SetIdentifier !== undefined) {
      conflicts.push(`${d.name} ${d.type} uses a routing policy (set identifier ${current.SetIdentifier}); hako manages simple records only`);
    } else if (owner.kind === 'app' && owner.appId !== appId) {
      conflicts.push(`${d.name} ${d.type} is owned by app ${owner.appId}; hako will not change it`);
    } else if (owner.kind !== 'app' && !config.adopt) {
      if (current !== undefined) {
        conflicts.push(`${d.name} ${d.type} exists and is not owned by ${appId}; set adopt: true to take it over`);
      } else if (owner.kind === 'foreign') {
        conflicts.push(`${ownerName} TXT exists and was not written by hako; set adopt: true to take it over`);
      }
    }

    if (current !== undefined) before.push(...describeRecordSet(current));
    after.push(...describeDesired(d.name, d.type, d.target));
    const pending = d.target.kind === 'pending-alias' || d.target.kind === 'pending-cname';
    if (pending || !sameRecordSet(current, toRecordSet(d.name, d.type, d.target))) {
      changes.push({ name: d.name, type: d.type, target: d.target });
      if (current !== undefined) replacesExisting = true;
    }

    if (owners.has(ownerName)) continue;
    owners.add(ownerName);
    const ownerDesired = ownerRecordSet(d.name, appId);
    if (ownerCurrent !== undefined) before.push(...describeRecordSet(ownerCurrent));
    after.push(...describeRecordSet(ownerDesired));
    if (!sameRecordSet(ownerCurrent, ownerDesired)) {
      const values = (ownerDesired.ResourceRecords ?? []).map((r) => r.Value ?? '');
      changes.push({ name: ownerName, type: 'TXT', target: { kind: 'values', ttl: ownerDesired.TTL ?? DEFAULT_TTL, values } });
      if (ownerCurrent !== undefined) replacesExisting = true;
    }
  }

  if (conflicts.length > 0) {
    throw new HakoError(conflicts.join('\n'), 'ROUTE53_NOT_OWNED', 1, {
      hint: `Records in ${zone.name} belong to whoever created them; ${input.entryPath} only changes what app ${appId} owns.`,
    });
  }

  const payload: UpsertRecordsPayload = { hostedZoneId: zone.id, zoneName: zone.name, appId, wait: config.wait, changes };
  const resource = `DNS records in ${zone.name} (${zone.id})`;
  if (changes.length === 0) {
    return { owner: STEP_OWNER, kind: UPSERT_KIND, action: 'noop', resource, title: `DNS records in ${zone.name} are up to date`, before, after, payload };
  }
  return {
    owner: STEP_OWNER,
    kind: UPSERT_KIND,
    action: replacesExisting ? 'update' : 'create',
    resource,
    title: `Upsert DNS records in ${zone.name}: ${changeNames(changes)}`,
    ...(before.length > 0 ? { before } : {}),
    after,
    payload,
  };
}

/** `www.example.com. A, _hako-owner.www.example.com. TXT` */
export function changeNames(changes: readonly { readonly name: string; readonly type: string }[]): string {
  return changes.map((c) => `${c.name} ${c.type}`).join(', ');
}

export interface RemovePlanInput {
  readonly appId: string;
  readonly file: string;
  readonly entryPath: string;
  readonly config: Route53Config;
  readonly zone: ZoneRef;
  readonly recordSets: readonly RecordSet[];
}

export interface RemovePlan {
  /** Absent when this app owns nothing in the zone. */
  readonly step?: Step<DeleteRecordsPayload>;
  /** Records that exist but are not owned by the app, left in place. */
  readonly skipped: readonly string[];
}

/** DELETEs for the records this app owns (and their ownership records). Missing records are fine. */
export function planRemove(input: RemovePlanInput): RemovePlan {
  const { appId, config, zone } = input;
  const live = indexRecordSets(input.recordSets);
  const deletes: RecordSet[] = [];
  const skipped: string[] = [];
  const owners = new Set<string>();
  for (const { name, record } of qualifyAll(input.file, config, zone, input.entryPath)) {
    const current = live.get(`${name} ${record.type}`);
    const ownerName = ownerRecordName(name);
    const ownerCurrent = live.get(`${ownerName} TXT`);
    const owner = parseOwnership(ownerCurrent);
    if (owner.kind !== 'app' || owner.appId !== appId) {
      if (current !== undefined) skipped.push(`${name} ${record.type}`);
      continue;
    }
    if (current !== undefined) deletes.push(asChangeRecordSet(current));
    if (ownerCurrent !== undefined && !owners.has(ownerName)) {
      owners.add(ownerName);
      deletes.push(asChangeRecordSet(ownerCurrent));
    }
  }
  if (deletes.length === 0) return { skipped };
  const payload: DeleteRecordsPayload = { hostedZoneId: zone.id, zoneName: zone.name, wait: config.wait, recordSets: deletes };
  const names = deletes.map((s) => ({ name: canonicalName(s.Name ?? ''), type: s.Type ?? '' }));
  return {
    skipped,
    step: {
      owner: STEP_OWNER,
      kind: DELETE_KIND,
      action: 'delete',
      resource: `DNS records in ${zone.name} (${zone.id})`,
      title: `Delete DNS records in ${zone.name}: ${changeNames(names)}`,
      before: deletes.flatMap(describeRecordSet),
      payload,
    },
  };
}
