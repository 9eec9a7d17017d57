import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { buildTaskDefinition, buildVolumes, VERSION_LABEL } from '../../../../lib/schedulers/ecs/task-definition.js';
import { buildCreateService, buildUpdateService } from '../../../../lib/schedulers/ecs/service-params.js';
import { HAKO_VERSION } from '../../../../lib/version.js';
import { container, ecsModel, liveService, scheduler, TD_ARN_1 } from './core-fixtures.js';

describe('HAKO_VERSION', () => {
  it('is the version in package.json', () => {
    const pkg = JSON.parse(readFileSync(new URL('../../../../../package.json', import.meta.url), 'utf8')) as { version: string };
    expect(HAKO_VERSION).to.equal(pkg.version);
  });
});

describe('buildTaskDefinition', () => {
  it('matches the RegisterTaskDefinition hako sends for ecs.jsonnet (§7.3), nils omitted', () => {
    expect(buildTaskDefinition(ecsModel(), { family: 'ecs' })).to.deep.equal({
      family: 'ecs',
      volumes: [],
      containerDefinitions: [
        {
          name: 'app',
          image: 'busybox:latest',
          cpu: 32,
          memory: 64,
          links: [],
          portMappings: [],
          essential: true,
          environment: [],
          dockerLabels: { [VERSION_LABEL]: HAKO_VERSION },
          mountPoints: [],
          privileged: false,
          volumesFrom: [],
        },
      ],
    });
  });

  it('sends task-level settings and tags', () => {
    const model = ecsModel({
      scheduler: scheduler({
        task_role_arn: 'arn:role/task',
        execution_role_arn: 'arn:role/exec',
        network_mode: 'awsvpc',
        pid_mode: 'task',
        cpu: '1024',
        memory: '2048',
        ephemeral_storage: { size_in_gi_b: 25 },
        requires_compatibilities: ['FARGATE'],
        runtime_platform: { cpu_architecture: 'ARM64' },
        tags: { team: 'web', env: 'prod' },
      }),
    });
    const td = buildTaskDefinition(model, { family: 'ecs' });
    expect(td).to.include({
      taskRoleArn: 'arn:role/task',
      executionRoleArn: 'arn:role/exec',
      networkMode: 'awsvpc',
      pidMode: 'task',
      cpu: '1024',
      memory: '2048',
    });
    expect(td.ephemeralStorage).to.deep.equal({ sizeInGiB: 25 });
    expect(td.requiresCompatibilities).to.deep.equal(['FARGATE']);
    expect(td.runtimePlatform).to.deep.equal({ cpuArchitecture: 'ARM64' });
    expect(td.tags).to.deep.equal([
      { key: 'team', value: 'web' },
      { key: 'env', value: 'prod' },
    ]);
  });

  it('defaults a missing host port to the container port under awsvpc and to dynamic (0) under bridge', () => {
    const c = container({ port_mappings: [{ container_port: 3000, protocol: 'tcp' }, { container_port: 53, host_port: 5353, protocol: 'udp' }] });
    const bridge = buildTaskDefinition(ecsModel({ containers: [c] }), { family: 'ecs' });
    expect(bridge.containerDefinitions?.[0]?.portMappings).to.deep.equal([
      { containerPort: 3000, hostPort: 0, protocol: 'tcp' },
      { containerPort: 53, hostPort: 5353, protocol: 'udp' },
    ]);
    const awsvpc = buildTaskDefinition(ecsModel({ containers: [c], scheduler: scheduler({ network_mode: 'awsvpc' }) }), { family: 'ecs' });
    expect(awsvpc.containerDefinitions?.[0]?.portMappings?.[0]).to.deep.equal({ containerPort: 3000, hostPort: 3000, protocol: 'tcp' });
  });

  it('translates container fields to the SDK shape and the version label wins over a user label', () => {
    const c = container({
      env: [{ name: 'B', value: '2' }, { name: 'A', value: '1' }],
      secrets: [{ name: 'S', value_from: 'arn:ssm' }],
      docker_labels: { [VERSION_LABEL]: 'user', team: 'x' },
      mount_points: [{ source_volume: 'data', container_path: '/data', read_only: true }],
      volumes_from: [{ source_container: 'redis', read_only: false }],
      depends_on: [{ container_name: 'init', condition: 'SUCCESS' }],
      health_check: { command: ['CMD', 'true'], interval: 5, timeout: 4, retries: 3, start_period: 1 },
      linux_parameters: { capabilities: { add: ['ALL'], drop: [] }, shared_memory_size: 128 },
      log_configuration: { log_driver: 'awslogs', options: { 'awslogs-group': 'g' } },
      ulimits: [{ name: 'nofile', soft_limit: 1024, hard_limit: 2048 }],
      extra_hosts: [{ hostname: 'db', ip_address: '10.0.0.1' }],
      working_directory: '/app',
    });
    const def = buildTaskDefinition(ecsModel({ containers: [c] }), { family: 'ecs' }).containerDefinitions?.[0];
    expect(def?.environment).to.deep.equal([{ name: 'B', value: '2' }, { name: 'A', value: '1' }]);
    expect(def?.secrets).to.deep.equal([{ name: 'S', valueFrom: 'arn:ssm' }]);
    expect(def?.dockerLabels).to.deep.equal({ [VERSION_LABEL]: HAKO_VERSION, team: 'x' });
    expect(def?.mountPoints).to.deep.equal([{ sourceVolume: 'data', containerPath: '/data', readOnly: true }]);
    expect(def?.volumesFrom).to.deep.equal([{ sourceContainer: 'redis', readOnly: false }]);
    expect(def?.dependsOn).to.deep.equal([{ containerName: 'init', condition: 'SUCCESS' }]);
    expect(def?.healthCheck).to.deep.equal({ command: ['CMD', 'true'], interval: 5, timeout: 4, retries: 3, startPeriod: 1 });
    expect(def?.linuxParameters).to.deep.equal({ capabilities: { add: ['ALL'], drop: [] }, sharedMemorySize: 128 });
    expect(def?.logConfiguration).to.deep.equal({ logDriver: 'awslogs', options: { 'awslogs-group': 'g' } });
    expect(def?.ulimits).to.deep.equal([{ name: 'nofile', softLimit: 1024, hardLimit: 2048 }]);
    expect(def?.extraHosts).to.deep.equal([{ hostname: 'db', ipAddress: '10.0.0.1' }]);
    expect(def?.workingDirectory).to.equal('/app');
    expect(Object.values(def ?? {})).not.to.include(undefined);
  });

  it('uses the given containers and family (oneshot)', () => {
    const td = buildTaskDefinition(ecsModel(), { family: 'ecs-oneshot', containers: [container({ name: 'app', command: ['rake'] })] });
    expect(td.family).to.equal('ecs-oneshot');
    expect(td.containerDefinitions?.[0]?.command).to.deep.equal(['rake']);
  });
});

