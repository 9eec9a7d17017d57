/**
 * IoHost is the one way anything in lib/ reaches the user. Actions, schedulers and scripts emit messages with a
 * level and a stable code; the CLI decides how to render them (plain lines, a live TTY status line, or JSON lines).
 * Tests use a recording IoHost and assert on codes and data instead of scraping text.
 */
export type IoLevel = 'error' | 'warn' | 'info' | 'debug';

export interface IoMessage {
  readonly level: IoLevel;
  /** Stable machine-readable code, e.g. `ecs.task-definition.registered`. */
  readonly code: string;
  /** Human-readable line. Keeps hako's phrases users grep for (`Registered task definition: <arn>`). */
  readonly message: string;
  /** Structured payload for `--output json`. Never contains provider secrets. */
  readonly data?: unknown;
}

export interface IoHost {
  /** A message for the user (progress, results, warnings). */
  notify(message: IoMessage): void;
  /** The command's primary result on stdout (a definition, a schema, a diff, a status report). */
  result(text: string): void;
  /**
   * A transient one-line status shown in place on a TTY. Passing `undefined` clears it. With `progress`, the line
   * belongs to a long wait: the host keeps its elapsed time ticking every second (against the limit, when there is
   * one) between calls, and where nothing is redrawn in place (CI logs) it prints a heartbeat line now and then so
   * that a silent wait is not taken for a hung job.
   */
  status(line: string | undefined, progress?: StatusProgress): void;
}

/** What a long wait tells the IoHost about itself (see `IoHost.status`). */
export interface StatusProgress {
  /** How long the wait has run, as of this call. */
  readonly elapsedMs: number;
  /** When it gives up, if ever. */
  readonly limitMs?: number;
  /** A short summary for heartbeat lines (deployment counts). */
  readonly detail?: string;
}

/** Convenience wrappers so call sites read as sentences. */
export function info(io: IoHost, code: string, message: string, data?: unknown): void {
  io.notify({ level: 'info', code, message, data });
}
export function warn(io: IoHost, code: string, message: string, data?: unknown): void {
  io.notify({ level: 'warn', code, message, data });
}
export function debug(io: IoHost, code: string, message: string, data?: unknown): void {
  io.notify({ level: 'debug', code, message, data });
}
export function error(io: IoHost, code: string, message: string, data?: unknown): void {
  io.notify({ level: 'error', code, message, data });
}

/** An IoHost that keeps everything in memory: for tests and for programmatic callers that want the messages. */
export class RecordingIoHost implements IoHost {
  readonly messages: IoMessage[] = [];
  readonly results: string[] = [];
  readonly statuses: (string | undefined)[] = [];

  notify(message: IoMessage): void {
    this.messages.push(message);
  }
  result(text: string): void {
    this.results.push(text);
  }
  status(line: string | undefined): void {
    this.statuses.push(line);
  }
  /** All message lines, for substring assertions. */
  get lines(): string[] {
    return this.messages.map((m) => m.message);
  }
  codes(): string[] {
    return this.messages.map((m) => m.code);
  }
}

/** An IoHost that drops everything: for library callers that do not care. */
export const silentIoHost: IoHost = {
  notify() {},
  result() {},
  status() {},
};
