import { expect } from 'chai';
import { appImage, resolveContainerNames, sidecarImage } from '../../../lib/definition/containers.js';
import type { ContainerInput } from '../../../lib/definition/schema/container.js';
import { minimal, normalise } from './schema-helpers.js';

const ecs = { type: 'ecs', region: 'ap-northeast-1', cluster: 'eagletmt', desired_count: 1 };

// hako's spec/fixtures/jsonnet/default*.jsonnet, as Jsonnet outputs them (object keys sorted).
const fixtures = {
  default: { app: { image: 'app-image', tag: 'tag' }, sidecars: { front: { image_tag: 'front-image', type: 'nginx' } } },
  default_with_links: {
    app: { image: 'app-image', links: ['redis'] },
    sidecars: {
      fluentd: { image_tag: 'fluentd', links: ['redis'] },
      memcached: { image_tag: 'memcached' },
      redis: { image_tag: 'redis', links: ['memcached'] },
    },
  },
  default_with_depends_on: {
    app: { image: 'app-image', links: ['redis'], depends_on: [{ container_name: 'init2', condition: 'SUCCESS' }] },
    sidecars: {
      fluentd: { image_tag: 'fluentd', links: ['redis'] },
      init: { image_tag: 'busybox', essential: false, command: ['echo', 'init'], mount_points: [{ source_volume: 'data', container_path: '/data' }] },
      init2: {
        image_tag: 'busybox',
        essential: false,
        command: ['echo', 'init2'],
        mount_points: [{ source_volume: 'data', container_path: '/data' }],
        depends_on: [{ container_name: 'init', condition: 'SUCCESS' }],
      },
      memcached: { image_tag: 'memcached' },
      redis: { image_tag: 'redis', links: ['memcached'] },
    },
    volumes: { data: {} },
  },
  default_with_volumes_from: {
    app: { image: 'app-image', volumes_from: [{ source_container: 'redis' }] },
    sidecars: {
      fluentd: { image_tag: 'fluentd', volumes_from: [{ source_container: 'redis' }] },
      memcached: { image_tag: 'memcached' },
      redis: { image_tag: 'redis', volumes_from: [{ source_container: 'memcached' }] },
    },
  },
};

function names(fixture: keyof typeof fixtures, withNames?: string[]): string[] {
  return normalise({ scheduler: ecs, ...fixtures[fixture] }, withNames ? { with: withNames } : {}).model.containers.map((c) => c.name);
}

describe('normalise: container set (hako §2.7)', () => {
  it('default: app and front; with [] only app', () => {
    expect(names('default')).to.deep.equal(['app', 'front']);
    expect(names('default', [])).to.deep.equal(['app']);
  });

  it('default_with_links: every sidecar; with [] the link closure level by level', () => {
    expect(names('default_with_links')).to.deep.equal(['app', 'fluentd', 'memcached', 'redis']);
    expect(names('default_with_links', [])).to.deep.equal(['app', 'redis', 'memcached']);
    expect(names('default_with_links', ['fluentd'])).to.deep.equal(['app', 'fluentd', 'redis', 'memcached']);
  });

  it('default_with_depends_on: links before depends_on, then the next level', () => {
    expect(names('default_with_depends_on')).to.deep.equal(['app', 'fluentd', 'init', 'init2', 'memcached', 'redis']);
    expect(names('default_with_depends_on', [])).to.deep.equal(['app', 'redis', 'init2', 'memcached', 'init']);
  });

  it('default_with_volumes_from: volumes_from pulls in its sources', () => {
    expect(names('default_with_volumes_from')).to.deep.equal(['app', 'fluentd', 'memcached', 'redis']);
    expect(names('default_with_volumes_from', [])).to.deep.equal(['app', 'redis', 'memcached']);
  });

  it('keeps the sidecar map order when the definition is YAML (not sorted)', () => {
    const sidecars = { zeta: { image_tag: 'z' }, alpha: { image_tag: 'a', links: ['zeta'] } };
    expect(resolveContainerNames({ image: 'x' } as ContainerInput, sidecars as unknown as Record<string, ContainerInput>)).to.deep.equal(['app', 'zeta', 'alpha']);
  });

  it('uses additional_containers when sidecars is absent', () => {
    const { model } = normalise({ scheduler: ecs, app: { image: 'a' }, additional_containers: { redis: { image_tag: 'redis:3.0' } } });
    expect(model.containers.map((c) => [c.name, c.image])).to.deep.equal([['app', 'a:latest'], ['redis', 'redis:3.0']]);
  });
});

