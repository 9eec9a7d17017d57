/** Following a rollout: the judgement (pure) and the wait over scripted Deployment states on virtual time. */
import { expect } from 'chai';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import type { KubeObjects } from '../../../../lib/kube/ports.js';
import { rolloutState, waitForRollout, type RolloutTarget } from '../../../../lib/schedulers/kubernetes/wait.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { FakeKube } from '../../../helpers/fake-kube.js';

const target: RolloutTarget = { namespace: 'prod', name: 'web', generation: 4, appliedAt: '2024-05-01T10:00:00Z' };

function deployment(status: Record<string, unknown>, replicas = 2): KubeObjects['Deployment'] {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod', uid: 'uid-web', generation: 4, resourceVersion: '9', annotations: { 'deployment.kubernetes.io/revision': '5' } },
    spec: { replicas, progressDeadlineSeconds: 60, selector: {}, template: {} },
    status,
  } as KubeObjects['Deployment'];
}

const deadline = (lastUpdateTime: string) => ({
  type: 'Progressing',
  status: 'False',
  reason: 'ProgressDeadlineExceeded',
  message: 'ReplicaSet "web-abc" has timed out progressing.',
  lastUpdateTime,
});

describe('kubernetes: judging a rollout', () => {
  it('waits for the controller to see the applied generation first', () => {
    expect(rolloutState(deployment({ observedGeneration: 3, updatedReplicas: 2, availableReplicas: 2, replicas: 2 }), target).phase).to.equal('waiting');
  });

  it('completes when every replica is updated and available and no old one is left', () => {
    const at = (s: Record<string, number>) => rolloutState(deployment({ observedGeneration: 4, ...s }), target);
    expect(at({ updatedReplicas: 1, replicas: 3, availableReplicas: 2 })).to.deep.equal({ phase: 'waiting', line: '1/2 updated, 2 available, 2 old' });
    expect(at({ updatedReplicas: 2, replicas: 3, availableReplicas: 3 }).phase).to.equal('waiting');
    expect(at({ updatedReplicas: 2, replicas: 2, availableReplicas: 1 }).phase).to.equal('waiting');
    expect(at({ updatedReplicas: 2, replicas: 2, availableReplicas: 2 })).to.deep.equal({ phase: 'completed', line: '2/2 updated, 2 available' });
    expect(rolloutState(deployment({ observedGeneration: 4 }, 0), target).phase).to.equal('completed');
  });

  it('fails on this rollout’s ProgressDeadlineExceeded, not on one left from before the apply', () => {
    const failed = rolloutState(deployment({ observedGeneration: 4, updatedReplicas: 1, replicas: 3, conditions: [deadline('2024-05-01T10:01:00Z')] }), target);
    expect(failed).to.deep.include({ phase: 'failed', reason: 'no progress for 60s (ProgressDeadlineExceeded: ReplicaSet "web-abc" has timed out progressing)' });
    // The condition a rollback undoes is stamped before (or in the same second as) the apply that undoes it.
    expect(rolloutState(deployment({ observedGeneration: 4, updatedReplicas: 1, replicas: 3, conditions: [deadline('2024-05-01T10:00:00Z')] }), target).phase).to.equal('waiting');
    expect(rolloutState(deployment({ observedGeneration: 4, updatedReplicas: 1, replicas: 3, conditions: [deadline('2024-05-01T10:00:00Z')] }), { ...target, appliedAt: undefined }).phase).to.equal('failed');
  });
});

