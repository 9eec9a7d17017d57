/**
 * How long the local Kubernetes control plane takes: to build (with --warm-build: the cached binaries are deleted,
 * Go's module and build caches kept, and scripts/kube/build.sh timed), to start until ready (median of N runs,
 * each component's ready time from the start), and to stop (each process, default grace period; and once with a
 * long grace period, to see how long the API server's graceful shutdown takes).
 * Usage: node dist/scripts/kube/bench-startup.js [runs=5] [--warm-build]
 */
import { spawnSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../moto.js';
import { ensureEtcd, ensureKubeBinaries, startKubeControlPlane } from './control-plane.js';

const args = process.argv.slice(2);
const runs = Number(args.find((a) => /^\d+$/.test(a)) ?? 5);
const out = (line: string) => process.stdout.write(`${line}\n`);

function summary(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const median = s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
  return `median ${median.toFixed(0)} ms (min ${s[0]!.toFixed(0)}, max ${s[s.length - 1]!.toFixed(0)}, n=${s.length})`;
}

if (args.includes('--warm-build')) {
  const script = path.join(repoRoot, 'scripts', 'kube', 'build.sh');
  const binDir = spawnSync('bash', [script, '--bin-dir'], { encoding: 'utf8' }).stdout.trim();
  rmSync(binDir, { recursive: true, force: true });
  const t = Date.now();
  const r = spawnSync('bash', [script], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error('build.sh failed');
  out(`warm build (binaries deleted, Go caches kept): ${((Date.now() - t) / 1000).toFixed(1)} s`);
}

const binDir = await ensureKubeBinaries();
const etcd = await ensureEtcd();
const ready: Record<string, number[]> = {};
const stops: Record<string, number[]> = {};
for (let i = 0; i < runs; i++) {
  const plane = await startKubeControlPlane({ binDir, etcd, log: () => undefined });
  for (const [what, ms] of Object.entries(plane.timings)) (ready[what] ??= []).push(ms);
  const t = Date.now();
  const took = await plane.stop();
  (stops.total ??= []).push(Date.now() - t);
  for (const [what, ms] of Object.entries(took)) (stops[what] ??= []).push(ms);
}
out(`start until ready (ms since start), ${runs} runs:`);
for (const [what, xs] of Object.entries(ready)) out(`  ${what.padEnd(34)} ${summary(xs)}`);
out('stop (2 s grace, then SIGKILL):');
for (const [what, xs] of Object.entries(stops)) out(`  ${what.padEnd(34)} ${summary(xs)}`);

const graceful = await startKubeControlPlane({ binDir, etcd, log: () => undefined, stopGraceMs: 60_000 });
const took = await graceful.stop();
out(`stop with a 60 s grace period: ${Object.entries(took).map(([k, v]) => `${k} ${v} ms`).join(', ')}`);
