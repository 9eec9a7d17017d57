/**
 * Virtual time for code with concurrent sleepers: `sleep` queues a timer, and `run` lets every pending promise
 * settle, then moves time to the earliest timer and fires it, until the work given to it ends. (createVirtualTime
 * in lib/util/sleep.ts advances time at every sleep, which suits one sleeper, not several at once.)
 */
export interface TimerQueue {
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
  /** Runs `work` to its end on virtual time; rejects if it waits on something that is not a timer. */
  readonly run: <T>(work: Promise<T>) => Promise<T>;
}

export function createTimerQueue(): TimerQueue {
  let now = 0;
  const timers: { at: number; seq: number; fire: () => void }[] = [];
  let seq = 0;
  const settle = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  return {
    now: () => now,
    sleep: (ms) =>
      new Promise((resolve) => {
        timers.push({ at: now + Math.max(0, ms), seq: seq++, fire: resolve });
      }),
    async run<T>(work: Promise<T>): Promise<T> {
      let done = false;
      const settled = work.finally(() => {
        done = true;
      });
      settled.catch(() => undefined);
      for (;;) {
        await settle();
        if (done) return settled;
        timers.sort((a, b) => a.at - b.at || a.seq - b.seq);
        const next = timers.shift();
        if (next === undefined) throw new Error('the work waits on something other than a timer');
        now = next.at;
        next.fire();
      }
    },
  };
}
