/**
 * Many apps in one run against a local moto (MOTO_ECS_SERVICE_RUNNING, so services look stable at once): fifty
 * generated definitions (scripts/fleet-definitions.ts), then
 *
 *   - `show-definition DIR`                 wall, peak RSS
 *   - `deploy DIR` (first: creates them)    wall
 *   - `deploy DIR` unchanged                wall, peak RSS, ECS calls per app
 *   - `RELEASE=n deploy DIR` (env change)   wall, peak RSS, ECS calls per app; again with the budget off
 *   - with --compare: the same no-op deploy and show-definition as one process per app, one after the other
 *
 * Each timed run is repeated (--runs N, default 3) and the median reported, with the machine's load average around
 * it: the machine may be shared. Calls per app come from one extra `--verbose --output json` run: every `aws.call`
 * message carries its app. Peak RSS is the child's maximum resident set (/usr/bin/time -f %M).
 * Usage: node dist/scripts/bench-fleet.js [--apps 50] [--runs 3] [--compare]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { isMutatingOperation } from '../lib/aws/ports.js';
import { benchEnv, benchEnvNote } from './bench-env.js';
import { DEMO_REGION, prepareEmulatorAccount } from './emulator-account.js';
import { writeFleetDefinitions } from './fleet-definitions.js';
import { repoRoot, startMoto } from './moto.js';

const hako = path.join(repoRoot, 'bin', 'hako');
const TIME = '/usr/bin/time';

function flag(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i < 0 ? fallback : Number(process.argv[i + 1]);
}
const APPS = flag('apps', 50);
const RUNS = flag('runs', 3);
const COMPARE = process.argv.includes('--compare');

interface Run {
  readonly ms: number;
  readonly rssMb: number | undefined;
  readonly stdout: string;
  readonly stderr: string;
  readonly load: number;
}

/** One hako process: wall time, peak RSS and its output. Fails loudly on an unexpected exit code. */
function hakoRun(args: readonly string[], env: NodeJS.ProcessEnv, expectCode = 0): Run {
  const timeFile = path.join(os.tmpdir(), `hako-bench-time-${process.pid}`);
  const withTime = existsSync(TIME);
  const command = withTime ? TIME : process.execPath;
  const argv = withTime ? ['-f', '%M', '-o', timeFile, process.execPath, hako, ...args] : [hako, ...args];
  const start = process.hrtime.bigint();
  const r = spawnSync(command, argv, { cwd: repoRoot, env, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== expectCode) throw new Error(`hako ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-3000)}`);
  const rssKb = withTime ? Number(readFileSync(timeFile, 'utf8').trim().split('\n').pop()) : NaN;
  return { ms, rssMb: Number.isFinite(rssKb) ? rssKb / 1024 : undefined, stdout: r.stdout, stderr: r.stderr, load: os.loadavg()[0] ?? 0 };
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

interface Row {
  readonly what: string;
  readonly runs: readonly Run[];
  readonly target?: string;
}

const rows: Row[] = [];

function timed(what: string, args: (i: number) => readonly string[], env: (i: number) => NodeJS.ProcessEnv, target?: string, runs = RUNS): void {
  const results: Run[] = [];
  for (let i = 0; i < runs; i++) results.push(hakoRun(args(i), env(i)));
  rows.push({ what, runs: results, ...(target === undefined ? {} : { target }) });
  const last = rows.at(-1)!;
  process.stderr.write(`${what}: ${last.runs.map((r) => `${(r.ms / 1000).toFixed(2)} s`).join(', ')}\n`);
}

/** ECS calls per app, split into reads and writes, from `--verbose --output json` messages. */
function callsPerApp(stderr: string): Map<string, { reads: number; writes: number; all: Map<string, number> }> {
  const perApp = new Map<string, { reads: number; writes: number; all: Map<string, number> }>();
  for (const line of stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line) as { code?: string; app?: string; data?: { service: string; operation: string } };
    if (m.code !== 'aws.call' || m.data === undefined || m.app === undefined) continue;
    const entry = perApp.get(m.app) ?? { reads: 0, writes: 0, all: new Map<string, number>() };
    perApp.set(m.app, entry);
    const key = `${m.data.service} ${m.data.operation}`;
    entry.all.set(key, (entry.all.get(key) ?? 0) + 1);
    if (m.data.service !== 'ECS') continue;
    if (isMutatingOperation(m.data.operation)) entry.writes++;
    else entry.reads++;
  }
  return perApp;
}

function describeCalls(what: string, stderr: string): string {
  const perApp = callsPerApp(stderr);
  const reads = [...perApp.values()].map((a) => a.reads);
  const writes = [...perApp.values()].map((a) => a.writes);
  const kinds = new Map<string, number>();
  for (const a of perApp.values()) for (const [k, n] of a.all) kinds.set(k, (kinds.get(k) ?? 0) + n);
  const sum = (xs: number[]) => xs.reduce((n, x) => n + x, 0);
  return (
    `${what}: ${perApp.size} apps; ECS reads per app max ${Math.max(...reads)}, mean ${(sum(reads) / reads.length).toFixed(2)}; ` +
    `ECS writes per app max ${Math.max(...writes)}; all calls: ${[...kinds].map(([k, n]) => `${k}×${n}`).join(', ')}`
  );
}

const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-bench-fleet-'));
// Runs are spawned synchronously: moto's request log must go to a file, not to a pipe nobody reads meanwhile.
const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' }, logFile: path.join(dir, 'moto.log') });
try {
  const account = await prepareEmulatorAccount(moto.endpoint);
  const files = writeFleetDefinitions(path.join(dir, 'apps'), APPS, { cluster: 'hako-demo', region: DEMO_REGION });
  const base: NodeJS.ProcessEnv = {
    ...benchEnv(),
    AWS_ENDPOINT_URL: moto.endpoint,
    AWS_ACCESS_KEY_ID: 'testing',
    AWS_SECRET_ACCESS_KEY: 'testing',
    AWS_REGION: DEMO_REGION,
    AWS_PROFILE: undefined,
    NO_COLOR: '1',
    ...account.env,
  };
  const release = (n: number): NodeJS.ProcessEnv => ({ ...base, RELEASE: String(n) });
  const apps = path.join(dir, 'apps');
  process.stderr.write(`${APPS} definitions in ${apps}; moto at ${moto.endpoint}; ${os.cpus().length} CPUs; load ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}\n`);

  timed(`show-definition of ${APPS}, one process`, () => ['show-definition', apps], () => base, '≤ 1.0 s');
  timed(`first deploy of ${APPS} (creates them)`, () => ['deploy', apps], () => release(1), undefined, 1);
  timed(`no-op deploy of ${APPS}, one process`, () => ['deploy', apps], () => release(1), '≤ 5 s, ≤ 300 MB');
  const noop = hakoRun(['deploy', '--verbose', '--output', 'json', apps], release(1));
  // Each changed run deploys a new RELEASE: every app changes every time.
  let next = 2;
  timed(`changed deploy of ${APPS} (env change), one process`, () => ['deploy', apps], () => release(next++), '≤ 10 s');
  const changed = hakoRun(['deploy', '--verbose', '--output', 'json', apps], release(next++));
  timed(`changed deploy of ${APPS}, HAKO_AWS_RATE_SCALE=off`, () => ['deploy', apps], () => ({ ...release(next++), HAKO_AWS_RATE_SCALE: 'off' }));
  if (COMPARE) {
    const each = (args: readonly string[], env: NodeJS.ProcessEnv): Run => {
      const start = process.hrtime.bigint();
      let rss = 0;
      for (const file of files) rss = Math.max(rss, hakoRun([...args, file], env).rssMb ?? 0);
      return { ms: Number(process.hrtime.bigint() - start) / 1e6, rssMb: rss, stdout: '', stderr: '', load: os.loadavg()[0] ?? 0 };
    };
    rows.push({ what: `show-definition, ${APPS} processes one after the other`, runs: [each(['show-definition'], base)] });
    rows.push({ what: `no-op deploy, ${APPS} processes one after the other`, runs: [each(['deploy'], release(next - 1))] });
  }

  process.stdout.write(`\n${'run'.padEnd(56)} ${'median'.padStart(9)} ${'runs'.padStart(24)} ${'peak RSS'.padStart(9)} ${'load'.padStart(6)}  target\n`);
  for (const r of rows) {
    const ms = median(r.runs.map((x) => x.ms));
    const rss = Math.max(...r.runs.map((x) => x.rssMb ?? 0));
    const runs = r.runs.map((x) => (x.ms / 1000).toFixed(2)).join(' ');
    const load = median(r.runs.map((x) => x.load));
    process.stdout.write(
      `${r.what.padEnd(56)} ${`${(ms / 1000).toFixed(2)} s`.padStart(9)} ${runs.padStart(24)} ${`${rss.toFixed(0)} MB`.padStart(9)} ${load.toFixed(2).padStart(6)}  ${r.target ?? ''}\n`,
    );
  }
  process.stdout.write(`\n${describeCalls('no-op deploy', noop.stderr)}\n${describeCalls('changed deploy', changed.stderr)}\n${benchEnvNote()}\n`);
} finally {
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
}
