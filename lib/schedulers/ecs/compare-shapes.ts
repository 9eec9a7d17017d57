/**
 * Comparable, printable shapes of ECS task definitions and services. The same function turns the desired
 * request and the live response into one shape (snake_case, like the definition the user wrote), so that
 * everything ECS treats as equal prints equal:
 * - defaults ECS fills in are dropped (container cpu 0, essential true, network mode bridge, docker volume driver
 *   local / scope task, EFS root `/`, assignPublicIp DISABLED, platform version LATEST, …);
 * - unordered lists are sorted (links, ports, environment, mounts, …); ordered ones (command, entry point,
 *   health-check command, placement strategy) are kept as they are;
 * - an absent list or map equals an empty one (AWS omits empty ones in responses);
 * - maps keyed by name (containers, volumes, tags, labels) become objects, so diffs name the member.
 */
import type { ecs } from '../../aws/ports.js';
import { pruneEmpty, sortKeys, sortUnordered, unlessDefault } from '../../plan/normalise-for-diff.js';

/** The fields a task definition request and a described task definition share (the ones we compare). */
export type TaskDefinitionLike = Pick<
  ecs.TaskDefinition,
  | 'family'
  | 'taskRoleArn'
  | 'executionRoleArn'
  | 'networkMode'
  | 'pidMode'
  | 'containerDefinitions'
  | 'volumes'
  | 'requiresCompatibilities'
  | 'runtimePlatform'
  | 'cpu'
  | 'memory'
  | 'ephemeralStorage'
>;

type Shape = Record<string, unknown>;

/** ECS accepts `1 vCPU` / `2 GB` and reports them back as `1024` / `2048`; compare in the reported unit. */
export function normaliseTaskSize(value: string | undefined, unit: 'vcpu' | 'gb'): string | undefined {
  if (value === undefined) return undefined;
  const m = /^\s*(\d+(?:\.\d+)?)\s*([a-z]+)\s*$/i.exec(value);
  if (m && m[2] !== undefined && m[2].toLowerCase() === unit && m[1] !== undefined) {
    return String(Math.round(Number(m[1]) * 1024));
  }
  return value.trim();
}

/**
 * The host port ECS uses when none is given: the container port under awsvpc and host networking, a dynamic one
 * (0) under bridge. AWS reports it filled in; other tools (and emulators) may leave it out.
 */
function hostPortOf(p: ecs.PortMapping, networkMode: string | undefined): number | undefined {
  if (p.hostPort !== undefined) return p.hostPort;
  return networkMode === 'awsvpc' || networkMode === 'host' ? p.containerPort : 0;
}

