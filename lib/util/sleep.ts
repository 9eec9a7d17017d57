/**
 * Time as a dependency. Waits in lib/ take a Clock and a Sleep instead of calling Date.now/setTimeout, so tests and
 * benchmarks can run minutes of polling instantly on virtual time, and so every wait can be cut short by a signal.
 */
import { AbortedError } from '../errors.js';

/** Monotonic milliseconds. Only differences between two readings mean anything. */
export interface Clock {
  now(): number;
}

/** Resolves after `ms`, or rejects with AbortedError as soon as `signal` fires (at once if it already has). */
export type Sleep = (ms: number, signal?: AbortSignal) => Promise<void>;

/**
 * Monotonic milliseconds from `process.hrtime`, unaffected by wall-clock changes. Not `performance.now()`: the
 * `performance` global loads node:perf_hooks on first use (~2 ms of every command's start-up, on the main thread).
 */
export const monotonicMs = (): number => Number(process.hrtime.bigint()) / 1e6;

/** The real clock (monotonicMs). */
export const systemClock: Clock = { now: monotonicMs };

function abortError(signal: AbortSignal): AbortedError {
  const reason: unknown = signal.reason;
  return reason instanceof AbortedError ? reason : new AbortedError('Aborted', 130, { cause: reason });
}

/** Throws AbortedError if the signal has fired. Call between steps that are not themselves abortable. */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw abortError(signal);
}

/** The real sleep: a timer that is cleared when the signal fires, so an aborted wait leaves nothing pending. */
export const sleep: Sleep = (ms, signal) =>
  new Promise<void>((resolve, reject) => {
    if (signal?.aborted) {
      reject(abortError(signal));
      return;
    }
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(abortError(signal!));
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener('abort', onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener('abort', onAbort, { once: true });
  });

/**
 * Virtual time for tests and benchmarks: `sleep` advances `clock` by the requested amount and returns at once.
 * `sleeps` records every requested duration in order; `onSleep` lets a test act at a point in virtual time
 * (fire an abort signal, change scripted state).
 */
export interface VirtualTime {
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly sleeps: number[];
  /** Moves time forward without a sleep (time spent in an API call, for instance). */
  advance(ms: number): void;
  onSleep?: (ms: number, nowAfter: number) => void;
}

export function createVirtualTime(startMs = 0): VirtualTime {
  let now = startMs;
  const vt: VirtualTime = {
    clock: { now: () => now },
    sleeps: [],
    advance(ms: number) {
      now += ms;
    },
    sleep: async (ms, signal) => {
      throwIfAborted(signal);
      vt.sleeps.push(ms);
      now += Math.max(0, ms);
      vt.onSleep?.(ms, now);
      throwIfAborted(signal);
    },
  };
  return vt;
}
