import { expect } from 'chai';
import {
  cpuQuantity,
  deploymentManifest,
  jobManifest,
  memoryQuantity,
  oneshotJobName,
  serviceManifest,
} from '../../../../lib/schedulers/kubernetes/manifests.js';
import { container, kubeConfig, kubeModel } from './fixtures.js';

describe('kubernetes: manifests from the app model', () => {
  it('turns ECS CPU units into millicores and MiB into canonical quantities', () => {
    expect([cpuQuantity(1024), cpuQuantity(256), cpuQuantity(100), cpuQuantity(2048), cpuQuantity(1)]).to.deep.equal(['1', '250m', '98m', '2', '1m']);
    expect([memoryQuantity(128), memoryQuantity(1024), memoryQuantity(1536), memoryQuantity(3072)]).to.deep.equal(['128Mi', '1Gi', '1536Mi', '3Gi']);
  });

  it('makes a Deployment of the app id whose pod runs app and its sidecars, labelled as hako’s', () => {
    const model = kubeModel({
      containers: [
        container('app', {
          image: 'registry.example/web:v1',
          cpu: 512,
          memory: 512,
          memory_reservation: 256,
          entry_point: ['/bin/web'],
          command: ['serve', '--port=8080'],
          env: [
            { name: 'A', value: '1' },
            { name: 'TOKEN', value: 's3cr3t' },
          ],
          port_mappings: [{ container_port: 8080, protocol: 'tcp' }],
          working_directory: '/srv',
          user: '1000:2000',
          readonly_root_filesystem: true,
          linux_parameters: { capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
          mount_points: [{ source_volume: 'data', container_path: '/data', read_only: true }],
        }),
        container('log', { image: 'fluent-bit:3', memory: 64, port_mappings: [{ container_port: 2020, protocol: 'udp' }] }),
      ],
      volumes: [
        { name: 'data', host: { source_path: '/srv/data' } },
        { name: 'tmp', host: {} },
        { name: 'cache', docker_volume_configuration: { scope: 'task', driver: 'local' } },
      ],
    });
    const d = deploymentManifest(model, kubeConfig({ labels: { team: 'a' }, pod_annotations: { 'prometheus.io/scrape': 'true' }, progress_deadline_seconds: 120, service_account_name: 'web' }));
    const owner = { team: 'a', 'app.kubernetes.io/name': 'web', 'app.kubernetes.io/managed-by': 'hako', 'hako.io/app': 'web' };
    expect(d.metadata).to.deep.equal({ name: 'web', namespace: 'prod', labels: owner });
    expect(d.spec?.replicas).to.equal(2);
    expect(d.spec?.progressDeadlineSeconds).to.equal(120);
    expect(d.spec?.selector).to.deep.equal({ matchLabels: { 'hako.io/app': 'web', 'hako.io/role': 'service' } });
    expect(d.spec?.template.metadata).to.deep.equal({ labels: { ...owner, 'hako.io/role': 'service' }, annotations: { 'prometheus.io/scrape': 'true' } });
    const pod = d.spec!.template.spec!;
    expect(pod.serviceAccountName).to.equal('web');
    expect(pod.restartPolicy).to.equal(undefined);
    expect(pod.volumes).to.deep.equal([
      { name: 'data', hostPath: { path: '/srv/data' } },
      { name: 'tmp', emptyDir: {} },
      { name: 'cache', emptyDir: {} },
    ]);
    expect(pod.containers).to.deep.equal([
      {
        name: 'app',
        image: 'registry.example/web:v1',
        command: ['/bin/web'],
        args: ['serve', '--port=8080'],
        workingDir: '/srv',
        env: [
          { name: 'A', value: '1' },
          { name: 'TOKEN', value: 's3cr3t' },
        ],
        ports: [{ containerPort: 8080, protocol: 'TCP' }],
        resources: { requests: { cpu: '500m', memory: '256Mi' }, limits: { memory: '512Mi' } },
        volumeMounts: [{ name: 'data', mountPath: '/data', readOnly: true }],
        securityContext: { readOnlyRootFilesystem: true, runAsUser: 1000, runAsGroup: 2000, capabilities: { add: ['NET_ADMIN'], drop: ['ALL'] } },
      },
      { name: 'log', image: 'fluent-bit:3', ports: [{ containerPort: 2020, protocol: 'UDP' }], resources: { limits: { memory: '64Mi' } } },
    ]);
  });

  it('maps health checks to readiness and liveness probes (start_period delays liveness only); NONE to none', () => {
    const withCheck = (command: string[], start_period?: number) =>
      deploymentManifest(
        kubeModel({ containers: [container('app', { health_check: { command, interval: 15, timeout: 4, retries: 2, ...(start_period === undefined ? {} : { start_period }) } })] }),
        kubeConfig(),
      ).spec!.template.spec!.containers[0]!;
    const shell = withCheck(['CMD-SHELL', 'curl -f http://localhost/ || exit 1'], 30);
    const probe = { exec: { command: ['/bin/sh', '-c', 'curl -f http://localhost/ || exit 1'] }, periodSeconds: 15, timeoutSeconds: 4, failureThreshold: 2 };
    expect(shell.readinessProbe).to.deep.equal(probe);
    expect(shell.livenessProbe).to.deep.equal({ ...probe, initialDelaySeconds: 30 });
    expect(withCheck(['CMD', '/bin/check', '--quick']).readinessProbe?.exec).to.deep.equal({ command: ['/bin/check', '--quick'] });
    expect(withCheck(['CMD', '/bin/check']).livenessProbe?.initialDelaySeconds).to.equal(undefined);
    const none = withCheck(['NONE']);
    expect([none.readinessProbe, none.livenessProbe]).to.deep.equal([undefined, undefined]);
  });

  it('writes every $ as $$, so Kubernetes’ $(VAR) expansion leaves env, command and args as the definition says', () => {
    const c = deploymentManifest(
      kubeModel({ containers: [container('app', { entry_point: ['sh', '-c'], command: ['echo $HOME $(date) $$'], env: [{ name: 'PASSWORD', value: 'pa$$w$(rd)' }] })] }),
      kubeConfig(),
    ).spec!.template.spec!.containers[0]!;
    expect(c.command).to.deep.equal(['sh', '-c']);
    expect(c.args).to.deep.equal(['echo $$HOME $$(date) $$$$']);
    expect(c.env).to.deep.equal([{ name: 'PASSWORD', value: 'pa$$$$w$$(rd)' }]);
  });

  it('carries the restart mark on the pod template', () => {
    const d = deploymentManifest(kubeModel(), kubeConfig(), { restartedAt: '2024-05-01T10:00:00.000Z' });
    expect(d.spec?.template.metadata?.annotations).to.deep.equal({ 'hako.io/restarted-at': '2024-05-01T10:00:00.000Z' });
  });

  it('makes the Service only when asked, selecting the Deployment’s pods and never a oneshot’s', () => {
    expect(serviceManifest(kubeModel(), kubeConfig())).to.equal(undefined);
    const s = serviceManifest(kubeModel(), kubeConfig({ service: { type: 'NodePort', ports: [{ port: 80, target_port: 8080 }, { port: 53, protocol: 'udp', name: 'dns', node_port: 30053 }] } }));
    expect(s?.spec).to.deep.equal({
      type: 'NodePort',
      selector: { 'hako.io/app': 'web', 'hako.io/role': 'service' },
      ports: [
        { name: 'tcp-80', port: 80, targetPort: 8080, protocol: 'TCP' },
        { name: 'dns', port: 53, targetPort: 53, protocol: 'UDP', nodePort: 30053 },
      ],
    });
  });

  it('makes the oneshot Job: the app with the command as args, -e env and overrides, sidecars as native sidecars, run once', () => {
    const model = kubeModel({
      containers: [
        container('app', { image: 'web:v1', entry_point: ['bundle', 'exec'], command: ['puma'], cpu: 256, env: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }] }),
        container('proxy', { image: 'envoy:1' }),
      ],
    });
    const job = jobManifest(model, kubeConfig({ pod_annotations: { 'kwok.hako.test/exit-code': '3' } }), {
      name: 'web-oneshot-abcde',
      command: ['rake', 'db:migrate'],
      env: [{ name: 'B', value: 'override' }, { name: 'C', value: '3' }],
      overrides: { cpu: 1024, memory: 2048 },
    });
    expect(job.metadata.labels).to.include({ 'hako.io/app': 'web', 'hako.io/role': 'oneshot', 'app.kubernetes.io/managed-by': 'hako' });
    expect([job.spec?.backoffLimit, job.spec?.ttlSecondsAfterFinished]).to.deep.equal([0, 3600]);
    const pod = job.spec!.template;
    expect(pod.metadata?.labels).to.include({ 'hako.io/role': 'oneshot' });
    expect(pod.metadata?.annotations).to.deep.equal({ 'kwok.hako.test/exit-code': '3' });
    expect(pod.spec?.restartPolicy).to.equal('Never');
    expect(pod.spec?.containers).to.deep.equal([
      {
        name: 'app',
        image: 'web:v1',
        command: ['bundle', 'exec'],
        args: ['rake', 'db:migrate'],
        env: [
          { name: 'A', value: '1' },
          { name: 'B', value: 'override' },
          { name: 'C', value: '3' },
        ],
        resources: { requests: { cpu: '1' }, limits: { memory: '2Gi' } },
      },
    ]);
    expect(pod.spec?.initContainers).to.deep.equal([{ name: 'proxy', image: 'envoy:1', restartPolicy: 'Always' }]);
  });

  it('keeps Job names within 63 characters', () => {
    expect(oneshotJobName('web', 'abcde')).to.equal('web-oneshot-abcde');
    const long = oneshotJobName(`${'a'.repeat(48)}-b-${'c'.repeat(10)}`, 'abcde');
    expect(long.length).to.be.at.most(63);
    expect(long).to.match(/^a+-oneshot-abcde$/);
  });
});
