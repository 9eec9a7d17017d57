/**
 * What a person sees while a run of many apps goes on.
 *
 * - Text on a terminal (stderr is a TTY): each app's lines scroll by prefixed with its label, and a live table at
 *   the bottom (live-table.ts) is redrawn in place: the apps in flight, what each does, its counts and time.
 * - Text elsewhere (CI logs, pipes): the same prefixed lines (`[web] Registered task definition: …`), info on
 *   stdout and warnings and errors on stderr as for one app, a line when an app ends, and now and then a
 *   heartbeat line saying which apps are still at it, so a quiet rollout is not taken for a hung job.
 * - `--output json`: every message is a JSON line on stderr carrying `app` (and `file`); an app's end is a
 *   `fleet.app.finished` message with its result. The run's result document is printed at the end (summary.ts).
 */
import pc from 'picocolors';
import type { FleetEntry, FleetObserver, FleetOutcome } from '../../fleet/runner.js';
import type { IoHost, IoLevel, IoMessage, StatusProgress } from '../../io/io-host.js';
import { LEVEL_RANK, QUIET_IN_TEXT, realTimers, type OutputFormat, type Timers } from '../cli-io-host.js';
import { errorToJson } from '../render/error-json.js';
import { renderError } from '../render/error.js';
import type { AppOutcome } from './app-task.js';
import { renderLiveTable, type AppPhase } from './live-table.js';
import { describeOutcome, outcomeWord } from './outcome.js';

export interface FleetViewOptions {
  readonly command: string;
  readonly entries: readonly FleetEntry[];
  readonly output: OutputFormat;
  readonly verbose: boolean;
  readonly debug: boolean;
  readonly colorStdout: boolean;
  readonly colorStderr: boolean;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly timers?: Timers;
  /** Stdout carries one document at the end (`show-definition`): every line of the run goes to stderr. */
  readonly infoToStderr?: boolean;
}

interface AppState {
  readonly entry: FleetEntry;
  state: AppPhase;
  /** The step it applies, or the status line of what it waits for. */
  step?: string;
  statusLine?: string;
  detail?: string;
  waitingFor?: readonly string[];
  startedAt?: number;
  failed?: boolean;
}

/** Without a terminal, a run that printed nothing for this long prints a line saying who is still at it. */
const HEARTBEAT_MS = 15_000;
/** A live table is not worth drawing for a run that ends sooner (show-definition of fifty files). */
const TABLE_AFTER_MS = 400;

const LABEL_COLORS = ['cyan', 'magenta', 'blue', 'yellow', 'green'] as const;

export class FleetView implements FleetObserver {
  private readonly apps: AppState[];
  private readonly timers: Timers;
  private readonly startedAt: number;
  private readonly labelWidth: number;
  private drawn = 0;
  private redrawPending = false;
  private lastLineAt: number;
  private stopTimer: (() => void) | undefined;

  constructor(private readonly options: FleetViewOptions) {
    this.timers = options.timers ?? realTimers;
    this.apps = options.entries.map((entry) => ({ entry, state: 'queued' }));
    this.startedAt = this.timers.now();
    this.lastLineAt = this.startedAt;
    this.labelWidth = Math.min(24, Math.max(0, ...options.entries.map((e) => e.label.length)));
    // Redraw the table every second (elapsed times tick), or check for heartbeats.
    this.stopTimer = this.timers.every(1000, () => this.tick());
  }

  /** A live table is drawn only on a terminal, and never among JSON output. */
  private get live(): boolean {
    return this.options.output !== 'json' && Boolean(this.options.stderr.isTTY);
  }

  /** The IoHost of app `index`: its messages become lines (or JSON lines) of its own. */
  ioFor(index: number): IoHost {
    return {
      notify: (message: IoMessage) => this.message(index, message),
      // Actions print results through the command, not here; anything else is kept visible as a line.
      result: (text: string) => this.message(index, { level: 'info', code: 'result', message: text }),
      status: (line: string | undefined, progress?: StatusProgress) => this.status(index, line, progress),
    };
  }

  started(index: number): void {
    const app = this.app(index);
    app.state = 'running';
    app.startedAt = this.timers.now();
    app.step = 'preparing';
    if (this.options.output === 'json') this.message(index, { level: 'debug', code: 'fleet.app.started', message: `${app.entry.label}: started` });
    this.redraw();
  }

