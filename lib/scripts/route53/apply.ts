/**
 * Applies route53 steps: one ChangeResourceRecordSets per step, then (when `wait`) GetChange until INSYNC.
 */
import type { Elbv2Api, Route53Api, route53 } from '../../aws/ports.js';
import { DeploymentError, HakoError } from '../../errors.js';
import { info } from '../../io/io-host.js';
import type { IoHost } from '../../io/io-host.js';
import { awsErrorCode, createBackoff, isThrottlingError, type BackoffOptions } from '../../util/backoff.js';
import type { Sleep } from '../../util/sleep.js';
import { bareChangeId, canonicalName } from './names.js';
import { findLoadBalancer, listRecordSets } from './observe.js';
import { changeNames, type DeleteRecordsPayload, type UpsertRecordsPayload } from './plan.js';
import { asChangeRecordSet, resolveTarget, toRecordSet, type LoadBalancerTarget, type RecordSet } from './records.js';

export interface ApplyOptions {
  readonly io: IoHost;
  readonly sleep: Sleep;
  /** Longest total wait for INSYNC before giving up. */
  readonly waitTimeoutMs: number;
  readonly backoff?: BackoffOptions;
}

type Route53Port = Pick<Route53Api, 'changeResourceRecordSets' | 'getChange' | 'listResourceRecordSets'>;

/** Sends the planned UPSERTs, resolving load balancer targets that were unknown at plan time. */
export async function applyUpsert(
  payload: UpsertRecordsPayload,
  route53: Route53Port,
  elbv2: () => Promise<Pick<Elbv2Api, 'describeLoadBalancers'>>,
  options: ApplyOptions,
): Promise<void> {
  if (payload.changes.length === 0) return;
  const loadBalancers = new Map<string, LoadBalancerTarget>();
  const changes: route53.Change[] = [];
  for (const change of payload.changes) {
    let target = change.target;
    if (target.kind === 'pending-alias' || target.kind === 'pending-cname') {
      const name = target.loadBalancerName;
      let lb = loadBalancers.get(name);
      if (lb === undefined) {
        lb = await findLoadBalancer(await elbv2(), name);
        if (lb === undefined) {
          throw new HakoError(`Load balancer ${name} does not exist, so ${change.name} ${change.type} cannot point at it`, 'ROUTE53_LB_NOT_FOUND', 1, {
            hint: 'List the alb script before route53 in scripts[] so that it creates the load balancer first.',
          });
        }
        loadBalancers.set(name, lb);
      }
      target = resolveTarget(target, lb);
    }
    changes.push({ Action: 'UPSERT', ResourceRecordSet: toRecordSet(change.name, change.type, target) });
  }
  const out = await route53.changeResourceRecordSets({
    HostedZoneId: payload.hostedZoneId,
    ChangeBatch: { Comment: `hako ${payload.appId}`, Changes: changes },
  });
  const changeId = bareChangeId(out.ChangeInfo?.Id ?? '');
  info(options.io, 'route53.records.upserted', `Upserted DNS records in ${payload.zoneName}: ${changeNames(payload.changes)}`, {
    hostedZoneId: payload.hostedZoneId,
    changeId,
    records: payload.changes.map((c) => ({ name: c.name, type: c.type })),
  });
  if (payload.wait) await waitForInsync(route53, changeId, out.ChangeInfo?.Status, options);
}

/**
 * Sends the planned DELETEs. A record that vanished or changed since the plan makes Route 53 reject the whole
 * batch (InvalidChangeBatch; moto says InvalidInput): then the zone is read again and what is still there is
 * deleted, once. When nothing is left — a repeated request whose first attempt had worked but lost its answer,
 * or another remove that got there first — the step is done: what it was to delete is gone.
 */
export async function applyDelete(payload: DeleteRecordsPayload, route53: Route53Port, options: ApplyOptions): Promise<void> {
  let sets: readonly RecordSet[] = payload.recordSets;
  let out: route53.ChangeResourceRecordSetsCommandOutput | undefined;
  for (let attempt = 0; out === undefined; attempt += 1) {
    if (sets.length === 0) {
      if (attempt === 0) return;
      const names = payload.recordSets.map((s) => ({ name: canonicalName(s.Name ?? ''), type: s.Type ?? '' }));
      info(options.io, 'route53.records.gone', `DNS records in ${payload.zoneName} were already gone: ${changeNames(names)}`, {
        hostedZoneId: payload.hostedZoneId,
        records: names,
      });
      return;
    }
    try {
      out = await route53.changeResourceRecordSets({
        HostedZoneId: payload.hostedZoneId,
        ChangeBatch: { Comment: 'hako remove', Changes: sets.map((s) => ({ Action: 'DELETE', ResourceRecordSet: s })) },
      });
    } catch (e) {
      const code = awsErrorCode(e);
      if (attempt > 0 || (code !== 'InvalidChangeBatch' && code !== 'InvalidInput')) throw e;
      sets = await stillPresent(route53, payload.hostedZoneId, sets);
    }
  }
  const changeId = bareChangeId(out.ChangeInfo?.Id ?? '');
  const names = sets.map((s) => ({ name: canonicalName(s.Name ?? ''), type: s.Type ?? '' }));
  info(options.io, 'route53.records.deleted', `Deleted DNS records in ${payload.zoneName}: ${changeNames(names)}`, {
    hostedZoneId: payload.hostedZoneId,
    changeId,
    records: names,
  });
  if (payload.wait) await waitForInsync(route53, changeId, out.ChangeInfo?.Status, options);
}

/** The current versions of `sets` that still exist (DELETE needs the current values). */
async function stillPresent(route53: Route53Port, zoneId: string, sets: readonly RecordSet[]): Promise<RecordSet[]> {
  const key = (s: RecordSet): string => `${canonicalName(s.Name ?? '')} ${s.Type ?? ''} ${s.SetIdentifier ?? ''}`;
  const wanted = new Set(sets.map(key));
  return (await listRecordSets(route53, zoneId)).filter((s) => wanted.has(key(s))).map(asChangeRecordSet);
}

/** Polls GetChange with growing delays until INSYNC; gives up after `waitTimeoutMs` of waiting. */
export async function waitForInsync(
  route53: Pick<Route53Api, 'getChange'>,
  changeId: string,
  initialStatus: string | undefined,
  options: ApplyOptions,
): Promise<void> {
  const backoff = createBackoff({ initialMs: 2000, maxMs: 15_000, ...options.backoff });
  let status = initialStatus;
  let waited = 0;
  try {
    while (status !== 'INSYNC') {
      const delay = backoff.next();
      if (waited + delay > options.waitTimeoutMs) {
        throw new DeploymentError('timed-out', `DNS change ${changeId} is still ${status ?? 'PENDING'} after ${Math.round(waited / 1000)}s`, {
          hint: 'Route 53 applies the change anyway; check it later with `aws route53 get-change`, or set wait: false.',
        });
      }
      options.io.status(`Waiting for DNS change ${changeId} to be INSYNC (${status ?? 'PENDING'})`);
      await options.sleep(delay);
      waited += delay;
      try {
        status = (await route53.getChange({ Id: changeId })).ChangeInfo?.Status;
      } catch (e) {
        if (!isThrottlingError(e)) throw e;
        backoff.throttled();
      }
    }
  } finally {
    options.io.status(undefined);
  }
  info(options.io, 'route53.change.insync', `DNS change ${changeId} is INSYNC`, { changeId });
}
