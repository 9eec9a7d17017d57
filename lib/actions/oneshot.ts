/**
 * oneshot: run the app (plus `-c` containers and their dependencies) once, wait for it to stop, and report the
 * app container's exit code. Scripts plan and apply what a task needs (log groups) first, then the scheduler's
 * steps (ECS: the `<app>-oneshot` task definition) — all through the one executor — and the scheduler runs it.
 */
import type { AwsClients } from '../aws/ports.js';
import { info, type IoHost } from '../io/io-host.js';
import { Execution } from '../plan/executor.js';
import type { Plan } from '../plan/plan.js';
import { redactPlan } from '../plan/redact.js';
import { dockerCommands } from '../render/docker-run.js';
import type { OneshotRun } from '../schedulers/scheduler.js';
import type { Clock, Sleep } from '../util/sleep.js';
import { unwrapStepFailure } from './deploy.js';
import type { DefinitionSource } from './load-app.js';
import { applyContextOf, callScheduler, guard, PlannedSteps, planScripts, prepareApp, runHook, schedulerApplier } from './prepare.js';

export interface OneshotOptions {
  readonly source: DefinitionSource;
  readonly io: IoHost;
  /** AWS clients for a region; default: the CLI's factory (lazyAwsFor: SDK chain, AWS_PROFILE, AWS_REGION…). */
  readonly awsFor?: (region: string | undefined) => () => AwsClients;
  readonly command: readonly string[];
  readonly tag?: string;
  /** Extra containers to start with `app` (`-c`). */
  readonly containers?: readonly string[];
  /** `-e NAME=VAL` for the app container. */
  readonly env?: readonly { readonly name: string; readonly value?: string }[];
  readonly overrides?: { readonly cpu?: number; readonly memory?: number; readonly memoryReservation?: number };
  readonly noWait?: boolean;
  /** Follow the containers' logs while the task runs (default true). */
  readonly logs?: boolean;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

/** A dry run's plan, and the same plan with provider values masked: only `displayPlan` may be shown. */
export type OneshotOutcome =
  | {
      readonly dryRun: true;
      readonly plan: Plan;
      readonly displayPlan: Plan;
      /** The `docker volume create` / `docker run` lines that run this oneshot locally, provider values masked. */
      readonly dockerLines: readonly string[];
    }
  | ({ readonly dryRun: false } & OneshotRun);

export async function oneshot(options: OneshotOptions): Promise<OneshotOutcome> {
  const dryRun = options.dryRun ?? false;
  const prepared = await prepareApp({
    ...options.source,
    io: options.io,
    awsFor: options.awsFor,
    dryRun,
    tag: options.tag,
    with: options.containers ?? [],
    withoutContributions: true,
    // A dry run compares with the live oneshot revision, whose env holds the real values: only the real values
    // compare exactly, and only knowing them lets the rendered plan mask them on both sides (as diff does).
    providerMode: 'expand',
    envMode: 'expand',
    ...(options.clock === undefined ? {} : { clock: options.clock }),
    ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
  });
  const { model, io, scheduler } = prepared;
  const runOptions = { command: options.command, env: options.env ?? [], overrides: options.overrides ?? {} };
  await runHook(prepared, 'oneshotStarting', model as never);
  const planned = new PlannedSteps();
  const scriptSteps = await planScripts(prepared, 'oneshot', planned);
  const schedulerSteps = planned.add(
    await callScheduler(prepared, 'oneshot', 'planOneshot', (planOneshot) => planOneshot(model, runOptions)),
    schedulerApplier(prepared, 'oneshot'),
  );
  if (dryRun) {
    if (scheduler.check) await guard(prepared, 'oneshot', () => scheduler.check!(model));
    const plan: Plan = { steps: planned.steps };
    const revealed = prepared.loaded.providers.revealedValues();
    const dockerLines = dockerCommands(model, { oneshot: runOptions, mask: (value) => maskRevealed(value, revealed) });
    return { dryRun: true, plan, displayPlan: redactPlan(plan, revealed), dockerLines };
  }

  const execution = new Execution({ context: applyContextOf(prepared, options.signal), applierFor: planned.applierFor });
  try {
    await execution.run(scriptSteps);
    await execution.run(schedulerSteps);
  } catch (e) {
    throw unwrapStepFailure(e);
  }
  const result = await callScheduler(prepared, 'oneshot', 'runOneshot', (runOneshot) =>
    runOneshot(model, execution.journal, {
      ...runOptions,
      noWait: options.noWait ?? false,
      followLogs: options.logs ?? true,
      ...(options.signal === undefined ? {} : { signal: options.signal }),
      onStarted: (task) => runHook(prepared, 'oneshotStarted', model as never, task),
    }),
  );
  await runHook(prepared, 'oneshotFinished', model as never, { exitCode: result.exitCode });
  if (!options.noWait) info(io, 'oneshot.exit-code', `Exit code: ${result.exitCode}`, { exitCode: result.exitCode });
  return { dryRun: false, ...result };
}

/**
 * A value with every provider value in it replaced by its `${NAME}` placeholder, as show-definition prints it
 * without --expand. Longest first, so a value containing a shorter one is replaced whole.
 */
function maskRevealed(value: string, revealed: ReadonlyMap<string, string>): string {
  const whole = revealed.get(value);
  if (whole !== undefined) return `\${${whole}}`;
  // Shorter values are too likely to occur in ordinary text (`1`, `on`): only a whole value is masked then.
  const secrets = [...revealed].filter(([v]) => v.length >= 3).sort((a, b) => b[0].length - a[0].length);
  return secrets.reduce((acc, [secret, name]) => acc.split(secret).join(`\${${name}}`), value);
}
