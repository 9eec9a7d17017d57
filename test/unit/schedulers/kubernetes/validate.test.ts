/** What the kubernetes scheduler refuses up front: its config (through normalisation) and the model (validate). */
import { expect } from 'chai';
import { formatIssue } from '../../../../lib/errors.js';
import { builtinSchedulerSchemas } from '../../../../lib/schedulers/builtins.js';
import { kubernetesConfigOf } from '../../../../lib/schedulers/kubernetes/config.js';
import { validateKubernetesModel } from '../../../../lib/schedulers/kubernetes/validate.js';
import { issuesOf, minimal } from '../../definition/schema-helpers.js';
import { container, kubeConfig, kubeModel } from './fixtures.js';

const schedulerSchemas = await builtinSchedulerSchemas(['kubernetes']);

function configIssues(scheduler: Record<string, unknown>, strict = false) {
  return issuesOf({ ...minimal(), scheduler: { type: 'kubernetes', ...scheduler } }, { schedulerSchemas, strict });
}

describe('kubernetes: scheduler config validation', () => {
  it('accepts the documented keys and turns them into the config the scheduler uses', () => {
    expect(configIssues({ namespace: 'prod', desired_count: 2, service: { ports: [{ port: 80, target_port: 8080 }] }, labels: { team: 'a' } })).to.deep.equal({ errors: [], warnings: [] });
    expect(kubernetesConfigOf({ namespace: 'prod', kubeconfig: 'kube/config', context: null, service: { ports: [{ port: 80 }] } })).to.deep.equal({
      namespace: 'prod',
      kubeconfig: 'kube/config',
      service: { type: 'ClusterIP', ports: [{ port: 80, targetPort: 80, protocol: 'TCP' }] },
      labels: {},
      podAnnotations: {},
    });
  });

  it('reports bad values with scheduler.<key> paths', () => {
    const { errors } = configIssues({ namespace: 'Prod_1', desired_count: -1, service: { ports: [] }, labels: { 'bad key!': 'x' } });
    expect(errors).to.have.length(4);
    expect(errors[0]).to.match(/^scheduler\.namespace: .*DNS label/);
    expect(errors.join('\n')).to.include('scheduler.desired_count').and.include('scheduler.service.ports').and.include('scheduler.labels');
    expect(configIssues({}).errors.join('\n')).to.include('scheduler.namespace: ');
  });

  it('names every ECS setting as one the kubernetes scheduler does not use, as an error', () => {
    const { errors } = configIssues({ namespace: 'prod', cluster: 'default', elb_v2: { vpc_id: 'vpc-1' }, autoscaling: { min_capacity: 1 }, cpu: 256 });
    expect(errors).to.have.members([
      'scheduler.cluster: an ECS setting, not used by the kubernetes scheduler',
      'scheduler.cpu: an ECS setting, not used by the kubernetes scheduler: set cpu and memory on the containers (they become resource requests and limits)',
      'scheduler.elb_v2: an ECS setting, not used by the kubernetes scheduler: expose the pods with scheduler.service (and an Ingress made elsewhere)',
      'scheduler.autoscaling: an ECS setting, not used by the kubernetes scheduler: scale with a HorizontalPodAutoscaler made elsewhere',
    ]);
    // null means absent, as everywhere in a definition.
    expect(configIssues({ namespace: 'prod', cluster: null }).errors).to.deep.equal([]);
  });

  it('warns about unknown keys (errors under --strict), suggesting the known one', () => {
    expect(configIssues({ namespace: 'prod', namspace: 'x' }).warnings).to.deep.equal(['scheduler.namspace: unknown key, did you mean namespace?']);
    expect(configIssues({ namespace: 'prod', replicas: 2 }, true).errors).to.deep.equal(['scheduler.replicas: unknown key']);
  });
});

