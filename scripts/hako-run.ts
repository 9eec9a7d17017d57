/**
 * One timed run of the real CLI for benchmarks, with the AWS calls it made counted from its own per-call debug
 * messages (`aws.call`, given with `--verbose --output json`, where messages are JSON lines on stderr), split into
 * reads and writes.
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { isMutatingOperation } from '../lib/aws/ports.js';
import { repoRoot } from './moto.js';

const hako = path.join(repoRoot, 'bin', 'hako');

export interface HakoRun {
  what: string;
  ms: number;
  reads: number;
  writes: number;
  /** `Service.Operation` → count. */
  calls: Map<string, number>;
}

export function measureHako(what: string, args: readonly string[], env: NodeJS.ProcessEnv, expectedCode = 0): HakoRun {
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [hako, ...args, '--verbose', '--output', 'json'], { cwd: repoRoot, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== expectedCode) throw new Error(`hako ${args.join(' ')} exited ${r.status}: ${r.stderr.slice(-2000)}\n${r.stdout.slice(-2000)}`);
  const calls = new Map<string, number>();
  let reads = 0;
  let writes = 0;
  for (const line of r.stderr.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line) as { code?: string; data?: { service: string; operation: string } };
    if (m.code !== 'aws.call' || !m.data) continue;
    const key = `${m.data.service}.${m.data.operation}`;
    calls.set(key, (calls.get(key) ?? 0) + 1);
    if (isMutatingOperation(m.data.operation)) writes++;
    else reads++;
  }
  return { what, ms, reads, writes, calls };
}
