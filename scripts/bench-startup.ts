/**
 * Start-up cost of `hako show-definition definitions/hello.jsonnet` against a bare `node -e 0` on the same
 * machine (median and spread of N runs each, interleaved so load affects both alike), and the modules it loads:
 * no @aws-sdk (or @kubernetes/client-node) module may be among them.
 * Usage: node dist/scripts/bench-startup.js [runs=30]
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from './moto.js';

const runs = Number(process.argv[2] ?? 30);
const hako = path.join(repoRoot, 'bin', 'hako');
const definition = path.join(repoRoot, 'definitions', 'hello.jsonnet');

function time(args: string[]): number {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, args, { stdio: ['ignore', 'ignore', 'inherit'] });
  if (r.status !== 0) throw new Error(`${args.join(' ')} exited ${r.status}`);
  return Number(process.hrtime.bigint() - start) / 1e6;
}

function stats(xs: number[]): string {
  const s = [...xs].sort((a, b) => a - b);
  const q = (p: number) => s[Math.min(s.length - 1, Math.floor(p * s.length))]!;
  return `median ${q(0.5).toFixed(0)} ms (p10 ${q(0.1).toFixed(0)}, p90 ${q(0.9).toFixed(0)})`;
}

const bare: number[] = [];
const show: number[] = [];
time([hako, 'show-definition', definition]); // warm the file cache once
for (let i = 0; i < runs; i++) {
  bare.push(time(['-e', '0']));
  show.push(time([hako, 'show-definition', definition]));
}
process.stdout.write(`node -e 0:                         ${stats(bare)}\n`);
process.stdout.write(`hako show-definition hello.jsonnet: ${stats(show)}\n`);

const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-trace-'));
const trace = path.join(dir, 'modules.txt');
const r = spawnSync(process.execPath, ['--import', path.join(repoRoot, 'dist', 'scripts', 'trace-modules.js'), hako, 'show-definition', definition], {
  env: { ...process.env, HAKO_TRACE_FILE: trace },
  stdio: ['ignore', 'ignore', 'inherit'],
});
const modules = [...new Set(readFileSync(trace, 'utf8').split('\n').filter(Boolean))];
rmSync(dir, { recursive: true, force: true });
const sdk = modules.filter((m) => m.includes('/@aws-sdk/') || m.includes('/@smithy/') || m.includes('/@kubernetes/client-node/'));
process.stdout.write(`modules loaded: ${modules.length}; @aws-sdk/@smithy/@kubernetes among them: ${sdk.length}${sdk.length ? ` (${sdk.slice(0, 3).join(', ')}…)` : ''}\n`);
if (r.status !== 0 || sdk.length > 0) process.exitCode = 1;
