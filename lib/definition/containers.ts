/**
 * The container set (reference §2.7) and each container's normalised form (§3.8). The set is `app`, then the
 * requested sidecars, then whatever they refer to through links, depends_on and volumes_from, level by level:
 * that order becomes the order of `containerDefinitions` and of everything printed per container.
 */
import type { ContainerModel, EnvVar, ProviderConfig } from './model.js';
import type { ContainerInput } from './schema/container.js';

/** `redis:cache` → `redis`; anything that is not exactly `name:alias` is a container name as a whole (as hako). */
export function linkTarget(link: string): string {
  const m = /^([^:]+):([^:]+)$/.exec(link);
  return m ? (m[1] as string) : link;
}

/** The containers a container needs, in hako's discovery order: links, then depends_on, then volumes_from. */
export function containerReferences(container: Pick<ContainerInput, 'links' | 'depends_on' | 'volumes_from'>): string[] {
  return [
    ...(container.links ?? []).map(linkTarget),
    ...(container.depends_on ?? []).map((d) => d.container_name),
    ...(container.volumes_from ?? []).map((v) => v.source_container),
  ];
}

/**
 * Names of the containers to run, closed over their references. `withNames` undefined = every sidecar (deploy);
 * a list = only those (oneshot `-c`). Names that are not defined are skipped here: validation reports them.
 */
export function resolveContainerNames(
  app: ContainerInput,
  sidecars: Readonly<Record<string, ContainerInput>>,
  withNames?: readonly string[],
): string[] {
  const lookup = (name: string): ContainerInput | undefined =>
    name === 'app' ? app : Object.prototype.hasOwnProperty.call(sidecars, name) ? sidecars[name] : undefined;
  // A Set keeps insertion order, and every newly found name lands after the ones already queued: iterating it
  // while it grows is exactly hako's level-by-level discovery.
  const names = new Set<string>(['app', ...(withNames ?? Object.keys(sidecars))]);
  const resolved: string[] = [];
  for (const name of names) {
    const container = lookup(name);
    if (!container) continue;
    resolved.push(name);
    for (const ref of containerReferences(container)) names.add(ref);
  }
  return resolved;
}

/** Drops keys whose value is undefined so that "absent" really is absent in the model (and in its JSON). */
export function compact<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}

/** `null` in the definition means "absent". */
function some<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

function envOf(env: ContainerInput['env']): { env: EnvVar[]; providers: ProviderConfig[] } {
  const vars: EnvVar[] = [];
  let providers: ProviderConfig[] = [];
  for (const [name, value] of Object.entries(env ?? {})) {
    if (name === '$providers') providers = ((value ?? []) as ProviderConfig[]).map((p) => ({ ...p }));
    else vars.push({ name, value: value as string });
  }
  return { env: vars, providers };
}

