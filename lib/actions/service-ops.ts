/**
 * rollback, stop, remove and status: each asks the scheduler (and for remove and status, the scripts) to observe
 * and plan, then (unless a dry run) applies through the one executor. Like hako, `status` and `stop` run no
 * script hooks; `rollback` and `remove` do. Nothing here knows which scheduler runs the app.
 */
import type { AwsClients } from '../aws/ports.js';
import { DeploymentError, HakoError } from '../errors.js';
import type { AppLocks } from '../fleet/locks.js';
import { info, type IoHost } from '../io/io-host.js';
import { Execution, type JournalEntry } from '../plan/executor.js';
import type { Plan } from '../plan/plan.js';
import type { StatusSection } from '../schedulers/scheduler.js';
import type { Clock, Sleep } from '../util/sleep.js';
import { holdLocks } from './app-locks.js';
import { unwrapStepFailure } from './deploy.js';
import type { DefinitionSource } from './load-app.js';
import { applyContextOf, callScheduler, guard, PlannedSteps, planScripts, prepareApp, runHook, schedulerApplier, type PreparedApp } from './prepare.js';

export interface ServiceOpOptions {
  readonly source: DefinitionSource;
  readonly io: IoHost;
  /** AWS clients for a region; default: the CLI's factory (lazyAwsFor: SDK chain, AWS_PROFILE, AWS_REGION…). */
  readonly awsFor?: (region: string | undefined) => () => AwsClients;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** Pauses between retries and polls; injectable for tests. */
  readonly sleep?: Sleep;
  readonly clock?: Clock;
  /** A run of many apps: what the app shares with others is locked while it changes (lib/fleet/locks.ts). */
  readonly locks?: AppLocks;
}

function prepare(options: ServiceOpOptions, withoutScripts: boolean): Promise<PreparedApp> {
  return prepareApp({
    ...options.source,
    io: options.io,
    awsFor: options.awsFor,
    dryRun: options.dryRun ?? false,
    // These commands never need provider values (hako: expand_variables=false).
    providerMode: 'placeholder',
    envMode: 'none',
    withoutScripts,
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
}

async function run(prepared: PreparedApp, planned: PlannedSteps, signal: AbortSignal | undefined): Promise<readonly JournalEntry[]> {
  const execution = new Execution({ context: applyContextOf(prepared, signal), applierFor: planned.applierFor });
  try {
    await execution.run(planned.steps);
  } catch (e) {
    throw unwrapStepFailure(e);
  }
  return execution.journal;
}

export async function rollback(options: ServiceOpOptions & { readonly to?: number; readonly timeoutMs?: number }): Promise<RollbackResult> {
  const prepared = await prepare(options, false);
  // Rollback changes only what the scheduler owns: its locks, not the scripts'.
  const held = await holdLocks(prepared, options.dryRun ? undefined : options.locks, false);
  try {
    return await rollbackPrepared(prepared, options, () => held.applied());
  } finally {
    held.release();
  }
}

async function rollbackPrepared(
  prepared: PreparedApp,
  options: ServiceOpOptions & { readonly to?: number; readonly timeoutMs?: number },
  applied: () => void,
): Promise<RollbackResult> {
  const { model, io, scheduler } = prepared;
  await runHook(prepared, 'rollbackStarting', model as never);
  const rollbackPlan = await callScheduler(prepared, 'rollback', 'planRollback', (planRollback) =>
    planRollback(model, options.to === undefined ? {} : { to: options.to }),
  );
  const planned = new PlannedSteps();
  planned.add(rollbackPlan.steps, schedulerApplier(prepared, 'rollback'));
  await runHook(prepared, 'rollbackStarted', model as never, { current: rollbackPlan.current, target: rollbackPlan.target });
  const plan: RollbackResult = { steps: planned.steps, ...(rollbackPlan.revision === undefined ? {} : { revision: rollbackPlan.revision }) };
  if (options.dryRun) return plan;
  const journal = await run(prepared, planned, options.signal);
  applied();
  if (scheduler.wait) {
    const waited = await guard(prepared, 'rollback', () =>
      scheduler.wait!(model, journal, { ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }), ...(options.signal ? { signal: options.signal } : {}) }),
    );
    if (waited.status === 'failed' || waited.status === 'timed-out') {
      throw new DeploymentError(waited.status, `Rollback to ${rollbackPlan.target} did not complete: ${waited.reason}`);
    }
  }
  await runHook(prepared, 'rollbackFinished', model as never);
  info(io, 'deploy.completed', 'Deployment completed');
  return plan;
}

