/**
 * Reading one CloudWatch Logs stream forward, each event once. Neutral: any scheduler whose tasks log to
 * CloudWatch can follow them with this (ECS's awslogs streams are named in lib/schedulers/ecs/logs/).
 *
 * The cursor is the API's own `nextForwardToken`. Events are still de-duplicated at the boundary: when the token
 * is refused (it expires, or an endpoint loses it) reading starts again from the last timestamp seen, which
 * returns the events at that timestamp a second time. Equal timestamps are common (a burst of lines in one
 * millisecond), so the boundary is a multiset of the events seen at the last timestamp, not a single one: a line
 * printed twice in the same millisecond is printed twice.
 */
import type { LogsApi } from '../aws/ports.js';
import { awsErrorCode, isThrottlingError } from '../util/backoff.js';

/** Where a stream is, and how its lines are labelled (ECS: the container name). */
export interface LogStreamRef {
  readonly region?: string;
  readonly group: string;
  readonly stream: string;
  readonly label: string;
}

export interface LogLine {
  readonly label: string;
  readonly timestamp: number;
  readonly message: string;
  readonly ingestionTime?: number;
}

/**
 * Events asked for per GetLogEvents call. A page shorter than this is the stream's end for now, which spares the
 * extra call that paging "until the token repeats" would make on every poll that found lines.
 */
const PAGE_LIMIT = 1000;
/** A poll reads at most this many pages; the rest waits for the next poll. */
const MAX_PAGES_PER_POLL = 20;

function eventKey(e: { timestamp?: number; ingestionTime?: number; message?: string }): string {
  return `${e.timestamp ?? 0}\u0000${e.ingestionTime ?? 0}\u0000${e.message ?? ''}`;
}

export type StreamState = 'waiting' | 'reading' | 'unavailable';

export class LogStreamReader {
  private token: string | undefined;
  private lastTimestamp: number | undefined;
  /** Events emitted at `lastTimestamp`, counted by key. */
  private boundary = new Map<string, number>();
  /** While re-reading from `lastTimestamp`: the boundary events still to be passed over. */
  private skip = new Map<string, number>();
  private state: StreamState = 'waiting';
  private unavailableReason: string | undefined;

  constructor(readonly ref: LogStreamRef) {}

  /** `waiting` until the stream exists; `unavailable` after an error that waiting will not cure. */
  get status(): StreamState {
    return this.state;
  }

  get reason(): string | undefined {
    return this.unavailableReason;
  }

  /**
   * Reads what is new. A stream that does not exist yet (the container has not started) has nothing new. Throws
   * throttling errors to the caller, which owns the pace; marks the stream unavailable on other errors.
   */
  async poll(logs: LogsApi): Promise<LogLine[]> {
    if (this.state === 'unavailable') return [];
    const fresh: LogLine[] = [];
    for (let page = 0; page < MAX_PAGES_PER_POLL; page++) {
      // Reading from a timestamp (no token) returns the events already emitted at it first.
      if (this.token === undefined) this.skip = new Map(this.boundary);
      let out;
      try {
        out = await logs.getLogEvents({
          logGroupName: this.ref.group,
          logStreamName: this.ref.stream,
          startFromHead: true,
          limit: PAGE_LIMIT,
          ...(this.token !== undefined
            ? { nextToken: this.token }
            : this.lastTimestamp !== undefined
              ? { startTime: this.lastTimestamp }
              : {}),
        });
      } catch (e) {
        const code = awsErrorCode(e);
        if (code === 'ResourceNotFoundException') return fresh;
        if (code === 'InvalidParameterException' && this.token !== undefined) {
          // The token is no longer good: read again from the last timestamp; the boundary drops the repeats.
          this.token = undefined;
          continue;
        }
        if (isThrottlingError(e)) {
          if (fresh.length > 0) return fresh;
          throw e;
        }
        this.state = 'unavailable';
        this.unavailableReason = (e as Error).message;
        return fresh;
      }
      this.state = 'reading';
      for (const event of out.events ?? []) {
        const line = this.accept(event);
        if (line !== undefined) fresh.push(line);
      }
      const next = out.nextForwardToken;
      // A short page, or the token it was given back: the stream's end for now (a page may also be cut at 1 MB).
      const atEnd = next === undefined || next === this.token || (out.events ?? []).length < PAGE_LIMIT;
      if (next !== undefined) this.token = next;
      if (atEnd) break;
    }
    return fresh;
  }

  /** The line for `event`, or undefined when it was already emitted (a repeat at the boundary). */
  private accept(event: { timestamp?: number; ingestionTime?: number; message?: string }): LogLine | undefined {
    const timestamp = event.timestamp ?? 0;
    const key = eventKey(event);
    if (this.lastTimestamp !== undefined && timestamp === this.lastTimestamp) {
      const toSkip = this.skip.get(key) ?? 0;
      if (toSkip > 0) {
        this.skip.set(key, toSkip - 1);
        return undefined;
      }
    }
    if (this.lastTimestamp === undefined || timestamp > this.lastTimestamp) {
      this.lastTimestamp = timestamp;
      this.boundary = new Map();
    }
    if (timestamp === this.lastTimestamp) this.boundary.set(key, (this.boundary.get(key) ?? 0) + 1);
    return {
      label: this.ref.label,
      timestamp,
      message: (event.message ?? '').replace(/\r?\n$/, ''),
      ...(event.ingestionTime === undefined ? {} : { ingestionTime: event.ingestionTime }),
    };
  }
}
