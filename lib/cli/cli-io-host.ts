import pc from 'picocolors';
import type { IoHost, IoLevel, IoMessage, StatusProgress } from '../io/io-host.js';
import { monotonicMs } from '../util/sleep.js';

export type OutputFormat = 'text' | 'json';

export interface CliIoHostOptions {
  readonly output: OutputFormat;
  /** debug messages are shown with --verbose or --debug. */
  readonly verbose: boolean;
  /** Colour for what goes to stdout (results, info lines) and to stderr (warnings, errors, status): see color.ts. */
  readonly colorStdout: boolean;
  readonly colorStderr: boolean;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Time for the ticking status line and heartbeats; real by default. */
  readonly timers?: Timers;
}

/** The time a CliIoHost reads and the ticks it schedules (tests pass virtual ones). */
export interface Timers {
  now(): number;
  /** Calls `fn` every `ms` until the returned function is called; must not keep the process alive. */
  every(ms: number, fn: () => void): () => void;
}

export const realTimers: Timers = {
  now: monotonicMs,
  every: (ms, fn) => {
    const t = setInterval(fn, ms);
    t.unref();
    return () => clearInterval(t);
  },
};

/** Without a terminal, a long wait prints a line at least this often. */
const HEARTBEAT_MS = 15_000;

/** `12s`, `3m05s`, `1h02m`: short enough for a status line. */
export function formatSeconds(ms: number): string {
  const s = Math.max(0, Math.floor(ms / 1000));
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

export const LEVEL_RANK: Record<IoLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * The executor's journal events that plain text leaves to `--verbose`: every step's owner prints what it did, so
 * one line per start and end would double the log. `--output json` always carries them.
 */
export const QUIET_IN_TEXT = new Set(['step.started', 'step.finished']);

/**
 * Renders IoHost traffic for a terminal. Text: results and info lines go to stdout (hako printed its log there,
 * and users pipe it); warnings and errors go to stderr. On a TTY a single live status line is redrawn in place on
 * stderr; elsewhere (CI logs) it is dropped, since the same facts arrive as plain lines — but a long wait prints a
 * heartbeat line now and then, so a silent job is not taken for a hung one.
 *
 * `--output json`: stdout carries the command's result only (one JSON document), so `hako status --output json |
 * jq` works; every message is one JSON object per line on stderr.
 */
export class CliIoHost implements IoHost {
  private readonly errColors: ReturnType<typeof pc.createColors>;
  private statusShown = false;
  private infoToStderr = false;
  private waiting: { line: string; progress: StatusProgress; startedAt: number } | undefined;
  private stopTimer: (() => void) | undefined;
  /** When the last line was written (for heartbeats). */
  private lastLineAt: number;

  // Public for views that share its streams and settings (a run of many apps: lib/cli/fleet/fleet-view.ts).
  constructor(readonly options: CliIoHostOptions) {
    this.errColors = pc.createColors(options.colorStderr);
    this.lastLineAt = this.timers.now();
  }

  private get timers(): Timers {
    return this.options.timers ?? realTimers;
  }

  /** Whether results (which go to stdout) may be coloured. */
  get color(): boolean {
    return this.options.colorStdout;
  }

  get output(): OutputFormat {
    return this.options.output;
  }

  /**
   * Keeps stdout for the result alone: info lines go to stderr from now on. For results meant for a pipe in text
   * mode too (`oneshot --no-wait` prints the task as JSON).
   */
  reserveStdoutForResult(): void {
    this.infoToStderr = true;
  }

  notify(message: IoMessage): void {
    if (LEVEL_RANK[message.level] > LEVEL_RANK[this.options.verbose ? 'debug' : 'info']) return;
    if (this.options.output === 'text' && QUIET_IN_TEXT.has(message.code) && !this.options.verbose) {
      // Each step's owner already says what it did in hako's words; the start shows as the live status line.
      if (message.code === 'step.started') this.status(`${message.message}…`);
      return;
    }
    this.lastLineAt = this.timers.now();
    this.clearStatus();
    if (this.options.output === 'json') {
      const line = { time: new Date().toISOString(), level: message.level, code: message.code, message: message.message, data: message.data };
      this.options.stderr.write(JSON.stringify(line) + '\n');
      return;
    }
    const c = this.errColors;
    switch (message.level) {
      case 'error':
        this.options.stderr.write(c.red(message.message) + '\n');
        break;
      case 'warn':
        this.options.stderr.write(c.yellow(`warning: ${message.message}`) + '\n');
        break;
      case 'debug':
        this.options.stderr.write(c.dim(message.message) + '\n');
        break;
      default:
        (this.infoToStderr ? this.options.stderr : this.options.stdout).write(message.message + '\n');
    }
  }

  result(text: string): void {
    this.lastLineAt = this.timers.now();
    this.clearStatus();
    this.options.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }

  status(line: string | undefined, progress?: StatusProgress): void {
    if (line === undefined || progress === undefined) this.stopTicking();
    if (line === undefined) {
      this.clearStatus();
      return;
    }
    if (progress !== undefined) this.tick(line, progress);
    this.drawStatus(progress === undefined ? line : this.withElapsed(line));
  }

  /** Keeps a long wait's line alive between the wait's own calls (its polls may be 10 s apart). */
  private tick(line: string, progress: StatusProgress): void {
    this.waiting = { line, progress, startedAt: this.timers.now() - progress.elapsedMs };
    this.stopTimer ??= this.timers.every(1000, () => {
      const w = this.waiting;
      if (w === undefined) return;
      if (this.live) this.drawStatus(this.withElapsed(w.line));
      else if (this.timers.now() - this.lastLineAt >= HEARTBEAT_MS) {
        // CI systems kill jobs that print nothing for minutes: say the wait is alive, with what it waits on.
        const detail = w.progress.detail === undefined ? '' : ` — ${w.progress.detail}`;
        this.notify({
          level: 'info',
          code: 'progress.heartbeat',
          message: `${this.withElapsed(w.line)}${detail}`,
          data: { elapsedMs: this.timers.now() - w.startedAt, limitMs: w.progress.limitMs },
        });
      }
    });
  }

  private withElapsed(line: string): string {
    const w = this.waiting;
    if (w === undefined) return line;
    const elapsed = formatSeconds(this.timers.now() - w.startedAt);
    return `${line}: ${elapsed}${w.progress.limitMs === undefined ? '' : ` / ${formatSeconds(w.progress.limitMs)}`}`;
  }

  private stopTicking(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
    this.waiting = undefined;
  }

  /** A status line is drawn in place only on a terminal, and never among JSON output. */
  private get live(): boolean {
    return this.options.output !== 'json' && Boolean(this.options.stderr.isTTY);
  }

  private drawStatus(line: string): void {
    if (!this.live) return;
    const width = this.options.stderr.columns ?? 100;
    this.options.stderr.write('\r\x1b[K' + this.errColors.cyan(line.slice(0, Math.max(10, width - 1))));
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.options.stderr.write('\r\x1b[K');
    this.statusShown = false;
  }
}
