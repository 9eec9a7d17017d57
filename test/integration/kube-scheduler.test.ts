/**
 * The kubernetes scheduler end to end: the real CLI (bin/hako) against a real API server, controller manager and
 * scheduler with kwok's fake node (harness/kube.ts), a namespace per test. Every assertion is on what the API
 * server holds afterwards (read back through the KubeApi port) or on what it counted (its /metrics), besides the
 * CLI's exit code and output.
 *
 * The app is test/fixtures/integration/kube/kweb.jsonnet; --ext-str varies it. Its pod annotations pass kwok the
 * exit code and run time of run-to-completion pods (scheduler.pod_annotations, a real config key).
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';
import { EXIT_CODE_ANNOTATION, criLogLine } from '../../scripts/kube/kwok-config.js';
import { createKubeClients } from '../../lib/kube/factory.js';
import type { KubeApi, KubeKind, KubeManifest, KubeObjects } from '../../lib/kube/ports.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, hakoBin } from '../helpers/paths.js';
import { useKube } from './harness/kube.js';

const APP = fixture('integration', 'kube', 'kweb.jsonnet');
const WAIT_MS = 120_000;

interface Vars {
  greeting?: string;
  cpu?: number;
  deadline?: number;
  exitCode?: number;
  runDuration?: string;
}

describe('integration: the kubernetes scheduler against a real API server', function () {
  this.timeout(600_000);
  const kube = useKube();
  let api: KubeApi;

  before(async () => {
    api = await createKubeClients({ kubeconfig: kube.kubeconfigPath(), userAgentVersion: 'integration' }).kube();
  });

  function extStr(vars: Vars): string[] {
    const v = { greeting: 'hello', cpu: 256, deadline: 600, exitCode: 0, runDuration: '0s', ...vars };
    return [
      ['namespace', kube.namespace()],
      ['greeting', v.greeting],
      ['cpu', String(v.cpu)],
      ['deadline', String(v.deadline)],
      ['exit_code', String(v.exitCode)],
      ['run_duration', v.runDuration],
    ].flatMap(([k, val]) => ['--ext-str', `${k}=${val}`]);
  }

  function hako(verb: string, vars: Vars = {}, args: string[] = [], token = 'token-one'): Promise<CliResult> {
    return runHako([verb, APP, ...extStr(vars), ...args], { env: { ...kube.env(), KWEB_TOKEN: token } });
  }

  const get = <K extends KubeKind>(kind: K, name = 'kweb') => api.get(kind, kube.namespace(), name);
  const list = async <K extends KubeKind>(kind: K, labelSelector?: string) =>
    (await api.list(kind, kube.namespace(), labelSelector === undefined ? {} : { labelSelector })).items;

  /** Server-side applies (not dry runs) of Deployments, Services and Jobs, cluster-wide, as the API server counts them. */
  async function appliesCounted(): Promise<number> {
    const res = await kube.plane().request('GET', '/metrics');
    let total = 0;
    for (const line of res.body.split('\n')) {
      if (!line.startsWith('apiserver_request_total{')) continue;
      if (!/verb="APPLY"/.test(line) || !/dry_run=""/.test(line) || !/resource="(deployments|services|jobs)"/.test(line)) continue;
      total += Number(line.slice(line.lastIndexOf(' ') + 1));
    }
    return total;
  }

  function expectOk(r: CliResult, code = 0): void {
    expect(r.code, `exit code; stdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  }

  it('deploys the app as a Deployment and a Service; a second deploy makes no write at all', async () => {
    const diff = await hako('diff');
    expectOk(diff, 16);
    expect(diff.stdout).to.include('+ Create Service kweb in namespace').and.include('+ Create Deployment kweb in namespace');
    expect(diff.stdout).to.match(/API_TOKEN=\(from a provider, sha256:[0-9a-f]{8}\)/).and.include('GREETING=hello').and.not.include('token-one');
    expect(await get('Deployment')).to.equal(undefined);

    expectOk(await hako('deploy'));
    const d = (await get('Deployment'))!;
    expect(d.metadata?.labels).to.include({ 'app.kubernetes.io/managed-by': 'hako', 'hako.io/app': 'kweb', team: 'hako-tests' });
    expect(d.metadata?.managedFields?.filter((f) => f.operation === 'Apply').map((f) => f.manager)).to.deep.equal(['hako']);
    // deploy waited for the rollout: everything is available when it returns.
    expect([d.spec?.replicas, d.status?.updatedReplicas, d.status?.availableReplicas]).to.deep.equal([2, 2, 2]);
    const [app, metrics] = d.spec!.template.spec!.containers;
    expect(app).to.deep.include({ name: 'app', image: 'registry.example/kweb:v1', args: ['serve', '--port', '8080'] });
    // Jsonnet gives an object's fields in key order: env is in that order.
    expect(app!.env).to.deep.equal([
      { name: 'API_TOKEN', value: 'token-one' },
      { name: 'GREETING', value: 'hello' },
    ]);
    expect(app!.resources).to.deep.equal({ requests: { cpu: '250m', memory: '128Mi' }, limits: { memory: '256Mi' } });
    expect(app!.ports).to.deep.equal([{ containerPort: 8080, protocol: 'TCP' }]);
    expect(app!.readinessProbe).to.deep.include({ exec: { command: ['/bin/sh', '-c', 'wget -q -O- localhost:8080/health'] }, periodSeconds: 10, timeoutSeconds: 3, failureThreshold: 3 });
    expect(app!.livenessProbe?.initialDelaySeconds).to.equal(20);
    expect(app!.volumeMounts).to.deep.equal([{ name: 'scratch', mountPath: '/scratch' }]);
    expect(metrics).to.deep.include({ name: 'metrics', image: 'registry.example/metrics:2', resources: { requests: { cpu: '125m' }, limits: { memory: '64Mi' } } });
    expect(d.spec?.template.spec?.volumes).to.deep.equal([{ name: 'scratch', emptyDir: {} }]);
    const service = (await get('Service'))!;
    expect(service.spec?.selector).to.deep.equal({ 'hako.io/app': 'kweb', 'hako.io/role': 'service' });
    expect(service.spec?.ports?.map((p) => [p.name, p.port, p.targetPort])).to.deep.equal([['tcp-80', 80, 8080]]);
    const pods = await list('Pod', 'hako.io/app=kweb');
    expect(pods.map((p) => p.status?.phase)).to.deep.equal(['Running', 'Running']);

    const applies = await appliesCounted();
    const versions = [d.metadata?.resourceVersion, d.metadata?.generation, service.metadata?.resourceVersion];
    const again = await hako('deploy', {}, ['--verbose', '--output', 'json']);
    expectOk(again);
    // --output json: messages are JSON lines on stderr (stdout keeps the result).
    const messages = again.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { code: string; message: string; data?: { operation?: string } });
    expect(messages.filter((m) => m.code === 'step.unchanged').map((m) => m.message)).to.deep.equal([
      `Service kweb in namespace ${kube.namespace()} is up to date`,
      `Deployment kweb in namespace ${kube.namespace()} is up to date`,
    ]);
    // The client's own account of its calls: two dry runs, no apply, no delete.
    const operations = messages.filter((m) => m.code === 'kube.call').map((m) => m.data?.operation);
    expect(operations.filter((o) => o?.startsWith('apply'))).to.deep.equal(['apply (dry run)', 'apply (dry run)']);
    expect(operations).to.not.include('delete');
    // And the API server's: no server-side apply arrived.
    expect(await appliesCounted(), 'server-side applies during the no-op deploy').to.equal(applies);
    const after = [(await get('Deployment'))?.metadata?.resourceVersion, (await get('Deployment'))?.metadata?.generation, (await get('Service'))?.metadata?.resourceVersion];
    expect(after).to.deep.equal(versions);
    const clean = await hako('diff');
    expectOk(clean);
    expect(clean.stdout).to.include('No changes.');
  });

  it('rolls a changed env var out as a new ReplicaSet, and diff shows it with provider values masked', async () => {
    expectOk(await hako('deploy'));
    // A `$` in a value: written as `$$`, which Kubernetes turns back into `$` (and never expands).
    const tokenTwo = 'token-$$two';
    const diff = await hako('diff', { greeting: 'bonjour' }, [], tokenTwo);
    expectOk(diff, 16);
    expect(diff.stdout).to.include('~ Update Deployment kweb').and.include('-            - GREETING=hello').and.include('+            - GREETING=bonjour');
    // The provider value changed too: a change on both sides, neither value shown.
    expect(diff.stdout.match(/API_TOKEN=\(from a provider, sha256:[0-9a-f]{8}\)/g)).to.have.length(2);
    expect(diff.stdout).to.not.include('token-one').and.not.include('two');

    expectOk(await hako('deploy', { greeting: 'bonjour' }, [], tokenTwo));
    const replicaSets = await until('ReplicaSet', (all) => all.length === 2 && all.every((rs) => rs.status?.replicas === rs.spec?.replicas));
    const byGreeting = replicaSets.map((rs) => [greetingOf(rs.spec?.template), rs.spec?.replicas]).sort();
    expect(byGreeting).to.deep.equal([
      ['bonjour', 2],
      ['hello', 0],
    ]);
    const d = (await get('Deployment'))!;
    expect([d.status?.updatedReplicas, d.status?.availableReplicas, d.metadata?.annotations?.['deployment.kubernetes.io/revision']]).to.deep.equal([2, 2, '2']);
    expect(d.spec?.template.spec?.containers[0]?.env?.find((e) => e.name === 'API_TOKEN')?.value).to.equal('token-$$$$two');
    // Redeploying the same values changes nothing: the comparison is with what was stored, escaped alike.
    expect((await hako('diff', { greeting: 'bonjour' }, [], tokenTwo)).code).to.equal(0);
  });

  it('rolls an unschedulable change back to the previous ReplicaSet and exits 1', async () => {
    expectOk(await hako('deploy'));
    const failed = await hako('deploy', { cpu: 1024 * 1000, deadline: 3 });
    expectOk(failed, 1);
    expect(failed.stderr).to.match(/Deployment failed: Deployment kweb: no progress for 3s \(ProgressDeadlineExceeded/);
    expect(failed.stderr).to.match(/FailedScheduling: 0\/1 nodes are available: 1 Insufficient cpu/);
    expect(failed.stderr).to.match(/Rolled back to kweb revision 1/);

    const d = (await get('Deployment'))!;
    expect(d.spec?.template.spec?.containers[0]?.resources?.requests?.cpu).to.equal('250m');
    expect(d.spec?.progressDeadlineSeconds).to.equal(600);
    expect([d.status?.updatedReplicas, d.status?.availableReplicas]).to.deep.equal([2, 2]);
    // The failed template's ReplicaSet is gone from the history; the one that serves is the previous one.
    const replicaSets = await until('ReplicaSet', (all) => all.length === 1);
    expect(replicaSets[0]?.spec?.template?.spec?.containers[0]?.resources?.requests?.cpu).to.equal('250m');
    await until('Pod', (all) => all.length === 2 && all.every((p) => p.status?.phase === 'Running'));
  });

  it('runs oneshot as a Job: exit codes from the app container, its log followed, dry runs create nothing', async () => {
    const marker = `${kube.namespace()}-${Date.now()}`;
    appendFileSync(kube.plane().podLogFile, criLogLine(`log line ${marker}`));
    const ok = await hako('oneshot', {}, ['--', 'rake', 'db:migrate']);
    expectOk(ok);
    expect(ok.stdout).to.include(`log line ${marker}`).and.include('Exit code: 0');
    const [job] = await list('Job', 'hako.io/app=kweb');
    expect(job?.metadata?.labels).to.include({ 'app.kubernetes.io/managed-by': 'hako', 'hako.io/role': 'oneshot' });
    expect(job?.spec?.backoffLimit).to.equal(0);
    const pod = job!.spec!.template;
    expect(pod.spec?.restartPolicy).to.equal('Never');
    expect(pod.spec?.containers.map((c) => [c.name, c.args])).to.deep.equal([['app', ['rake', 'db:migrate']]]);
    expect(pod.metadata?.annotations?.[EXIT_CODE_ANNOTATION]).to.equal('0');

    const bad = await hako('oneshot', { exitCode: 3 }, ['-e', 'EXTRA=1', '--', 'false']);
    expectOk(bad, 3);
    expect(bad.stdout).to.include('app has stopped with exit_code=3');
    const jobs = await list('Job', 'hako.io/app=kweb');
    expect(jobs).to.have.length(2);
    const second = jobs.find((j) => j.metadata?.name !== job?.metadata?.name)!;
    expect(second.spec?.template.spec?.containers[0]?.env?.map((e) => e.name)).to.deep.equal(['API_TOKEN', 'GREETING', 'EXTRA']);

    const dry = await hako('oneshot', {}, ['--dry-run', '--', 'true']);
    expectOk(dry);
    expect(dry.stdout).to.include('+ Create Job kweb-oneshot-').and.match(/API_TOKEN=\(from a provider/).and.not.include('token-one');
    expect(await list('Job', 'hako.io/app=kweb')).to.have.length(2);
  });

  it('deletes the oneshot Job and exits 130 on Ctrl-C', async () => {
    const child = spawn(process.execPath, [hakoBin, 'oneshot', APP, ...extStr({ runDuration: '1h' }), '--', 'sleep', 'forever'], {
      env: { ...process.env, NO_COLOR: '1', ...kube.env(), KWEB_TOKEN: 'token-one' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const started = new Promise<void>((resolve) =>
      child.stdout.setEncoding('utf8').on('data', (d: string) => {
        stdout += d;
        if (/Pod kweb-oneshot-\S+/.test(stdout)) resolve();
      }),
    );
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    await started;
    await until('Pod', (all) => all.length === 1 && all[0]?.status?.phase === 'Running');
    const interrupted = Date.now();
    child.kill('SIGINT');
    expect(await exited, stderr).to.equal(130);
    // Promptly: not after the 30 s its pending watch of the pod would have run (a signal caught between calls).
    expect(Date.now() - interrupted).to.be.below(15_000);
    expect(stderr).to.include('Deleting Job kweb-oneshot-');
    await until('Job', (all) => all.length === 0);
    await until('Pod', (all) => all.length === 0);
  });

  it('shows status, rolls back, stops, and remove deletes what hako made and nothing else', async () => {
    expectOk(await hako('deploy'));
    expectOk(await hako('deploy', { greeting: 'bonjour' }));
    // The rollout is complete once no old pod counts; one may still be on its way out.
    await until('Pod', (all) => all.length === 2);
    const status = await hako('status', {}, ['--output', 'json']);
    expectOk(status);
    const report = JSON.parse(status.stdout.slice(status.stdout.indexOf('{'))) as {
      deployment: { revision: number; available: number };
      replicaSets: { revision: number; current: boolean }[];
      pods: unknown[];
    };
    expect([report.deployment.revision, report.deployment.available, report.pods.length]).to.deep.equal([2, 2, 2]);
    expect(report.replicaSets.map((rs) => [rs.revision, rs.current])).to.deep.equal([
      [2, true],
      [1, false],
    ]);
    const text = await hako('status');
    expectOk(text);
    expect(text.stdout).to.match(/Deployment kweb in namespace \S+ \(context hako-test/).and.include('Service kweb: ClusterIP');

    const rollback = await hako('rollback');
    expectOk(rollback);
    expect(greetingOf((await get('Deployment'))?.spec?.template)).to.equal('hello');
    expectOk(await hako('stop'));
    expect((await get('Deployment'))?.spec?.replicas).to.equal(0);
    await until('Pod', (all) => all.filter((p) => p.metadata?.labels?.['hako.io/role'] === 'service').length === 0);
    expectOk(await hako('oneshot', {}, ['--', 'true']));

    // Someone else's objects in the namespace, one even labelled for the app (but not managed by hako).
    await api.apply(bystander(kube.namespace()));
    await api.apply(bystanderService(kube.namespace()));
    const removed = await hako('remove');
    expectOk(removed);
    expect(removed.stdout).to.include('Deleted Deployment kweb').and.include('Deleted Service kweb').and.match(/Deleted Job kweb-oneshot-/);
    await until('Pod', (all) => all.every((p) => p.metadata?.labels?.['hako.io/app'] !== 'kweb' || p.metadata?.labels?.['app'] === 'bystander'));
    for (const kind of ['Deployment', 'Service', 'Job'] as const) expect(await get(kind)).to.equal(undefined);
    await until('ReplicaSet', (all) => all.every((rs) => rs.metadata?.labels?.['app'] === 'bystander'));
    await until('Job', (all) => all.length === 0);
    expect((await get('Deployment', 'bystander'))?.metadata?.name).to.equal('bystander');
    expect((await get('Service', 'bystander'))?.metadata?.name).to.equal('bystander');

    const again = await hako('remove');
    expectOk(again);
    expect(again.stdout).to.include('Nothing of kweb exists');
    expectOk(await hako('status'), 1);
  });

  it('does not take over an object of the same name that hako did not make, nor create the namespace', async () => {
    const foreign = bystander(kube.namespace());
    foreign.metadata.name = 'kweb';
    await api.apply(foreign);
    const deploy = await hako('deploy');
    expectOk(deploy, 1);
    expect(deploy.stderr).to.match(/Deployment kweb in namespace \S+ exists and was not made by hako for kweb/);
    const remove = await hako('remove');
    expectOk(remove);
    expect(remove.stderr).to.match(/was not made by hako for kweb: left alone/);
    expect((await get('Deployment'))?.metadata?.labels).to.deep.equal({ app: 'bystander', 'hako.io/app': 'kweb' });

    const elsewhere = await runHako(['diff', APP, ...extStr({}).map((a) => a.replace(`namespace=${kube.namespace()}`, 'namespace=nowhere'))], {
      env: { ...kube.env(), KWEB_TOKEN: 'x' },
    });
    expectOk(elsewhere, 1);
    expect(elsewhere.stderr).to.include('Namespace nowhere does not exist');
  });

  /** Waits, by watching, until the namespace's objects of a kind satisfy `test`; fails after WAIT_MS with what it saw. */
  async function until<K extends KubeKind>(kind: K, test: (all: KubeObjects[K][]) => boolean): Promise<KubeObjects[K][]> {
    const deadline = Date.now() + WAIT_MS;
    for (;;) {
      const seen = await api.list(kind, kube.namespace());
      if (test(seen.items)) return seen.items;
      if (Date.now() > deadline) throw new Error(`${kind} in ${kube.namespace()} did not get there; last seen:\n${JSON.stringify(seen.items, null, 1).slice(0, 4000)}`);
      await new Promise<void>((resolve) => {
        const stream = api.watch(kind, kube.namespace(), { timeoutSeconds: 5, resourceVersion: seen.resourceVersion, onEvent: () => stream.stop() });
        stream.done.then(resolve, resolve);
      });
    }
  }
});

function greetingOf(template: { spec?: { containers: { env?: { name: string; value?: string }[] }[] } } | undefined): string | undefined {
  return template?.spec?.containers[0]?.env?.find((e) => e.name === 'GREETING')?.value;
}

function bystander(namespace: string): KubeManifest<'Deployment'> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'bystander', namespace, labels: { app: 'bystander', 'hako.io/app': 'kweb' } },
    spec: {
      replicas: 1,
      selector: { matchLabels: { app: 'bystander' } },
      template: { metadata: { labels: { app: 'bystander', 'hako.io/app': 'kweb' } }, spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] } },
    },
  };
}

function bystanderService(namespace: string): KubeManifest<'Service'> {
  return { apiVersion: 'v1', kind: 'Service', metadata: { name: 'bystander', namespace }, spec: { selector: { app: 'bystander' }, ports: [{ port: 80 }] } };
}