describe('kubernetes: model validation', () => {
  const messages = (model = kubeModel(), config = kubeConfig()) => validateKubernetesModel(model, config).map(formatIssue);

  it('accepts a plain app', () => {
    expect(messages()).to.deep.equal([]);
  });

  it('refuses every container key Kubernetes has no equivalent for, naming its path', () => {
    const app = container('app', {
      links: ['redis:cache'],
      docker_labels: { a: 'b' },
      log_configuration: { log_driver: 'awslogs', options: {} },
      secrets: [{ name: 'X', value_from: 'arn:aws:ssm:…' }],
      essential: false,
      port_mappings: [{ container_port: 80, host_port: 8080, protocol: 'tcp' }],
      user: 'nobody',
      linux_parameters: { init_process_enabled: true, capabilities: { add: ['NET_ADMIN'], drop: [] } },
      health_check: { command: ['curl', '-f', 'localhost'], interval: 30, timeout: 5, retries: 3 },
    });
    const sidecar = container('redis', { volumes_from: [{ source_container: 'app', read_only: false }], depends_on: [{ container_name: 'app', condition: 'START' }], ulimits: [{ name: 'nofile', soft_limit: 1, hard_limit: 2 }] });
    const paths = messages(kubeModel({ containers: [app, sidecar] })).map((m) => m.slice(0, m.indexOf(': ')));
    expect(paths).to.deep.equal([
      'app.links',
      'app.docker_labels',
      'app.log_configuration',
      'app.secrets',
      'app.essential',
      'app.port_mappings[0].host_port',
      'app.user',
      'app.linux_parameters.init_process_enabled',
      'app.health_check.command',
      'sidecars.redis.volumes_from',
      'sidecars.redis.depends_on',
      'sidecars.redis.ulimits',
    ]);
    expect(messages(kubeModel({ containers: [app] }))[0]).to.equal(
      "app.links: not supported by the kubernetes scheduler: a pod's containers share one network: reach the other container at localhost:<port>",
    );
  });

  it('checks names Kubernetes would refuse: the app id, container and volume names', () => {
    const model = kubeModel({
      id: 'My_App',
      containers: [container('app'), container('log_router')],
      volumes: [{ name: 'Data', host: {} }],
    });
    expect(messages(model)).to.deep.equal([
      'the app id "My_App" (the definition\'s file name) is not a valid Kubernetes name: expected a DNS label, at most 63 lowercase letters, digits and "-"',
      'sidecars.log_router: "log_router" is not a valid Kubernetes container name (lowercase letters, digits and "-", at most 63)',
      'volumes.Data: "Data" is not a valid Kubernetes volume name (lowercase letters, digits and "-")',
    ]);
    // A Service name must start with a letter.
    expect(messages(kubeModel({ id: '2048' }), kubeConfig({ service: { ports: [{ port: 80, target_port: 8080 }] } }))[0]).to.match(/starting with a letter/);
    expect(messages(kubeModel({ id: '2048' }))).to.deep.equal([]);
  });

  it('refuses volumes without a Kubernetes equivalent', () => {
    const model = kubeModel({
      volumes: [
        { name: 'efs', efs_volume_configuration: { file_system_id: 'fs-1' } },
        { name: 'shared', docker_volume_configuration: { scope: 'shared', autoprovision: true, driver: 'rexray' } },
        { name: 'scratch', docker_volume_configuration: { scope: 'task' } },
      ],
    });
    expect(messages(model).map((m) => m.slice(0, m.indexOf(': ')))).to.deep.equal(['volumes.efs.efs_volume_configuration', 'volumes.shared.docker_volume_configuration']);
  });

  it('checks that the Service sends traffic to a declared port, and that a pod does not declare one port twice', () => {
    const config = kubeConfig({ service: { ports: [{ port: 80, target_port: 8080 }, { port: 81, target_port: 9090 }] } });
    expect(messages(kubeModel(), config)).to.deep.equal(['scheduler.service.ports[1]: no container has 9090/tcp in its port_mappings for the Service to send traffic to']);
    const clash = kubeModel({ containers: [container('app', { port_mappings: [{ container_port: 80, protocol: 'tcp' }] }), container('front', { port_mappings: [{ container_port: 80, protocol: 'tcp' }] })] });
    expect(messages(clash)).to.deep.equal(['sidecars.front.port_mappings[0].container_port: 80/tcp is also a port of container app: the containers of a pod share one network']);
  });

  it('refuses scripts, which manage AWS resources around an ECS service', () => {
    expect(messages(kubeModel({ scripts: [{ type: 'alb', config: {} }] }))).to.deep.equal([
      'scripts[0]: script "alb" does not run with the kubernetes scheduler: hako\'s scripts manage AWS resources around an ECS service',
    ]);
  });
});
