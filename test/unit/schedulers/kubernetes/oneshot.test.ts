/** Following a oneshot Job's pod over a scripted KubeApi. */
import { expect } from 'chai';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import type { KubeObjects } from '../../../../lib/kube/ports.js';
import { followOneshot, podOutcome } from '../../../../lib/schedulers/kubernetes/oneshot.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { FakeKube } from '../../../helpers/fake-kube.js';

type Pod = KubeObjects['Pod'];

function pod(status: Record<string, unknown>): Pod {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name: 'web-oneshot-abcde-x1', namespace: 'prod', labels: { 'batch.kubernetes.io/job-name': 'web-oneshot-abcde' } },
    spec: { nodeName: 'node-1', containers: [{ name: 'app' }] },
    status,
  } as Pod;
}

const terminated = (exitCode: number) => ({ phase: exitCode === 0 ? 'Succeeded' : 'Failed', containerStatuses: [{ name: 'app', state: { terminated: { exitCode } } }] });

function setUp(podStatus: Record<string, unknown> | undefined) {
  const kube = new FakeKube();
  kube.put({ apiVersion: 'batch/v1', kind: 'Job', metadata: { name: 'web-oneshot-abcde', namespace: 'prod' }, spec: {} });
  if (podStatus !== undefined) kube.put(pod(podStatus) as never);
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  return { kube, io, ctx: { kube, io, clock: time.clock, sleep: time.sleep } };
}

const job = { namespace: 'prod', job: 'web-oneshot-abcde' };

describe('kubernetes: oneshot pods', () => {
  it('reads the app container’s exit code once the pod has ended, or why it never will', () => {
    expect(podOutcome(pod({ phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} } }] }))).to.deep.equal({ done: false });
    expect(podOutcome(pod(terminated(3)))).to.deep.equal({ done: true, exitCode: 3 });
    expect(podOutcome(pod({ phase: 'Failed', reason: 'Evicted' }))).to.deep.equal({ done: true, why: 'pod Failed without an exit code for app (Evicted)' });
    expect(podOutcome(pod({ phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ImagePullBackOff', message: 'no such image' } } }] }))).to.deep.equal({
      done: true,
      why: 'ImagePullBackOff: no such image',
    });
    expect(podOutcome(pod({ phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ContainerCreating' } } }] }))).to.deep.equal({ done: false });
  });

  it('prints the app’s log line by line and ends with its exit code', async () => {
    const { kube, io, ctx } = setUp(terminated(3));
    kube.logText = 'migrating…\ndone\npartial';
    const run = await followOneshot(ctx, job, { noWait: false });
    expect(run).to.deep.equal({ cluster: 'prod', taskArn: 'web-oneshot-abcde', exitCode: 3, stopped: false });
    expect(io.messages.filter((m) => m.code === 'kubernetes.oneshot.log').map((m) => m.message)).to.deep.equal(['migrating…', 'done', 'partial']);
    expect(io.lines).to.include('app has stopped with exit_code=3');
    expect(kube.writes).to.deep.equal([]);
  });

  it('waits for the pod to appear and to end', async () => {
    const { kube, ctx } = setUp(undefined);
    let looks = 0;
    kube.onWatch = () => {
      looks += 1;
      if (looks === 1) kube.put(pod({ phase: 'Pending' }) as never);
      if (looks === 2) kube.put(pod({ phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} } }] }) as never);
      if (looks === 3) kube.put(pod(terminated(0)) as never);
    };
    expect((await followOneshot(ctx, job, { noWait: false })).exitCode).to.equal(0);
    expect(looks).to.equal(3);
  });

  it('gives up with 127 on a pod that cannot start, deleting its Job', async () => {
    const { kube, io, ctx } = setUp({ phase: 'Pending', containerStatuses: [{ name: 'app', state: { waiting: { reason: 'ErrImagePull', message: 'not found' } } }] });
    const run = await followOneshot(ctx, job, { noWait: false });
    expect(run.exitCode).to.equal(127);
    expect(io.messages.find((m) => m.level === 'warn')?.message).to.equal('app has no exit code: ErrImagePull: not found');
    expect(kube.writes).to.deep.equal([{ method: 'delete', kind: 'Job', name: 'web-oneshot-abcde' }]);
  });

  it('deletes the Job and reports 130 when interrupted', async () => {
    const { kube, ctx } = setUp({ phase: 'Running', containerStatuses: [{ name: 'app', state: { running: {} } }] });
    const abort = new AbortController();
    kube.onWatch = () => abort.abort();
    const run = await followOneshot({ ...ctx, signal: abort.signal }, job, { noWait: false });
    expect(run).to.deep.equal({ cluster: 'prod', taskArn: 'web-oneshot-abcde', exitCode: 130, stopped: true });
    expect(kube.writes).to.deep.equal([{ method: 'delete', kind: 'Job', name: 'web-oneshot-abcde' }]);
  });

  it('returns at once with --no-wait, after telling the hook', async () => {
    const { kube, ctx } = setUp(undefined);
    const started: string[] = [];
    const run = await followOneshot(ctx, job, { noWait: true, onStarted: async (t) => void started.push(`${t.cluster}/${t.taskArn}`) });
    expect(run).to.deep.equal({ cluster: 'prod', taskArn: 'web-oneshot-abcde', exitCode: 0, stopped: false, data: { namespace: 'prod', job: 'web-oneshot-abcde' } });
    expect(started).to.deep.equal(['prod/web-oneshot-abcde']);
    expect(kube.calls.filter((c) => c.method === 'list')).to.deep.equal([]);
  });
});
