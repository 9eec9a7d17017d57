/** The kubernetes scheduler through the Scheduler contract, over a scripted KubeApi. */
import { expect } from 'chai';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { Execution, type JournalEntry } from '../../../../lib/plan/executor.js';
import { createKubernetesScheduler } from '../../../../lib/schedulers/kubernetes/scheduler.js';
import { deleteStep, type DeploymentPayload, type KubernetesStep } from '../../../../lib/schedulers/kubernetes/steps.js';
import type { SchedulerContext } from '../../../../lib/schedulers/scheduler.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { applyContext } from '../../../helpers/apply-context.js';
import { FakeKube } from '../../../helpers/fake-kube.js';
import { kubeConfig, kubeModel } from './fixtures.js';

function schedulerOver(kube: FakeKube, dryRun: boolean) {
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  const context: SchedulerContext = {
    appId: 'web',
    rootPath: '/defs',
    file: '/defs/web.jsonnet',
    aws: () => awsClientsFromPorts({}),
    io,
    dryRun,
    clock: time.clock,
    sleep: time.sleep,
    runId: '3f2a9c1e-0000-4000-8000-000000000001',
  };
  return { io, scheduler: createKubernetesScheduler(kubeConfig(), context, { kube: async () => kube, now: () => new Date('2024-05-01T12:00:00Z') }) };
}

const failing = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'prod', uid: 'uid-web', generation: 2, annotations: { 'deployment.kubernetes.io/revision': '2' } },
  spec: { replicas: 2, progressDeadlineSeconds: 5 },
  status: {
    observedGeneration: 2,
    updatedReplicas: 1,
    replicas: 3,
    conditions: [{ type: 'Progressing', status: 'False', reason: 'ProgressDeadlineExceeded', message: 'timed out', lastUpdateTime: '2024-05-01T10:00:10Z' }],
  },
};

function journalOf(step: KubernetesStep): JournalEntry[] {
  return [
    {
      id: 'kubernetes:apply-deployment:Deployment prod/web',
      step,
      status: 'applied',
      attempts: 1,
      durationMs: 5,
      outputs: {},
      data: { rollout: { namespace: 'prod', name: 'web', generation: 2, appliedAt: '2024-05-01T10:00:00Z' } },
    },
  ];
}

