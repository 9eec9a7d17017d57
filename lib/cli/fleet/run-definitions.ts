/**
 * The one way a command that reads definitions runs: FILE arguments (files and directories) become definitions;
 * one definition runs exactly as the command always ran alone; several run as a fleet — `--parallel` at a time,
 * apps sharing something one after the other, their output prefixed by app, then the results, a summary and one
 * exit code (summary.ts).
 */
import { runawayEvaluations } from '../../definition/evaluate/runaway.js';
import { expandDefinitionArgs } from '../../fleet/sources.js';
import { runFleet, type FleetEntry, type FleetOutcome } from '../../fleet/runner.js';
import { withIo } from '../../io/io-scope.js';
import { withAbortSignal } from '../../util/abort-scope.js';
import type { CommandContext } from '../commands/command.js';
import { abortOnSignals, endStuckProcess } from '../signals.js';
import { printOutcome, type AppOutcome, type AppTask } from './app-task.js';
import { FleetView } from './fleet-view.js';
import { filesOf, parallelOf, type FleetArgs } from './options.js';
import { printFleetReport, type FleetReportOptions } from './summary.js';

export interface DefinitionCommandSpec<A> {
  /** The verb, for the progress line and the JSON document. */
  readonly name: string;
  /** The command's work for one definition. */
  readonly task: AppTask<A>;
  /** Alone, the command stops cleanly on Ctrl-C (deploy, rollback): it installs the handlers as it always did. */
  readonly signals?: boolean;
  /** See FleetReportOptions.combine. */
  readonly combine?: FleetReportOptions['combine'];
}

/**
 * Runs `spec` for the definitions `args.file` names. `args` are the command's parsed arguments (FleetArgs); each
 * app's task gets them with `file` set to its one definition (`A`).
 */
export async function runDefinitions<A extends { file: string }>(args: FleetArgs, context: CommandContext, spec: DefinitionCommandSpec<A>): Promise<number> {
  const parallel = parallelOf(args);
  const entries = await expandDefinitionArgs(filesOf(args));
  const only = entries.length === 1 ? entries[0] : undefined;
  if (only !== undefined) return runAlone({ ...args, file: only.file } as unknown as A, context, spec);
  const debug = args.debug === true || context.env.HAKO_DEBUG === '1';
  return runMany(entries, (entry) => ({ ...args, file: entry.file ?? '' }) as unknown as A, { parallel, failFast: args['fail-fast'] === true, debug }, context, spec);
}

/** One definition: exactly as the command always ran. */
export async function runAlone<A>(args: A, context: CommandContext, spec: DefinitionCommandSpec<A>): Promise<number> {
  const { io, env, output } = context;
  const signals = spec.signals ? abortOnSignals() : undefined;
  try {
    const outcome = await withAbortSignal(signals?.signal, () =>
      spec.task(args, { io, env, output, color: io.color, ...(signals === undefined ? {} : { signal: signals.signal }) }),
    );
    printOutcome(io, output, outcome);
    return outcome.exitCode;
  } finally {
    signals?.dispose();
  }
}

/** How a run of many apps goes. */
export interface ManyOptions {
  readonly parallel: number;
  readonly failFast: boolean;
  /** Stack traces in the apps' errors. */
  readonly debug: boolean;
}

/** Several apps (definitions, or the services `init` writes): see the module comment. */
export async function runMany<A>(
  entries: readonly FleetEntry[],
  argsFor: (entry: FleetEntry) => A,
  options: ManyOptions,
  context: CommandContext,
  spec: DefinitionCommandSpec<A>,
): Promise<number> {
  const { env, output } = context;
  const settings = context.io.options;
  const { parallel, debug } = options;
  const view = new FleetView({
    command: spec.name,
    entries,
    output,
    verbose: settings.verbose,
    debug,
    colorStdout: settings.colorStdout,
    colorStderr: settings.colorStderr,
    stdout: settings.stdout,
    stderr: settings.stderr,
    ...(settings.timers === undefined ? {} : { timers: settings.timers }),
    ...(spec.combine === undefined ? {} : { infoToStderr: true }),
  });
  // Ctrl-C stops starting apps; running ones stop as each command alone does (or finish, for those that cannot).
  const signals = abortOnSignals();
  let outcomes: FleetOutcome<AppOutcome>[];
  try {
    outcomes = await runFleet(entries, { parallel, failFast: options.failFast, signal: signals.signal, observer: view }, ({ entry, index, locks }) => {
      const io = view.ioFor(index);
      const appArgs = argsFor(entry);
      // The run's AWS clients are shared: their per-call messages find this app's IoHost through the scope.
      // Its AWS requests still waiting in the run's rate budget end at Ctrl-C (lib/util/abort-scope.ts).
      return withIo(io, () => withAbortSignal(signals.signal, () => spec.task(appArgs, { io, env, output, color: settings.colorStdout, signal: signals.signal, locks })));
    });
  } finally {
    view.close();
    signals.dispose();
  }
  const exitCode = await printFleetReport(outcomes, {
    command: spec.name,
    output,
    color: settings.colorStdout,
    stdout: settings.stdout,
    stderr: settings.stderr,
    aborted: signals.signal.aborted,
    ...(spec.combine === undefined ? {} : { combine: spec.combine }),
  });
  // An evaluation given up while computing keeps a thread that Node waits for at exit (as after one app's error).
  if (runawayEvaluations() > 0) endStuckProcess(exitCode);
  return exitCode;
}