export async function stop(options: ServiceOpOptions): Promise<Plan> {
  const prepared = await prepare(options, true);
  const held = await holdLocks(prepared, options.dryRun ? undefined : options.locks, false);
  try {
    const planned = new PlannedSteps();
    planned.add(await callScheduler(prepared, 'stop', 'planStop', (planStop) => planStop(prepared.model)), schedulerApplier(prepared, 'stop'));
    if (!options.dryRun) await run(prepared, planned, options.signal);
    return { steps: planned.steps };
  } finally {
    held.release();
  }
}

/** What a remove could not finish: each step left with why. */
export class RemoveIncompleteError extends HakoError {
  constructor(readonly left: readonly JournalEntry[]) {
    const lines = left.map((e) =>
      e.status === 'skipped' ? `${e.step.title} (not attempted: it needs ${e.blockedBy?.join(', ') ?? 'a failed step'})` : `${e.step.title} (${(e.error as Error)?.message ?? 'failed'})`,
    );
    super(`Remove did not finish; left in place:\n  - ${lines.join('\n  - ')}`, 'REMOVE_INCOMPLETE', 1, {
      hint: 'Fix what the errors say and run `hako remove` again: it deletes only what is left.',
    });
  }
}

/**
 * Removes what the scheduler made (the service first), then what the scripts own (target group, rules, DNS
 * records…). A failed step does not stop the others: everything that does not depend on it is removed, then
 * what is left is reported and the command fails, so a plain re-run finishes the job.
 */
export async function remove(options: ServiceOpOptions): Promise<Plan> {
  const prepared = await prepare(options, false);
  // Held to the end: the scripts' deletions (a shared load balancer once no app uses it) come last.
  const held = await holdLocks(prepared, options.dryRun ? undefined : options.locks, true);
  try {
    return await removePrepared(prepared, options);
  } finally {
    held.release();
  }
}

async function removePrepared(prepared: PreparedApp, options: ServiceOpOptions): Promise<Plan> {
  const { model } = prepared;
  await runHook(prepared, 'removeStarting', model as never);
  const planned = new PlannedSteps();
  const schedulerSteps = planned.add(await callScheduler(prepared, 'remove', 'planRemove', (planRemove) => planRemove(model)), schedulerApplier(prepared, 'remove'));
  // Scripts plan their deletions up front so a dry run shows everything; they apply after the scheduler's
  // (a target group cannot be deleted while a service still uses it).
  const scriptSteps = await planScripts(prepared, 'remove', planned);
  const plan: Plan = { steps: planned.steps };
  if (options.dryRun) return plan;
  const execution = new Execution({ context: applyContextOf(prepared, options.signal), applierFor: planned.applierFor, keepGoing: true });
  await execution.run(schedulerSteps);
  await execution.run(scriptSteps);
  if (execution.left.length > 0) throw new RemoveIncompleteError(execution.left);
  await runHook(prepared, 'afterRemove', model as never);
  return plan;
}

export interface StatusResult {
  /** Whether the app is deployed. */
  readonly exists: boolean;
  readonly text: string;
  /** The scheduler's report, for `--output json`. */
  readonly data: unknown;
  /** What runs now, as the scheduler names it (ECS: `family:revision`). */
  readonly revision?: string;
}

/** What a rollback planned (and, unless a dry run, applied); `revision` names its target as the scheduler does. */
export interface RollbackResult extends Plan {
  readonly revision?: string;
}

/**
 * Splits the scripts' status lines into sections: an unindented line starts one, indented lines belong to it.
 * Sections with the same header (two route53 entries) become one, in order of first appearance.
 */
export function statusSections(scriptLines: readonly (readonly string[])[]): StatusSection[] {
  const sections: StatusSection[] = [];
  const byHeader = new Map<string, StatusSection>();
  for (const lines of scriptLines) {
    let current: StatusSection | undefined;
    for (const line of lines) {
      if (line.trim() === '') continue;
      if (!line.startsWith(' ')) {
        current = byHeader.get(line);
        if (current === undefined) {
          current = { header: line, lines: [] };
          byHeader.set(line, current);
          sections.push(current);
        }
      } else {
        if (current === undefined) {
          current = { lines: [] };
          sections.push(current);
        }
        current.lines.push(line);
      }
    }
  }
  return sections;
}

export async function status(options: ServiceOpOptions): Promise<StatusResult> {
  // hako's status loads no scripts; ours asks them only for their status sections (load balancer, DNS).
  const prepared = await prepare({ ...options, dryRun: true }, false);
  const scriptLines: string[][] = [];
  for (const s of prepared.scripts) scriptLines.push((await s.script.status?.(prepared.model as never)) ?? []);
  const result = await callScheduler(prepared, 'status', 'status', (statusOf) => statusOf(prepared.model, statusSections(scriptLines)));
  return { exists: result.exists, text: result.text, data: result.data, ...(result.revision === undefined ? {} : { revision: result.revision }) };
}