  waitingForLocks(index: number, names: readonly string[]): void {
    const app = this.app(index);
    app.state = 'waiting';
    app.waitingFor = names;
    this.message(index, {
      level: 'info',
      code: 'fleet.app.waiting',
      message: `Waiting for another app of this run to finish changing ${names.join(', ')}`,
      data: { locks: names },
    });
  }

  locked(index: number): void {
    const app = this.app(index);
    app.state = 'running';
    app.waitingFor = undefined;
    this.redraw();
  }

  finished(index: number, outcome: FleetOutcome<unknown>): void {
    const app = this.app(index);
    app.state = 'done';
    const result = outcome as FleetOutcome<AppOutcome>;
    app.failed = outcomeWord(result).failed;
    if (outcome.status === 'failed') this.reportError(index, outcome.error);
    const { word, revision } = outcomeWord(result);
    const level: IoLevel = outcome.status === 'failed' ? 'error' : 'info';
    const text = describeOutcome(result);
    if (this.options.output === 'json') {
      this.message(index, {
        level,
        code: 'fleet.app.finished',
        message: `${app.entry.label}: ${text}`,
        data: { result: word, exitCode: exitCodeOf(result), durationMs: Math.round(outcome.durationMs), ...(revision === undefined ? {} : { revision }) },
      });
    } else {
      // The error's own lines said what went wrong: the end line only marks it, on the error stream.
      const mark = outcome.status === 'ok' && !app.failed ? '✓' : outcome.status === 'skipped' ? '–' : '✗';
      this.line(index, app.failed || outcome.status === 'failed' ? 'warn-plain' : 'info', `${mark} ${text}`);
    }
    this.redraw();
  }

  /** Stops the ticking and takes the table off the screen, before the results and the summary are printed. */
  close(): void {
    this.stopTimer?.();
    this.stopTimer = undefined;
    this.clearTable();
  }

  private app(index: number): AppState {
    return this.apps[index] as AppState;
  }

  private status(index: number, line: string | undefined, progress?: StatusProgress): void {
    const app = this.app(index);
    app.statusLine = line;
    app.detail = line === undefined ? undefined : progress?.detail;
    this.redraw();
  }

  private message(index: number, message: IoMessage): void {
    const { output, verbose } = this.options;
    if (LEVEL_RANK[message.level] > LEVEL_RANK[verbose ? 'debug' : 'info']) return;
    const app = this.app(index);
    if (message.code === 'step.started') app.step = message.message;
    if (output === 'json') {
      const line = {
        time: new Date().toISOString(),
        level: message.level,
        code: message.code,
        message: message.message,
        data: message.data,
        app: app.entry.label,
        ...(app.entry.file === undefined ? {} : { file: app.entry.file }),
      };
      this.write(this.options.stderr, JSON.stringify(line) + '\n');
      return;
    }
    // As for one app: each step's owner says what it did; its start shows in the table.
    if (QUIET_IN_TEXT.has(message.code) && !verbose) {
      this.redraw();
      return;
    }
    this.line(index, message.level, message.message);
  }

  /** One line (or several: a multi-line message) of an app, prefixed with its label. */
  private line(index: number, level: IoLevel | 'warn-plain', text: string): void {
    const toStderr = level !== 'info' || this.options.infoToStderr === true;
    const colorOn = toStderr ? this.options.colorStderr : this.options.colorStdout;
    const c = pc.createColors(colorOn);
    const paint = c[LABEL_COLORS[index % LABEL_COLORS.length] as (typeof LABEL_COLORS)[number]];
    const prefix = paint(`[${this.app(index).entry.label}]`.padEnd(this.labelWidth + 2)) + ' ';
    const body = (l: string): string => {
      switch (level) {
        case 'error':
          return c.red(l);
        case 'warn':
          return c.yellow(`warning: ${l}`);
        case 'debug':
          return c.dim(l);
        default:
          return l;
      }
    };
    const lines = text.replace(/\n$/, '').split('\n').map((l) => prefix + body(l));
    this.write(toStderr ? this.options.stderr : this.options.stdout, lines.join('\n') + '\n');
  }

