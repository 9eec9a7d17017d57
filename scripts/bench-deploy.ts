/**
 * AWS calls and wall time of real CLI runs against a local moto server: a first deploy, an unchanged redeploy and
 * a `--tag` deploy of definitions/hello.jsonnet, then the two-service training scenario (nodejs + golang behind
 * one ALB) deployed and removed. Calls are counted from the CLI's own per-call debug messages (`aws.call`), split
 * into reads and writes. Usage: node dist/scripts/bench-deploy.js
 */
import { measureHako } from './hako-run.js';
import { prepareEmulatorAccount, DEMO_REGION } from './emulator-account.js';
import { startMoto } from './moto.js';


const measure = measureHako;

const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
try {
  const account = await prepareEmulatorAccount(moto.endpoint);
  const env = { ...process.env, AWS_ENDPOINT_URL: moto.endpoint, AWS_ACCESS_KEY_ID: 'testing', AWS_SECRET_ACCESS_KEY: 'testing', AWS_REGION: DEMO_REGION, ...account.env };
  const rows = [
    measure('hello: first deploy', ['deploy', 'definitions/hello.jsonnet'], env),
    measure('hello: unchanged redeploy', ['deploy', 'definitions/hello.jsonnet'], env),
    measure('hello: deploy --tag v2', ['deploy', '--tag', 'v2', 'definitions/hello.jsonnet'], env),
    measure('training: deploy nodejs', ['deploy', 'definitions/nodejs.jsonnet'], env),
    measure('training: deploy golang', ['deploy', 'definitions/golang.jsonnet'], env),
    measure('training: redeploy nodejs (no-op)', ['deploy', 'definitions/nodejs.jsonnet'], env),
    measure('training: remove nodejs', ['remove', 'definitions/nodejs.jsonnet'], env),
    measure('training: remove golang', ['remove', 'definitions/golang.jsonnet'], env),
  ];
  process.stdout.write(`${'run'.padEnd(38)} ${'wall'.padStart(8)} ${'reads'.padStart(6)} ${'writes'.padStart(6)}\n`);
  for (const r of rows) {
    process.stdout.write(`${r.what.padEnd(38)} ${`${r.ms.toFixed(0)} ms`.padStart(8)} ${String(r.reads).padStart(6)} ${String(r.writes).padStart(6)}\n`);
  }
  for (const r of rows) {
    process.stdout.write(`\n${r.what}: ${[...r.calls].map(([k, n]) => `${k}×${n}`).join(', ')}\n`);
  }
} finally {
  await moto.stop();
}
