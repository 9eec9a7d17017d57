import { expect } from 'chai';
import { observeKubernetesStatus, renderKubernetesStatus } from '../../../../lib/schedulers/kubernetes/status.js';
import { FakeKube } from '../../../helpers/fake-kube.js';
import { kubeConfig, kubeModel } from './fixtures.js';

const owned = { 'app.kubernetes.io/managed-by': 'hako', 'hako.io/app': 'web' };

function cluster(): FakeKube {
  const kube = new FakeKube();
  kube.put({
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'prod', uid: 'uid-web', labels: owned, annotations: { 'deployment.kubernetes.io/revision': '2' } },
    spec: { replicas: 2 },
    status: { updatedReplicas: 2, readyReplicas: 1, availableReplicas: 1, conditions: [{ type: 'Available', status: 'False', reason: 'MinimumReplicasUnavailable' }] },
  });
  kube.put({ apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod', labels: owned }, spec: { type: 'ClusterIP', clusterIP: '10.0.0.9', ports: [{ port: 80, targetPort: 8080, protocol: 'TCP' }] } });
  for (const [name, revision, replicas] of [
    ['web-b', '2', 2],
    ['web-a', '1', 0],
  ] as const) {
    kube.put({
      apiVersion: 'apps/v1',
      kind: 'ReplicaSet',
      metadata: { name, namespace: 'prod', annotations: { 'deployment.kubernetes.io/revision': revision }, ownerReferences: [{ kind: 'Deployment', uid: 'uid-web' }] },
      spec: { template: { spec: { containers: [{ name: 'app', image: `web:v${revision}` }] } } },
      status: { replicas, readyReplicas: replicas === 0 ? 0 : 1 },
    });
  }
  const pod = (name: string, status: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'prod', labels: { ...owned, 'hako.io/role': 'service' }, ...extra },
    spec: { nodeName: 'node-1', containers: [{ name: 'app' }] },
    status,
  });
  kube.put(pod('web-b-1', { phase: 'Running', startTime: '2024-05-01T10:00:00Z', containerStatuses: [{ name: 'app', ready: true, restartCount: 1 }] }));
  kube.put(pod('web-b-2', { phase: 'Pending', containerStatuses: [{ name: 'app', ready: false, restartCount: 0, state: { waiting: { reason: 'ImagePullBackOff' } } }] }));
  kube.put(pod('web-a-1', { phase: 'Running' }, { deletionTimestamp: '2024-05-01T10:01:00Z' }));
  kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e1', namespace: 'prod' }, type: 'Warning', reason: 'Failed', message: 'pull failed\n', involvedObject: { kind: 'Pod', name: 'web-b-2' }, lastTimestamp: '2024-05-01T10:02:00Z' });
  kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e0', namespace: 'prod' }, type: 'Normal', reason: 'ScalingReplicaSet', message: 'Scaled up replica set web-b to 2', involvedObject: { kind: 'Deployment', name: 'web' }, lastTimestamp: '2024-05-01T09:59:00Z' });
  kube.put({ apiVersion: 'v1', kind: 'Event', metadata: { name: 'e2', namespace: 'prod' }, type: 'Normal', reason: 'Other', message: 'not ours', involvedObject: { kind: 'Pod', name: 'db-0' }, lastTimestamp: '2024-05-01T10:03:00Z' });
  return kube;
}

describe('kubernetes: status', () => {
  it('reports the Deployment, the Service, ReplicaSets newest first, pods and the app’s events in order', async () => {
    const report = (await observeKubernetesStatus(cluster(), kubeModel(), kubeConfig()))!;
    expect(report.deployment).to.deep.include({ revision: 2, replicas: 2, updated: 2, ready: 1, available: 1 });
    expect(report.replicaSets.map((rs) => [rs.name, rs.revision, rs.current])).to.deep.equal([
      ['web-b', 2, true],
      ['web-a', 1, false],
    ]);
    expect(report.events.map((e) => e.reason)).to.deep.equal(['ScalingReplicaSet', 'Failed']);
    expect(renderKubernetesStatus(report).split('\n')).to.deep.equal([
      'Deployment web in namespace prod (context fake-context, https://fake.example:6443)',
      '  revision 2: 2 desired, 2 updated, 1 ready, 1 available',
      '  Available: False (MinimumReplicasUnavailable)',
      'Service web: ClusterIP 10.0.0.9, ports 80→8080/TCP',
      'ReplicaSets:',
      '  web-b revision 2 (current): 1/2 ready  app=web:v2',
      '  web-a revision 1: 0/0 ready  app=web:v1',
      'Pods:',
      '  web-a-1 Terminating ready 0/1 restarts 0 node node-1 started -',
      '  web-b-1 Running ready 1/1 restarts 1 node node-1 started 2024-05-01 10:00:00Z',
      '  web-b-2 Pending (ImagePullBackOff) ready 0/1 restarts 0 node node-1 started -',
      'Events:',
      '  2024-05-01 09:59:00Z Normal ScalingReplicaSet Deployment/web: Scaled up replica set web-b to 2',
      '  2024-05-01 10:02:00Z Warning Failed Pod/web-b-2: pull failed',
    ]);
  });

  it('has nothing to report when the Deployment is missing or not hako’s', async () => {
    expect(await observeKubernetesStatus(new FakeKube(), kubeModel(), kubeConfig())).to.equal(undefined);
    const foreign = new FakeKube();
    foreign.put({ apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'prod' }, spec: {} });
    expect(await observeKubernetesStatus(foreign, kubeModel(), kubeConfig())).to.equal(undefined);
  });
});
