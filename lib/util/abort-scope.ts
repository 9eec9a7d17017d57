/**
 * The abort signal of the run an AWS call belongs to. AWS clients are shared by every app of a run and built
 * before any run starts, so a request waiting in the run's rate budget (lib/aws/rate-budget.ts) cannot be handed
 * its run's signal: each command's work runs inside `withAbortSignal(signal, …)` instead, and the rate budget's
 * middleware reads it here (AsyncLocalStorage follows the call through the SDK's promises).
 */
import { AsyncLocalStorage } from 'node:async_hooks';

const current = new AsyncLocalStorage<AbortSignal>();

/** Runs `work` with `signal` as the current abort signal (none: `work` runs as it is). */
export function withAbortSignal<T>(signal: AbortSignal | undefined, work: () => Promise<T>): Promise<T> {
  return signal === undefined ? work() : current.run(signal, work);
}

/** The signal of the innermost `withAbortSignal` scope, if any. */
export function currentAbortSignal(): AbortSignal | undefined {
  return current.getStore();
}
