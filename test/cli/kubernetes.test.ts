/**
 * The kubernetes scheduler's checks through the CLI, with no cluster at all: a definition is refused before any
 * kubeconfig is read (the one named here does not exist), and show-definition never needs one.
 */
import { expect } from 'chai';
import path from 'node:path';
import { runHako } from '../helpers/cli.js';
import { definitionsDir, fixture } from '../helpers/paths.js';

const NO_CLUSTER = { KUBECONFIG: '/nonexistent/kubeconfig', AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1' };

describe('CLI: the kubernetes scheduler', () => {
  it('refuses ECS settings in its scheduler block, naming each', async () => {
    const r = await runHako(['diff', fixture('kube', 'ecs-settings.jsonnet')], { env: NO_CLUSTER });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('scheduler.cluster: an ECS setting, not used by the kubernetes scheduler');
    expect(r.stderr).to.include('scheduler.elb_v2: an ECS setting, not used by the kubernetes scheduler: expose the pods with scheduler.service');
  });

  it('refuses every container key without a Kubernetes equivalent, with its path, before reading a kubeconfig', async () => {
    const r = await runHako(['deploy', fixture('kube', 'unmapped.jsonnet')], { env: NO_CLUSTER });
    expect(r.code).to.equal(1);
    for (const p of ['app.links', 'app.log_configuration', 'app.port_mappings[0].host_port', 'sidecars.redis.docker_labels', 'volumes.data.efs_volume_configuration']) {
      expect(r.stderr).to.include(`${p}: not supported by the kubernetes scheduler`);
    }
    expect(r.stderr).to.not.match(/kubeconfig/i);
  });

  it('prints the example definition without a cluster', async () => {
    const r = await runHako(['show-definition', path.join(definitionsDir, 'hello-kubernetes.jsonnet')], { env: NO_CLUSTER });
    expect([r.code, r.stderr]).to.deep.equal([0, '']);
    expect((JSON.parse(r.stdout) as { scheduler: unknown }).scheduler).to.deep.include({ type: 'kubernetes' });
  });

  it('names the missing kubeconfig when a command needs the cluster', async () => {
    const r = await runHako(['status', path.join(definitionsDir, 'hello-kubernetes.jsonnet')], { env: NO_CLUSTER });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('cannot read the kubeconfig /nonexistent/kubeconfig');
  });
});