function containerShape(c: ecs.ContainerDefinition, networkMode: string | undefined): Shape {
  const lp = c.linuxParameters;
  return {
    image: c.image,
    cpu: unlessDefault(c.cpu, 0),
    memory: c.memory,
    memory_reservation: c.memoryReservation,
    essential: unlessDefault(c.essential, true),
    links: sortUnordered(c.links),
    port_mappings: sortUnordered(
      c.portMappings?.map((p) => ({
        container_port: p.containerPort,
        host_port: hostPortOf(p, networkMode),
        protocol: (p.protocol ?? 'tcp').toLowerCase(),
      })),
    ),
    environment: sortUnordered(c.environment?.map((e) => `${e.name ?? ''}=${e.value ?? ''}`)),
    secrets: sortUnordered(c.secrets?.map((s) => ({ name: s.name, value_from: s.valueFrom }))),
    docker_labels: sortKeys(c.dockerLabels),
    mount_points: sortUnordered(
      c.mountPoints?.map((m) => ({
        source_volume: m.sourceVolume,
        container_path: m.containerPath,
        read_only: m.readOnly ?? false,
      })),
    ),
    volumes_from: sortUnordered(
      c.volumesFrom?.map((v) => ({ source_container: v.sourceContainer, read_only: v.readOnly ?? false })),
    ),
    depends_on: sortUnordered(c.dependsOn?.map((d) => ({ container_name: d.containerName, condition: d.condition }))),
    entry_point: c.entryPoint,
    command: c.command,
    user: c.user,
    working_directory: c.workingDirectory,
    privileged: unlessDefault(c.privileged, false),
    readonly_root_filesystem: c.readonlyRootFilesystem,
    linux_parameters: lp && {
      capabilities: lp.capabilities && {
        add: sortUnordered(lp.capabilities.add),
        drop: sortUnordered(lp.capabilities.drop),
      },
      devices: sortUnordered(
        lp.devices?.map((d) => ({
          host_path: d.hostPath,
          container_path: d.containerPath,
          permissions: sortUnordered(d.permissions),
        })),
      ),
      init_process_enabled: lp.initProcessEnabled,
      shared_memory_size: lp.sharedMemorySize,
      tmpfs: sortUnordered(
        lp.tmpfs?.map((t) => ({
          container_path: t.containerPath,
          mount_options: sortUnordered(t.mountOptions),
          size: t.size,
        })),
      ),
    },
    log_configuration: c.logConfiguration && {
      log_driver: c.logConfiguration.logDriver,
      options: sortKeys(c.logConfiguration.options),
      secret_options: sortUnordered(
        c.logConfiguration.secretOptions?.map((s) => ({ name: s.name, value_from: s.valueFrom })),
      ),
    },
    // Defaults as ECS documents them; it echoes them back filled in.
    health_check: c.healthCheck && {
      command: c.healthCheck.command,
      interval: c.healthCheck.interval ?? 30,
      timeout: c.healthCheck.timeout ?? 5,
      retries: c.healthCheck.retries ?? 3,
      start_period: unlessDefault(c.healthCheck.startPeriod, 0),
    },
    ulimits: sortUnordered(
      c.ulimits?.map((u) => ({ name: u.name, soft_limit: u.softLimit, hard_limit: u.hardLimit })),
    ),
    extra_hosts: sortUnordered(c.extraHosts?.map((h) => ({ hostname: h.hostname, ip_address: h.ipAddress }))),
    docker_security_options: sortUnordered(c.dockerSecurityOptions),
    system_controls: sortUnordered(c.systemControls?.map((s) => ({ namespace: s.namespace, value: s.value }))),
    repository_credentials: c.repositoryCredentials && {
      credentials_parameter: c.repositoryCredentials.credentialsParameter,
    },
    resource_requirements: sortUnordered(c.resourceRequirements?.map((r) => ({ type: r.type, value: r.value }))),
    firelens_configuration: c.firelensConfiguration && {
      type: c.firelensConfiguration.type,
      options: sortKeys(c.firelensConfiguration.options),
    },
  };
}

function volumeShape(v: ecs.Volume): Shape {
  const docker = v.dockerVolumeConfiguration;
  const efs = v.efsVolumeConfiguration;
  return {
    // Keeps a volume with every setting at its default from vanishing when empties are pruned.
    name: v.name,
    // `host: {}` (ECS-managed directory) and no `host` at all describe the same volume.
    host: v.host && { source_path: v.host.sourcePath },
    docker_volume_configuration: docker && {
      type: 'docker',
      autoprovision: docker.autoprovision,
      driver: unlessDefault(docker.driver, 'local'),
      driver_opts: sortKeys(docker.driverOpts),
      labels: sortKeys(docker.labels),
      scope: unlessDefault(docker.scope, 'task'),
    },
    efs_volume_configuration: efs && {
      file_system_id: efs.fileSystemId,
      root_directory: unlessDefault(efs.rootDirectory, '/'),
      transit_encryption: efs.transitEncryption,
      transit_encryption_port: efs.transitEncryptionPort,
      authorization_config: efs.authorizationConfig && {
        access_point_id: efs.authorizationConfig.accessPointId,
        iam: efs.authorizationConfig.iam,
      },
    },
  };
}

