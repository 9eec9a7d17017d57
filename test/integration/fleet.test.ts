/**
 * Fifty apps in one run through the fault-injecting proxy, its throttling mode on: every app ends deployed (each
 * service once, each with one revision), and what reached the wire stayed within ECS's published request buckets
 * — the run's one rate budget per service and region held for all fifty apps together, retries included, so
 * throttling did not grow into a storm of retries.
 */
import { expect } from 'chai';
import { DescribeServicesCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { fleetAppIds, writeFleetDefinitions } from '../../scripts/fleet-definitions.js';
import { runHako } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { useAwsProxy, type RecordedCall } from './harness/aws-proxy.js';
import { defaultFaultSeed } from './harness/aws-fault-plan.js';
import { useMoto } from './harness/moto.js';

const APPS = 50;
const CLUSTER = 'hako-demo';

/**
 * ECS's published buckets (AmazonECS/latest/APIReference/request-throttling.html), written out here rather than
 * imported from lib/aws/rate-figures.ts: the test checks hako against the documentation, not against itself.
 */
const ECS_BUCKETS: readonly { name: string; operations: readonly string[]; capacity: number; refillPerSecond: number }[] = [
  { name: 'task definition modify', operations: ['RegisterTaskDefinition', 'DeregisterTaskDefinition'], capacity: 20, refillPerSecond: 1 },
  { name: 'task definition read', operations: ['DescribeTaskDefinition', 'ListTaskDefinitions'], capacity: 50, refillPerSecond: 20 },
  { name: 'service modify', operations: ['CreateService', 'UpdateService', 'DeleteService'], capacity: 50, refillPerSecond: 5 },
  { name: 'service read', operations: ['DescribeServices', 'ListServices'], capacity: 100, refillPerSecond: 20 },
  { name: 'cluster resource read', operations: ['DescribeTasks', 'ListTasks', 'DescribeContainerInstances'], capacity: 100, refillPerSecond: 20 },
];

/**
 * Replays the calls that reached the wire through a token bucket: the most tokens it ever owed (0 means a real
 * ECS would have let every request through). Each attempt counts, throttled or not: each cost a token at AWS.
 */
function worstDebt(calls: readonly RecordedCall[], capacity: number, refillPerSecond: number): { debt: number; at?: number } {
  let tokens = capacity;
  let last = calls[0]?.startedAt ?? 0;
  let worst = { debt: 0, at: undefined as number | undefined };
  for (const call of [...calls].sort((a, b) => a.startedAt - b.startedAt)) {
    tokens = Math.min(capacity, tokens + ((call.startedAt - last) / 1000) * refillPerSecond);
    last = call.startedAt;
    tokens -= 1;
    if (-tokens > worst.debt) worst = { debt: -tokens, at: call.startedAt };
  }
  return worst;
}

describe('integration: fifty apps in one run under throttling (fault-injecting proxy)', function () {
  this.timeout(600_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const proxy = useAwsProxy(moto);

  it('deploys all fifty, each once, and keeps every ECS bucket within its published burst and rate', async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-fleet-'));
    writeFleetDefinitions(dir, APPS, { cluster: CLUSTER, region: moto.region() });
    const seed = defaultFaultSeed();
    proxy.proxy().randomFaults({ seed, rate: 0.1, modes: ['throttle'] });
    const why = `seed ${seed} (replay with HAKO_FAULT_SEED=${seed})`;

    const started = Date.now();
    const r = await runHako(['deploy', '--output', 'json', dir], { env: { ...proxy.env(), AWS_PROFILE: undefined, ...account.env }, cwd: repoRoot });
    const wallMs = Date.now() - started;
    // On failure, what went wrong: the error lines and the apps that did not end deployed (the log is long).
    const problems = r.stderr
      .split('\n')
      .filter((l) => /"level":"error"|"code":"fleet\.app\.finished"/.test(l) && !/"result":"deployed"/.test(l))
      .join('\n');
    if (r.code !== 0) writeFileSync(path.join(dir, 'stderr.log'), r.stderr);
    expect(r.code, `${why}\n${problems}\n${r.stderr.slice(-1500)}\n(whole log: ${path.join(dir, 'stderr.log')})`).to.equal(0);
    const doc = JSON.parse(r.stdout) as { apps: { app: string; result: string; revision: string }[] };
    expect(doc.apps.map((a) => [a.app, a.result, a.revision]), why).to.deep.equal(fleetAppIds(APPS).map((id) => [id, 'deployed', `${id}:1`]));

    const calls = proxy.calls().filter((c) => c.service === 'ECS');
    const throttled = calls.filter((c) => c.faulted === 'throttle').length;
    expect(throttled, `${why}: no throttling was injected, the test proves nothing`).to.be.greaterThan(0);
    for (const bucket of ECS_BUCKETS) {
      const inBucket = calls.filter((c) => bucket.operations.includes(c.operation));
      const { debt, at } = worstDebt(inBucket, bucket.capacity, bucket.refillPerSecond);
      // One token of slack: the proxy timestamps arrivals, a little after hako let each request go.
      expect(debt, `${why}: ${bucket.name} (${inBucket.length} requests) overdrew its bucket by ${debt.toFixed(2)} at +${((at ?? started) - started) / 1000}s`).to.be.at.most(1);
    }
    // Fifty registrations through a bucket of 20 refilled at 1/s take half a minute at the least: the budget held.
    const registrations = calls.filter((c) => c.operation === 'RegisterTaskDefinition');
    expect(registrations.length, why).to.be.at.least(APPS);
    const span = (registrations.at(-1)!.startedAt - registrations[0]!.startedAt) / 1000;
    expect(span, why).to.be.at.least((registrations.length - 20) / 1 - 1);
    // Throttled requests were retried, not multiplied: a few attempts more than the calls throttled, no storm.
    const attemptsPerCall = calls.length / new Set(calls.map((c) => c.invocationId ?? `${c.operation}${c.startedAt}`)).size;
    expect(attemptsPerCall, why).to.be.below(1.5);

    // What moto holds: every service once, ACTIVE, on its one revision.
    const ecs = new ECSClient(motoClientConfig(moto));
    try {
      for (let i = 0; i < APPS; i += 10) {
        const ids = fleetAppIds(APPS).slice(i, i + 10);
        const services = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ids }))).services ?? [];
        expect(services.map((s) => [s.serviceName, s.status, s.taskDefinition?.split('/').pop()]), why).to.deep.equal(ids.map((id) => [id, 'ACTIVE', `${id}:1`]));
      }
      // moto reads familyPrefix as a whole family name: list them all.
      const revisions = ((await ecs.send(new ListTaskDefinitionsCommand({ maxResults: 100 }))).taskDefinitionArns ?? []).filter((a) => a.includes(':task-definition/fleet-app-'));
      expect(revisions, why).to.have.length(APPS);
    } finally {
      ecs.destroy();
    }
    process.stdout.write(`      (${APPS} apps in ${(wallMs / 1000).toFixed(1)} s; ${calls.length} ECS requests, ${throttled} throttled)\n`);
  });
});
