import { expect } from 'chai';
import { comparable, createdShape, displayShape, wouldChange } from '../../../../lib/schedulers/kubernetes/compare.js';

const base = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'prod',
    uid: 'u',
    resourceVersion: '7',
    generation: 3,
    creationTimestamp: '2024-05-01T10:00:00Z',
    managedFields: [{ manager: 'hako' }],
    labels: { 'hako.io/app': 'web' },
    annotations: { 'deployment.kubernetes.io/revision': '3' },
  },
  spec: {
    replicas: 2,
    template: { metadata: { creationTimestamp: null, labels: { 'hako.io/app': 'web' } }, spec: { containers: [{ name: 'app', image: 'web:v1', env: [{ name: 'A', value: '1' }, { name: 'B', valueFrom: { secretKeyRef: { name: 's', key: 'k' } } }] }] } },
  },
  status: { replicas: 2, observedGeneration: 3 },
};

describe('kubernetes: comparing live objects with the server’s dry-run answer', () => {
  it('ignores what the server keeps about an object rather than in it', () => {
    const dryRun = structuredClone(base) as typeof base;
    dryRun.metadata.resourceVersion = '8';
    dryRun.metadata.generation = 4;
    dryRun.metadata.managedFields = [{ manager: 'hako' }, { manager: 'other' }];
    dryRun.metadata.annotations = { 'deployment.kubernetes.io/revision': '4' };
    dryRun.status = { replicas: 1, observedGeneration: 2 };
    expect(wouldChange(base, dryRun)).to.equal(false);
    expect(comparable(base)?.metadata).to.deep.equal({ name: 'web', namespace: 'prod', labels: { 'hako.io/app': 'web' } });
  });

  it('sees any change to labels, annotations of the user, or the spec; absent live means a creation', () => {
    const changed = structuredClone(base);
    changed.spec.replicas = 3;
    expect(wouldChange(base, changed)).to.equal(true);
    const annotated = structuredClone(base) as typeof base & { metadata: { annotations: Record<string, string> } };
    annotated.metadata.annotations['team'] = 'a';
    expect(wouldChange(base, annotated)).to.equal(true);
    expect(wouldChange(undefined, base)).to.equal(true);
  });

  it('shows env as NAME=value lines (so provider values are masked like ECS ones) and drops null timestamps', () => {
    const shape = displayShape(base) as { spec: { template: { metadata: unknown; spec: { containers: { env: unknown }[] } } } };
    expect(shape.spec.template.spec.containers[0]!.env).to.deep.equal(['A=1', 'B=(from {"secretKeyRef":{"name":"s","key":"k"}})']);
    expect(shape.spec.template.metadata).to.deep.equal({ labels: { 'hako.io/app': 'web' } });
    expect((displayShape(base) as { status?: unknown }).status).to.equal(undefined);
  });

  it('shows env, command and args as the container gets them ($$ is one $), so provider values are found to mask', () => {
    const object = { kind: 'Deployment', metadata: {}, spec: { template: { spec: { containers: [{ name: 'app', args: ['echo $$HOME'], env: [{ name: 'P', value: 'pa$$$$w' }] }], initContainers: [{ name: 'init', command: ['a$$b'] }] } } } };
    const shape = displayShape(object) as { spec: { template: { spec: { containers: { args: string[]; env: string[] }[]; initContainers: { command: string[] }[] } } } };
    expect(shape.spec.template.spec.containers[0]).to.deep.equal({ name: 'app', args: ['echo $HOME'], env: ['P=pa$$w'] });
    expect(shape.spec.template.spec.initContainers[0]!.command).to.deep.equal(['a$b']);
  });

  it('says a new Service’s cluster IP is known only after apply', () => {
    const service = { apiVersion: 'v1', kind: 'Service', metadata: { name: 'web', namespace: 'prod' }, spec: { clusterIP: '10.0.0.0', clusterIPs: ['10.0.0.0'], ports: [{ port: 80 }] } };
    expect((createdShape(service) as { spec: unknown }).spec).to.deep.equal({ clusterIP: '(known after apply)', clusterIPs: ['(known after apply)'], ports: [{ port: 80 }] });
    const headless = { ...service, spec: { clusterIP: 'None', ports: [] } };
    expect((createdShape(headless) as { spec: { clusterIP: string } }).spec.clusterIP).to.equal('None');
  });
});
