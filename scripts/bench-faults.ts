/**
 * The fault suite's figures: N seeds of deploy → redeploy → remove of the Fargate + ALB + Route 53 example
 * through the fault-injecting proxy (20% of hako's requests fail: 500, 503, throttling, connection dropped after
 * the server acted), against a moto this script starts. Prints per-seed lines and the totals the issue asks for:
 * runs, ok, clear failures, unclear failures, duplicates, leftovers after one remove, non-converging re-runs.
 *
 *   node dist/scripts/bench-faults.js [seeds=20] [rate=0.2]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startMoto } from './moto.js';
import { AwsProxy } from '../test/integration/harness/aws-proxy.js';
import { runFaultScenario } from '../test/integration/harness/fault-scenario.js';
import { runHako } from '../test/helpers/cli.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

async function main(): Promise<void> {
  const seeds = Number(process.argv[2] ?? 20);
  const rate = Number(process.argv[3] ?? 0.2);
  const region = 'ap-northeast-1';
  const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const proxy = await AwsProxy.start(moto.endpoint);
  const totals = { runs: 0, ok: 0, clear: 0, unclear: 0, duplicates: 0, leftovers: 0, notConverged: 0, faults: 0, extraRevisions: 0 };
  try {
    for (let i = 0; i < seeds; i++) {
      const seed = 1000 + i;
      const r = await runFaultScenario(
        {
          motoEndpoint: moto.endpoint,
          region,
          proxy,
          env: { ...process.env, AWS_ENDPOINT_URL: proxy.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: region, AWS_PROFILE: undefined, AWS_EC2_METADATA_DISABLED: 'true' },
          hako: (args, env) => runHako([...args], { env, cwd: repoRoot }),
          reset: () => moto.reset(),
        },
        seed,
        rate,
      );
      for (const run of r.runs) {
        totals.runs += 1;
        totals.faults += run.faults;
        if (run.code === 0) totals.ok += 1;
        else if (run.clear) totals.clear += 1;
        else totals.unclear += 1;
        if (run.code !== 0 && run.rerunCode !== 0) totals.notConverged += 1;
      }
      totals.duplicates += r.duplicates.length;
      totals.leftovers += r.leftoversAfterRemove.length > 0 ? 1 : 0;
      totals.extraRevisions += Math.max(0, r.revisionsAfterDeploy - 1) + Math.max(0, r.revisionsAfterRedeploy - r.revisionsAfterDeploy);
      const runs = r.runs.map((x) => `${x.command}:${x.code}${x.code === 0 ? '' : x.clear ? '(clear)' : '(UNCLEAR)'}/${x.faults}f`).join(' ');
      process.stdout.write(
        `seed ${seed}: ${runs} dup=[${r.duplicates.join('; ')}] left=[${r.leftoversAfterRemove.join('; ')}]${r.runs.filter((x) => x.error).map((x) => `\n    ${x.command}: ${x.error}`).join('')}\n`,
      );
    }
  } finally {
    await proxy.stop();
    await moto.stop();
  }
  process.stdout.write(
    `\n${seeds} scenarios, ${totals.runs} runs, ${totals.faults} injected faults: ok ${totals.ok}, clear failures ${totals.clear}, unclear failures ${totals.unclear}, ` +
      `duplicates ${totals.duplicates}, extra revisions ${totals.extraRevisions}, removes leaving something ${totals.leftovers}, re-runs not converging ${totals.notConverged}\n`,
  );
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
