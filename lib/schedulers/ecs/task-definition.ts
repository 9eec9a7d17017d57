/**
 * The model → RegisterTaskDefinition input (reference §3.7, §3.8, §4.3). Pure. Optional fields the user did not
 * set are omitted rather than sent as null, so the request reads like hako's after the Ruby SDK dropped its nils.
 */
import type { ecs } from '../../aws/ports.js';
import type { AppModel, Container, EcsScheduler } from '../../definition/model.js';
import { HAKO_VERSION } from '../../version.js';

/** Docker label carrying the version of the tool that registered the definition (hako's own label name). */
export const VERSION_LABEL = 'cc.wanko.hako.version';

/** Removes keys whose value is `undefined` (shallow), so built inputs never carry explicit undefineds. */
export function compact<T extends object>(value: T): T {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) if (v !== undefined) out[k] = v;
  return out as T;
}

function mapOpt<T, U>(list: readonly T[] | undefined, f: (item: T) => U): U[] | undefined {
  return list === undefined ? undefined : list.map(f);
}

/** A non-empty copy of a string map, or undefined: ECS rejects empty `driverOpts`/`labels` maps. */
function nonEmptyMap(map: Readonly<Record<string, string>> | undefined): Record<string, string> | undefined {
  return map !== undefined && Object.keys(map).length > 0 ? { ...map } : undefined;
}

/**
 * Host port when the definition leaves it out: under awsvpc and host networking ECS requires it to equal the
 * container port; under bridge 0 asks for a dynamic port.
 */
function defaultHostPort(scheduler: EcsScheduler, containerPort: number): number {
  return scheduler.network_mode === 'awsvpc' || scheduler.network_mode === 'host' ? containerPort : 0;
}

/** One ECS container definition from a model container (§3.8). */
export function buildContainerDefinition(container: Container, scheduler: EcsScheduler): ecs.ContainerDefinition {
  const lp = container.linux_parameters;
  return compact<ecs.ContainerDefinition>({
    name: container.name,
    image: container.image,
    cpu: container.cpu,
    memory: container.memory,
    memoryReservation: container.memory_reservation,
    links: [...container.links],
    portMappings: container.port_mappings.map((p) => ({
      containerPort: p.container_port,
      hostPort: p.host_port ?? defaultHostPort(scheduler, p.container_port),
      protocol: p.protocol,
    })),
    essential: container.essential,
    environment: container.env.map((e) => ({ name: e.name, value: e.value })),
    secrets: mapOpt(container.secrets, (s) => ({ name: s.name, valueFrom: s.value_from })),
    dockerLabels: { ...container.docker_labels, [VERSION_LABEL]: HAKO_VERSION },
    mountPoints: container.mount_points.map((m) => ({
      sourceVolume: m.source_volume,
      containerPath: m.container_path,
      readOnly: m.read_only,
    })),
    entryPoint: mapOpt(container.entry_point, (s) => s),
    command: mapOpt(container.command, (s) => s),
    user: container.user,
    workingDirectory: container.working_directory,
    privileged: container.privileged,
    linuxParameters:
      lp === undefined
        ? undefined
        : compact<ecs.LinuxParameters>({
            capabilities: lp.capabilities && { add: [...lp.capabilities.add], drop: [...lp.capabilities.drop] },
            devices: mapOpt(lp.devices, (d) =>
              compact<ecs.Device>({
                hostPath: d.host_path,
                containerPath: d.container_path,
                permissions: [...d.permissions],
              }),
            ),
            initProcessEnabled: lp.init_process_enabled,
            sharedMemorySize: lp.shared_memory_size,
            tmpfs: mapOpt(lp.tmpfs, (t) => ({
              containerPath: t.container_path,
              mountOptions: [...t.mount_options],
              size: t.size,
            })),
          }),
    dependsOn: mapOpt(container.depends_on, (d) => ({ containerName: d.container_name, condition: d.condition })),
    volumesFrom: container.volumes_from.map((v) => ({ sourceContainer: v.source_container, readOnly: v.read_only })),
    logConfiguration:
      container.log_configuration &&
      compact<ecs.LogConfiguration>({
        logDriver: container.log_configuration.log_driver as ecs.LogDriver,
        options: { ...container.log_configuration.options },
        secretOptions: mapOpt(container.log_configuration.secret_options, (s) => ({
          name: s.name,
          valueFrom: s.value_from,
        })),
      }),
    healthCheck:
      container.health_check &&
      compact<ecs.HealthCheck>({
        command: [...container.health_check.command],
        interval: container.health_check.interval,
        timeout: container.health_check.timeout,
        retries: container.health_check.retries,
        startPeriod: container.health_check.start_period,
      }),
    ulimits: mapOpt(container.ulimits, (u) => ({
      name: u.name as ecs.UlimitName,
      softLimit: u.soft_limit,
      hardLimit: u.hard_limit,
    })),
    extraHosts: mapOpt(container.extra_hosts, (h) => ({ hostname: h.hostname, ipAddress: h.ip_address })),
    readonlyRootFilesystem: container.readonly_root_filesystem,
    dockerSecurityOptions: mapOpt(container.docker_security_options, (s) => s),
    systemControls: mapOpt(container.system_controls, (s) => ({ namespace: s.namespace, value: s.value })),
    repositoryCredentials: container.repository_credentials && {
      credentialsParameter: container.repository_credentials.credentials_parameter,
    },
    resourceRequirements: mapOpt(container.resource_requirements, (r) => ({
      type: r.type as ecs.ResourceType,
      value: r.value,
    })),
    firelensConfiguration:
      container.firelens_configuration &&
      compact<ecs.FirelensConfiguration>({
        type: container.firelens_configuration.type as ecs.FirelensConfigurationType,
        options: container.firelens_configuration.options && { ...container.firelens_configuration.options },
      }),
  });
}