describe('normalise: images', () => {
  it('app: tag, --tag wins, latest by default', () => {
    expect(normalise({ scheduler: ecs, ...fixtures.default }).model.containers[0]?.image).to.equal('app-image:tag');
    expect(normalise({ scheduler: ecs, ...fixtures.default }, { tag: 'v2' }).model.containers[0]?.image).to.equal('app-image:v2');
    expect(normalise(minimal()).model.containers[0]?.image).to.equal('busybox:latest');
  });

  it('app: an image with a tag or digest stays as is without a tag; a given tag replaces it', () => {
    expect(appImage('repo:1.2', undefined, undefined)).to.equal('repo:1.2');
    expect(appImage('repo@sha256:abc', undefined, undefined)).to.equal('repo@sha256:abc');
    expect(appImage('registry:5000/team/repo', undefined, undefined)).to.equal('registry:5000/team/repo:latest');
    expect(appImage('registry:5000/team/repo:1.2', 'ignored', 'v3')).to.equal('registry:5000/team/repo:v3');
    expect(appImage('repo@sha256:abc', 'v1', undefined)).to.equal('repo:v1');
  });

  it('sidecar: image_tag verbatim, else image (+ tag)', () => {
    expect(sidecarImage({ image_tag: 'redis:3.0', image: 'other' })).to.equal('redis:3.0');
    expect(sidecarImage({ image: 'redis', tag: '7' })).to.equal('redis:7');
    expect(sidecarImage({ image: 'redis:6', tag: '7' })).to.equal('redis:7');
    expect(sidecarImage({ image: 'redis' })).to.equal('redis');
    expect(sidecarImage({})).to.equal(undefined);
  });
});

