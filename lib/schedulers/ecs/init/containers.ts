/**
 * Live ECS container definitions and volumes → the definition's `app`, `sidecars` and `volumes`, written as a
 * person would: ECS's defaults left out (the same defaults the comparison in ../compare-shapes.ts ignores, so
 * that `hako diff` right after `hako init` finds nothing), hako's own docker label dropped, secrets kept as
 * references. What hako cannot express is named in a note instead of being dropped silently. Pure.
 */
import type { ecs } from '../../../aws/ports.js';
import type { InitNote } from '../../scheduler.js';
import { VERSION_LABEL } from '../task-definition.js';

type Obj = Record<string, unknown>;

export class Notes {
  readonly list: InitNote[] = [];
  info(message: string, path?: string): void {
    this.list.push({ level: 'info', message, ...(path === undefined ? {} : { path }) });
  }
  warn(message: string, path?: string): void {
    this.list.push({ level: 'warn', message, ...(path === undefined ? {} : { path }) });
  }
}

/** Drops undefined members and empty lists/maps (AWS treats absent and empty alike). */
export function tidy(o: Obj): Obj {
  const out: Obj = {};
  for (const [k, v] of Object.entries(o)) {
    if (v === undefined) continue;
    if (Array.isArray(v) && v.length === 0) continue;
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && Object.keys(v).length === 0) continue;
    out[k] = v;
  }
  return out;
}

function unless<T>(value: T | undefined, fallback: T): T | undefined {
  return value === fallback ? undefined : value;
}

/** Container settings ECS has and hako's model does not: a deploy would register the revision without them. */
const UNSUPPORTED_CONTAINER_FIELDS: readonly (keyof ecs.ContainerDefinition)[] = [
  'hostname',
  'dnsServers',
  'dnsSearchDomains',
  'disableNetworking',
  'interactive',
  'pseudoTerminal',
  'environmentFiles',
  'startTimeout',
  'stopTimeout',
  'credentialSpecs',
  'restartPolicy',
];

export interface AppChoice {
  readonly container: ecs.ContainerDefinition;
  /** Why it is the app: `named app`, `the essential container`, `the first container`. */
  readonly why: string;
}

/** The app container: the one named `app`, else the (first) essential one, else the first. */
export function chooseApp(containers: readonly ecs.ContainerDefinition[]): AppChoice | undefined {
  const named = containers.find((c) => c.name === 'app');
  if (named) return { container: named, why: 'it is named app' };
  const essential = containers.filter((c) => c.essential !== false);
  if (essential.length === 1) return { container: essential[0]!, why: 'it is the essential container' };
  if (essential.length > 1) return { container: essential[0]!, why: `it is the first of ${essential.length} essential containers` };
  return containers[0] ? { container: containers[0], why: 'it is the first container' } : undefined;
}

/** `nginx:1.25` → image `nginx`, tag `1.25`; a digest or no tag stays whole (hako would append `:latest`). */
export function splitImage(image: string): { image: string; tag?: string } {
  if (image.includes('@')) return { image };
  const slash = image.lastIndexOf('/');
  const colon = image.lastIndexOf(':');
  return colon > slash ? { image: image.slice(0, colon), tag: image.slice(colon + 1) } : { image };
}

/** Renames `from` to `to` in a container reference (`from` or `from:alias` links keep their host name). */
function renameLink(link: string, from: string, to: string): string {
  const [target, alias] = link.split(':');
  if (target !== from) return link;
  return `${to}:${alias ?? from}`;
}

export interface ContainerContext {
  readonly networkMode: string | undefined;
  /** Renames the app container to `app` in the references of the others. */
  readonly rename?: { readonly from: string; readonly to: string };
  readonly notes: Notes;
}

function portMapping(p: ecs.PortMapping, networkMode: string | undefined, path: string, notes: Notes): Obj {
  if (p.name !== undefined || p.appProtocol !== undefined || p.containerPortRange !== undefined) {
    notes.warn('name, app_protocol and container_port_range of port mappings are not supported by hako (Service Connect): a deploy drops them', path);
  }
  // Under awsvpc/host ECS makes the host port the container port; under bridge 0 asks for a dynamic one.
  const sameAsContainer = networkMode === 'awsvpc' || networkMode === 'host';
  const host = sameAsContainer ? unless(p.hostPort, p.containerPort) : unless(p.hostPort, 0);
  return tidy({ container_port: p.containerPort, host_port: host, protocol: unless(p.protocol?.toLowerCase(), 'tcp') });
}

