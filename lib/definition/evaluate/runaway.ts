/**
 * libjsonnet evaluates on libuv's thread pool (@hanazuki/node-jsonnet queues an N-API AsyncWorker): the event loop
 * stays free, so a timeout or Ctrl-C is noticed at once, but the evaluation itself cannot be cancelled, and Node
 * joins every thread-pool thread when the process exits (`process.exit` included). An evaluation given up while
 * still computing (an endless loop) therefore keeps the process from ever exiting normally. It is counted here so
 * that the CLI, having reported the error, can end the process by a signal instead of hanging.
 */
let running = 0;

/** Evaluations abandoned while still running on the thread pool. */
export function runawayEvaluations(): number {
  return running;
}

/** Records `evaluation` as abandoned until it settles by itself (if it ever does). */
export function trackRunaway(evaluation: Promise<unknown>): void {
  running += 1;
  const settled = () => {
    running -= 1;
  };
  evaluation.then(settled, settled);
}
