/**
 * The abort signal of the run an AWS call belongs to. AWS clients are shared by every app of a run and built
 * before any run starts, so a request waiting in the run's rate budget (lib/aws/rate-budget.ts) cannot be handed
 * its run's signal: the CLI runs a command's work inside `withAbortSignal(signal, …)` instead, and the rate
 * budget's middleware reads it here.
 *
 * One process runs one CLI command, and all apps of a run share its one signal (Ctrl-C interrupts them all), so a
 * process-wide record of the scopes still running suffices. AsyncLocalStorage would follow each call through the
 * SDK's promises, but on Node 20 it turns on a hook for every promise: ~10-20 ms more CPU for a one-app deploy.
 * Scopes of a fleet run overlap and end in any order, so each scope removes its own entry, not the last one.
 */
const running: AbortSignal[] = [];

/** Runs `work` with `signal` as the current abort signal (none: `work` runs as it is). */
export async function withAbortSignal<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (signal === undefined) return work();
  running.push(signal);
  try {
    return await work();
  } finally {
    running.splice(running.lastIndexOf(signal), 1);
  }
}

/** The signal of the most recently started `withAbortSignal` scope still running, if any. */
export function currentAbortSignal(): AbortSignal | undefined {
  return running.at(-1);
}
