/**
 * The `route53` script: DNS records for the app, pointing at its load balancer by default. New in this port
 * (hako had none). See config.ts for the keys and plan.ts for the ownership rules.
 */
import type { AppModel } from '../../definition/model.js';
import { HakoError, isHakoError } from '../../errors.js';
import { info } from '../../io/io-host.js';
import type { Step } from '../../plan/plan.js';
import type { BackoffOptions } from '../../util/backoff.js';
import type { Sleep } from '../../util/sleep.js';
import type { ApplyContext, Script, ScriptContext, ScriptPlugin } from '../script.js';
import { applyDelete, applyUpsert, type ApplyOptions } from './apply.js';
import { route53ConfigSchema, type Route53Config } from './config.js';
import { findHostedZone, findLoadBalancer, listRecordSets } from './observe.js';
import {
  DELETE_KIND,
  STEP_OWNER,
  UPSERT_KIND,
  entryPathOf,
  planDeploy,
  planRemove,
  requiredLoadBalancer,
  type DeleteRecordsPayload,
  type ObservedLoadBalancer,
  type UpsertRecordsPayload,
} from './plan.js';
import { renderDnsStatus, renderDnsZoneProblem } from './status.js';

export { route53ConfigSchema, type Route53Config } from './config.js';
export type { DeleteRecordsPayload, UpsertChange, UpsertRecordsPayload } from './plan.js';

/** Ten minutes: Route 53 normally reports INSYNC within a minute. */
const DEFAULT_WAIT_TIMEOUT_MS = 600_000;

/** What tests (and patient callers) may replace. */
export interface Route53ScriptOptions {
  readonly sleep?: Sleep;
  readonly waitTimeoutMs?: number;
  readonly backoff?: BackoffOptions;
}

/** Builds the script instance for one `route53` entry. */
export function createRoute53Script(config: Route53Config, context: ScriptContext, options: Route53ScriptOptions = {}): Script {
  const sameConfig = (raw: Readonly<Record<string, unknown>>): boolean => {
    const parsed = route53ConfigSchema.safeParse(raw);
    return parsed.success && JSON.stringify(parsed.data) === JSON.stringify(config);
  };
  const applyOptions = (applyContext: ApplyContext): ApplyOptions => ({
    io: applyContext.io,
    sleep: options.sleep ?? applyContext.sleep,
    waitTimeoutMs: options.waitTimeoutMs ?? DEFAULT_WAIT_TIMEOUT_MS,
    ...(options.backoff === undefined ? {} : { backoff: options.backoff }),
  });

  async function observeZone(): Promise<{ zone: Awaited<ReturnType<typeof findHostedZone>>; recordSets: Awaited<ReturnType<typeof listRecordSets>> }> {
    const route53 = await context.aws().route53();
    const zone = await findHostedZone(route53, config);
    return { zone, recordSets: await listRecordSets(route53, zone.id) };
  }

  return {
    async plan(model: AppModel, { forOneshot }): Promise<Step[]> {
      if (forOneshot) return [];
      const entryPath = entryPathOf(model, sameConfig);
      // Checked before any AWS call: a definition problem should not wait for the network.
      const lbName = requiredLoadBalancer(model, config, entryPath);
      const { zone, recordSets } = await observeZone();
      let loadBalancer: ObservedLoadBalancer | undefined;
      if (lbName !== undefined) {
        const target = await findLoadBalancer(await context.aws().elbv2(), lbName);
        loadBalancer = target === undefined ? { name: lbName } : { name: lbName, target };
      }
      return [
        planDeploy({
          appId: context.appId,
          file: model.file,
          entryPath,
          config,
          zone,
          recordSets,
          ...(loadBalancer === undefined ? {} : { loadBalancer }),
        }),
      ];
    },

    async planRemove(model: AppModel): Promise<Step[]> {
      const entryPath = entryPathOf(model, sameConfig);
      const { zone, recordSets } = await observeZone();
      const { step, skipped } = planRemove({ appId: context.appId, file: model.file, entryPath, config, zone, recordSets });
      for (const record of skipped) {
        info(context.io, 'route53.records.skipped', `Leaving ${record} in place: it is not owned by ${context.appId}`, { record });
      }
      return step === undefined ? [] : [step];
    },

    async status(): Promise<string[]> {
      let observed: Awaited<ReturnType<typeof observeZone>>;
      try {
        observed = await observeZone();
      } catch (e) {
        // A missing zone is worth a line, not a failed status: the ECS part above is still true.
        if (isHakoError(e) && (e.code === 'ROUTE53_ZONE_NOT_FOUND' || e.code === 'ROUTE53_ZONE_AMBIGUOUS')) return renderDnsZoneProblem(e.message);
        throw e;
      }
      return renderDnsStatus(config, observed.zone, observed.recordSets);
    },

    /** UPSERTs are idempotent, and a DELETE of records already gone ends as done (applyDelete): no reconcile needed. */
    async apply(step: Step, applyContext): Promise<void> {
      if (step.owner !== STEP_OWNER) throw new HakoError(`internal: route53 cannot apply a ${step.owner} step`, 'INTERNAL');
      if (step.action === 'noop') return;
      const route53 = await applyContext.aws().route53();
      if (step.kind === UPSERT_KIND) {
        await applyUpsert(step.payload as UpsertRecordsPayload, route53, () => applyContext.aws().elbv2(), applyOptions(applyContext));
      } else if (step.kind === DELETE_KIND) {
        await applyDelete(step.payload as DeleteRecordsPayload, route53, applyOptions(applyContext));
      } else {
        throw new HakoError(`internal: unknown route53 step kind ${step.kind}`, 'INTERNAL');
      }
    },
  };
}

/** The built-in `route53` script plugin. */
export const route53Script: ScriptPlugin<Route53Config> = {
  type: 'route53',
  configSchema: route53ConfigSchema,
  create: (config, context) => createRoute53Script(config, context),
};
