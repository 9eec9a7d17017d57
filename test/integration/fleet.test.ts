/**
 * Fifty apps in one run through the fault-injecting proxy, its throttling mode on, and ECS's published request
 * quotas enforced the way ECS enforces them (moto enforces none): every app ends deployed (each service once, each
 * with one revision), and the run's one rate budget per service and region kept all fifty apps together from
 * turning throttling into a storm of retries. The budget starts at the published figures and probes above them
 * until AWS first throttles (lib/aws/rate-budget.ts): against these quotas, that may cost a few requests over
 * quota, never a stream of them.
 */
import { expect } from 'chai';
import { DescribeServicesCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { fleetAppIds, writeFleetDefinitions } from '../../scripts/fleet-definitions.js';
import { runHako } from '../helpers/cli.js';
import { hakoBin, repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { formatCalls, useAwsProxy, type QuotaBucket, type RecordedCall } from './harness/aws-proxy.js';
import { defaultFaultSeed } from './harness/aws-fault-plan.js';
import { useMoto } from './harness/moto.js';

const APPS = 50;
const CLUSTER = 'hako-demo';

/**
 * ECS's published buckets (AmazonECS/latest/APIReference/request-throttling.html), written out here rather than
 * imported from lib/aws/rate-figures.ts: the test checks hako against the documentation, not against itself.
 */
const ECS_BUCKETS: readonly QuotaBucket[] = [
  { name: 'task definition modify', service: 'ECS', operations: ['RegisterTaskDefinition', 'DeregisterTaskDefinition'], capacity: 20, refillPerSecond: 1 },
  { name: 'task definition read', service: 'ECS', operations: ['DescribeTaskDefinition', 'ListTaskDefinitions'], capacity: 50, refillPerSecond: 20 },
  { name: 'service modify', service: 'ECS', operations: ['CreateService', 'UpdateService', 'DeleteService'], capacity: 50, refillPerSecond: 5 },
  { name: 'service read', service: 'ECS', operations: ['DescribeServices', 'ListServices'], capacity: 100, refillPerSecond: 20 },
  { name: 'cluster resource read', service: 'ECS', operations: ['DescribeTasks', 'ListTasks', 'DescribeContainerInstances'], capacity: 100, refillPerSecond: 20 },
];

/**
 * The most requests of one bucket ECS may throttle for being over quota. The budget goes over only while probing
 * (before the bucket's first throttle) and by at most the requests in flight then, at most --parallel (4) for a
 * bucket each app uses once at a time; a bucket that recovers to its published rate after a throttle can meet the
 * quota's edge again by a request, as the two clocks differ by the network's delay.
 */
const MAX_OVER_QUOTA = 8;

interface FleetRun {
  readonly calls: RecordedCall[];
  readonly wallMs: number;
  readonly overQuota: Map<string, number>;
}

describe('integration: fifty apps in one run under throttling (fault-injecting proxy)', function () {
  this.timeout(600_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const proxy = useAwsProxy(moto);
  // moto is reset before each test: the account (VPC, cluster) is made again for each.
  let account: { readonly env: NodeJS.ProcessEnv };
  beforeEach(async () => {
    account = await prepareEmulatorAccount(moto.endpoint());
  });

  /**
   * `hako deploy --output json DIR` of the fifty apps; asserts that it exits 0, that every app reports itself
   * deployed on `revision`, and that moto holds every service once, ACTIVE, on that revision. Returns the ECS calls.
   */
  async function deployFleet(dir: string, env: NodeJS.ProcessEnv, revision: number, why: string): Promise<FleetRun> {
    proxy.clearCalls();
    const started = Date.now();
    const r = await runHako(['deploy', '--output', 'json', dir], { env: { ...proxy.env(), AWS_PROFILE: undefined, ...account.env, ...env }, cwd: repoRoot });
    const wallMs = Date.now() - started;
    // On failure, what went wrong: the error lines and the apps that did not end deployed (the log is long).
    const problems = r.stderr
      .split('\n')
      .filter((l) => /"level":"error"|"code":"fleet\.app\.finished"/.test(l) && !/"result":"deployed"/.test(l))
      .join('\n');
    if (r.code !== 0) writeFileSync(path.join(dir, 'stderr.log'), r.stderr);
    expect(r.code, `${why}\n${problems}\n${r.stderr.slice(-1500)}\n(whole log: ${path.join(dir, 'stderr.log')})`).to.equal(0);
    const doc = JSON.parse(r.stdout) as { apps: { app: string; result: string; revision: string }[] };
    expect(doc.apps.map((a) => [a.app, a.result, a.revision]), why).to.deep.equal(fleetAppIds(APPS).map((id) => [id, 'deployed', `${id}:${revision}`]));

    // What moto holds: every service once, ACTIVE, on that revision.
    const ecs = new ECSClient(motoClientConfig(moto));
    try {
      for (let i = 0; i < APPS; i += 10) {
        const ids = fleetAppIds(APPS).slice(i, i + 10);
        const services = (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: ids }))).services ?? [];
        expect(services.map((s) => [s.serviceName, s.status, s.taskDefinition?.split('/').pop()]), why).to.deep.equal(
          ids.map((id) => [id, 'ACTIVE', `${id}:${revision}`]),
        );
      }
      // moto reads familyPrefix as a whole family name: list them all.
      const revisions = ((await ecs.send(new ListTaskDefinitionsCommand({ maxResults: 100 }))).taskDefinitionArns ?? []).filter((a) => a.includes(':task-definition/fleet-app-'));
      expect(revisions, why).to.have.length(APPS * revision);
    } finally {
      ecs.destroy();
    }

    const calls = proxy.calls().filter((c) => c.service === 'ECS');
    const overQuota = new Map<string, number>();
    for (const c of calls) if (c.overQuota !== undefined) overQuota.set(c.overQuota, (overQuota.get(c.overQuota) ?? 0) + 1);
    for (const [bucket, count] of overQuota) expect(count, `${why}: ${count} requests over the ${bucket} quota`).to.be.at.most(MAX_OVER_QUOTA);
    // Throttled requests were retried, not multiplied: a few attempts more than the calls throttled, no storm.
    const attemptsPerCall = calls.length / new Set(calls.map((c) => c.invocationId ?? `${c.operation}${c.startedAt}`)).size;
    expect(attemptsPerCall, why).to.be.below(1.5);
    return { calls, wallMs, overQuota };
  }

  const report = (what: string, run: FleetRun): void => {
    const throttled = run.calls.filter((c) => c.faulted === 'throttle').length;
    const over = [...run.overQuota].map(([bucket, count]) => `${count} ${bucket}`).join(', ') || 'none';
    process.stdout.write(`      (${what}: ${APPS} apps in ${(run.wallMs / 1000).toFixed(1)} s; ${run.calls.length} ECS requests, ${throttled} throttled, over quota: ${over})\n`);
  };

  it('deploys all fifty, each once, against ECS-enforced quotas and random throttling, with a few requests over quota at most', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-fleet-'));
    writeFleetDefinitions(dir, APPS, { cluster: CLUSTER, region: moto.region() });
    const seed = defaultFaultSeed();
    proxy.proxy().randomFaults({ seed, rate: 0.1, modes: ['throttle'] });
    proxy.proxy().enforceQuotas(ECS_BUCKETS);
    const why = `seed ${seed} (replay with HAKO_FAULT_SEED=${seed})`;

    const run = await deployFleet(dir, {}, 1, why);
    const injected = run.calls.filter((c) => c.faulted === 'throttle' && c.overQuota === undefined).length;
    expect(injected, `${why}: no throttling was injected, the test proves nothing`).to.be.greaterThan(0);
    const registrations = run.calls.filter((c) => c.operation === 'RegisterTaskDefinition' && c.faulted === undefined);
    expect(registrations.length, why).to.equal(APPS);
    report('first deploy, random throttling', run);
  });

  it('a changed deploy of all fifty probes above the published RegisterTaskDefinition rate, and stops at its first throttle', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-fleet-'));
    writeFleetDefinitions(dir, APPS, { cluster: CLUSTER, region: moto.region() });
    // Revision 1 of every app, quickly: no quotas and no budget.
    await deployFleet(dir, { HAKO_AWS_RATE_SCALE: 'off' }, 1, 'set-up');

    proxy.proxy().enforceQuotas(ECS_BUCKETS);
    const run = await deployFleet(dir, { RELEASE: '2' }, 2, 'changed deploy');
    // Fifty registrations at once, against 20 then 1/s: once past the burst, a budget that probes goes over the
    // quota (each accepted request raises the rate above 1/s), and the throttle ends the probing within a few.
    const registrations = run.calls.filter((c) => c.operation === 'RegisterTaskDefinition');
    expect(registrations.filter((c) => c.faulted === undefined), formatCalls(registrations)).to.have.length(APPS);
    expect(run.overQuota.get('task definition modify') ?? 0, formatCalls(registrations)).to.be.within(1, MAX_OVER_QUOTA);
    // After the throttle the registrations keep to the quota: none of the last twenty was throttled.
    expect(registrations.slice(-20).filter((c) => c.overQuota !== undefined), formatCalls(registrations)).to.deep.equal([]);
    report('changed deploy, quotas only', run);
  });
  it('Ctrl-C while requests wait in the rate budget ends the run at once (130), and none of them is sent after it', async () => {
    const apps = 10;
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-fleet-'));
    writeFleetDefinitions(dir, apps, { cluster: CLUSTER, region: moto.region() });
    // Figures × 0.05: RegisterTaskDefinition bursts 1, then one per 20 s. The first app registers at once; the next
    // ones wait for their turn, far longer than this test lasts.
    const child = spawn(process.execPath, [hakoBin, 'deploy', dir], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...proxy.env(), AWS_PROFILE: undefined, ...account.env, HAKO_AWS_RATE_SCALE: '0.05' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    let interruptedAt: number | undefined;
    const closed = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    const onData = (d: string): void => {
      output += d;
      if (interruptedAt === undefined && output.includes('✓ deployed')) {
        // Give the apps behind it time to queue their registrations, then interrupt.
        setTimeout(() => {
          interruptedAt = Date.now();
          child.kill('SIGINT');
        }, 500);
      }
    };
    child.stdout.setEncoding('utf8').on('data', onData);
    child.stderr.setEncoding('utf8').on('data', onData);
    const code = await closed;
    const endedAt = Date.now();
    expect(interruptedAt, `no app was deployed first:\n${output}`).to.not.equal(undefined);
    expect(code, output).to.equal(130);
    // The next token was 20 s away: the waits ended with the interrupt, not with their turn.
    expect(endedAt - interruptedAt!, output).to.be.below(10_000);
    const registrations = proxy.calls().filter((c) => c.operation === 'RegisterTaskDefinition');
    expect(registrations.filter((c) => c.startedAt >= interruptedAt!), formatCalls(registrations)).to.deep.equal([]);
    expect(output).to.match(/interrupted/);
  });
});
