import pc from 'picocolors';
import type { IoHost, IoLevel, IoMessage } from '../io/io-host.js';

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
}

const LEVEL_RANK: Record<IoLevel, number> = { error: 0, warn: 1, info: 2, debug: 3 };

/**
 * Renders IoHost traffic for a terminal. Text: results and info lines go to stdout (hako printed its log there,
 * and users pipe it); warnings and errors go to stderr. On a TTY a single live status line is redrawn in place on
 * stderr; elsewhere (CI logs) it is dropped, since the same facts arrive as plain lines.
 *
 * `--output json`: stdout carries the command's result only (one JSON document), so `hako status --output json |
 * jq` works; every message is one JSON object per line on stderr.
 */
export class CliIoHost implements IoHost {
  private readonly errColors: ReturnType<typeof pc.createColors>;
  private statusShown = false;
  private infoToStderr = false;

  constructor(private readonly options: CliIoHostOptions) {
    this.errColors = pc.createColors(options.colorStderr);
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
    this.options.stderr.write('\r\x1b[K' + this.errColors.cyan(line.slice(0, Math.max(10, width - 1))));
    this.statusShown = true;
  }

  private clearStatus(): void {
    if (!this.statusShown) return;
    this.options.stderr.write('\r\x1b[K');
    this.statusShown = false;
  }
}
