/** stop, rollback and remove, planned from live objects hako applied (a scripted KubeApi). */
import { expect } from 'chai';
import { HakoError } from '../../../../lib/errors.js';
import type { KubeManifest } from '../../../../lib/kube/ports.js';
import { deploymentManifest } from '../../../../lib/schedulers/kubernetes/manifests.js';
import { planKubernetesRemove, planKubernetesRollback, planKubernetesStop } from '../../../../lib/schedulers/kubernetes/ops.js';
import { FakeKube } from '../../../helpers/fake-kube.js';
import { container, kubeConfig, kubeModel } from './fixtures.js';

const config = kubeConfig();

/** A Deployment hako applied (revision 3) with the ReplicaSets of revisions 1 to 3. */
async function withHistory(): Promise<FakeKube> {
  const kube = new FakeKube();
  await kube.apply(deploymentManifest(kubeModel({ containers: [container('app', { image: 'web:v3', env: [{ name: 'TOKEN', value: 's3cr3t' }] })] }), config));
  const live = (await kube.get('Deployment', 'prod', 'web'))!;
  kube.put({ ...live, metadata: { ...live.metadata, annotations: { 'deployment.kubernetes.io/revision': '3' } } });
  for (const revision of [1, 2, 3]) {
    kube.put({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: {
        name: `web-hash${revision}`,
        namespace: 'prod',
        labels: { 'hako.io/app': 'web', 'pod-template-hash': `hash${revision}` },
        annotations: { 'deployment.kubernetes.io/revision': String(revision) },
        ownerReferences: [{ kind: 'Deployment', name: 'web', uid: 'uid-web', apiVersion: 'apps/v1' }],
      },
      spec: {
        template: {
          metadata: { creationTimestamp: null, labels: { 'hako.io/app': 'web', 'pod-template-hash': `hash${revision}` } },
          spec: { containers: [{ name: 'app', image: `web:v${revision}`, terminationMessagePath: '/dev/termination-log' }] },
        },
      },
    });
  }
  kube.calls.length = 0;
  return kube;
}

describe('kubernetes: stop', () => {
  it('re-applies what hako applied with 0 replicas, and nothing else changed', async () => {
    const kube = await withHistory();
    const [step] = await planKubernetesStop(kube, kubeModel(), config);
    expect([step!.kind, step!.action, step!.title, step!.before, step!.after]).to.deep.equal([
      'scale-deployment',
      'update',
      'Scale Deployment web in namespace prod to 0 pods',
      { replicas: 2 },
      { replicas: 0 },
    ]);
    const manifest = (step!.payload as { manifest: KubeManifest<'Deployment'> }).manifest;
    expect(manifest.spec?.replicas).to.equal(0);
    expect(manifest.spec?.template.spec?.containers[0]).to.deep.include({ image: 'web:v3', env: [{ name: 'TOKEN', value: 's3cr3t' }] });
    expect(manifest.metadata).to.deep.include({ name: 'web', namespace: 'prod' });
    expect(kube.writes).to.deep.equal([]);
  });

  it('says so when there is nothing to stop', async () => {
    const steps = await planKubernetesStop(new FakeKube(), kubeModel(), config);
    expect(steps.map((s) => [s.kind, s.action, s.title])).to.deep.equal([['missing', 'noop', "Deployment web in namespace prod doesn't exist"]]);
  });
});

describe('kubernetes: rollback', () => {
  it('goes back to the previous revision’s pod template (hash label dropped), showing images and revisions only', async () => {
    const kube = await withHistory();
    const plan = await planKubernetesRollback(kube, kubeModel(), config, undefined);
    expect([plan.current, plan.target]).to.deep.equal(['web revision 3 (app: web:v3)', 'web revision 2 (app: web:v2)']);
    const [step] = plan.steps;
    expect([step!.before, step!.after]).to.deep.equal([
      { revision: 3, images: { app: 'web:v3' } },
      { revision: 2, images: { app: 'web:v2' } },
    ]);
    const manifest = (step!.payload as { manifest: KubeManifest<'Deployment'> }).manifest;
    expect(manifest.spec?.template).to.deep.equal({
      metadata: { labels: { 'hako.io/app': 'web' } },
      spec: { containers: [{ name: 'app', image: 'web:v2', terminationMessagePath: '/dev/termination-log' }] },
    });
    expect(manifest.spec?.replicas).to.equal(2);
  });

  it('goes to the revision --to names, and says which are kept when it is not', async () => {
    const kube = await withHistory();
    expect((await planKubernetesRollback(kube, kubeModel(), config, 1)).target).to.equal('web revision 1 (app: web:v1)');
    const error = await planKubernetesRollback(kube, kubeModel(), config, 7).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HakoError).and.include({ code: 'NO_ROLLBACK_TARGET', message: 'Deployment web has no revision 7 to roll back to' });
    expect((error as HakoError).hint).to.equal('Revisions kept: 3, 2, 1 (current: 3).');
    const none = await planKubernetesRollback(new FakeKube(), kubeModel(), config, undefined).catch((e: unknown) => e);
    expect(none).to.include({ code: 'SERVICE_NOT_FOUND' });
  });
});

describe('kubernetes: remove', () => {
  it('deletes the Service, the Deployment and the oneshot Jobs hako made; reports others of the app’s name', async () => {
    const kube = await withHistory();
    kube.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod', labels: { 'hako.io/app': 'web' } }, spec: {} });
    const owned = { 'app.kubernetes.io/managed-by': 'hako', 'hako.io/app': 'web', 'hako.io/role': 'oneshot' };
    kube.put({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'web-oneshot-abcde', namespace: 'prod', labels: owned }, spec: {} });
    kube.put({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'nightly', namespace: 'prod', labels: { 'hako.io/app': 'web' } }, spec: {} });
    const { steps, foreign } = await planKubernetesRemove(kube, kubeModel(), config);
    expect(steps.map((s) => [s.kind, s.title])).to.deep.equal([
      ['delete', 'Delete Deployment web in namespace prod'],
      ['delete', 'Delete Job web-oneshot-abcde in namespace prod'],
    ]);
    // A Deployment's template may hold provider values: a remove plan shows replicas and images only.
    expect(steps[0]!.before).to.deep.equal({ replicas: 2, images: { app: 'web:v3' } });
    expect(foreign).to.deep.equal(['Service web in namespace prod']);
  });

  it('has nothing to do when nothing is there', async () => {
    const { steps } = await planKubernetesRemove(new FakeKube(), kubeModel(), config);
    expect(steps.map((s) => [s.action, s.title])).to.deep.equal([['noop', 'Nothing of web exists in namespace prod']]);
  });
});
