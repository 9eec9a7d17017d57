/**
 * SIGINT/SIGTERM become an AbortSignal that long waits observe: the wait stops cleanly (oneshot stops its task
 * first) and the process exits 130. A second Ctrl-C falls back to Node's default and ends the process at once.
 */
export function abortOnSignals(): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: NodeJS.Signals): void => {
    if (controller.signal.aborted) {
      // The user insisted: restore the default disposition and re-deliver, which ends the process.
      dispose();
      process.kill(process.pid, name);
      return;
    }
    controller.abort(new Error(`Received ${name}`));
  };
  const dispose = (): void => {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  };
  process.on('SIGINT', onSignal);
  process.on('SIGTERM', onSignal);
  return {
    signal: controller.signal,
    dispose,
  };
}

/**
 * Ends a process that cannot exit by itself: an abandoned libjsonnet evaluation still occupies a thread-pool
 * thread, and Node joins those threads on exit (lib/definition/evaluate/runaway.ts). Interrupted runs end by
 * SIGINT, as Unix tools do after Ctrl-C (the shell sees 130); a timeout ends by SIGKILL (137). If SIGINT is
 * ignored (a background job of a script), SIGKILL follows.
 */
export function endStuckProcess(exitCode: number): void {
  process.removeAllListeners('SIGINT');
  process.kill(process.pid, exitCode === 130 ? 'SIGINT' : 'SIGKILL');
  setTimeout(() => process.kill(process.pid, 'SIGKILL'), 200);
}