describe('normalise: defaults and conversions', () => {
  it('fills container defaults and keeps the absent absent', () => {
    const { model } = normalise(minimal());
    expect(model.containers[0]).to.deep.equal({
      name: 'app',
      image: 'busybox:latest',
      cpu: 32,
      memory: 64,
      links: [],
      port_mappings: [],
      essential: true,
      env: [],
      env_providers: [],
      docker_labels: {},
      mount_points: [],
      privileged: false,
      volumes_from: [],
    });
  });

  it('fills scheduler defaults', () => {
    const raw = minimal();
    delete (raw['scheduler'] as Record<string, unknown>)['cluster'];
    expect(normalise(raw).model.scheduler).to.deep.equal({
      type: 'ecs',
      region: 'ap-northeast-1',
      cluster: 'default',
      desired_count: 1,
      placement_constraints: [],
      placement_strategy: [],
      dynamic_port_mapping: true,
      tags: {},
      enable_execute_command: false,
    });
  });

  it('defaults nested objects: health check, port protocol, mount and volumes_from read_only, linux parameters', () => {
    const raw = minimal({ sidecars: { data: { image_tag: 'busybox' } }, volumes: { logs: {} } });
    Object.assign(raw['app'] as object, {
      health_check: { command: ['CMD-SHELL', 'true'], start_period: 1 },
      port_mappings: [{ container_port: 3000, host_port: 0 }, { container_port: 53, protocol: 'UDP' }],
      mount_points: [{ source_volume: 'logs', container_path: '/logs' }],
      volumes_from: [{ source_container: 'data' }],
      linux_parameters: { capabilities: { add: ['SYS_RAWIO'] }, devices: [{ host_path: '/dev/null' }], tmpfs: [{ container_path: '/tmp', size: 128 }] },
      log_configuration: { log_driver: 'json-file' },
    });
    const app = normalise(raw).model.containers[0];
    expect(app?.health_check).to.deep.equal({ command: ['CMD-SHELL', 'true'], interval: 30, timeout: 5, retries: 3, start_period: 1 });
    expect(app?.port_mappings).to.deep.equal([
      { container_port: 3000, host_port: 0, protocol: 'tcp' },
      { container_port: 53, protocol: 'udp' },
    ]);
    expect(app?.mount_points).to.deep.equal([{ source_volume: 'logs', container_path: '/logs', read_only: false }]);
    expect(app?.volumes_from).to.deep.equal([{ source_container: 'data', read_only: false }]);
    expect(app?.linux_parameters).to.deep.equal({
      capabilities: { add: ['SYS_RAWIO'], drop: [] },
      devices: [{ host_path: '/dev/null', permissions: [] }],
      tmpfs: [{ container_path: '/tmp', mount_options: [], size: 128 }],
    });
    expect(app?.log_configuration).to.deep.equal({ log_driver: 'json-file', options: {} });
  });

  it('turns task cpu/memory numbers into strings, ephemeral storage strings into numbers, tag values into strings', () => {
    const raw = minimal();
    Object.assign(raw['scheduler'] as object, { cpu: 1024, memory: '2 GB', ephemeral_storage: { size_in_gi_b: '25' }, tags: { team: 'a', cost: 42, on: true } });
    const s = normalise(raw).model.scheduler;
    expect([s.cpu, s.memory, s.ephemeral_storage, s.tags]).to.deep.equal(['1024', '2 GB', { size_in_gi_b: 25 }, { team: 'a', cost: '42', on: 'true' }]);
  });

  it('applies the load balancer defaults: grace period 0, no dynamic port with a classic ELB', () => {
    const raw = minimal({ sidecars: { front: { image_tag: 'nginx' } } });
    Object.assign(raw['scheduler'] as object, { elb: { listeners: [{ load_balancer_port: 80, protocol: 'HTTP' }], tags: { n: 1 } } });
    const s = normalise(raw).model.scheduler;
    expect(s.health_check_grace_period_seconds).to.equal(0);
    expect(s.dynamic_port_mapping).to.equal(false);
    expect(s.elb).to.deep.equal({
      listeners: [{ load_balancer_port: 80, protocol: 'HTTP' }],
      tags: { n: '1' },
      container_name: 'front',
      container_port: 80,
    });
  });

  it('normalises deployment configuration, autoscaling and service discovery', () => {
    const raw = minimal();
    Object.assign(raw['scheduler'] as object, {
      deployment_configuration: { maximum_percent: 200, deployment_circuit_breaker: { enable: true } },
      network_configuration: { awsvpc_configuration: { subnets: ['s-1'], assign_public_ip: 'DISABLED' } },
      autoscaling: { role_arn: 'r', min_capacity: 1, max_capacity: 4, policies: [{ alarms: ['a'], cooldown: 300, adjustment_type: 'ChangeInCapacity', scaling_adjustment: 1, metric_aggregation_type: 'Average' }] },
      service_discovery: [{ container_name: 'app', container_port: 80, service: { name: 'svc', namespace_id: 'ns-1', dns_config: { dns_records: [{ type: 'SRV', ttl: 60 }] } } }],
    });
    const s = normalise(raw).model.scheduler;
    expect(s.deployment_configuration).to.deep.equal({ maximum_percent: 200, deployment_circuit_breaker: { enable: true, rollback: false } });
    expect(s.network_configuration).to.deep.equal({ awsvpc_configuration: { subnets: ['s-1'], assign_public_ip: 'DISABLED' } });
    expect(s.autoscaling?.policies[0]?.policy_type).to.equal('StepScaling');
    expect(s.service_discovery?.[0]?.service.dns_config).to.deep.equal({ dns_records: [{ type: 'SRV', ttl: 60 }], routing_policy: 'MULTIVALUE' });
  });

  it('keeps env in written order and moves $providers out', () => {
    const raw = minimal();
    Object.assign(raw['app'] as object, { env: { ZED: '1', $providers: [{ type: 'file', path: 'hello.env' }], ALPHA: '#{username}-san' } });
    const app = normalise(raw).model.containers[0];
    expect(app?.env).to.deep.equal([{ name: 'ZED', value: '1' }, { name: 'ALPHA', value: '#{username}-san' }]);
    expect(app?.env_providers).to.deep.equal([{ type: 'file', path: 'hello.env' }]);
  });

  it('turns volumes into a list in map order, choosing docker, then EFS, then host', () => {
    const raw = minimal({
      volumes: {
        zz: { source_path: '/var/data' },
        docker: { docker_volume_configuration: { driver: 'local', driver_opts: {}, labels: { a: 'b' } }, source_path: '/ignored' },
        efs: { efs_volume_configuration: { file_system_id: 'fs-1', authorization_config: { iam: 'ENABLED' } } },
        scratch: {},
      },
    });
    expect(normalise(raw).model.volumes).to.deep.equal([
      { name: 'zz', host: { source_path: '/var/data' } },
      { name: 'docker', docker_volume_configuration: { driver: 'local', labels: { a: 'b' } } },
      { name: 'efs', efs_volume_configuration: { file_system_id: 'fs-1', authorization_config: { iam: 'ENABLED' } } },
      { name: 'scratch', host: {} },
    ]);
  });
});