describe('kubernetes: waiting for a rollout', () => {
  it('follows the Deployment to completion, saying how far it got whenever that changes', async () => {
    const kube = new FakeKube();
    kube.script(
      'Deployment',
      'prod',
      'web',
      deployment({ observedGeneration: 3 }),
      deployment({ observedGeneration: 4, updatedReplicas: 1, replicas: 3, availableReplicas: 2 }),
      deployment({ observedGeneration: 4, updatedReplicas: 1, replicas: 3, availableReplicas: 2 }),
      deployment({ observedGeneration: 4, updatedReplicas: 2, replicas: 2, availableReplicas: 2 }),
    );
    const io = new RecordingIoHost();
    const time = createVirtualTime();
    const result = await waitForRollout({ kube, io, clock: time.clock, sleep: time.sleep }, target, { timeoutMs: 60_000 });
    expect(result).to.deep.equal({ status: 'completed' });
    expect(io.lines).to.deep.equal([
      'Waiting for the rollout of Deployment web in namespace prod',
      'web: waiting for the Deployment controller',
      'web: 1/2 updated, 2 available, 2 old',
      'web: 2/2 updated, 2 available',
      'Deployment web rolled out (revision 5)',
    ]);
    // Between looks it watched the Deployment; it never polled on a timer.
    expect(kube.calls.filter((c) => c.method === 'watch')).to.have.length(3);
    expect(time.sleeps).to.deep.equal([]);
  });

  it('fails with why the new pods do not come up, and names the ReplicaSet of the failed template', async () => {
    const kube = new FakeKube();
    kube.script('Deployment', 'prod', 'web', deployment({ observedGeneration: 4, updatedReplicas: 1, replicas: 3, conditions: [deadline('2024-05-01T10:01:00Z')] }));
    kube.put({ apiVersion: 'apps/v1', kind: 'ReplicaSet', metadata: { name: 'web-abc', namespace: 'prod', labels: { 'pod-template-hash': 'abc' }, annotations: { 'deployment.kubernetes.io/revision': '5' }, ownerReferences: [{ uid: 'uid-web' }] } });
    kube.put({ apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web-abc-1', namespace: 'prod', labels: { 'pod-template-hash': 'abc' } }, status: { phase: 'Pending' } });
    kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'prod' }, type: 'Warning', reason: 'FailedScheduling', message: '0/1 nodes are available: 1 Insufficient cpu.', involvedObject: { kind: 'Pod', name: 'web-abc-1' }, lastTimestamp: '2024-05-01T10:00:30Z' });
    const time = createVirtualTime();
    const result = await waitForRollout({ kube, io: new RecordingIoHost(), clock: time.clock, sleep: time.sleep }, target, {});
    expect(result).to.deep.equal({
      status: 'failed',
      reason: 'Deployment web: no progress for 60s (ProgressDeadlineExceeded: ReplicaSet "web-abc" has timed out progressing); pod web-abc-1: FailedScheduling: 0/1 nodes are available: 1 Insufficient cpu',
      pods: ['web-abc-1'],
      replicaSet: { name: 'web-abc', revision: '5' },
    });
  });

  it('times out on its own limit', async () => {
    const kube = new FakeKube();
    kube.script('Deployment', 'prod', 'web', deployment({ observedGeneration: 4, updatedReplicas: 1, replicas: 3, availableReplicas: 2 }));
    const time = createVirtualTime();
    kube.onWatch = () => time.advance(10_000);
    const result = await waitForRollout({ kube, io: new RecordingIoHost(), clock: time.clock, sleep: time.sleep }, target, { timeoutMs: 30_000 });
    expect(result).to.deep.include({ status: 'timed-out', reason: 'Deployment web did not finish rolling out within 30s (1/2 updated, 2 available, 2 old)' });
  });

  it('does not start watching when the signal fired while it was looking', async () => {
    const kube = new FakeKube();
    kube.script('Deployment', 'prod', 'web', deployment({ observedGeneration: 3 }));
    const abort = new AbortController();
    const get = kube.get.bind(kube);
    kube.get = (async (...args: Parameters<FakeKube['get']>) => {
      abort.abort();
      return get(...args);
    }) as FakeKube['get'];
    const time = createVirtualTime();
    const error = await waitForRollout({ kube, io: new RecordingIoHost(), clock: time.clock, sleep: time.sleep, signal: abort.signal }, target, {}).catch((e: unknown) => e);
    expect(error).to.include({ code: 'ABORTED' });
    expect(kube.calls.filter((c) => c.method === 'watch')).to.deep.equal([]);
  });

  it('stops at once on the signal', async () => {
    const kube = new FakeKube();
    kube.script('Deployment', 'prod', 'web', deployment({ observedGeneration: 3 }));
    const abort = new AbortController();
    kube.onWatch = () => abort.abort();
    const time = createVirtualTime();
    const error = await waitForRollout({ kube, io: new RecordingIoHost(), clock: time.clock, sleep: time.sleep, signal: abort.signal }, target, {}).catch((e: unknown) => e);
    expect(error).to.include({ code: 'ABORTED', exitCode: 130 });
  });
});
