/**
 * Start-up cost of `hako show-definition definitions/hello.jsonnet` and `hako --version` against a bare `node -e 0`
 * on the same machine, and the modules show-definition loads: none may hold AWS SDK or Kubernetes client code (in
 * node_modules, or in a bundle chunk that dist/bundle-manifest.json says holds some).
 *
 * The machine is shared, so load moves every figure: runs are paired (node -e 0, then each hako command, N times)
 * and the ratio is taken per pair, whose median is the figure to compare (target: show-definition ≤ 2× node -e 0).
 * CPU (user+sys) comes from separate runs in which the child reports its own `process.resourceUsage()` at exit
 * (scripts/report-usage.cts, preloaded into node -e 0 alike), so the wall-time runs carry no instrumentation.
 * The floor (scripts/jsonnet-floor.cts) is Node with the Jsonnet addon making show-definition's one evaluation and
 * printing it, with no hako code: its ratio is the least any Jsonnet front end on this addon could reach, and hako's
 * own share is the per-pair difference between the two.
 * Usage: node dist/scripts/bench-startup.js [pairs=30]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { benchEnv, benchEnvNote } from './bench-env.js';
import { jsonnetPatchState } from './jsonnet-patch-state.js';
import { repoRoot } from './moto.js';

const pairs = Number(process.argv[2] ?? 30);
const hako = path.join(repoRoot, 'bin', 'hako');
const definition = path.join(repoRoot, 'definitions', 'hello.jsonnet');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-bench-'));
// hako's code caches are the ones the warm-up runs below write (scripts/bench-env.ts).
const env = benchEnv(process.env, { cacheHome: path.join(dir, 'cache') });

interface Case {
  readonly name: string;
  readonly args: readonly string[];
}

const bare: Case = { name: 'node -e 0', args: ['-e', '0'] };
const floor: Case = { name: 'floor: Jsonnet addon, no hako code', args: [path.join(repoRoot, 'dist', 'scripts', 'jsonnet-floor.cjs'), definition] };
const showDefinition: Case = { name: 'hako show-definition hello.jsonnet', args: [hako, 'show-definition', definition] };
const cases: Case[] = [
  floor,
  showDefinition,
  { name: 'hako --version', args: [hako, '--version'] },
];

function wall(args: readonly string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'], env });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

// The child writes its CPU time (ms) and peak RSS (KiB) to $HAKO_BENCH_USAGE as it exits.
const reporter = path.join(repoRoot, 'dist', 'scripts', 'report-usage.cjs');
const usageFile = path.join(dir, 'usage.txt');
function cpu(args: readonly string[]): { cpuMs: number; rssKiB: number } {
  const r = spawnSync(process.execPath, ['--require', reporter, ...args], { stdio: ['ignore', 'ignore', 'inherit'], env: { ...env, HAKO_BENCH_USAGE: usageFile } });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  const [cpuMs, rssKiB] = readFileSync(usageFile, 'utf8').split(' ').map(Number);
  return { cpuMs: cpuMs!, rssKiB: rssKiB! };
}

function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}
const spread = (xs: readonly number[], digits = 0): string =>
  `median ${quantile(xs, 0.5).toFixed(digits)} (p10 ${quantile(xs, 0.1).toFixed(digits)}, p90 ${quantile(xs, 0.9).toFixed(digits)})`;

// Warm the file cache, and let the code caches settle: a build's first three runs of a command write them
// (lib/cli/bundle-loader.ts).
for (let i = 0; i < 3; i++) for (const c of cases) wall(c.args);
const bareWall: number[] = [];
const bareCpu: number[] = [];
const caseWall = cases.map(() => [] as number[]);
const ratios = cases.map(() => [] as number[]);
const caseCpu = cases.map(() => [] as number[]);
const caseRss = cases.map(() => [] as number[]);
const load = [os.loadavg()[0]!];
for (let i = 0; i < pairs; i++) {
  const b = wall(bare.args);
  bareWall.push(b);
  cases.forEach((c, j) => {
    const t = wall(c.args);
    caseWall[j]!.push(t);
    ratios[j]!.push(t / b);
  });
  bareCpu.push(cpu(bare.args).cpuMs);
  cases.forEach((c, j) => {
    const u = cpu(c.args);
    caseCpu[j]!.push(u.cpuMs);
    caseRss[j]!.push(u.rssKiB / 1024);
  });
}
load.push(os.loadavg()[0]!);

process.stdout.write(`${pairs} pairs; load average ${load.map((l) => l.toFixed(2)).join(' → ')} on ${os.availableParallelism()} CPUs\n`);
process.stdout.write(`${bare.name.padEnd(36)} wall ms ${spread(bareWall)}; CPU ms ${spread(bareCpu)}\n`);
cases.forEach((c, j) => {
  process.stdout.write(
    `${c.name.padEnd(36)} wall ms ${spread(caseWall[j]!)}; ratio to node -e 0 ${spread(ratios[j]!, 2)}; CPU ms ${spread(caseCpu[j]!)}; peak RSS MiB ${spread(caseRss[j]!)}\n`,
  );
});

const [floorAt, showAt] = [cases.indexOf(floor), cases.indexOf(showDefinition)];
const above = caseWall[showAt]!.map((t, i) => t - caseWall[floorAt]![i]!);
process.stdout.write(`hako's own share of show-definition (its wall minus the floor's, per pair): ms ${spread(above)}\n`);

const trace = path.join(dir, 'modules.txt');
const r = spawnSync(process.execPath, ['--import', path.join(repoRoot, 'dist', 'scripts', 'trace-modules.js'), hako, 'show-definition', definition], {
  env: { ...env, HAKO_TRACE_FILE: trace },
  stdio: ['ignore', 'ignore', 'inherit'],
});
// cli.cjs is compiled as a script (lib/cli/bundle-loader.ts), outside the module loader the trace watches: it
// loads with every command, so it is counted here.
const cliScript = pathToFileURL(path.join(repoRoot, 'dist', 'bundle', 'cli.cjs')).href;
const modules = [...new Set([cliScript, ...readFileSync(trace, 'utf8').split('\n').filter(Boolean)])];
rmSync(dir, { recursive: true, force: true });
// The SDK is bundled (scripts/bundle.ts): a loaded chunk holds SDK code when the build's manifest says so.
const manifest = JSON.parse(readFileSync(path.join(repoRoot, 'dist', 'bundle-manifest.json'), 'utf8')) as Record<string, string[]>;
const bundleDir = pathToFileURL(path.join(repoRoot, 'dist', 'bundle')).href + '/';
const forbidden = (name: string): boolean => /^@(aws-sdk|smithy|aws-crypto|kubernetes)\//.test(name);
const sdk = modules.filter((m) =>
  m.startsWith(bundleDir) ? (manifest[m.slice(bundleDir.length)] ?? []).some(forbidden) : /\/node_modules\/@(aws-sdk|smithy|aws-crypto|kubernetes)\//.test(m),
);
process.stdout.write(`modules loaded: ${modules.length}; with AWS SDK or Kubernetes client code: ${sdk.length}${sdk.length ? ` (${sdk.slice(0, 3).join(', ')}…)` : ''}\n`);
process.stdout.write(`${await jsonnetPatchState()}\n${benchEnvNote(process.env, { ownCaches: true })}\n`);
if (r.status !== 0 || sdk.length > 0) process.exitCode = 1;
