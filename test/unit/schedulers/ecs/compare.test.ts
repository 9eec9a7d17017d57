import { expect } from 'chai';
import type { ecs } from '../../../../lib/aws/ports.js';
import { compareService, compareTaskDefinition } from '../../../../lib/schedulers/ecs/compare.js';
import { buildTaskDefinition } from '../../../../lib/schedulers/ecs/task-definition.js';
import { HAKO_VERSION } from '../../../../lib/version.js';
import { container, ecsModel, liveService, liveTaskDefinition, scheduler, TD_ARN_1 } from './core-fixtures.js';

/** A request with one `app` container: the fields given plus the required ones. */
function desiredWith(def: Partial<ecs.ContainerDefinition>, rest: Partial<ecs.RegisterTaskDefinitionCommandInput> = {}) {
  return {
    family: 'ecs',
    containerDefinitions: [{ name: 'app', image: 'busybox:latest', cpu: 32, memory: 64, essential: true, ...def }],
    ...rest,
  } satisfies ecs.RegisterTaskDefinitionCommandInput;
}

/** The live definition ECS would report for `desiredWith(...)`: defaults filled in, empties spelled out. */
function liveWith(def: Partial<ecs.ContainerDefinition>, rest: Partial<ecs.TaskDefinition> = {}): ecs.TaskDefinition {
  const base = liveTaskDefinition(HAKO_VERSION);
  const c = base.containerDefinitions?.[0];
  const { dockerLabels: _labels, ...withoutLabels } = c ?? {};
  return { ...base, containerDefinitions: [{ ...withoutLabels, ...def }], ...rest };
}