describe('buildVolumes', () => {
  it('chooses docker, else EFS, else host, and omits empty driver_opts/labels', () => {
    const model = ecsModel({
      volumes: [
        { name: 'd', docker_volume_configuration: { autoprovision: false, driver_opts: {}, labels: { a: 'b' } } },
        { name: 'e', efs_volume_configuration: { file_system_id: 'fs-1', authorization_config: { iam: 'ENABLED' } } },
        { name: 'h', host: { source_path: '/tmp' } },
        { name: 'm' },
      ],
    });
    expect(buildVolumes(model)).to.deep.equal([
      { name: 'd', dockerVolumeConfiguration: { autoprovision: false, labels: { a: 'b' } } },
      { name: 'e', efsVolumeConfiguration: { fileSystemId: 'fs-1', authorizationConfig: { iam: 'ENABLED' } } },
      { name: 'h', host: { sourcePath: '/tmp' } },
      { name: 'm', host: {} },
    ]);
  });
});

/**
 * The CreateService request as it goes out: the builder's settings plus what the payload carries beside them (the
 * task definition and load balancers, when known).
 */
function createRequest(
  model: Parameters<typeof buildCreateService>[0],
  taskDefinitionArn: string | undefined,
  lbs: { targetGroupName: string; targetGroupArn?: string; containerName: string; containerPort: number }[],
) {
  const resolved = lbs.length > 0 && lbs.every((lb) => lb.targetGroupArn !== undefined);
  return {
    ...buildCreateService(model),
    ...(taskDefinitionArn === undefined ? {} : { taskDefinition: taskDefinitionArn }),
    ...(resolved ? { loadBalancers: lbs.map((lb) => ({ targetGroupArn: lb.targetGroupArn, containerName: lb.containerName, containerPort: lb.containerPort })) } : {}),
  };
}

