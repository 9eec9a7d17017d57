/**
 * bin/hako running in a child process that a test (or a benchmark) watches while it runs: wait for a line, act
 * (write a task's logs, stop the task), then wait for it to exit. Also writing a task's CloudWatch Logs output
 * into moto, since moto runs no containers.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  CloudWatchLogsClient,
  type CloudWatchLogsClientConfig,
  CreateLogGroupCommand,
  CreateLogStreamCommand,
  PutLogEventsCommand,
} from '@aws-sdk/client-cloudwatch-logs';
import { hakoBin } from '../../helpers/paths.js';

export interface LiveHako {
  readonly child: ChildProcess;
  stdout(): string;
  stderr(): string;
  /** Each line of the watched stream (stdout unless `watch`) with the time it arrived (performance.now()). */
  lines(): readonly { readonly at: number; readonly text: string }[];
  /** Resolves with the first watched line matching, or rejects after `timeoutMs` naming what was seen. */
  waitForLine(match: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  readonly exited: Promise<number | null>;
}

export function startHako(
  args: readonly string[],
  // With --output json, messages (the log lines among them) are JSON lines on stderr; stdout keeps the result.
  options: { env: NodeJS.ProcessEnv; cwd: string; watch?: 'stdout' | 'stderr' },
): LiveHako {
  const child = spawn(process.execPath, [hakoBin, ...args], {
    cwd: options.cwd,
    env: { ...process.env, NO_COLOR: '1', ...options.env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  let partial = '';
  const lines: { at: number; text: string }[] = [];
  const waiters = new Set<() => void>();
  const watched = (d: string): void => {
    const parts = (partial + d).split('\n');
    partial = parts.pop() ?? '';
    const at = performance.now();
    for (const text of parts) lines.push({ at, text });
    for (const w of waiters) w();
  };
  const watchErr = options.watch === 'stderr';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => {
    out += d;
    if (!watchErr) watched(d);
  });
  child.stderr!.setEncoding('utf8').on('data', (d: string) => {
    err += d;
    if (watchErr) watched(d);
  });
  const exited = new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => {
      for (const w of waiters) w();
      resolve(code);
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    lines: () => lines,
    exited,
    waitForLine(match, timeoutMs = 60_000) {
      return new Promise((resolve, reject) => {
        const check = (): boolean => {
          for (const l of lines) {
            const m = l.text.match(match);
            if (m) {
              cleanup();
              resolve(m);
              return true;
            }
          }
          if (child.exitCode !== null) {
            cleanup();
            reject(new Error(`hako exited (${child.exitCode}) before printing ${match}\nstdout:\n${out}\nstderr:\n${err}`));
            return true;
          }
          return false;
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`no line matching ${match} after ${timeoutMs} ms\nstdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(waiter);
        };
        const waiter = (): void => void check();
        if (!check()) waiters.add(waiter);
      });
    },
  };
}

/** Writes what a container "printed" into its awslogs stream, creating the group and the stream when needed. */
export class TaskLogWriter {
  private readonly client: CloudWatchLogsClient;
  private readonly made = new Set<string>();

  constructor(config: CloudWatchLogsClientConfig) {
    this.client = new CloudWatchLogsClient(config);
  }

  async createGroup(group: string): Promise<void> {
    await this.client.send(new CreateLogGroupCommand({ logGroupName: group }));
  }

  async put(group: string, stream: string, events: readonly { timestamp: number; message: string }[]): Promise<void> {
    const key = `${group}\u0000${stream}`;
    if (!this.made.has(key)) {
      await this.client.send(new CreateLogStreamCommand({ logGroupName: group, logStreamName: stream }));
      this.made.add(key);
    }
    await this.client.send(new PutLogEventsCommand({ logGroupName: group, logStreamName: stream, logEvents: [...events] }));
  }

  destroy(): void {
    this.client.destroy();
  }
}
