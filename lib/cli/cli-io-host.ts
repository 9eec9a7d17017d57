import pc from 'picocolors';
import type { IoHost, IoLevel, IoMessage } from '../io/io-host.js';

export type OutputFormat = 'text' | 'json';

export interface CliIoHostOptions {
  readonly output: OutputFormat;
  /** debug messages are shown with --verbose or --debug. */
  readonly verbose: boolean;
  readonly color: boolean;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
}

const LEVEL_RANK: Record<IoLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * The executor's journal events that plain text leaves to `--verbose`: every step's owner prints what it did, so
 * one line per start and end would double the log. `--output json` always carries them.
 */
const QUIET_IN_TEXT = new Set(['step.started', 'step.finished']);

/**
 * Renders IoHost traffic for a terminal. Results and info lines go to stdout (hako printed its log there, and
 * users pipe it); warnings and errors go to stderr. On a TTY a single live status line is redrawn in place on
 * stderr; elsewhere (CI logs) it is dropped, since the same facts arrive as plain lines. With `--output json`
 * every message is one JSON object per line on stdout.
 */
export class CliIoHost implements IoHost {
  private readonly colors: ReturnType<typeof pc.createColors>;
  private statusShown = false;

  constructor(private readonly options: CliIoHostOptions) {
    this.colors = pc.createColors(options.color);
  }

  get color(): boolean {
    return this.options.color;
  }

  notify(message: IoMessage): void {
    if (LEVEL_RANK[message.level] > LEVEL_RANK[this.options.verbose ? 'debug' : 'info']) return;
    if (this.options.output === 'text' && QUIET_IN_TEXT.has(message.code) && !this.options.verbose) {
      // Each step's owner already says what it did in hako's words; the start shows as the live status line.
      if (message.code === 'step.started') this.status(`${message.message}…`);
      return;
    }
    if (this.options.output === 'json') {
      this.clearStatus();
      const line = { time: new Date().toISOString(), level: message.level, code: message.code, message: message.message, data: message.data };
      this.options.stdout.write(JSON.stringify(line) + '\n');
      return;
    }
    this.clearStatus();
    const c = this.colors;
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
        this.options.stdout.write(message.message + '\n');
    }
  }

  result(text: string): void {
    this.clearStatus();
    this.options.stdout.write(text.endsWith('\n') ? text : text + '\n');
  }

  status(line: string | undefined): void {
    if (this.options.output === 'json' || !this.options.stderr.isTTY) return;
    if (line === undefined) {
      this.clearStatus();
      return;
    }
    const width = this.options.stderr.columns ?? 100;
    this.options.stderr.write('\r\x1b[K' + this.colors.cyan(line.slice(0, Math.max(10, width - 1))));
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.options.stderr.write('\r\x1b[K');
    this.statusShown = false;
  }
}