/** The UpdateService request as it goes out: the builder's settings plus the task definition the payload carries. */
function updateRequest(model: Parameters<typeof buildUpdateService>[0], current: Parameters<typeof buildUpdateService>[1], taskDefinitionArn: string) {
  return { ...buildUpdateService(model, current), taskDefinition: taskDefinitionArn };
}

describe('buildCreateService', () => {
  it('matches hako’s CreateService for ecs.jsonnet but with the configured desired count', () => {
    expect(createRequest(ecsModel(), TD_ARN_1, [])).to.deep.equal({
      cluster: 'eagletmt',
      serviceName: 'ecs',
      taskDefinition: TD_ARN_1,
      desiredCount: 1,
      role: 'ECSServiceRole',
      placementConstraints: [],
      placementStrategy: [],
      propagateTags: 'TASK_DEFINITION',
      enableExecuteCommand: false,
    });
  });

  it('leaves the task definition and unresolved load balancers for apply time; no count for DAEMON', () => {
    const model = ecsModel({ scheduler: scheduler({ desired_count: undefined, scheduling_strategy: 'DAEMON' }) });
    const input = createRequest(model, undefined, [{ targetGroupName: 'tg', containerName: 'front', containerPort: 80 }]);
    expect(input).not.to.have.any.keys('taskDefinition', 'loadBalancers', 'desiredCount');
    expect(input.schedulingStrategy).to.equal('DAEMON');
    const resolved = createRequest(ecsModel(), TD_ARN_1, [{ targetGroupName: 'tg', targetGroupArn: 'arn:tg', containerName: 'front', containerPort: 80 }]);
    expect(resolved.loadBalancers).to.deep.equal([{ targetGroupArn: 'arn:tg', containerName: 'front', containerPort: 80 }]);
  });
});

describe('buildUpdateService', () => {
  it('matches hako’s UpdateService for ecs.jsonnet (§7.3)', () => {
    expect(updateRequest(ecsModel(), liveService(), TD_ARN_1)).to.deep.equal({
      cluster: 'eagletmt',
      service: 'ecs',
      desiredCount: 1,
      taskDefinition: TD_ARN_1,
      enableExecuteCommand: false,
      placementConstraints: [],
      placementStrategy: [],
    });
  });

  it('keeps the current desired count when autoscaling owns it', () => {
    const model = ecsModel({ scheduler: scheduler({ autoscaling: { role_arn: 'r', min_capacity: 1, max_capacity: 9, policies: [] } }) });
    expect(updateRequest(model, liveService({ desiredCount: 5 }), TD_ARN_1).desiredCount).to.equal(5);
  });

  it('copies the current capacity provider strategy when none is configured, and forces a deployment when it changes', () => {
    const current = liveService({ capacityProviderStrategy: [{ capacityProvider: 'FARGATE', weight: 1, base: 0 }] });
    const copied = updateRequest(ecsModel(), current, TD_ARN_1);
    expect(copied.capacityProviderStrategy).to.deep.equal([{ capacityProvider: 'FARGATE', weight: 1, base: 0 }]);
    expect(copied.forceNewDeployment).to.equal(undefined);
    const same = updateRequest(
      ecsModel({ scheduler: scheduler({ capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 1 }] }) }),
      current,
      TD_ARN_1,
    );
    expect(same.forceNewDeployment).to.equal(undefined);
    const changed = updateRequest(
      ecsModel({ scheduler: scheduler({ capacity_provider_strategy: [{ capacity_provider: 'FARGATE_SPOT', weight: 1 }] }) }),
      current,
      TD_ARN_1,
    );
    expect(changed.forceNewDeployment).to.equal(true);
  });

  it('sends no desired count for a DAEMON service', () => {
    const input = updateRequest(ecsModel(), liveService({ schedulingStrategy: 'DAEMON' }), TD_ARN_1);
    expect(input).not.to.have.property('desiredCount');
  });
});