describe('compareTaskDefinition', () => {
  const desired = buildTaskDefinition(ecsModel(), { family: 'ecs' });

  it('finds no change against the definition ECS echoes back (§7.3 case 2)', () => {
    expect(compareTaskDefinition(desired, liveTaskDefinition(HAKO_VERSION), [])).to.deep.equal({ changed: false, reasons: [] });
  });

  it('names the field that differs, live → desired (§7.3 case 4)', () => {
    const r = compareTaskDefinition(desired, liveTaskDefinition(HAKO_VERSION, { memory: 1024 }), []);
    expect(r).to.deep.equal({ changed: true, reasons: ['containers.app.memory: 1024 → 64'] });
  });

  it('reports a missing family as a change (initial deploy)', () => {
    expect(compareTaskDefinition(desired, undefined, []).changed).to.equal(true);
  });

  it('reports a new hako version label as a change', () => {
    const r = compareTaskDefinition(desired, liveTaskDefinition('0.0.1'), []);
    expect(r.reasons).to.deep.equal([`containers.app.docker_labels.cc.wanko.hako.version: 0.0.1 → ${HAKO_VERSION}`]);
  });

  it('reports added and removed containers', () => {
    const two = buildTaskDefinition(ecsModel({ containers: [container(), container({ name: 'redis', image: 'redis:3.0' })] }), { family: 'ecs' });
    expect(compareTaskDefinition(two, liveTaskDefinition(HAKO_VERSION), []).reasons).to.deep.equal(['containers.redis: added']);
    const live = liveTaskDefinition(HAKO_VERSION);
    live.containerDefinitions?.push({ name: 'old', image: 'x', cpu: 0, essential: true });
    expect(compareTaskDefinition(desired, live, []).reasons).to.deep.equal(['containers.old: removed']);
  });

  it('compares tags as a set', () => {
    const tagged = buildTaskDefinition(ecsModel({ scheduler: scheduler({ tags: { a: '1', b: '2' } }) }), { family: 'ecs' });
    const live = liveTaskDefinition(HAKO_VERSION);
    expect(compareTaskDefinition(tagged, live, [{ key: 'b', value: '2' }, { key: 'a', value: '1' }]).changed).to.equal(false);
    expect(compareTaskDefinition(tagged, live, [{ key: 'a', value: '1' }]).reasons).to.deep.equal(['tags.b: (none) → 2']);
  });

  // §7.2 EcsDefinitionComparator: the same values as ECS reports them are not a change.
  const same: [string, Partial<ecs.ContainerDefinition>][] = [
    [
      'linux_parameters',
      {
        linuxParameters: {
          capabilities: { add: ['ALL'], drop: ['NET_ADMIN'] },
          devices: [{ hostPath: '/dev/null', permissions: ['read'] }],
          sharedMemorySize: 128,
          tmpfs: [{ containerPath: '/tmp', mountOptions: ['defaults'], size: 128 }],
        },
      },
    ],
    ['log_configuration', { logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': 'g', 'awslogs-region': 'r', 'awslogs-stream-prefix': 'p' } } }],
    ['health_check', { healthCheck: { command: ['ls', '/'], interval: 5, timeout: 4, retries: 3, startPeriod: 1 } }],
  ];
  for (const [name, def] of same) {
    it(`finds no change for an identical ${name} (§7.2)`, () => {
      expect(compareTaskDefinition(desiredWith(def), liveWith(def), []).changed).to.equal(false);
    });
  }

  it('ignores defaults ECS fills in and list order; compares protocol case-insensitively', () => {
    const d = desiredWith({
      portMappings: [{ containerPort: 80, hostPort: 0, protocol: 'tcp' }, { containerPort: 53, hostPort: 0, protocol: 'udp' }],
      environment: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }],
      links: ['redis', 'memcached'],
    });
    const l = liveWith({
      portMappings: [{ containerPort: 53, hostPort: 0, protocol: 'udp' }, { containerPort: 80, hostPort: 0 }],
      environment: [{ name: 'A', value: '1' }, { name: 'B', value: '2' }],
      links: ['memcached', 'redis'],
      systemControls: [],
      privileged: false,
    });
    expect(compareTaskDefinition(d, l, []).reasons).to.deep.equal([]);
  });

  it('treats environment as a multiset', () => {
    const d = desiredWith({ environment: [{ name: 'A', value: '1' }, { name: 'A', value: '1' }] });
    const l = liveWith({ environment: [{ name: 'A', value: '1' }] });
    expect(compareTaskDefinition(d, l, []).changed).to.equal(true);
  });

  it('reports a change when one env value differs, and names the environment', () => {
    const env = [{ name: 'A', value: '1' }, { name: 'B', value: '2' }];
    const d = desiredWith({ environment: env });
    const l = liveWith({ environment: [{ name: 'A', value: '1' }, { name: 'B', value: 'changed' }] });
    const r = compareTaskDefinition(d, l, []);
    expect(r.changed).to.equal(true);
    expect(r.reasons.join('\n')).to.include('containers.app.environment');
    expect(compareTaskDefinition(d, liveWith({ environment: [...env].reverse() }), []).changed).to.equal(false);
  });

  it('reports a change when one env value differs in a task definition built from the model', () => {
    const model = (value: string) => ecsModel({ containers: [container({ env: [{ name: 'A', value: '1' }, { name: 'B', value }] })] });
    const desired = buildTaskDefinition(model('2'), { family: 'ecs' });
    const live = { ...liveTaskDefinition(HAKO_VERSION), containerDefinitions: buildTaskDefinition(model('3'), { family: 'ecs' }).containerDefinitions };
    expect(compareTaskDefinition(desired, live, []).changed).to.equal(true);
  });

  it('keeps command order significant', () => {
    const r = compareTaskDefinition(desiredWith({ command: ['a', 'b'] }), liveWith({ command: ['b', 'a'] }), []);
    expect(r.reasons).to.deep.equal(['containers.app.command: ["b","a"] → ["a","b"]']);
  });

  it('compares runtime_platform and ephemeral_storage structurally (hako quirk fixed)', () => {
    const rest = { runtimePlatform: { cpuArchitecture: 'ARM64' as const }, ephemeralStorage: { sizeInGiB: 25 } };
    const d = desiredWith({}, rest);
    expect(compareTaskDefinition(d, liveWith({}, { ...rest, runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' } }), []).changed).to.equal(false);
    expect(compareTaskDefinition(d, liveWith({}, { ...rest, ephemeralStorage: { sizeInGiB: 30 } }), []).reasons).to.deep.equal([
      'ephemeral_storage.size_in_gib: 30 → 25',
    ]);
  });

  it('compares task cpu/memory in the unit ECS reports', () => {
    const d = desiredWith({}, { cpu: '1 vCPU', memory: '2 GB' });
    expect(compareTaskDefinition(d, liveWith({}, { cpu: '1024', memory: '2048' }), []).changed).to.equal(false);
    expect(compareTaskDefinition(d, liveWith({}, { cpu: '512', memory: '2048' }), []).reasons).to.deep.equal(['cpu: 512 → 1024']);
  });

  it('treats requires_compatibilities as a set and an absent list as empty', () => {
    const d = desiredWith({}, { requiresCompatibilities: ['EC2', 'FARGATE'] });
    expect(compareTaskDefinition(d, liveWith({}, { requiresCompatibilities: ['FARGATE', 'EC2'] }), []).changed).to.equal(false);
    expect(compareTaskDefinition(desiredWith({}, { requiresCompatibilities: [] }), liveWith({}), []).changed).to.equal(false);
  });

  describe('volumes (§7.2 EcsVolumeComparator)', () => {
    const volume = (labels: Record<string, string>, filled: boolean): ecs.Volume => ({
      name: 'foo',
      host: { sourcePath: '/tmp' },
      dockerVolumeConfiguration: {
        autoprovision: false,
        driverOpts: { type: 'tmpfs', device: 'tmpfs' },
        labels,
        ...(filled ? { driver: 'local', scope: 'task' as const } : {}),
      },
    });
    it('ignores the driver/scope defaults ECS fills in', () => {
      const d = desiredWith({}, { volumes: [volume({ foo: 'bar' }, false)] });
      expect(compareTaskDefinition(d, liveWith({}, { volumes: [volume({ foo: 'bar' }, true)] }), []).changed).to.equal(false);
    });
    it('reports a different label', () => {
      const d = desiredWith({}, { volumes: [volume({ foo: 'bar' }, false)] });
      expect(compareTaskDefinition(d, liveWith({}, { volumes: [volume({ foo: 'baz' }, true)] }), []).reasons).to.deep.equal([
        'volumes.foo.docker_volume_configuration.labels.foo: baz → bar',
      ]);
    });
    it('treats an ECS-managed host volume reported as `host: {}` as the volume requested without a path', () => {
      const d = desiredWith({}, { volumes: [{ name: 'data', host: {} }] });
      expect(compareTaskDefinition(d, liveWith({}, { volumes: [{ name: 'data', host: {} }] }), []).changed).to.equal(false);
      expect(compareTaskDefinition(d, liveWith({}, { volumes: [{ name: 'data' }] }), []).changed).to.equal(false);
      expect(compareTaskDefinition(d, liveWith({}, { volumes: [] }), []).reasons).to.deep.equal(['volumes.data: added']);
    });
    it('distinguishes a docker volume with all defaults from a host volume', () => {
      const d = desiredWith({}, { volumes: [{ name: 'v', dockerVolumeConfiguration: {} }] });
      expect(compareTaskDefinition(d, liveWith({}, { volumes: [{ name: 'v', host: {} }] }), []).changed).to.equal(true);
    });
    it('ignores EFS root directory `/`', () => {
      const d = desiredWith({}, { volumes: [{ name: 'e', efsVolumeConfiguration: { fileSystemId: 'fs-1' } }] });
      const l = liveWith({}, { volumes: [{ name: 'e', efsVolumeConfiguration: { fileSystemId: 'fs-1', rootDirectory: '/' } }] });
      expect(compareTaskDefinition(d, l, []).changed).to.equal(false);
    });
  });
});

describe('compareService', () => {
  // §7.2 EcsServiceComparator
  const desired: ecs.UpdateServiceCommandInput = {
    cluster: 'eagletmt',
    service: 'ecs',
    desiredCount: 4,
    taskDefinition: 'td1',
    deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0 },
    serviceRegistries: [],
    placementConstraints: [],
    placementStrategy: [],
  };
  const actual = (o: Partial<ecs.Service> = {}) =>
    liveService({ desiredCount: 4, taskDefinition: 'td1', deploymentConfiguration: { maximumPercent: 100, minimumHealthyPercent: 0 }, ...o });

  it('finds no change against an identical service', () => {
    expect(compareService(desired, actual())).to.deep.equal({ changed: false, reasons: [] });
  });

  it('reports a different desired count', () => {
    expect(compareService(desired, actual({ desiredCount: 1 })).reasons).to.deep.equal(['desired_count: 1 → 4']);
  });

  it('reports placement constraints the service lacks', () => {
    const withConstraint = { ...desired, placementConstraints: [{ type: 'memberOf' as const, expression: 'ecs.cpu-architecture == arm64' }] };
    expect(compareService(withConstraint, actual()).changed).to.equal(true);
    expect(compareService({ ...desired, placementConstraints: [{ type: 'distinctInstance' }] }, actual()).changed).to.equal(true);
  });

  it('does not compare a deployment configuration the request leaves out (UpdateService keeps it)', () => {
    const { deploymentConfiguration: _dc, ...without } = desired;
    expect(compareService(without, actual()).changed).to.equal(false);
    expect(compareService(without, actual({ deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 } })).changed).to.equal(false);
  });

  it('compares only the deployment configuration fields that are set (hako quirk fixed)', () => {
    const partial = { ...desired, deploymentConfiguration: { minimumHealthyPercent: 50 } };
    expect(compareService(partial, actual({ deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 50 } })).changed).to.equal(false);
    expect(compareService(partial, actual({ deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100 } })).reasons).to.deep.equal([
      'deployment_configuration.minimum_healthy_percent: 100 → 50',
    ]);
  });

  it('compares the circuit breaker (hako quirk fixed)', () => {
    const withBreaker = { ...desired, deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } };
    const off = actual({ deploymentConfiguration: { maximumPercent: 200, minimumHealthyPercent: 100, deploymentCircuitBreaker: { enable: false, rollback: false } } });
    expect(compareService(withBreaker, off).reasons).to.deep.equal(['deployment_configuration.deployment_circuit_breaker.enable: false → true']);
    const on = actual({ deploymentConfiguration: { deploymentCircuitBreaker: { enable: true, rollback: false } } });
    expect(compareService(withBreaker, on).changed).to.equal(false);
  });

  it('does not compare the desired count of a DAEMON service (hako quirk fixed)', () => {
    expect(compareService({ ...desired, desiredCount: undefined }, actual({ schedulingStrategy: 'DAEMON', desiredCount: 3 })).changed).to.equal(false);
    expect(compareService(desired, actual({ schedulingStrategy: 'DAEMON', desiredCount: 3 })).changed).to.equal(false);
  });

  it('treats settings the live response leaves out as unknown, not different (moto)', () => {
    const request: ecs.UpdateServiceCommandInput = {
      ...desired,
      healthCheckGracePeriodSeconds: 30,
      enableExecuteCommand: true,
      placementStrategy: [{ type: 'binpack', field: 'memory' }],
    };
    const motoLike: ecs.Service = {
      serviceName: 'ecs',
      status: 'ACTIVE',
      desiredCount: 4,
      taskDefinition: 'td1',
      networkConfiguration: {},
      events: [],
    };
    expect(compareService(request, motoLike)).to.deep.equal({ changed: false, reasons: [] });
    expect(compareService(request, { ...motoLike, desiredCount: 2 }).reasons).to.deep.equal(['desired_count: 2 → 4']);
  });

  it('reports a different task definition', () => {
    expect(compareService({ ...desired, taskDefinition: TD_ARN_1 }, actual()).reasons).to.deep.equal([`task_definition: td1 → ${TD_ARN_1}`]);
  });

  it('compares network configuration as sets with assignPublicIp defaulting to DISABLED', () => {
    const net = { ...desired, networkConfiguration: { awsvpcConfiguration: { subnets: ['a', 'b'], securityGroups: ['sg'] } } };
    const live = actual({ networkConfiguration: { awsvpcConfiguration: { subnets: ['b', 'a'], securityGroups: ['sg'], assignPublicIp: 'DISABLED' } } });
    expect(compareService(net, live).changed).to.equal(false);
    const pub = actual({ networkConfiguration: { awsvpcConfiguration: { subnets: ['a', 'b'], securityGroups: ['sg'], assignPublicIp: 'ENABLED' } } });
    expect(compareService(net, pub).reasons).to.deep.equal(['network_configuration.awsvpc_configuration.assign_public_ip: ENABLED → DISABLED']);
  });

  it('keeps placement strategy order significant but ignores the case ECS gives binpack fields', () => {
    const strat = { ...desired, placementStrategy: [{ type: 'spread' as const, field: 'attribute:ecs.availability-zone' }, { type: 'binpack' as const, field: 'memory' }] };
    const live = actual({ placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }, { type: 'binpack', field: 'MEMORY' }] });
    expect(compareService(strat, live).changed).to.equal(false);
    expect(compareService(strat, actual({ placementStrategy: [...(live.placementStrategy ?? [])].reverse() })).changed).to.equal(true);
  });

  it('treats a platform version LATEST as equal to LATEST and differing from a pinned one', () => {
    expect(compareService({ ...desired, platformVersion: 'LATEST' }, actual({ platformVersion: 'LATEST' })).changed).to.equal(false);
    expect(compareService({ ...desired, platformVersion: 'LATEST' }, actual({ platformVersion: '1.3.0' })).reasons).to.deep.equal([
      'platform_version: 1.3.0 → (none)',
    ]);
  });
});