function deployStep(payload: Partial<DeploymentPayload>): KubernetesStep<'apply-deployment'> {
  return {
    owner: 'kubernetes',
    kind: 'apply-deployment',
    action: 'update',
    resource: 'Deployment prod/web',
    title: 'Update Deployment web in namespace prod',
    payload: { manifest: { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' } }, ...payload } as DeploymentPayload,
  };
}

function withFailedReplicaSet(kube: FakeKube, revision: string): void {
  kube.script('Deployment', 'prod', 'web', { ...failing, metadata: { ...failing.metadata, annotations: { 'deployment.kubernetes.io/revision': revision } } });
  kube.put({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-new', namespace: 'prod', labels: { 'pod-template-hash': 'new' }, annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ uid: 'uid-web' }] } });
}

describe('kubernetes scheduler: the contract', () => {
  it('plans in a dry run through a port that refuses changes, and its steps cannot be applied there', async () => {
    const kube = new FakeKube();
    const { scheduler, io } = schedulerOver(kube, true);
    const steps = await scheduler.planDeploy(kubeModel(), { force: false });
    expect(steps.map((s) => s.action)).to.deep.equal(['create']);
    const refused = await scheduler.apply(steps[0]!, applyContext({ io, aws: () => awsClientsFromPorts({}) })).catch((e: unknown) => e);
    expect(refused).to.include({ code: 'KUBE_MUTATION_REFUSED' });
    expect(kube.writes).to.deep.equal([]);
    expect(scheduler.runsScripts).to.equal(false);
  });

  it('plans a oneshot Job named for the run, checked by a server dry run', async () => {
    const kube = new FakeKube();
    const { scheduler } = schedulerOver(kube, true);
    const steps = await scheduler.planOneshot!(kubeModel(), { command: ['rake', 'db:migrate'], env: [{ name: 'A', value: '1' }], overrides: {} });
    expect(steps.map((s) => [s.kind, s.action, s.title])).to.deep.equal([['create-job', 'create', 'Create Job web-oneshot-3f2a9 in namespace prod']]);
    expect(kube.calls.filter((c) => c.method === 'apply').map((c) => [c.kind, c.dryRun])).to.deep.equal([['Job', true]]);
  });

  it('recovers a failed rollout: what hako applied before, then the failed template’s ReplicaSet dropped', async () => {
    const kube = new FakeKube();
    withFailedReplicaSet(kube, '2');
    const previous = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' }, spec: { replicas: 2 } };
    const { scheduler } = schedulerOver(kube, false);
    const outcome = await scheduler.wait!(kubeModel(), journalOf(deployStep({ previous, previousRevision: '1' })), {});
    expect(outcome).to.deep.include({ status: 'failed', recoveryTarget: 'web revision 1' });
    if (outcome.status !== 'failed') throw new Error('unreachable');
    expect(outcome.reason).to.match(/^Deployment web: no progress for 5s \(ProgressDeadlineExceeded: timed out\)/);
    expect(outcome.recovery?.map((s) => [s.kind, s.title, s.dependsOn])).to.deep.equal([
      ['rollback-deployment', 'Roll Deployment web in namespace prod back to what was deployed before (revision 1)', undefined],
      ['delete', "Delete the failed rollout's ReplicaSet web-new (revision 2)", ['kubernetes:rollback-deployment:Deployment prod/web']],
    ]);
    expect((outcome.recovery![0]!.payload as { manifest: unknown }).manifest).to.deep.equal(previous);
  });

  it('keeps the ReplicaSet when the failed rollout did not change the template (a scale-up)', async () => {
    const kube = new FakeKube();
    withFailedReplicaSet(kube, '1');
    const { scheduler } = schedulerOver(kube, false);
    const outcome = await scheduler.wait!(kubeModel(), journalOf(deployStep({ previous: { kind: 'Deployment' }, previousRevision: '1' })), {});
    expect(outcome.status === 'failed' && outcome.recovery?.map((s) => s.kind)).to.deep.equal(['rollback-deployment']);
  });

  it('has nothing to roll back to after a first deploy, and does not roll a failed rollback back again', async () => {
    const kube = new FakeKube();
    withFailedReplicaSet(kube, '1');
    const { scheduler } = schedulerOver(kube, false);
    const first = await scheduler.wait!(kubeModel(), journalOf(deployStep({})), {});
    expect(first).to.deep.include({ status: 'failed', note: 'Nothing to roll back to: hako had not deployed web to namespace prod before' });
    expect(first.status === 'failed' && first.recovery).to.equal(undefined);
    const rollback = { ...deployStep({}), kind: 'rollback-deployment' } as unknown as KubernetesStep;
    const again = await scheduler.wait!(kubeModel(), journalOf(rollback), {});
    expect(again.status === 'failed' && [again.recovery, again.note]).to.deep.equal([undefined, undefined]);
  });

  it('counts the delete of something already gone as done, through the executor', async () => {
    const kube = new FakeKube();
    kube.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' } });
    const { scheduler, io } = schedulerOver(kube, false);
    const steps = [deleteStep('Service', 'web', 'prod'), deleteStep('Job', 'web-oneshot-gone', 'prod')];
    const execution = new Execution({ context: applyContext({ io, aws: () => awsClientsFromPorts({}) }), applierFor: () => scheduler, keepGoing: true });
    await execution.run(steps);
    expect(execution.journal.map((e) => [e.step.resource, e.status])).to.deep.equal([
      ['Service prod/web', 'applied'],
      ['Job prod/web-oneshot-gone', 'gone'],
    ]);
    expect(io.lines).to.include('Deleted Service web in namespace prod').and.include('Delete Job web-oneshot-gone in namespace prod: already gone');
  });

  it('has no rollout to follow when nothing was applied', async () => {
    const { scheduler } = schedulerOver(new FakeKube(), false);
    expect(await scheduler.wait!(kubeModel(), [], {})).to.deep.equal({ status: 'none' });
  });
});
