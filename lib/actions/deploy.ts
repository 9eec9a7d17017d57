/**
 * deploy / diff / deploy --dry-run: evaluate → normalise → contribute → observe → plan (scripts, then the
 * scheduler), then (deploy only) apply every step through the one executor → wait → recover on failure → hooks.
 * A dry run returns after planning: it never builds an Execution, so it cannot reach `apply`, and its AWS ports
 * refuse mutating calls besides. Nothing here knows which scheduler runs the app.
 */
import type { AwsClients } from '../aws/ports.js';
import { DeploymentError } from '../errors.js';
import type { AppLocks, HeldLocks } from '../fleet/locks.js';
import { info, type IoHost } from '../io/io-host.js';
import { Execution, StepFailedError, type JournalEntry } from '../plan/executor.js';
import { hasChanges, type Plan, type Step } from '../plan/plan.js';
import { plannedOutputs, resolveKnownRefs } from '../plan/outputs.js';
import { redactPlan } from '../plan/redact.js';
import type { Clock, Sleep } from '../util/sleep.js';
import { holdLocks } from './app-locks.js';
import type { DefinitionSource } from './load-app.js';
import { applyContextOf, callScheduler, guard, PlannedSteps, planScripts, prepareApp, runHook, schedulerApplier, type PreparedApp } from './prepare.js';

export interface DeployOptions {
  readonly source: DefinitionSource;
  readonly io: IoHost;
  /** AWS clients for a region; default: the CLI's factory (lazyAwsFor: SDK chain, AWS_PROFILE, AWS_REGION…). */
  readonly awsFor?: (region: string | undefined) => () => AwsClients;
  readonly tag?: string;
  readonly force?: boolean;
  /** Plan and render only (diff, deploy --dry-run). */
  readonly dryRun?: boolean;
  /** Return once the service is updated, without waiting for the rollout. */
  readonly noWait?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
  /**
   * A run of many apps: what the app shares with others (a load balancer) is locked from before it plans until its
   * steps are applied (lib/fleet/locks.ts). Dry runs change nothing and lock nothing.
   */
  readonly locks?: AppLocks;
}

export interface PlannedDeploy {
  readonly prepared: PreparedApp;
  readonly plan: Plan;
  /** The plan with provider values masked: what to show users. */
  readonly displayPlan: Plan;
  /** The steps with the component that applies each. */
  readonly planned: PlannedSteps;
  readonly scriptSteps: readonly Step[];
  readonly schedulerSteps: readonly Step[];
  /** The app's locks, held until its steps are applied (nothing held for dry runs and single runs). */
  readonly held: HeldLocks;
}

