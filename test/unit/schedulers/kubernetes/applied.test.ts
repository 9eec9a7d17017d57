import { expect } from 'chai';
import { appliedAt, appliedConfiguration, extractFields } from '../../../../lib/schedulers/kubernetes/applied.js';

/** A Deployment as the API server returns it: hako's fields, another manager's, and defaults nobody applied. */
const live = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'web',
    namespace: 'prod',
    uid: 'u-1',
    resourceVersion: '42',
    labels: { 'hako.io/app': 'web', 'added-by': 'someone' },
    annotations: { 'deployment.kubernetes.io/revision': '3' },
    managedFields: [
      {
        manager: 'hako',
        operation: 'Apply',
        apiVersion: 'apps/v1',
        time: '2024-05-01T10:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: {
          'f:metadata': { 'f:labels': { 'f:hako.io/app': {} } },
          'f:spec': {
            'f:replicas': {},
            'f:selector': {},
            'f:template': {
              'f:metadata': { 'f:labels': { '.': {}, 'f:hako.io/app': {} } },
              'f:spec': {
                'f:containers': {
                  'k:{"name":"app"}': {
                    '.': {},
                    'f:name': {},
                    'f:image': {},
                    'f:args': {},
                    'f:env': { 'k:{"name":"A"}': { '.': {}, 'f:name': {}, 'f:value': {} } },
                    'f:ports': { 'k:{"containerPort":8080,"protocol":"TCP"}': { '.': {}, 'f:containerPort': {}, 'f:protocol': {} } },
                  },
                },
                'f:tolerations': {},
              },
            },
          },
        },
      },
      { manager: 'kube-controller-manager', operation: 'Update', subresource: 'status', time: '2024-05-01T10:00:05Z', fieldsType: 'FieldsV1', fieldsV1: { 'f:status': {} } },
      { manager: 'kubectl-edit', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:metadata': { 'f:labels': { 'f:added-by': {} } } } },
    ],
  },
  spec: {
    replicas: 3,
    selector: { matchLabels: { 'hako.io/app': 'web' } },
    revisionHistoryLimit: 10,
    template: {
      metadata: { labels: { 'hako.io/app': 'web' } },
      spec: {
        containers: [
          {
            name: 'app',
            image: 'web:v2',
            args: ['serve'],
            env: [
              { name: 'A', value: '1' },
              { name: 'INJECTED', value: 'by a webhook' },
            ],
            ports: [{ containerPort: 8080, protocol: 'TCP' }],
            imagePullPolicy: 'IfNotPresent',
          },
          { name: 'injected-sidecar', image: 'mesh:1' },
        ],
        tolerations: [{ key: 'a', operator: 'Exists' }],
        dnsPolicy: 'ClusterFirst',
      },
    },
  },
  status: { replicas: 3 },
};

describe('kubernetes: what hako applied, read back from managedFields', () => {
  it('takes exactly the fields hako owns, with their live values, and the identity', () => {
    expect(appliedConfiguration(live)).to.deep.equal({
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'web', namespace: 'prod', labels: { 'hako.io/app': 'web' } },
      spec: {
        replicas: 3,
        selector: { matchLabels: { 'hako.io/app': 'web' } },
        template: {
          metadata: { labels: { 'hako.io/app': 'web' } },
          spec: {
            containers: [{ name: 'app', image: 'web:v2', args: ['serve'], env: [{ name: 'A', value: '1' }], ports: [{ containerPort: 8080, protocol: 'TCP' }] }],
            tolerations: [{ key: 'a', operator: 'Exists' }],
          },
        },
      },
    });
  });

  it('reads set members (v:) and keeps list order; leaves are taken whole', () => {
    const value = { finalizers: ['a', 'b', 'c'], data: { x: { deep: [1, 2] } } };
    expect(extractFields(value, { 'f:finalizers': { 'v:"c"': {}, 'v:"a"': {} }, 'f:data': { 'f:x': {} } })).to.deep.equal({ finalizers: ['a', 'c'], data: { x: { deep: [1, 2] } } });
  });

  it('knows when hako last changed the object, and that it never applied one it does not own', () => {
    expect(appliedAt(live)).to.equal('2024-05-01T10:00:00Z');
    const foreign = { ...live, metadata: { ...live.metadata, managedFields: live.metadata.managedFields.slice(1) } };
    expect(appliedConfiguration(foreign)).to.equal(undefined);
    expect(appliedAt(foreign)).to.equal(undefined);
  });
});
