/**
 * The main job, end to end against a local AWS emulator: start moto, set up the account (clusters, bucket, zone,
 * security group), then drive the real CLI — deploy the front-proxy app and the Fargate app with its ALB and DNS
 * record, show status, run a oneshot, show that a redeploy changes nothing — and stop the emulator.
 * Run it with `bash scripts/demo.sh` (installs first) or `node dist/scripts/demo.js` (after a build).
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { prepareEmulatorAccount, DEMO_REGION } from './emulator-account.js';
import { repoRoot, startMoto } from './moto.js';

const hako = path.join(repoRoot, 'bin', 'hako');

function step(title: string): void {
  process.stdout.write(`\n\x1b[1m== ${title}\x1b[0m\n`);
}

function run(args: string[], env: NodeJS.ProcessEnv, expectCode = 0): void {
  process.stdout.write(`$ hako ${args.join(' ')}\n`);
  const r = spawnSync(process.execPath, [hako, ...args], { cwd: repoRoot, env, stdio: 'inherit' });
  if (r.status !== expectCode) throw new Error(`hako ${args.join(' ')} exited ${r.status} (expected ${expectCode})`);
}

async function main(): Promise<void> {
  step('Starting the local AWS emulator (moto)');
  // Services report as many running tasks as the examples' desired_count, so rollouts complete in the emulator.
  const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  try {
    process.stdout.write(`moto listening on ${moto.endpoint}\n`);
    const account = await prepareEmulatorAccount(moto.endpoint);
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: DEMO_REGION,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...account.env,
    };

    step('Deploy hello: nginx front proxy (config uploaded to S3) + app + redis, log group');
    run(['diff', 'definitions/hello.jsonnet'], env, 16);
    run(['deploy', 'definitions/hello.jsonnet'], env);
    step('Redeploy without changes: nothing to do');
    run(['deploy', 'definitions/hello.jsonnet'], env);
    run(['diff', 'definitions/hello.jsonnet'], env, 0);
    step('Status');
    run(['status', 'definitions/hello.jsonnet'], env);

    step('Deploy hello-fargate: Fargate + its own ALB, a DNS record in demo.hako.test, log group');
    run(['deploy', 'definitions/hello-fargate.jsonnet'], env);
    run(['status', 'definitions/hello-fargate.jsonnet'], env);
    // Fargate, because the emulator cannot place EC2-launch-type tasks without registered container instances.
    step('A oneshot task with the app image, exit code passed through');
    run(['oneshot', 'definitions/hello-fargate.jsonnet', '--', 'echo', 'hello from a oneshot'], env);
    step('Remove hello-fargate: service, listener, target group, load balancer and DNS record');
    run(['remove', 'definitions/hello-fargate.jsonnet'], env);
  } finally {
    step('Stopping the emulator');
    await moto.stop();
  }
  process.stdout.write('\nDemo finished.\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`demo failed: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