/** The normalised container, defaults applied (§3.8). `image` is resolved by the caller (app and sidecar rules differ). */
export function buildContainer(name: string, c: ContainerInput, image: string): ContainerModel {
  const { env, providers } = envOf(c.env);
  const lp = some(c.linux_parameters);
  const hc = some(c.health_check);
  const log = some(c.log_configuration);
  const firelens = some(c.firelens_configuration);
  return compact<ContainerModel>({
    name,
    image,
    cpu: some(c.cpu) ?? 0,
    memory: some(c.memory),
    memory_reservation: some(c.memory_reservation),
    links: [...(c.links ?? [])],
    port_mappings: (c.port_mappings ?? []).map((p) =>
      compact({
        container_port: p.container_port,
        host_port: some(p.host_port),
        protocol: (p.protocol ?? 'tcp').toLowerCase() as 'tcp' | 'udp',
      }),
    ),
    essential: some(c.essential) ?? true,
    env,
    env_providers: providers,
    secrets: c.secrets?.map((s) => ({ name: s.name, value_from: s.value_from })),
    docker_labels: { ...(c.docker_labels ?? {}) },
    mount_points: (c.mount_points ?? []).map((m) => ({
      source_volume: m.source_volume,
      container_path: m.container_path,
      read_only: m.read_only ?? false,
    })),
    entry_point: c.entry_point ? [...c.entry_point] : undefined,
    command: c.command ? [...c.command] : undefined,
    user: some(c.user),
    working_directory: some(c.working_directory),
    privileged: some(c.privileged) ?? false,
    linux_parameters: lp
      ? compact({
          capabilities: lp.capabilities
            ? { add: [...(lp.capabilities.add ?? [])], drop: [...(lp.capabilities.drop ?? [])] }
            : undefined,
          devices: lp.devices?.map((d) =>
            compact({ host_path: d.host_path, container_path: some(d.container_path), permissions: [...(d.permissions ?? [])] }),
          ),
          init_process_enabled: some(lp.init_process_enabled),
          shared_memory_size: some(lp.shared_memory_size),
          tmpfs: lp.tmpfs?.map((t) => ({ container_path: t.container_path, mount_options: [...(t.mount_options ?? [])], size: t.size })),
        })
      : undefined,
    depends_on: c.depends_on?.map((d) => ({ container_name: d.container_name, condition: d.condition })),
    volumes_from: (c.volumes_from ?? []).map((v) => ({ source_container: v.source_container, read_only: v.read_only ?? false })),
    log_configuration: log
      ? compact({
          log_driver: log.log_driver,
          options: { ...(log.options ?? {}) },
          secret_options: log.secret_options?.map((s) => ({ name: s.name, value_from: s.value_from })),
        })
      : undefined,
    health_check: hc
      ? compact({
          command: [...hc.command],
          interval: hc.interval ?? 30,
          timeout: hc.timeout ?? 5,
          retries: hc.retries ?? 3,
          start_period: some(hc.start_period),
        })
      : undefined,
    ulimits: c.ulimits?.map((u) => ({ name: u.name, soft_limit: u.soft_limit, hard_limit: u.hard_limit })),
    extra_hosts: c.extra_hosts?.map((h) => ({ hostname: h.hostname, ip_address: h.ip_address })),
    readonly_root_filesystem: some(c.readonly_root_filesystem),
    docker_security_options: c.docker_security_options ? [...c.docker_security_options] : undefined,
    system_controls: c.system_controls?.map((s) => ({ namespace: s.namespace, value: s.value })),
    repository_credentials: c.repository_credentials
      ? { credentials_parameter: c.repository_credentials.credentials_parameter }
      : undefined,
    resource_requirements: c.resource_requirements?.map((r) => ({ type: r.type, value: r.value })),
    firelens_configuration: firelens
      ? compact({ type: firelens.type, options: firelens.options ? { ...firelens.options } : undefined })
      : undefined,
  });
}

/** Splits `repo:tag` / `repo@digest`; a colon before the last `/` is a registry port, not a tag. */
export function hasTagOrDigest(image: string): boolean {
  if (image.includes('@')) return true;
  const lastSegment = image.slice(image.lastIndexOf('/') + 1);
  return lastSegment.includes(':');
}

/** The image reference without its tag or digest. */
export function imageRepository(image: string): string {
  const at = image.indexOf('@');
  const withoutDigest = at >= 0 ? image.slice(0, at) : image;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  return colon > slash ? withoutDigest.slice(0, colon) : withoutDigest;
}

/**
 * `app` image: `--tag` wins over `app.tag`; a given tag replaces any tag or digest already in `image` (hako would
 * have produced an invalid `repo:1.2:tag`). Without any tag, an image that already carries a tag or digest is
 * used as is; otherwise `:latest` is appended, as hako did.
 */
export function appImage(image: string, definitionTag: string | undefined, cliTag: string | undefined): string {
  const tag = cliTag ?? definitionTag;
  if (tag !== undefined) return `${imageRepository(image)}:${tag}`;
  return hasTagOrDigest(image) ? image : `${image}:latest`;
}

/**
 * Sidecar image: hako's `image_tag` (a full reference) verbatim; otherwise `image`, with `:<tag>` appended when
 * `tag` is set (replacing a tag already in `image`), else `image` as written.
 */
export function sidecarImage(c: { image_tag?: string | null; image?: string | null; tag?: string | null }): string | undefined {
  if (c.image_tag) return c.image_tag;
  if (!c.image) return undefined;
  return c.tag ? `${imageRepository(c.image)}:${c.tag}` : c.image;
}