/** ECS volumes from the model's volumes, in definition order (§3.7: docker, else EFS, else host). */
export function buildVolumes(model: AppModel): ecs.Volume[] {
  return model.volumes.map((v): ecs.Volume => {
    const docker = v.docker_volume_configuration;
    if (docker) {
      return {
        name: v.name,
        dockerVolumeConfiguration: compact<ecs.DockerVolumeConfiguration>({
          autoprovision: docker.autoprovision,
          driver: docker.driver,
          driverOpts: nonEmptyMap(docker.driver_opts),
          labels: nonEmptyMap(docker.labels),
          scope: docker.scope,
        }),
      };
    }
    const efs = v.efs_volume_configuration;
    if (efs) {
      return {
        name: v.name,
        efsVolumeConfiguration: compact<ecs.EFSVolumeConfiguration>({
          fileSystemId: efs.file_system_id,
          rootDirectory: efs.root_directory,
          transitEncryption: efs.transit_encryption,
          transitEncryptionPort: efs.transit_encryption_port,
          authorizationConfig:
            efs.authorization_config &&
            compact<ecs.EFSAuthorizationConfig>({
              accessPointId: efs.authorization_config.access_point_id,
              iam: efs.authorization_config.iam,
            }),
        }),
      };
    }
    // No source path = a volume whose host directory ECS manages.
    return { name: v.name, host: compact<ecs.HostVolumeProperties>({ sourcePath: v.host?.source_path }) };
  });
}

/** `scheduler.tags` as ECS tags, or undefined when there are none (hako sends nil rather than `[]`). */
export function buildTags(tags: Readonly<Record<string, string>>): ecs.Tag[] | undefined {
  const list = Object.entries(tags).map(([key, value]) => ({ key, value: String(value) }));
  return list.length > 0 ? list : undefined;
}

export interface BuildTaskDefinitionOptions {
  /** `<app id>` for services, `<app id>-oneshot` for oneshot. */
  readonly family: string;
  /** Containers to use instead of `model.containers` (oneshot passes its own). */
  readonly containers?: readonly Container[];
}

/** The RegisterTaskDefinition request for the model (§4.3). */
export function buildTaskDefinition(
  model: AppModel,
  options: BuildTaskDefinitionOptions,
): ecs.RegisterTaskDefinitionCommandInput {
  const s = model.scheduler;
  const containers = options.containers ?? model.containers;
  return compact<ecs.RegisterTaskDefinitionCommandInput>({
    family: options.family,
    taskRoleArn: s.task_role_arn,
    executionRoleArn: s.execution_role_arn,
    networkMode: s.network_mode,
    pidMode: s.pid_mode,
    containerDefinitions: containers.map((c) => buildContainerDefinition(c, s)),
    volumes: buildVolumes(model),
    requiresCompatibilities: s.requires_compatibilities && [...s.requires_compatibilities],
    runtimePlatform:
      s.runtime_platform &&
      compact<ecs.RuntimePlatform>({
        cpuArchitecture: s.runtime_platform.cpu_architecture,
        operatingSystemFamily: s.runtime_platform.operating_system_family as ecs.OSFamily | undefined,
      }),
    cpu: s.cpu,
    memory: s.memory,
    ephemeralStorage: s.ephemeral_storage && { sizeInGiB: s.ephemeral_storage.size_in_gi_b },
    tags: buildTags(s.tags),
  });
}
