/**
 * CPU time (user+sys) and peak RSS of one no-op deploy: `hako deploy definitions/hello.jsonnet` against a local
 * moto server after a first deploy, so that nothing changes and no write is made. The child reports its own
 * `process.resourceUsage()` as it exits (scripts/report-usage.cts); `node -e 0` is measured alike between runs,
 * for the machine's share. Target: CPU ≤ 150 ms. Usage: node dist/scripts/bench-noop-deploy.js [runs=15]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareEmulatorAccount, DEMO_REGION } from './emulator-account.js';
import { benchEnv, benchEnvNote } from './bench-env.js';
import { jsonnetPatchState } from './jsonnet-patch-state.js';
import { repoRoot, startMoto } from './moto.js';

const runs = Number(process.argv[2] ?? 15);
const hako = path.join(repoRoot, 'bin', 'hako');
const reporter = path.join(repoRoot, 'dist', 'scripts', 'report-usage.cjs');
const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-bench-'));
const usageFile = path.join(dir, 'usage.txt');

interface Usage {
  wallMs: number;
  cpuMs: number;
  rssMiB: number;
}

function measure(args: readonly string[], env: NodeJS.ProcessEnv): Usage {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ['--require', reporter, ...args], { cwd: repoRoot, env: { ...env, HAKO_BENCH_USAGE: usageFile }, encoding: 'utf8' });
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [cpuMs, rssKiB] = readFileSync(usageFile, 'utf8').split(' ').map(Number);
  return { wallMs, cpuMs: cpuMs!, rssMiB: rssKiB! / 1024 };
}

function quantile(xs: readonly number[], p: number): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
}
const spread = (xs: readonly number[], digits = 0): string =>
  `median ${quantile(xs, 0.5).toFixed(digits)} (p10 ${quantile(xs, 0.1).toFixed(digits)}, p90 ${quantile(xs, 0.9).toFixed(digits)})`;

const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
try {
  const account = await prepareEmulatorAccount(moto.endpoint);
  const env = { ...benchEnv(process.env, { cacheHome: path.join(dir, 'cache') }), AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: DEMO_REGION, ...account.env };
  const deploy = [hako, 'deploy', 'definitions/hello.jsonnet'];
  measure(deploy, env); // the first deploy creates everything; the ones measured change nothing
  // The code caches are written by a build's first three runs of a command (lib/cli/bundle-loader.ts): measure the
  // runs after, as a user's every later deploy runs.
  for (let i = 0; i < 3; i++) measure(deploy, env);
  const bare: Usage[] = [];
  const noop: Usage[] = [];
  const load = [os.loadavg()[0]!];
  for (let i = 0; i < runs; i++) {
    bare.push(measure(['-e', '0'], env));
    noop.push(measure(deploy, env));
  }
  load.push(os.loadavg()[0]!);
  process.stdout.write(`${runs} runs; load average ${load.map((l) => l.toFixed(2)).join(' → ')} on ${os.availableParallelism()} CPUs\n`);
  for (const [name, xs] of [['node -e 0', bare], ['hako deploy hello.jsonnet (no-op)', noop]] as const) {
    process.stdout.write(
      `${name.padEnd(34)} CPU ms ${spread(xs.map((u) => u.cpuMs))}; peak RSS MiB ${spread(xs.map((u) => u.rssMiB))}; wall ms ${spread(xs.map((u) => u.wallMs))}\n`,
    );
  }
  // The host's speed moves both: the per-pair ratio is the figure to compare across days.
  process.stdout.write(`CPU ratio to node -e 0, per pair: ${spread(noop.map((u, i) => u.cpuMs / bare[i]!.cpuMs), 2)}\n`);
  process.stdout.write(`${await jsonnetPatchState()}\n${benchEnvNote(process.env, { ownCaches: true })}\n`);
} finally {
  await moto.stop();
  rmSync(dir, { recursive: true, force: true });
}