/** The first half of a deploy, shared with `diff`: everything up to a Plan, without mutating anything. */
export async function planDeploy(options: DeployOptions & { readonly dryRun: boolean }): Promise<PlannedDeploy> {
  const prepared = await prepareApp({
    ...options.source,
    io: options.io,
    awsFor: options.awsFor,
    dryRun: options.dryRun,
    tag: options.tag,
    // Dry runs read provider values too, unlike hako's: a diff against live state is only exact with the real
    // values. They never print: `displayPlan` has them masked (lib/plan/redact.ts).
    providerMode: 'expand',
    envMode: 'expand',
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
  // Before planning: a plan made while another app changes what it shares would be stale when applied.
  const held = await holdLocks(prepared, options.dryRun ? undefined : options.locks, true);
  try {
    await runHook(prepared, 'deployStarting', prepared.model as never);
    const planned = new PlannedSteps();
    const scriptSteps = await planScripts(prepared, 'deploy', planned);
    // What the scripts' plans already know (the ARN of a target group that exists) replaces the refs contributed
    // for it, so the scheduler compares live state with real values; the rest stay "known after apply".
    const model = resolveKnownRefs(prepared.model, plannedOutputs(scriptSteps));
    const schedulerSteps = planned.add(
      await callScheduler(prepared, 'deploy', 'planDeploy', (planDeployWith) =>
        planDeployWith(model, { force: options.force ?? false, ...(options.tag === undefined ? {} : { tag: options.tag }) }),
      ),
      schedulerApplier(prepared, 'deploy'),
    );
    const plan: Plan = { steps: planned.steps };
    return { prepared, plan, displayPlan: redactPlan(plan, prepared.loaded.providers.revealedValues()), planned, scriptSteps, schedulerSteps, held };
  } catch (e) {
    held.release();
    throw e;
  }
}

export interface DeployResult {
  readonly plan: Plan;
  /** The plan with provider values masked: what to show users. */
  readonly displayPlan: Plan;
  readonly changed: boolean;
  /** What was applied (empty for dry runs). */
  readonly journal: readonly JournalEntry[];
  /** What runs after the deploy (ECS: `family:revision`), when the scheduler tells. */
  readonly revision?: string;
}

/** The error a failed step ended with, as the owner threw it (so it reads the same as without the executor). */
export function unwrapStepFailure(e: unknown): unknown {
  return e instanceof StepFailedError ? e.entry.error : e;
}

export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const dryRun = options.dryRun ?? false;
  const planned = await planDeploy({ ...options, dryRun });
  try {
    return await applyDeploy(planned, options, dryRun);
  } finally {
    planned.held.release();
  }
}

/** What runs after these steps, as the scheduler names it (for summaries); a plugin's failure here is no failure. */
function revisionAfter(prepared: PreparedApp, steps: readonly Step[], journal: readonly JournalEntry[]): { revision?: string } {
  try {
    const revision = prepared.scheduler.revisionOf?.(steps, journal);
    return revision === undefined ? {} : { revision };
  } catch {
    return {};
  }
}

async function applyDeploy(planned: PlannedDeploy, options: DeployOptions, dryRun: boolean): Promise<DeployResult> {
  const { prepared, plan } = planned;
  const { io } = options;
  const { scheduler, model } = prepared;
  if (dryRun) {
    if (scheduler.check) await guard(prepared, 'deploy', () => scheduler.check!(model));
    return { plan, displayPlan: planned.displayPlan, changed: hasChanges(plan), journal: [], ...revisionAfter(prepared, plan.steps, []) };
  }

  const execution = new Execution({ context: applyContextOf(prepared, options.signal), applierFor: planned.planned.applierFor });
  try {
    await execution.run(planned.scriptSteps);
    await runHook(prepared, 'deployStarted', model as never);
    await execution.run(planned.schedulerSteps);
  } catch (e) {
    throw unwrapStepFailure(e);
  }
  // Applied: other apps may plan what they share with this one; its rollout touches only its own service.
  planned.held.applied();

  const changed = hasChanges(plan);
  if (!options.noWait && scheduler.wait) {
    const outcome = await guard(prepared, 'deploy', () =>
      scheduler.wait!(model, execution.journal, { timeoutMs: options.timeoutMs ?? 1_200_000, ...(options.signal ? { signal: options.signal } : {}) }),
    );
    if (outcome.status === 'failed' || outcome.status === 'timed-out') {
      await runHook(prepared, 'deployFailed', model as never, { taskIds: outcome.taskIds, reason: outcome.reason });
      const what = outcome.status === 'timed-out' ? 'Deployment timed out' : 'Deployment failed';
      const reason = `${what}: ${outcome.reason}`;
      if (outcome.recovery === undefined || outcome.recovery.length === 0) {
        const message = outcome.note === undefined ? reason : `${reason}. ${outcome.note}`;
        throw new DeploymentError(outcome.status, message, outcome.hint === undefined ? {} : { hint: outcome.hint });
      }
      await recover(prepared, outcome.recovery, reason, outcome.recoveryTarget, options);
    }
  }
  await runHook(prepared, 'deployFinished', model as never);
  const started = options.noWait && execution.journal.some((e) => e.step.action !== 'noop' && e.status !== 'unchanged');
  info(io, 'deploy.completed', started ? 'Deployment started (not waiting for it to finish)' : 'Deployment completed');
  return { plan, displayPlan: planned.displayPlan, changed, journal: execution.journal, ...revisionAfter(prepared, plan.steps, execution.journal) };
}

/**
 * Undoes a failed rollout with the scheduler's recovery steps, through the same executor, and waits for it.
 * Always throws: `rolled-back` when the app is back where it was, `failed` when even that did not complete.
 */
async function recover(
  prepared: PreparedApp,
  steps: readonly Step[],
  reason: string,
  target: string | undefined,
  options: DeployOptions,
): Promise<never> {
  const { scheduler, model } = prepared;
  const to = target ?? 'the previous version';
  const applier = schedulerApplier(prepared, 'deploy');
  const recovery = new Execution({ context: applyContextOf(prepared, options.signal), applierFor: () => applier });
  try {
    await recovery.run(steps);
  } catch (e) {
    throw new DeploymentError('failed', `${reason}. Rolling back to ${to} failed: ${(unwrapStepFailure(e) as Error).message}`, {
      hint: 'Inspect the service with `hako status`.',
      cause: unwrapStepFailure(e),
    });
  }
  const waited = await guard(prepared, 'deploy', () =>
    scheduler.wait!(model, recovery.journal, { timeoutMs: options.timeoutMs ?? 1_200_000, ...(options.signal ? { signal: options.signal } : {}) }),
  );
  if (waited.status === 'failed' || waited.status === 'timed-out') {
    throw new DeploymentError('failed', `${reason}. Rolling back to ${to} did not complete either: ${waited.reason}`, {
      hint: 'Inspect the service with `hako status`.',
    });
  }
  throw new DeploymentError('rolled-back', `${reason}. Rolled back to ${to}`);
}
