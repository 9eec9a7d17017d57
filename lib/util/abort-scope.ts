/**
 * The abort signal of the run an AWS call belongs to. AWS clients are shared by every app of a run and built
 * before any run starts, so a request waiting in the run's rate budget (lib/aws/rate-budget.ts) cannot be handed
 * its run's signal: the CLI runs a command's work inside `withAbortSignal(signal, …)` instead, and the rate
 * budget's middleware reads it here.
 *
 * One process runs one CLI command, and all apps of a run share its one signal (Ctrl-C interrupts them all), so a
 * variable suffices. AsyncLocalStorage would follow each call through the SDK's promises, but on Node 20 it turns
 * on a hook for every promise: ~10-20 ms more CPU for a one-app deploy.
 */
let current: AbortSignal | undefined;

/** Runs `work` with `signal` as the current abort signal (none: `work` runs as it is). */
export async function withAbortSignal<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  if (signal === undefined) return work();
  const outer = current;
  current = signal;
  try {
    return await work();
  } finally {
    current = outer;
  }
}

/** The signal of the innermost `withAbortSignal` still running, if any. */
export function currentAbortSignal(): AbortSignal | undefined {
  return current;
}
