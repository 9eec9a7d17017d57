/**
 * Starts and stops a local moto server (the AWS emulator integration tests and the README demo talk to).
 *
 * Library use (tests): `const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } })`, then
 * `AWS_ENDPOINT_URL=moto.endpoint`, `moto.reset()` between tests, `moto.stop()` at the end.
 * CLI use (demo): `export AWS_ENDPOINT_URL=$(node dist/scripts/moto.js start)` … `node dist/scripts/moto.js stop`.
 *
 * Which moto: `HAKO_MOTO_PYTHON` if set; else `python3` when it can import moto.server; else a project-local
 * virtualenv `.venv-moto/` (created with `pip install 'moto[server]'` on first use); else a clear error.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, openSync, closeSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** Repository root (this file runs from dist/scripts/). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const VENV_DIR = path.join(repoRoot, '.venv-moto');
const STATE_DIR = path.join(repoRoot, '.moto');

export interface StartMotoOptions {
  /** Extra environment for the server, e.g. `MOTO_ECS_SERVICE_RUNNING`. */
  readonly env?: Record<string, string>;
  /**
   * Keep running after this process exits (the CLI): the server gets its own process group and writes its log
   * to `logFile`. Otherwise it stays in our process group (a Ctrl-C reaches it too) and exits when we do.
   */
  readonly detached?: boolean;
  readonly logFile?: string;
  /** How long to wait for the server to answer, default 60 s. */
  readonly startTimeoutMs?: number;
}

export interface MotoServer {
  readonly endpoint: string;
  readonly port: number;
  readonly pid: number;
  /** Wipes all emulated AWS state. */
  reset(): Promise<void>;
  stop(): Promise<void>;
}

// The watchdog thread ends moto when our end of its stdin closes, so a test run that dies (even by SIGKILL)
// leaves no server behind. Detached (CLI) servers run moto.server directly.
const WATCHDOG = [
  'import os, sys, threading',
  // os.read, not sys.stdin: a daemon thread blocked in a buffered read aborts interpreter shutdown.
  'def watch():',
  '    while os.read(0, 4096):',
  '        pass',
  '    os._exit(0)',
  'threading.Thread(target=watch, daemon=True).start()',
  'from moto.server import main',
  'main(sys.argv[1:])',
].join('\n');

const live = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of live) child.kill('SIGTERM');
});

/** Starts a moto server on a free loopback port and waits until it answers. */
export async function startMoto(options: StartMotoOptions = {}): Promise<MotoServer> {
  const python = await findMotoPython();
  let lastError: Error | undefined;
  // A port found free can be taken before moto binds it; try a few.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(python, await freePort(), options);
    } catch (e) {
      lastError = e as Error;
      if (!/address already in use/i.test(lastError.message)) throw lastError;
    }
  }
  throw lastError ?? new Error('moto did not start');
}

async function launch(python: string, port: number, options: StartMotoOptions): Promise<MotoServer> {
  const endpoint = `http://127.0.0.1:${port}`;
  const serverArgs = ['-H', '127.0.0.1', '-p', String(port)];
  const args = options.detached ? ['-m', 'moto.server', ...serverArgs] : ['-c', WATCHDOG, ...serverArgs];
  const logFd = options.logFile === undefined ? undefined : openSync(options.logFile, 'a');
  const output = logFd ?? 'pipe';
  const child = spawn(python, args, {
    detached: options.detached ?? false,
    stdio: [options.detached ? 'ignore' : 'pipe', output, output],
    env: { ...process.env, ...options.env, MOTO_PORT: String(port) },
  });
  if (logFd !== undefined) closeSync(logFd);
  const tail: string[] = [];
  for (const stream of [child.stdout, child.stderr]) {
    // moto logs every request: keep reading (a full pipe would stall it) but remember only the last lines.
    stream?.setEncoding('utf8').on('data', (d: string) => {
      tail.push(...d.split('\n').filter(Boolean));
      tail.splice(0, Math.max(0, tail.length - 40));
    });
    (stream as net.Socket | null)?.unref();
  }
  (child.stdin as net.Socket | null)?.unref();
  child.unref();
  if (!options.detached) live.add(child);

  let exited = false;
  const exit = new Promise<void>((resolve) =>
    child.once('exit', () => {
      exited = true;
      live.delete(child);
      resolve();
    }),
  );
  const spawnError = new Promise<never>((_, reject) => child.once('error', reject));
  const log = () => (options.logFile && existsSync(options.logFile) ? readFileSync(options.logFile, 'utf8') : tail.join('\n'));

  const deadline = Date.now() + (options.startTimeoutMs ?? 60_000);
  while (!(await healthy(endpoint))) {
    if (exited) throw new Error(`moto exited before answering on ${endpoint}:\n${lastLines(log())}`);
    if (Date.now() > deadline) {
      child.kill('SIGKILL');
      throw new Error(`moto did not answer on ${endpoint} within ${options.startTimeoutMs ?? 60_000} ms:\n${lastLines(log())}`);
    }
    await Promise.race([sleep(100), spawnError]);
  }

  const pid = child.pid ?? -1;
  return {
    endpoint,
    port,
    pid,
    async reset() {
      const res = await fetch(`${endpoint}/moto-api/reset`, { method: 'POST' });
      if (!res.ok) throw new Error(`moto reset failed: HTTP ${res.status}`);
    },
    async stop() {
      if (exited) return;
      // Closing stdin ends a watched server at once. SIGTERM alone can take seconds: moto's exit waits for
      // request threads still holding keep-alive connections.
      child.stdin?.end();
      signal(pid, options.detached ?? false, 'SIGTERM');
      const stopped = await Promise.race([exit.then(() => true), sleep(5000).then(() => false)]);
      if (!stopped) {
        signal(pid, options.detached ?? false, 'SIGKILL');
        await exit;
      }
    },
  };
}

