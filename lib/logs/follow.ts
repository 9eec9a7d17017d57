/**
 * Following several CloudWatch Logs streams while something runs, then draining them once it has stopped.
 *
 * Pace: one GetLogEvents per stream per poll. Polls start at `initialMs` apart, stretch (×1.5, up to `maxMs`)
 * while nothing is written, and snap back when lines arrive, so a chatty task is followed closely and an idle one
 * costs little. When CloudWatch throttles, the interval doubles (up to `throttleMaxMs`) and nothing is lost: the
 * streams' cursors stay where they were.
 */
import type { LogsApi } from '../aws/ports.js';
import { AbortedError } from '../errors.js';
import { createBackoff, isThrottlingError, type BackoffOptions } from '../util/backoff.js';
import type { Sleep } from '../util/sleep.js';
import { LogStreamReader, type LogLine, type LogStreamRef } from './log-stream.js';

export interface FollowOptions {
  readonly streams: readonly LogStreamRef[];
  /** The Logs port for a stream's region (undefined: the run's region). */
  logs(region: string | undefined): Promise<LogsApi>;
  /** Receives each new line once, in timestamp order within a poll (a stream's own order kept). */
  emit(line: LogLine): void;
  /** Told when CloudWatch throttled a poll, with the delay before the next one. */
  onThrottled?(delayMs: number): void;
  /** Told once per stream that can no longer be read (access denied…). */
  onUnavailable?(ref: LogStreamRef, reason: string): void;
  readonly sleep: Sleep;
  /** Default: 1 s growing to 5 s, throttled up to 30 s. */
  readonly backoff?: BackoffOptions;
  /** After the stop: polls while they keep finding lines, at most this many (default 5). */
  readonly maxDrainPolls?: number;
}

export interface FollowStats {
  readonly polls: number;
  readonly lines: number;
  readonly throttled: number;
}

export class LogFollower {
  private readonly readers: LogStreamReader[];
  private readonly reported = new Set<LogStreamReader>();
  private stats = { polls: 0, lines: 0, throttled: 0 };

  constructor(private readonly options: FollowOptions) {
    this.readers = options.streams.map((ref) => new LogStreamReader(ref));
  }

  get counts(): FollowStats {
    return { ...this.stats };
  }

  /**
   * One poll of every stream. Returns how many new lines it emitted, or `'throttled'` when CloudWatch asked us
   * to slow down (the lines read before that are emitted all the same).
   */
  async pollOnce(): Promise<number | 'throttled'> {
    this.stats.polls++;
    const fresh: LogLine[] = [];
    let throttled = false;
    for (const reader of this.readers) {
      try {
        fresh.push(...(await reader.poll(await this.options.logs(reader.ref.region))));
      } catch (e) {
        if (!isThrottlingError(e)) throw e;
        throttled = true;
      }
      if (reader.status === 'unavailable' && !this.reported.has(reader)) {
        this.reported.add(reader);
        this.options.onUnavailable?.(reader.ref, reader.reason ?? 'unknown error');
      }
    }
    // A stable sort: lines of one timestamp keep their stream's order, streams their given order.
    fresh.sort((a, b) => a.timestamp - b.timestamp);
    for (const line of fresh) this.options.emit(line);
    this.stats.lines += fresh.length;
    if (throttled) this.stats.throttled++;
    return throttled ? 'throttled' : fresh.length;
  }

  /**
   * Polls until `stop` fires, then drains: polls again at once, and again while polls keep finding lines (at
   * most `maxDrainPolls`), so what the task wrote just before it stopped is shown too.
   */
  async run(stop: AbortSignal): Promise<FollowStats> {
    const backoff = createBackoff({ initialMs: 1000, maxMs: 5000, factor: 1.5, throttleMaxMs: 30_000, ...this.options.backoff });
    while (!stop.aborted) {
      const result = await this.pollOnce();
      let delay: number;
      if (result === 'throttled') {
        delay = backoff.throttled();
        this.options.onThrottled?.(delay);
      } else if (result > 0) {
        backoff.reset();
        delay = backoff.next();
      } else {
        delay = backoff.next();
      }
      try {
        await this.options.sleep(delay, stop);
      } catch (e) {
        if (!(e instanceof AbortedError)) throw e;
      }
    }
    const maxDrain = this.options.maxDrainPolls ?? 5;
    for (let i = 0; i < maxDrain; i++) {
      const result = await this.pollOnce();
      if (result === 0) break;
      // Throttled while draining: wait as asked, then try again (the cursors have not moved).
      const delay = result === 'throttled' ? backoff.throttled() : backoff.currentMs / 2;
      if (result === 'throttled') this.options.onThrottled?.(delay);
      await this.options.sleep(delay);
    }
    return this.counts;
  }
}
