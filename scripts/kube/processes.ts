/**
 * Child processes of the local control plane: each one logs to its own file, and none outlives the Node process
 * that started it — not even when that process is killed with SIGKILL (a reaper notices its stdin closing).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, openSync, readFileSync } from 'node:fs';
import type net from 'node:net';

export interface ManagedProcess {
  readonly name: string;
  readonly pid: number;
  readonly logFile: string;
  /** True once the process has exited (for any reason). */
  exited(): boolean;
  /** Resolves with the exit code (or the signal's name) when the process exits. */
  readonly exit: Promise<number | string>;
  /** SIGTERM, then SIGKILL when it is still running after `graceMs`; resolves once it has exited. */
  stop(graceMs: number): Promise<void>;
  /** The last `lines` lines of its log. */
  tail(lines?: number): string;
}

const live = new Set<ChildProcess>();
process.once('exit', () => {
  // Synchronous last resort for an ordinary exit (an uncaught exception, process.exit) without stop().
  for (const child of live) child.kill('SIGKILL');
});

/**
 * One `sh` per Node process that SIGKILLs every registered PID when its stdin reaches EOF, i.e. when this process
 * is gone however it ended. A clean shutdown tells it `done` first. Its pipe and handle are unref'd: it never
 * keeps the event loop alive.
 */
let reaper: ChildProcess | undefined;
const REAPER = 'pids=; while IFS= read -r l; do [ "$l" = done ] && exit 0; pids="$pids $l"; done; [ -n "$pids" ] && kill -9 $pids 2>/dev/null; exit 0';

function reap(pid: number): void {
  if (reaper === undefined || reaper.exitCode !== null) {
    reaper = spawn('sh', ['-c', REAPER], { stdio: ['pipe', 'ignore', 'ignore'] });
    reaper.unref();
    (reaper.stdin as net.Socket | null)?.unref();
    reaper.stdin?.on('error', () => undefined);
  }
  reaper.stdin?.write(`${pid}\n`);
}

/** Tells the reaper that nothing it knows of is running any more (every registered process was stopped). */
export function releaseReaper(): void {
  if (live.size > 0 || reaper === undefined) return;
  reaper.stdin?.end('done\n');
  reaper = undefined;
}

/** Starts `command` with stdout and stderr appended to `logFile`. */
export function startProcess(name: string, command: string, args: readonly string[], logFile: string): ManagedProcess {
  const fd = openSync(logFile, 'a');
  let child: ChildProcess;
  try {
    child = spawn(command, args, { stdio: ['ignore', fd, fd], env: { ...process.env } });
  } finally {
    closeSync(fd);
  }
  child.unref();
  let done = false;
  let spawnError: Error | undefined;
  const exit = new Promise<number | string>((resolve) => {
    child.once('error', (e) => {
      spawnError = e;
      done = true;
      live.delete(child);
      resolve(`spawn error: ${e.message}`);
    });
    child.once('exit', (code, signal) => {
      done = true;
      live.delete(child);
      resolve(code ?? signal ?? 'unknown');
    });
  });
  if (child.pid !== undefined) {
    live.add(child);
    reap(child.pid);
  }
  return {
    name,
    pid: child.pid ?? -1,
    logFile,
    exited: () => done,
    exit,
    async stop(graceMs: number) {
      if (done) return;
      // Waiting for an unref'd child keeps nothing alive: a caller with nothing else to do would exit mid-stop.
      child.ref();
      child.kill('SIGTERM');
      let timer: NodeJS.Timeout | undefined;
      const timeout = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), graceMs)));
      const outcome = await Promise.race([exit, timeout]);
      clearTimeout(timer);
      if (outcome === 'timeout' && !done) {
        child.kill('SIGKILL');
        await exit;
      }
    },
    tail(lines = 30) {
      const text = existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
      const out = text.trimEnd().split('\n').slice(-lines).join('\n');
      return spawnError ? `${out}\n${spawnError.message}`.trim() : out;
    },
  };
}
