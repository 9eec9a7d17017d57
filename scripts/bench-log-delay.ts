/**
 * How long a oneshot's log line takes to show: a moto this script starts holds a oneshot task RUNNING while the
 * script writes lines into the app container's awslogs stream at random moments, and times each line from the
 * PutLogEvents answer to the moment `hako oneshot` printed it. Prints the median, the 90th percentile and the
 * maximum, and the GetLogEvents calls hako made per minute.
 *
 *   node dist/scripts/bench-log-delay.js [lines=20]
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import { startMoto } from './moto.js';
import { prepareEmulatorAccount } from './emulator-account.js';
import { AwsProxy, callName } from '../test/integration/harness/aws-proxy.js';
import { startHako, TaskLogWriter } from '../test/integration/harness/live-hako.js';

const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const FIXTURE = path.join(repoRoot, 'test', 'fixtures', 'integration', 'oneshot-logs.jsonnet');
const GROUP = '/hako/oneshot-logs';

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((sorted.length - 1) * p))] ?? NaN;
}

async function main(): Promise<void> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const count = Number(process.argv[2] ?? 20);
  const region = 'ap-northeast-1';
  const moto = await startMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const proxy = await AwsProxy.start(moto.endpoint);
  const config = { endpoint: moto.endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const ecs = new ECSClient(config);
  const logs = new TaskLogWriter(config);
  try {
    const account = await prepareEmulatorAccount(moto.endpoint, region);
    await logs.createGroup(GROUP);
    const res = await fetch(`${moto.endpoint}/moto-api/state-manager/set-transition`, {
      method: 'POST',
      body: JSON.stringify({ model_name: 'ecs::task', transition: { progression: 'manual', times: 1_000_000 } }),
    });
    await res.arrayBuffer();
    const env = {
      AWS_ENDPOINT_URL: proxy.endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: region,
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
      ...account.env,
    };
    const run = startHako(['oneshot', FIXTURE, '--', 'bench'], { env, cwd: repoRoot });
    const started = await run.waitForLine(/Started task: (arn:[^\s"]+)/);
    const taskArn = started[1]!;
    const stream = `oneshot/app/${taskArn.split('/').pop()}`;
    const begin = performance.now();
    const delays: number[] = [];
    for (let i = 0; i < count; i++) {
      // Random gaps (0.2–3 s) so writes fall anywhere within hako's polling interval, short or stretched.
      await new Promise((r) => setTimeout(r, 200 + Math.random() * 2800));
      const message = `bench line ${i}`;
      await logs.put(GROUP, stream, [{ timestamp: Date.now(), message }]);
      const written = performance.now();
      await run.waitForLine(new RegExp(`${message}$`), 60_000);
      const shown = run.lines().find((l) => l.text.endsWith(message))!.at;
      delays.push(shown - written);
    }
    const minutes = (performance.now() - begin) / 60_000;
    await ecs.send(new StopTaskCommand({ cluster: 'hako-demo', task: taskArn }));
    await run.exited;
    const sorted = [...delays].sort((a, b) => a - b);
    const getLogEvents = proxy.calls().filter((c) => callName(c) === 'CloudWatchLogs GetLogEvents').length;
    console.log(`lines: ${count}`);
    console.log(`delay from PutLogEvents to printed line: median ${percentile(sorted, 0.5).toFixed(0)} ms, p90 ${percentile(sorted, 0.9).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms`);
    console.log(`GetLogEvents calls: ${getLogEvents} in ${minutes.toFixed(2)} min (${(getLogEvents / minutes).toFixed(1)}/min, one stream)`);
  } finally {
    ecs.destroy();
    logs.destroy();
    await proxy.stop();
    await moto.stop();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exit(1);
});
