/**
 * AWS calls and wall time of the training scenario's Terraform variant (definitions/terraform/) against a local
 * moto server: what Terraform would have made is made first (scripts/terraform-training.ts, not counted), then both
 * apps are deployed, redeployed unchanged, diffed and removed with `--envfile base.env --tfstate STATE`, as users
 * run them. Calls are counted from the CLI's own per-call debug messages (`aws.call` with `--verbose --output json`),
 * split into reads and writes. Usage: node dist/scripts/bench-terraform.js [ROUNDS] (default 3; the median is shown).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { measureHako, type HakoRun } from './hako-run.js';
import { DEMO_REGION } from './emulator-account.js';
import { startMoto } from './moto.js';
import { applyTrainingTerraform, trainingState } from './terraform-training.js';

const dir = path.join('definitions', 'terraform');

type Row = HakoRun;
const measure = measureHako;

const rounds = Number(process.argv[2] ?? 3);
if (!Number.isInteger(rounds) || rounds < 1) throw new Error(`rounds must be a positive integer, got ${process.argv[2]}`);

const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
const tmp = mkdtempSync(path.join(os.tmpdir(), 'hako-bench-terraform-'));
const results: Row[][] = [];
try {
  for (let round = 0; round < rounds; round++) {
    await moto.reset();
    const infra = await applyTrainingTerraform(moto.endpoint, DEMO_REGION);
    const state = path.join(tmp, 'terraform.tfstate');
    writeFileSync(state, trainingState(infra));
    const env = {
      ...process.env,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: DEMO_REGION,
      HAKO_TFSTATE: undefined,
    };
    const run = (what: string, verb: string, app: string, code = 0): Row =>
      measure(what, [verb, '--envfile', path.join(dir, 'base.env'), '--tfstate', state, path.join(dir, `${app}.jsonnet`)], env, code);
    results.push([
      run('deploy nodejs', 'deploy', 'nodejs'),
      run('deploy golang', 'deploy', 'golang'),
      run('redeploy nodejs (no-op)', 'deploy', 'nodejs'),
      run('redeploy golang (no-op)', 'deploy', 'golang'),
      run('diff nodejs (no changes)', 'diff', 'nodejs'),
      run('diff golang (no changes)', 'diff', 'golang'),
      run('remove nodejs', 'remove', 'nodejs'),
      run('remove golang', 'remove', 'golang'),
    ]);
  }
} finally {
  rmSync(tmp, { recursive: true, force: true });
  await moto.stop();
}

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)]!;
};
const first = results[0]!;
process.stdout.write(`Terraform variant of the training scenario, ${rounds} round(s) against moto; wall time is the median\n\n`);
process.stdout.write(`${'run'.padEnd(28)} ${'wall'.padStart(8)} ${'reads'.padStart(6)} ${'writes'.padStart(6)}\n`);
first.forEach((row, i) => {
  const ms = median(results.map((r) => r[i]!.ms));
  // Calls are deterministic; a round that differs would be a finding, so say so.
  const same = results.every((r) => r[i]!.reads === row.reads && r[i]!.writes === row.writes);
  process.stdout.write(`${row.what.padEnd(28)} ${`${ms.toFixed(0)} ms`.padStart(8)} ${String(row.reads).padStart(6)} ${String(row.writes).padStart(6)}${same ? '' : '  (calls differ between rounds)'}\n`);
});
for (const row of first) process.stdout.write(`\n${row.what}: ${[...row.calls].map(([k, n]) => `${k}×${n}`).join(', ')}\n`);