function linuxParameters(lp: ecs.LinuxParameters | undefined, path: string, notes: Notes): Obj | undefined {
  if (lp === undefined) return undefined;
  if (lp.maxSwap !== undefined || lp.swappiness !== undefined) notes.warn('max_swap and swappiness are not supported by hako: a deploy drops them', path);
  const out = tidy({
    capabilities: lp.capabilities && tidy({ add: lp.capabilities.add, drop: lp.capabilities.drop }),
    devices: lp.devices?.map((d) => tidy({ host_path: d.hostPath, container_path: d.containerPath, permissions: d.permissions })),
    init_process_enabled: lp.initProcessEnabled,
    shared_memory_size: lp.sharedMemorySize,
    tmpfs: lp.tmpfs?.map((t) => tidy({ container_path: t.containerPath, size: t.size, mount_options: t.mountOptions })),
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

/** One container as the definition writes it; `isApp` decides `image`/`tag` against `image_tag`. */
export function containerDefinition(c: ecs.ContainerDefinition, isApp: boolean, ctx: ContainerContext): Obj {
  const path = isApp ? 'app' : `sidecars.${c.name}`;
  const { notes, rename } = ctx;
  const ref = (name: string | undefined) => (rename && name === rename.from ? rename.to : name);
  for (const field of UNSUPPORTED_CONTAINER_FIELDS) {
    const v = c[field];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) notes.warn(`${field} is not supported by hako: a deploy drops it`, path);
  }
  if (c.versionConsistency === 'disabled') notes.warn('versionConsistency disabled is not supported by hako: a deploy drops it', path);
  const image = c.image ?? '';
  const split = splitImage(image);
  if (isApp && split.tag === undefined && !image.includes('@')) {
    notes.warn(`the image ${image} has no tag: hako deploys an explicit one (:latest unless --tag), so diff shows the image change`, `${path}.image`);
  }
  const env = Object.fromEntries((c.environment ?? []).map((e) => [e.name ?? '', e.value ?? '']));
  for (const [name, value] of Object.entries(env)) {
    if (value.includes('#{')) notes.warn(`the value contains #{…}, which hako reads as a provider reference`, `${path}.env.${name}`);
  }
  const labels = Object.fromEntries(Object.entries(c.dockerLabels ?? {}).filter(([k]) => k !== VERSION_LABEL));
  const hc = c.healthCheck;
  return tidy({
    ...(isApp ? { image: split.image, tag: split.tag } : { image_tag: image }),
    cpu: unless(c.cpu, 0),
    memory: c.memory,
    memory_reservation: c.memoryReservation,
    essential: c.essential === false ? false : undefined,
    links: c.links?.map((l) => (rename ? renameLink(l, rename.from, rename.to) : l)),
    port_mappings: c.portMappings?.map((p, i) => portMapping(p, ctx.networkMode, `${path}.port_mappings[${i}]`, notes)),
    env,
    secrets: c.secrets?.map((s) => ({ name: s.name, value_from: s.valueFrom })),
    docker_labels: labels,
    mount_points: c.mountPoints?.map((m) => tidy({ source_volume: m.sourceVolume, container_path: m.containerPath, read_only: m.readOnly ? true : undefined })),
    volumes_from: c.volumesFrom?.map((v) => tidy({ source_container: ref(v.sourceContainer), read_only: v.readOnly ? true : undefined })),
    depends_on: c.dependsOn?.map((d) => ({ container_name: ref(d.containerName), condition: d.condition })),
    entry_point: c.entryPoint,
    command: c.command,
    user: c.user,
    working_directory: c.workingDirectory,
    privileged: c.privileged ? true : undefined,
    readonly_root_filesystem: c.readonlyRootFilesystem,
    linux_parameters: linuxParameters(c.linuxParameters, `${path}.linux_parameters`, notes),
    log_configuration:
      c.logConfiguration &&
      tidy({
        log_driver: c.logConfiguration.logDriver,
        options: c.logConfiguration.options,
        secret_options: c.logConfiguration.secretOptions?.map((s) => ({ name: s.name, value_from: s.valueFrom })),
      }),
    health_check:
      hc &&
      tidy({
        command: hc.command,
        interval: unless(hc.interval, 30),
        timeout: unless(hc.timeout, 5),
        retries: unless(hc.retries, 3),
        start_period: unless(hc.startPeriod, 0),
      }),
    ulimits: c.ulimits?.map((u) => ({ name: u.name, soft_limit: u.softLimit, hard_limit: u.hardLimit })),
    extra_hosts: c.extraHosts?.map((h) => ({ hostname: h.hostname, ip_address: h.ipAddress })),
    docker_security_options: c.dockerSecurityOptions,
    system_controls: c.systemControls?.map((s) => ({ namespace: s.namespace, value: s.value })),
    repository_credentials: c.repositoryCredentials && { credentials_parameter: c.repositoryCredentials.credentialsParameter },
    resource_requirements: c.resourceRequirements?.map((r) => ({ type: r.type, value: r.value })),
    firelens_configuration: c.firelensConfiguration && tidy({ type: c.firelensConfiguration.type, options: c.firelensConfiguration.options }),
  });
}

/** The task's volumes by name (§3.7: docker, else EFS, else host path). */
export function volumesDefinition(volumes: readonly ecs.Volume[], notes: Notes): Obj {
  const out: Obj = {};
  for (const v of volumes) {
    const name = v.name ?? '';
    const path = `volumes.${name}`;
    if (v.configuredAtLaunch) notes.warn('volumes configured at launch are not supported by hako: a deploy drops the setting', path);
    if (v.fsxWindowsFileServerVolumeConfiguration) {
      notes.warn('FSx for Windows File Server volumes are not supported by hako: the volume becomes a plain one', path);
    }
    const docker = v.dockerVolumeConfiguration;
    const efs = v.efsVolumeConfiguration;
    if (docker) {
      out[name] = {
        docker_volume_configuration: tidy({
          autoprovision: docker.autoprovision,
          driver: unless(docker.driver, 'local'),
          driver_opts: docker.driverOpts,
          labels: docker.labels,
          scope: unless(docker.scope, 'task'),
        }),
      };
    } else if (efs) {
      out[name] = {
        efs_volume_configuration: tidy({
          file_system_id: efs.fileSystemId,
          root_directory: unless(efs.rootDirectory, '/'),
          transit_encryption: efs.transitEncryption,
          transit_encryption_port: efs.transitEncryptionPort,
          authorization_config: efs.authorizationConfig && tidy({ access_point_id: efs.authorizationConfig.accessPointId, iam: efs.authorizationConfig.iam }),
        }),
      };
    } else {
      out[name] = tidy({ source_path: v.host?.sourcePath });
    }
  }
  return out;
}
