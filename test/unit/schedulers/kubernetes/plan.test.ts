/** Planning a deploy against a scripted KubeApi: what it asks the server, and what it decides from the answers. */
import { expect } from 'chai';
import { DefinitionError, HakoError } from '../../../../lib/errors.js';
import type { KubeManifest } from '../../../../lib/kube/ports.js';
import { planKubernetesDeploy } from '../../../../lib/schedulers/kubernetes/plan.js';
import type { DeploymentPayload } from '../../../../lib/schedulers/kubernetes/steps.js';
import { FakeKube } from '../../../helpers/fake-kube.js';
import { container, kubeConfig, kubeModel } from './fixtures.js';

const withService = kubeConfig({ service: { ports: [{ port: 80, target_port: 8080 }] } });
const options = { force: false, now: () => '2024-05-01T12:00:00.000Z' };

async function deployed(kube: FakeKube, model = kubeModel(), config = withService): Promise<void> {
  for (const step of await planKubernetesDeploy(kube, model, config, options)) {
    if (step.action !== 'noop') await kube.apply((step.payload as { manifest: KubeManifest }).manifest);
  }
}

describe('kubernetes: planning a deploy', () => {
  it('plans creations from the server’s dry-run answers, Service first, and writes nothing', async () => {
    const kube = new FakeKube();
    const steps = await planKubernetesDeploy(kube, kubeModel(), withService, options);
    expect(steps.map((s) => [s.kind, s.action, s.title])).to.deep.equal([
      ['apply-service', 'create', 'Create Service web in namespace prod'],
      ['apply-deployment', 'create', 'Create Deployment web in namespace prod'],
    ]);
    expect(kube.calls.filter((c) => c.method === 'apply').map((c) => [c.kind, c.dryRun])).to.deep.equal([
      ['Service', true],
      ['Deployment', true],
    ]);
    expect(kube.writes).to.deep.equal([]);
    // What the plan shows is the server's answer (its defaults included), not the bare manifest.
    expect((steps[1]!.after as { spec: { revisionHistoryLimit: number } }).spec.revisionHistoryLimit).to.equal(10);
    expect(steps[1]!.before).to.equal(undefined);
    expect((steps[1]!.payload as DeploymentPayload).previous).to.equal(undefined);
  });

  it('plans nothing to do once the live objects are what the server would make of the manifests', async () => {
    const kube = new FakeKube();
    await deployed(kube);
    kube.calls.length = 0;
    const steps = await planKubernetesDeploy(kube, kubeModel(), withService, options);
    expect(steps.map((s) => [s.action, s.title])).to.deep.equal([
      ['noop', 'Service web in namespace prod is up to date'],
      ['noop', 'Deployment web in namespace prod is up to date'],
    ]);
    expect(kube.writes).to.deep.equal([]);
  });

  it('plans an update showing the env change as NAME=value lines, and keeps what hako applied before for a recovery', async () => {
    const kube = new FakeKube();
    await deployed(kube);
    const live = (await kube.get('Deployment', 'prod', 'web'))!;
    kube.put({ ...live, metadata: { ...live.metadata, annotations: { 'deployment.kubernetes.io/revision': '1' } } });
    kube.calls.length = 0;
    const changed = kubeModel({ containers: [container('app', { port_mappings: [{ container_port: 8080, protocol: 'tcp' }], env: [{ name: 'GREETING', value: 'bonjour' }] })] });
    const steps = await planKubernetesDeploy(kube, changed, withService, options);
    const deployment = steps[1]!;
    expect([deployment.action, deployment.title]).to.deep.equal(['update', 'Update Deployment web in namespace prod']);
    const envOf = (shape: unknown) => (shape as { spec: { template: { spec: { containers: { env?: string[] }[] } } } }).spec.template.spec.containers[0]!.env;
    expect([envOf(deployment.before), envOf(deployment.after)]).to.deep.equal([undefined, ['GREETING=bonjour']]);
    const payload = deployment.payload as DeploymentPayload;
    expect(payload.previousRevision).to.equal('1');
    expect((payload.previous as { spec: { template: { spec: { containers: { image: string }[] } } } }).spec.template.spec.containers[0]!.image).to.equal('registry.example/web:v1');
    expect(kube.writes).to.deep.equal([]);
  });

  it('keeps the restart mark of the live pods, and sets a new one with --force', async () => {
    const kube = new FakeKube();
    await deployed(kube, kubeModel(), kubeConfig());
    const forced = await planKubernetesDeploy(kube, kubeModel(), kubeConfig(), { ...options, force: true });
    expect(forced[0]!.action).to.equal('update');
    await kube.apply((forced[0]!.payload as DeploymentPayload).manifest);
    const again = await planKubernetesDeploy(kube, kubeModel(), kubeConfig(), options);
    expect(again[0]!.action).to.equal('noop');
    expect((again[0]!.payload as DeploymentPayload).manifest.spec?.template.metadata?.annotations).to.deep.equal({ 'hako.io/restarted-at': '2024-05-01T12:00:00.000Z' });
  });

  it('deletes the Service hako made once the definition no longer asks for one, and leaves another’s alone', async () => {
    const kube = new FakeKube();
    await deployed(kube);
    const steps = await planKubernetesDeploy(kube, kubeModel(), kubeConfig(), options);
    expect(steps.map((s) => [s.kind, s.action, s.title])).to.deep.equal([
      ['delete', 'delete', 'Delete Service web in namespace prod'],
      ['apply-deployment', 'noop', 'Deployment web in namespace prod is up to date'],
    ]);
    const other = new FakeKube();
    other.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: {} });
    expect((await planKubernetesDeploy(other, kubeModel(), kubeConfig(), options)).map((s) => s.kind)).to.deep.equal(['apply-deployment']);
  });

  it('refuses to take over a Deployment of the app’s name that hako did not make', async () => {
    const kube = new FakeKube();
    kube.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod', labels: { 'hako.io/app': 'web' } }, spec: {} });
    const error = await planKubernetesDeploy(kube, kubeModel(), kubeConfig(), options).catch((e: unknown) => e);
    expect(error).to.be.instanceOf(HakoError).and.include({ code: 'KUBE_NOT_OWNED' });
    expect((error as HakoError).message).to.equal('Deployment web in namespace prod exists and was not made by hako for web');
  });

  it('needs the namespace to exist and desired_count to be set', async () => {
    const missing = await planKubernetesDeploy(new FakeKube(), kubeModel(), kubeConfig({ namespace: 'staging' }), options).catch((e: unknown) => e);
    expect(missing).to.include({ code: 'KUBE_NAMESPACE_NOT_FOUND' });
    expect((missing as HakoError).hint).to.include('kubectl create namespace staging');
    const noCount = await planKubernetesDeploy(new FakeKube(), kubeModel(), kubeConfig({ desired_count: null }), options).catch((e: unknown) => e);
    expect(noCount).to.be.instanceOf(DefinitionError);
    expect((noCount as DefinitionError).issues.map((i) => i.path)).to.deep.equal(['scheduler.desired_count']);
  });
});