function byName<T extends { name?: string | undefined }>(list: readonly T[] | undefined, shape: (x: T) => Shape): Shape {
  const entries = (list ?? []).map((x) => [x.name ?? '', shape(x)] as const);
  return Object.fromEntries(entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

function runtimePlatformShape(rp: ecs.RuntimePlatform | undefined): Shape | undefined {
  if (rp === undefined) return undefined;
  return {
    cpu_architecture: unlessDefault(rp.cpuArchitecture, 'X86_64'),
    operating_system_family: unlessDefault(rp.operatingSystemFamily, 'LINUX'),
  };
}

/** The comparable shape of a task definition (request or live) with its tags. */
export function taskDefinitionShape(td: TaskDefinitionLike, tags: readonly ecs.Tag[] | undefined): Shape {
  const shape = pruneEmpty({
    family: td.family,
    task_role_arn: td.taskRoleArn,
    execution_role_arn: td.executionRoleArn,
    network_mode: unlessDefault(td.networkMode, 'bridge'),
    pid_mode: td.pidMode,
    cpu: normaliseTaskSize(td.cpu, 'vcpu'),
    memory: normaliseTaskSize(td.memory, 'gb'),
    requires_compatibilities: sortUnordered(td.requiresCompatibilities),
    runtime_platform: runtimePlatformShape(td.runtimePlatform),
    ephemeral_storage: td.ephemeralStorage && { size_in_gib: td.ephemeralStorage.sizeInGiB },
    tags: sortKeys(Object.fromEntries((tags ?? []).map((t) => [t.key ?? '', t.value ?? '']))),
    volumes: byName(td.volumes, volumeShape),
    containers: byName(td.containerDefinitions, (c) => containerShape(c, td.networkMode ?? 'bridge')),
  });
  // Keyed collections stay present even when empty, so that differences name the member (`volumes.data: added`).
  // Rebuilt in a fixed key order so both sides print alike whichever collections were empty.
  const { tags: t = {}, volumes = {}, containers = {}, ...settings } = shape;
  return { ...settings, tags: t, volumes, containers };
}

/** The service fields an update request and a described service share (the ones we compare). */
export type ServiceLike = Pick<
  ecs.Service,
  | 'desiredCount'
  | 'taskDefinition'
  | 'deploymentConfiguration'
  | 'capacityProviderStrategy'
  | 'platformVersion'
  | 'networkConfiguration'
  | 'healthCheckGracePeriodSeconds'
  | 'enableExecuteCommand'
  | 'placementConstraints'
  | 'placementStrategy'
  | 'serviceRegistries'
  | 'loadBalancers'
>;

/** The comparable shape of a service (request or live). Members are absent when the source lacks them. */
export function serviceShape(s: ServiceLike): Shape {
  const dc = s.deploymentConfiguration;
  const vpc = s.networkConfiguration?.awsvpcConfiguration;
  return {
    desired_count: s.desiredCount,
    task_definition: s.taskDefinition,
    deployment_configuration: dc && {
      maximum_percent: dc.maximumPercent,
      minimum_healthy_percent: dc.minimumHealthyPercent,
      deployment_circuit_breaker: dc.deploymentCircuitBreaker && {
        enable: dc.deploymentCircuitBreaker.enable,
        rollback: dc.deploymentCircuitBreaker.rollback,
      },
    },
    capacity_provider_strategy:
      s.capacityProviderStrategy &&
      sortUnordered(
        s.capacityProviderStrategy.map((c) => ({
          capacity_provider: c.capacityProvider,
          weight: c.weight ?? 0,
          base: c.base ?? 0,
        })),
      ),
    platform_version: s.platformVersion,
    network_configuration: vpc && {
      awsvpc_configuration: {
        subnets: sortUnordered(vpc.subnets),
        security_groups: sortUnordered(vpc.securityGroups),
        assign_public_ip: vpc.assignPublicIp ?? 'DISABLED',
      },
    },
    health_check_grace_period_seconds: s.healthCheckGracePeriodSeconds,
    enable_execute_command: s.enableExecuteCommand,
    placement_constraints:
      s.placementConstraints &&
      sortUnordered(s.placementConstraints.map((c) => ({ type: c.type, expression: c.expression }))),
    // ECS upper-cases `cpu`/`memory` binpack fields in responses; order matters (it is a strategy chain).
    placement_strategy:
      s.placementStrategy &&
      s.placementStrategy.map((p) => ({
        type: p.type,
        field: p.field === undefined || p.field.includes(':') ? p.field : p.field.toLowerCase(),
      })),
    load_balancers:
      s.loadBalancers &&
      sortUnordered(
        s.loadBalancers.map((lb) => ({
          load_balancer_name: lb.loadBalancerName,
          target_group_arn: lb.targetGroupArn,
          container_name: lb.containerName,
          container_port: lb.containerPort,
        })),
      ),
    // §3.10.3: unordered; a request leaves the member out when it keeps the registries (see compare.ts).
    service_registries:
      s.serviceRegistries &&
      sortUnordered(
        s.serviceRegistries.map((r) => ({
          registry_arn: r.registryArn,
          container_name: r.containerName,
          container_port: r.containerPort,
          port: r.port,
        })),
      ),
  };
}
