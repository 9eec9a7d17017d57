/**
 * The Kubernetes groundwork end to end: a real API server, controller manager and scheduler with kwok's fake node
 * (test/integration/harness/kube.ts), driven only through the KubeApi port that lib/kube/factory.ts builds from
 * the kubeconfig. Every assertion is on objects read back from the API server.
 */
import { expect } from 'chai';
import { appendFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { EXIT_CODE_ANNOTATION, criLogLine } from '../../scripts/kube/kwok-config.js';
import { KubeApiError } from '../../lib/errors.js';
import { createKubeClients } from '../../lib/kube/factory.js';
import type { KubeApi, KubeKind, KubeManifest, KubeObjects } from '../../lib/kube/ports.js';
import { useKube } from './harness/kube.js';

/** How long a wait may take before the test fails with what it last saw (a bound, not an assertion on time). */
const WAIT_MS = 120_000;

describe('integration: Kubernetes control plane with kwok, through the KubeApi port', function () {
  this.timeout(300_000);
  const kube = useKube();
  let api: KubeApi;

  before(async () => {
    api = await createKubeClients({ kubeconfig: kube.kubeconfigPath(), userAgentVersion: 'integration' }).kube();
  });

  it('rolls a Deployment out on the kwok node, rolls a new ReplicaSet out on an env change, and a dry run stores nothing', async () => {
    const ns = kube.namespace();
    const applied = await api.apply(deployment(ns, { FOO: 'one' }));
    expect(applied.metadata?.generation).to.equal(1);
    expect(applied.metadata?.managedFields?.map((f) => [f.manager, f.operation])).to.deep.equal([['hako', 'Apply']]);

    const first = await until(api, 'Deployment', ns, 'web', rolledOut(1));
    expect(first.status?.conditions?.find((c) => c.type === 'Available')?.status).to.equal('True');
    const pods = (await api.list('Pod', ns, { labelSelector: 'app=web' })).items;
    expect(pods.map((p) => [p.kind, p.spec?.nodeName, p.status?.phase])).to.deep.equal([
      ['Pod', kube.plane().nodeName, 'Running'],
      ['Pod', kube.plane().nodeName, 'Running'],
    ]);

    // A dry run answers with the object as it would be and leaves the stored one alone.
    const before = await api.get('Deployment', ns, 'web');
    const planned = await api.apply(deployment(ns, { FOO: 'one' }, { replicas: 3 }), { dryRun: true });
    expect(planned.spec?.replicas).to.equal(3);
    expect(planned.metadata?.generation).to.equal(2);
    const after = await api.get('Deployment', ns, 'web');
    expect(after?.metadata?.resourceVersion).to.equal(before?.metadata?.resourceVersion);
    expect([after?.spec?.replicas, after?.metadata?.generation]).to.deep.equal([2, 1]);

    await api.apply(deployment(ns, { FOO: 'two' }));
    await until(api, 'Deployment', ns, 'web', rolledOut(2));
    const replicaSets = await until(api, 'ReplicaSet', ns, undefined, (all) => all.every((rs) => rs.status?.replicas === (rs.spec?.replicas ?? 0)) && all.length === 2);
    const byEnv = replicaSets.map((rs) => [rs.spec?.template?.spec?.containers[0]?.env?.[0]?.value, rs.spec?.replicas]).sort();
    expect(byEnv).to.deep.equal([
      ['one', 0],
      ['two', 2],
    ]);
    const newPods = await until(api, 'Pod', ns, undefined, (all) => all.length === 2);
    expect(newPods.map((p) => p.spec?.containers[0]?.env?.[0]?.value)).to.deep.equal(['two', 'two']);
  });

  it('ends an unschedulable rollout with ProgressDeadlineExceeded, the old pods still serving', async () => {
    const ns = kube.namespace();
    await api.apply(deployment(ns, { FOO: 'one' }));
    await until(api, 'Deployment', ns, 'web', rolledOut(1));

    // 1000 CPUs fit on no node; a 3-second deadline makes the controller give up quickly.
    await api.apply(deployment(ns, { FOO: 'one' }, { cpu: '1000', progressDeadlineSeconds: 3 }));
    const failed = await until(api, 'Deployment', ns, 'web', (d) => {
      const progressing = d.status?.conditions?.find((c) => c.type === 'Progressing');
      return progressing?.status === 'False';
    });
    const progressing = failed.status?.conditions?.find((c) => c.type === 'Progressing');
    expect(progressing?.reason).to.equal('ProgressDeadlineExceeded');
    expect(failed.status?.availableReplicas).to.equal(2);

    const pending = (await api.list('Pod', ns)).items.filter((p) => p.status?.phase === 'Pending');
    expect(pending).to.have.length(1);
    expect(pending[0]?.status?.conditions?.find((c) => c.type === 'PodScheduled')?.reason).to.equal('Unschedulable');
    const events = await until(api, 'Event', ns, undefined, (all) => all.some((e) => e.reason === 'FailedScheduling'));
    const scheduling = events.find((e) => e.reason === 'FailedScheduling');
    expect(scheduling?.involvedObject.name).to.equal(pending[0]?.metadata?.name);
    expect(scheduling?.message).to.match(/Insufficient cpu/);
  });

  it('completes Jobs with the exit code kwok is told to report, and serves pod logs (read and follow)', async () => {
    const ns = kube.namespace();
    await api.apply(job(ns, 'ok'));
    // Exit code 3 fails the Job at once through its pod failure policy: the Job controller read kwok's exit code.
    await api.apply(job(ns, 'bad', '3'));

    const ok = await until(api, 'Job', ns, 'ok', (j) => hasCondition(j, 'Complete'));
    expect(ok.status?.succeeded).to.equal(1);
    const bad = await until(api, 'Job', ns, 'bad', (j) => hasCondition(j, 'Failed'));
    expect(bad.status?.conditions?.find((c) => c.type === 'Failed')?.reason).to.equal('PodFailurePolicy');

    const terminated = async (jobName: string) => {
      const [pod] = (await api.list('Pod', ns, { labelSelector: `job-name=${jobName}` })).items;
      return [pod?.status?.phase, pod?.status?.containerStatuses?.[0]?.state?.terminated?.exitCode, pod?.metadata?.name];
    };
    const [okPhase, okCode, okPod] = await terminated('ok');
    expect([okPhase, okCode]).to.deep.equal(['Succeeded', 0]);
    expect((await terminated('bad')).slice(0, 2)).to.deep.equal(['Failed', 3]);

    // kwok serves every container's log from one file; the API server proxies pods/log to kwok's kubelet endpoint.
    const marker = `${ns}-${Date.now()}`;
    appendFileSync(kube.plane().podLogFile, criLogLine(`first ${marker}`));
    expect(await api.readPodLog(ns, String(okPod))).to.include(`first ${marker}\n`);

    let followed = '';
    const seen: { resolve?: () => void; want?: string } = {};
    const stream = api.followPodLog(ns, String(okPod), {
      onData: (text) => {
        followed += text;
        if (seen.want !== undefined && followed.includes(seen.want)) seen.resolve?.();
      },
    });
    const waitFor = (want: string) =>
      new Promise<void>((resolve) => {
        seen.want = want;
        seen.resolve = resolve;
        if (followed.includes(want)) resolve();
      });
    await waitFor(`first ${marker}`);
    appendFileSync(kube.plane().podLogFile, criLogLine(`second ${marker}`));
    await waitFor(`second ${marker}`);
    stream.stop();
    await stream.done;
  });

  it('applies a Service, and deleting everything leaves nothing behind', async () => {
    const ns = kube.namespace();
    const service = await api.apply(webService(ns));
    expect(service.spec?.clusterIP).to.match(/^10\.0\.0\.\d+$/);
    expect(service.spec?.ports?.map((p) => [p.port, p.targetPort])).to.deep.equal([[80, 8080]]);
    await api.apply(deployment(ns, { FOO: 'one' }));
    await api.apply(job(ns, 'ok'));
    await until(api, 'Deployment', ns, 'web', rolledOut(1));
    await until(api, 'Job', ns, 'ok', (j) => hasCondition(j, 'Complete'));

    expect(await api.delete('Deployment', ns, 'web')).to.equal('deleted');
    expect(await api.delete('Job', ns, 'ok')).to.equal('deleted');
    expect(await api.delete('Service', ns, 'web')).to.equal('deleted');
    expect(await api.delete('Service', ns, 'web')).to.equal('absent');

    for (const kind of ['Deployment', 'ReplicaSet', 'Pod', 'Job', 'Service'] as const) {
      await until(api, kind, ns, undefined, (all) => all.length === 0);
    }
    expect(await api.get('Deployment', ns, 'web')).to.equal(undefined);
    expect((await api.getNamespace(ns))?.status?.phase).to.equal('Active');
    expect(await api.getNamespace(`${ns}-missing`)).to.equal(undefined);
  });

  it('reports failures as KubeApiError: an unknown field, a missing pod, rejected credentials, an unknown context', async () => {
    const ns = kube.namespace();
    const typo = deployment(ns, { FOO: 'one' });
    (typo.spec as Record<string, unknown>).replica = 3;
    // An unknown field is refused, not dropped. Server-side apply reports it as a 500 before field validation
    // runs (kubernetes/kubernetes#122480); the hint says what it is.
    const invalid = await api.apply(typo).catch((e: unknown) => e);
    expect(invalid).to.be.instanceOf(KubeApiError);
    expect(invalid).to.include({ operation: 'apply', status: 500, reason: 'InternalError' });
    expect((invalid as KubeApiError).target).to.deep.equal({ kind: 'Deployment', name: 'web', namespace: ns });
    expect((invalid as KubeApiError).message).to.match(/\.spec\.replica: field not declared in schema/);
    expect((invalid as KubeApiError).hint).to.match(/field this API server does not know/);
    expect(await api.get('Deployment', ns, 'web')).to.equal(undefined);

    const missing = await api.readPodLog(ns, 'nope').catch((e: unknown) => e);
    expect(missing).to.include({ status: 404, reason: 'NotFound' });

    const badConfig = path.join(kube.plane().dir, 'bad-token.kubeconfig');
    writeFileSync(badConfig, kubeconfigWithToken(kube.plane(), 'not-the-token'));
    const rejected = await (await createKubeClients({ kubeconfig: badConfig, userAgentVersion: 'integration' }).kube()).get('Pod', ns, 'x').catch((e: unknown) => e);
    expect(rejected).to.include({ status: 401, reason: 'Unauthorized' });
    expect((rejected as KubeApiError).hint).to.match(/credentials/);

    const noContext = await createKubeClients({ kubeconfig: kube.kubeconfigPath(), context: 'elsewhere', userAgentVersion: 'integration' })
      .kube()
      .catch((e: unknown) => e);
    expect(noContext).to.include({ reason: 'InvalidKubeconfig', status: 0 });
    expect((noContext as KubeApiError).hint).to.equal(`Contexts there: ${kube.plane().context}.`);
  });
});

function deployment(namespace: string, env: Record<string, string>, change: { replicas?: number; cpu?: string; progressDeadlineSeconds?: number } = {}): KubeManifest<'Deployment'> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace, labels: { app: 'web' } },
    spec: {
      replicas: change.replicas ?? 2,
      ...(change.progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds: change.progressDeadlineSeconds }),
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: {
          containers: [
            {
              name: 'app',
              image: 'busybox:1.36',
              command: ['sleep', 'infinity'],
              env: Object.entries(env).map(([name, value]) => ({ name, value })),
              ...(change.cpu === undefined ? {} : { resources: { requests: { cpu: change.cpu } } }),
            },
          ],
        },
      },
    },
  };
}