  private reportError(index: number, error: unknown): void {
    if (this.options.output === 'json') {
      const json = { ...errorToJson(error, this.options.debug), app: this.app(index).entry.label, file: this.app(index).entry.file };
      this.write(this.options.stderr, relative(JSON.stringify(json), true) + '\n');
      return;
    }
    const rendered = renderError(error, { color: this.options.colorStderr, debug: this.options.debug, cwd: process.cwd(), output: 'text' });
    this.line(index, 'warn-plain', rendered.text);
  }

  /** Writes a line above the live table: the table is taken off and drawn again under it. */
  private write(stream: NodeJS.WriteStream, text: string): void {
    this.lastLineAt = this.timers.now();
    this.clearTable();
    stream.write(text);
    this.redraw();
  }

  private tick(): void {
    if (this.live) {
      this.draw();
      return;
    }
    if (this.timers.now() - this.lastLineAt < HEARTBEAT_MS) return;
    const busy = this.apps.filter((a) => a.state === 'running' || a.state === 'waiting');
    if (busy.length === 0) return;
    const done = this.apps.filter((a) => a.state === 'done').length;
    const doing = busy.map((a) => `${a.entry.label} (${this.doing(a)}${a.detail === undefined ? '' : `: ${a.detail}`})`).join(', ');
    const message = `${done}/${this.apps.length} done; still at it: ${doing}`;
    if (this.options.output === 'json') {
      const line = { time: new Date().toISOString(), level: 'info', code: 'fleet.heartbeat', message, data: { done, total: this.apps.length } };
      this.write(this.options.stderr, JSON.stringify(line) + '\n');
    } else {
      const stream = this.options.infoToStderr ? this.options.stderr : this.options.stdout;
      this.write(stream, `${pc.createColors(this.options.infoToStderr ? this.options.colorStderr : this.options.colorStdout).dim(`[hako ${this.options.command}]`)} ${message}\n`);
    }
  }

  private doing(app: AppState): string {
    if (app.state === 'waiting') return `waiting for ${app.waitingFor?.join(', ') ?? 'a lock'}`;
    return app.statusLine ?? app.step ?? 'preparing';
  }

  /**
   * Draws the table once the current burst of lines is written: lines that arrive together (an app's end, its
   * result) take the table off once and put it back once, instead of once per line.
   */
  private redraw(): void {
    if (!this.live || this.stopTimer === undefined || this.redrawPending) return;
    this.redrawPending = true;
    setImmediate(() => {
      this.redrawPending = false;
      this.draw();
    });
  }

  private draw(): void {
    if (!this.live || this.stopTimer === undefined) return;
    const now = this.timers.now();
    if (now - this.startedAt < TABLE_AFTER_MS) return;
    const stderr = this.options.stderr;
    const rows = this.apps.map((a) => ({
      label: a.entry.label,
      state: a.state,
      doing: this.doing(a),
      ...(a.detail === undefined ? {} : { detail: a.detail }),
      ...(a.startedAt === undefined ? {} : { startedAt: a.startedAt }),
      ...(a.failed ? { failed: true } : {}),
    }));
    const lines = renderLiveTable(this.options.command, rows, now, this.startedAt, { columns: stderr.columns || 100, rows: stderr.rows || 24 }, this.options.colorStderr);
    this.clearTable();
    stderr.write(lines.join('\n'));
    this.drawn = lines.length;
  }

  private clearTable(): void {
    if (this.drawn === 0) return;
    // The cursor is at the end of the table's last line: back to its first line, then clear to the end of screen.
    this.options.stderr.write(`${this.drawn > 1 ? `\x1b[${this.drawn - 1}A` : ''}\r\x1b[J`);
    this.drawn = 0;
  }
}

/** The exit code one app ends with: its command's, its error's, 1 when skipped. */
export function exitCodeOf(outcome: FleetOutcome<AppOutcome>): number {
  if (outcome.status === 'ok') return outcome.value?.exitCode ?? 0;
  const code = (outcome.error as { exitCode?: unknown } | undefined)?.exitCode;
  return typeof code === 'number' ? code : 1;
}

/** Paths under the working directory as the user typed them (as renderError does for one app). */
function relative(text: string, json: boolean): string {
  const cwd = process.cwd();
  const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return text.split(json ? JSON.stringify(prefix).slice(1, -1) : prefix).join('');
}
