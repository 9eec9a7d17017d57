/**
 * Bounds an evaluation in time and lets Ctrl-C stop it. `stopSignal` fires on the caller's abort or after
 * `timeoutMs`; native callbacks watch it so that libjsonnet, if it is waiting on one (a provider asking AWS), gets
 * an error back and finishes at once. An evaluation still computing after a short grace is abandoned (runaway.ts).
 */
import { AbortedError, DefinitionError } from '../../errors.js';
import { trackRunaway } from './runaway.js';

/** Evaluation time limit when none is given: generous for provider calls that the SDK retries. */
export const DEFAULT_EVAL_TIMEOUT_MS = 60_000;

/** How long an interrupted evaluation gets to finish by itself (it does when it was waiting on a callback). */
const GRACE_MS = 300;

export interface EvaluationLimits {
  /** Ctrl-C (the CLI's SIGINT/SIGTERM) or a programmatic cancel. */
  readonly signal?: AbortSignal;
  /** Give up after this long; default DEFAULT_EVAL_TIMEOUT_MS. */
  readonly timeoutMs?: number;
}

export interface Interruption {
  /** Fires when the evaluation must stop; native callbacks race against it. */
  readonly signal: AbortSignal;
  /** Runs the evaluation under the limits; the first of result, abort and timeout wins. */
  run<T>(evaluation: Promise<T>): Promise<T>;
}

function seconds(ms: number): string {
  const s = ms / 1000;
  return `${Number.isInteger(s) ? s : s.toFixed(1)} s`;
}

export function interruption(file: string, limits: EvaluationLimits): Interruption {
  const stop = new AbortController();
  const timeoutMs = limits.timeoutMs ?? DEFAULT_EVAL_TIMEOUT_MS;
  return {
    signal: stop.signal,
    async run<T>(evaluation: Promise<T>): Promise<T> {
      let timer: NodeJS.Timeout | undefined;
      let onAbort: (() => void) | undefined;
      const stopped = new Promise<'timeout' | 'abort'>((resolve) => {
        timer = setTimeout(() => resolve('timeout'), timeoutMs);
        onAbort = () => resolve('abort');
        if (limits.signal?.aborted) onAbort();
        else limits.signal?.addEventListener('abort', onAbort, { once: true });
      });
      try {
        const winner = await Promise.race([evaluation.then((value) => ({ value })), stopped]);
        if (typeof winner === 'object') return winner.value;
        stop.abort();
        const finished = await Promise.race([evaluation.then(() => true, () => true), new Promise<false>((r) => setTimeout(() => r(false), GRACE_MS))]);
        if (!finished) trackRunaway(evaluation);
        if (winner === 'abort') throw new AbortedError(`Interrupted while evaluating ${file}`);
        const message = `did not finish evaluating within ${seconds(timeoutMs)} (--eval-timeout)`;
        throw new DefinitionError(file, [], {
          summary: `${file} ${message}`,
          hint: finished
            ? 'A provider did not answer in time; raise --eval-timeout if it is just slow.'
            : 'Look for recursion or a comprehension that never ends; raise --eval-timeout if it is just slow. libjsonnet cannot be stopped mid-evaluation, so hako ends its own process (SIGKILL, exit status 137).',
        });
      } finally {
        clearTimeout(timer);
        if (onAbort) limits.signal?.removeEventListener('abort', onAbort);
      }
    },
  };
}

/** Rejects as soon as `signal` fires (a native callback must not keep libjsonnet waiting after a stop). */
export function untilStopped<T>(work: Promise<T>, signal: AbortSignal): Promise<T> {
  if (signal.aborted) return Promise.reject(new Error('evaluation stopped'));
  return new Promise<T>((resolve, reject) => {
    const onAbort = () => reject(new Error('evaluation stopped'));
    signal.addEventListener('abort', onAbort, { once: true });
    work.then(
      (v) => {
        signal.removeEventListener('abort', onAbort);
        resolve(v);
      },
      (e: unknown) => {
        signal.removeEventListener('abort', onAbort);
        reject(e);
      },
    );
  });
}