function job(namespace: string, name: string, exitCode?: string): KubeManifest<'Job'> {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace },
    spec: {
      backoffLimit: 2,
      podFailurePolicy: { rules: [{ action: 'FailJob', onExitCodes: { operator: 'In', values: [3] } }] },
      template: {
        metadata: exitCode === undefined ? {} : { annotations: { [EXIT_CODE_ANNOTATION]: exitCode } },
        spec: { restartPolicy: 'Never', containers: [{ name: 'task', image: 'busybox:1.36', command: ['true'] }] },
      },
    },
  };
}

function webService(namespace: string): KubeManifest<'Service'> {
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: 'web', namespace },
    spec: { selector: { app: 'web' }, ports: [{ port: 80, targetPort: 8080 }] },
  };
}

/** Rolled out at `generation`: observed, all replicas updated and available, none left over. */
function rolledOut(generation: number): (d: KubeObjects['Deployment']) => boolean {
  return (d) => {
    const s = d.status;
    const want = d.spec?.replicas ?? 1;
    return (s?.observedGeneration ?? 0) >= generation && s?.updatedReplicas === want && s?.availableReplicas === want && s?.replicas === want;
  };
}

function hasCondition(j: KubeObjects['Job'], type: string): boolean {
  return j.status?.conditions?.some((c) => c.type === type && c.status === 'True') ?? false;
}