describe('normalise: scripts and elb_v2', () => {
  const nginx = { type: 'nginx_front', backend_port: 3000, s3: { region: 'r', bucket: 'b' } };

  it('turns elb_v2 into the first script entry, out of the scheduler', () => {
    const raw = minimal({ sidecars: { front: { image_tag: 'nginx' } }, scripts: [nginx, { type: 'create_aws_cloud_watch_logs_log_group' }] });
    Object.assign(raw['scheduler'] as object, { elb_v2: { vpc_id: 'vpc-1', listeners: [{ port: 80, protocol: 'HTTP' }], scheme: null } });
    const { model } = normalise(raw);
    expect(model.scripts).to.deep.equal([
      { type: 'alb', config: { vpc_id: 'vpc-1', listeners: [{ port: 80, protocol: 'HTTP' }] } },
      { type: 'nginx_front', config: { backend_port: 3000, s3: { region: 'r', bucket: 'b' } } },
      { type: 'create_aws_cloud_watch_logs_log_group', config: {} },
    ]);
    expect(model.scheduler).to.not.have.property('elb_v2');
    expect(model.scheduler.health_check_grace_period_seconds).to.equal(0);
    expect(model.scheduler.dynamic_port_mapping).to.equal(true);
    expect(model.load_balancers).to.deep.equal([]);
  });

  it('sets target_type ip under awsvpc unless given', () => {
    const raw = minimal({ sidecars: { front: { image_tag: 'nginx' } } });
    Object.assign(raw['scheduler'] as object, { network_mode: 'awsvpc', elb_v2: { vpc_id: 'v' } });
    expect(normalise(raw).model.scripts[0]?.config['target_type']).to.equal('ip');
    Object.assign(raw['scheduler'] as object, { elb_v2: { vpc_id: 'v', target_type: 'instance' } });
    expect(normalise(raw).model.scripts[0]?.config['target_type']).to.equal('instance');
  });
});

describe('normalise: the model', () => {
  const raw = () => {
    const r = minimal({ sidecars: { front: { image_tag: 'nginx', links: ['app:backend'] } }, volumes: { v: {} } });
    Object.assign(r['app'] as object, { env: { B: '1', A: '2' }, mount_points: [{ source_volume: 'v', container_path: '/v' }] });
    return r;
  };

  it('is deterministic and survives a JSON round trip unchanged', () => {
    const a = normalise(raw()).model;
    const b = normalise(raw()).model;
    expect(a).to.deep.equal(b);
    expect(JSON.parse(JSON.stringify(a))).to.deep.equal(a);
    expect(JSON.stringify(a)).to.equal(JSON.stringify(b));
  });

  it('carries the id, file and root path of the definition', () => {
    const { model } = normalise(raw());
    expect([model.id, model.file, model.root_path]).to.deep.equal(['hello', '/defs/hello.jsonnet', '/defs']);
  });

  it('is frozen and shares nothing with the raw input', () => {
    const input = raw();
    const { model } = normalise(input);
    expect(Object.isFrozen(model)).to.equal(true);
    expect(Object.isFrozen(model.containers[0]?.env)).to.equal(true);
    ((input['app'] as Record<string, unknown>)['env'] as Record<string, string>)['B'] = 'changed';
    expect(model.containers[0]?.env[0]).to.deep.equal({ name: 'B', value: '1' });
  });

  it('returns warnings alongside a valid model', () => {
    const r = raw();
    (r['scheduler'] as Record<string, unknown>)['desird_count'] = 2;
    const { warnings } = normalise(r);
    expect(warnings).to.deep.equal([
      { path: 'scheduler.desird_count', message: 'unknown key, did you mean desired_count?', severity: 'warning' },
    ]);
  });
});