/** Signals moto, or its whole process group when it has one of its own. */
function signal(pid: number, group: boolean, sig: NodeJS.Signals): void {
  try {
    process.kill(group ? -pid : pid, sig);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'ESRCH') throw e;
  }
}

async function healthy(endpoint: string): Promise<boolean> {
  try {
    const res = await fetch(`${endpoint}/moto-api/config`, { signal: AbortSignal.timeout(2000) });
    await res.arrayBuffer();
    return res.ok;
  } catch {
    return false;
  }
}

/** A port nobody listens on right now: bind port 0 on loopback, read it, close. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

/** The Python that can run `moto.server`, installing moto into `.venv-moto/` when none has it. */
export function findMotoPython(): Promise<string> {
  foundPython ??= locateMotoPython();
  foundPython.catch(() => (foundPython = undefined));
  return foundPython;
}
let foundPython: Promise<string> | undefined;

async function locateMotoPython(): Promise<string> {
  const chosen = process.env.HAKO_MOTO_PYTHON;
  if (chosen) {
    if (await canImportMoto(chosen)) return chosen;
    throw new Error(`HAKO_MOTO_PYTHON=${chosen} cannot import moto.server. Run: ${chosen} -m pip install 'moto[server]'`);
  }
  if (await canImportMoto('python3')) return 'python3';
  const venvPython = path.join(VENV_DIR, 'bin', 'python');
  if (existsSync(venvPython) && (await canImportMoto(venvPython))) return venvPython;

  const help =
    "Install moto with its server extras (Python >= 3.10): pip install 'moto[server]' — " +
    'or set HAKO_MOTO_PYTHON to a python that has it.';
  if (!existsSync(venvPython)) {
    const venv = await run('python3', ['-m', 'venv', VENV_DIR]);
    if (!venv.ok) throw new Error(`No python3 with moto, and creating ${VENV_DIR} failed: ${venv.output.trim()}\n${help}`);
  }
  process.stderr.write(`Installing moto[server] into ${VENV_DIR} …\n`);
  const pip = await run(venvPython, ['-m', 'pip', 'install', '--quiet', 'moto[server]']);
  if (!pip.ok || !(await canImportMoto(venvPython))) {
    throw new Error(`No python3 with moto, and installing it into ${VENV_DIR} failed: ${lastLines(pip.output)}\n${help}`);
  }
  return venvPython;
}

async function canImportMoto(python: string): Promise<boolean> {
  return (await run(python, ['-c', 'import moto.server'])).ok;
}

function run(command: string, args: string[]): Promise<{ ok: boolean; output: string }> {
  return new Promise((resolve) => {
    let output = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (output += d));
    child.once('error', (e) => resolve({ ok: false, output: e.message }));
    child.once('close', (code) => resolve({ ok: code === 0, output }));
  });
}

function lastLines(text: string, n = 20): string {
  return text.trim().split('\n').slice(-n).join('\n');
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- CLI: node dist/scripts/moto.js start|stop ----

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function cli(command: string | undefined): Promise<number> {
  const pidFile = path.join(STATE_DIR, 'pid');
  const endpointFile = path.join(STATE_DIR, 'endpoint');
  const running = existsSync(pidFile) ? Number(readFileSync(pidFile, 'utf8')) : undefined;
  if (command === 'start') {
    if (running !== undefined && alive(running) && existsSync(endpointFile)) {
      process.stdout.write(readFileSync(endpointFile, 'utf8'));
      return 0;
    }
    mkdirSync(STATE_DIR, { recursive: true });
    const server = await startMoto({ detached: true, logFile: path.join(STATE_DIR, 'server.log') });
    writeFileSync(pidFile, `${server.pid}\n`);
    writeFileSync(endpointFile, `${server.endpoint}\n`);
    process.stdout.write(`${server.endpoint}\n`);
    return 0;
  }
  if (command === 'stop') {
    if (running !== undefined && alive(running)) signal(running, true, 'SIGTERM');
    rmSync(pidFile, { force: true });
    rmSync(endpointFile, { force: true });
    return 0;
  }
  process.stderr.write('usage: node dist/scripts/moto.js start|stop\n');
  return 2;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  cli(process.argv[2]).then(
    (code) => process.exit(code),
    (e: unknown) => {
      process.stderr.write(`${e instanceof Error ? e.message : String(e)}\n`);
      process.exit(1);
    },
  );
}