/**
 * Waits, by watching, until the named object satisfies `test` (or, with no name, the namespace's list of that
 * kind does), and returns what satisfied it. Fails after WAIT_MS with the last state it saw.
 */
function until<K extends KubeKind>(api: KubeApi, kind: K, namespace: string, name: string, test: (o: KubeObjects[K]) => boolean): Promise<KubeObjects[K]>;
function until<K extends KubeKind>(api: KubeApi, kind: K, namespace: string, name: undefined, test: (all: KubeObjects[K][]) => boolean): Promise<KubeObjects[K][]>;
async function until<K extends KubeKind>(api: KubeApi, kind: K, namespace: string, name: string | undefined, test: (o: never) => boolean): Promise<unknown> {
  const deadline = Date.now() + WAIT_MS;
  for (;;) {
    let seen: unknown;
    let version: string | undefined;
    if (name === undefined) {
      const list = await api.list(kind, namespace);
      [seen, version] = [list.items, list.resourceVersion];
    } else {
      seen = await api.get(kind, namespace, name);
      version = (seen as { metadata?: { resourceVersion?: string } } | undefined)?.metadata?.resourceVersion;
    }
    if (seen !== undefined && test(seen as never)) return seen;
    if (Date.now() > deadline) {
      throw new Error(`${kind} ${name ?? '(all)'} in ${namespace} did not get there within ${WAIT_MS / 1000} s; last seen:\n${JSON.stringify(seen, null, 1).slice(0, 4000)}`);
    }
    // Sleep until something of that kind changes after what we saw (or a few seconds pass): a watch, not a poll.
    await new Promise<void>((resolve) => {
      const stream = api.watch(kind, namespace, {
        timeoutSeconds: 5,
        ...(name === undefined ? {} : { fieldSelector: `metadata.name=${name}` }),
        ...(version === undefined ? {} : { resourceVersion: version }),
        onEvent: () => stream.stop(),
      });
      stream.done.then(resolve, resolve);
    });
  }
}

function kubeconfigWithToken(plane: { server: string; ca: string; context: string }, token: string): string {
  return JSON.stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'c', cluster: { server: plane.server, 'certificate-authority-data': Buffer.from(plane.ca).toString('base64') } }],
    users: [{ name: 'u', user: { token } }],
    contexts: [{ name: plane.context, context: { cluster: 'c', user: 'u' } }],
    'current-context': plane.context,
  });
}
