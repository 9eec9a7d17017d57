/**
 * The app model as Kubernetes objects: a Deployment whose pod runs `app` and its sidecars, an optional Service, and
 * a Job for `oneshot`. Pure: the same model always gives the same manifests, and the planner compares what the
 * API server makes of them (a server-side dry run) with what runs.
 *
 * The mapping (README "Kubernetes"):
 * - cpu (ECS units, 1024 = one CPU) → `requests.cpu` in millicores. No CPU limit: an ECS container's cpu is a
 *   share of the host, not a cap, and a request is exactly that share under contention.
 * - memory (MiB, ECS's hard limit) → `limits.memory`; memory_reservation (the soft limit) → `requests.memory`.
 *   With memory alone Kubernetes requests the limit, as ECS reserves it.
 * - entry_point → `command`, command → `args` (Docker's ENTRYPOINT and CMD, which is what both sides mean).
 * - env → plain `env` values (provider values included: plans mask them, as for ECS task definitions).
 * - Kubernetes expands `$(NAME)` in env values, command and args, and turns `$$` into `$`; ECS passes them as they
 *   are. Every `$` is written as `$$`, so the container gets exactly the definition's text (a password with `$$`
 *   in it stays intact). Plans show the text unescaped (compare.ts).
 * - port_mappings → container ports; scheduler.service → a Service selecting the pods.
 * - health_check → the same exec probe for readiness (a pod counts as available once it passes, which is what
 *   gates a rollout, as ECS waits for HEALTHY) and liveness (restart after `retries` failures); start_period
 *   delays only liveness. CMD runs the command, CMD-SHELL runs it with /bin/sh -c, NONE means no probe.
 * - volumes: a host path → hostPath; a host volume without a path, or a task-scoped local docker volume → emptyDir
 *   (both are scratch space that lives as long as the task or pod). Everything else is refused up front (validate.ts).
 */
import type { AnyAppModel, Container, HealthCheck } from '../../definition/model.js';
import type { DeepReadonly } from '../../definition/model.js';
import type { VolumeModel } from '../../definition/model.js';
import type { KubeManifest, KubeObjects } from '../../kube/ports.js';
import type { KubernetesConfig } from './config.js';
import { objectLabels, podSelector, RESTARTED_AT_ANNOTATION, servicePortName, type PodRole } from './labels.js';

type PodTemplate = NonNullable<KubeObjects['Deployment']['spec']>['template'];
export type PodSpec = NonNullable<PodTemplate['spec']>;
export type ContainerSpec = PodSpec['containers'][number];
type VolumeSpec = NonNullable<PodSpec['volumes']>[number];
type Probe = NonNullable<ContainerSpec['readinessProbe']>;

/** ECS CPU units as a Kubernetes quantity in its canonical form (`1` rather than `1000m`, as the server stores it). */
export function cpuQuantity(units: number): string {
  const millicores = Math.max(1, Math.round((units * 1000) / 1024));
  return millicores % 1000 === 0 ? String(millicores / 1000) : `${millicores}m`;
}

/** MiB as a Kubernetes quantity in its canonical form (`1Gi` rather than `1024Mi`). */
export function memoryQuantity(mib: number): string {
  return mib % 1024 === 0 ? `${mib / 1024}Gi` : `${mib}Mi`;
}

export interface ResourceOverrides {
  readonly cpu?: number;
  readonly memory?: number;
  readonly memoryReservation?: number;
}

function resources(c: Container, overrides: ResourceOverrides = {}): ContainerSpec['resources'] | undefined {
  const cpu = overrides.cpu ?? c.cpu;
  const memory = overrides.memory ?? c.memory;
  const reservation = overrides.memoryReservation ?? c.memory_reservation;
  const requests: Record<string, string> = {};
  const limits: Record<string, string> = {};
  if (cpu > 0) requests.cpu = cpuQuantity(cpu);
  if (reservation !== undefined) requests.memory = memoryQuantity(reservation);
  if (memory !== undefined) limits.memory = memoryQuantity(memory);
  if (Object.keys(requests).length === 0 && Object.keys(limits).length === 0) return undefined;
  return { ...(Object.keys(requests).length > 0 ? { requests } : {}), ...(Object.keys(limits).length > 0 ? { limits } : {}) };
}

/** The exec command of a health check; undefined for NONE (or an empty check). */
export function probeCommand(hc: DeepReadonly<HealthCheck>): string[] | undefined {
  const [kind, ...rest] = hc.command;
  if (kind === 'CMD') return rest.length > 0 ? [...rest] : undefined;
  if (kind === 'CMD-SHELL') return rest.length > 0 ? ['/bin/sh', '-c', rest.join(' ')] : undefined;
  return undefined;
}

function probes(hc: DeepReadonly<HealthCheck> | undefined): Pick<ContainerSpec, 'readinessProbe' | 'livenessProbe'> {
  if (hc === undefined) return {};
  const command = probeCommand(hc);
  if (command === undefined) return {};
  const probe: Probe = { exec: { command }, periodSeconds: hc.interval, timeoutSeconds: hc.timeout, failureThreshold: hc.retries };
  const delay = hc.start_period ?? 0;
  return { readinessProbe: probe, livenessProbe: delay > 0 ? { ...probe, initialDelaySeconds: delay } : probe };
}

/** `1000` or `1000:1000`; undefined for anything else (validation refuses user names). */
export function numericUser(user: string): { runAsUser: number; runAsGroup?: number } | undefined {
  const m = /^(\d+)(?::(\d+))?$/.exec(user);
  if (m === null) return undefined;
  return { runAsUser: Number(m[1]), ...(m[2] === undefined ? {} : { runAsGroup: Number(m[2]) }) };
}

function securityContext(c: Container): ContainerSpec['securityContext'] | undefined {
  const caps = c.linux_parameters?.capabilities;
  const user = c.user === undefined ? undefined : numericUser(c.user);
  const context: NonNullable<ContainerSpec['securityContext']> = {
    ...(c.privileged ? { privileged: true } : {}),
    ...(c.readonly_root_filesystem === undefined ? {} : { readOnlyRootFilesystem: c.readonly_root_filesystem }),
    ...(user ?? {}),
    ...(caps === undefined || (caps.add.length === 0 && caps.drop.length === 0)
      ? {}
      : { capabilities: { ...(caps.add.length > 0 ? { add: [...caps.add] } : {}), ...(caps.drop.length > 0 ? { drop: [...caps.drop] } : {}) } }),
  };
  return Object.keys(context).length > 0 ? context : undefined;
}

/** A string Kubernetes will not expand: `$` → `$$` (Kubernetes reduces `$$` to `$` and leaves the rest). */
export function literal(text: string): string {
  return text.split('$').join('$$');
}

export interface ContainerOptions {
  /** Replaces the container's `command` (the ECS override of `hako oneshot … -- COMMAND`). */
  readonly args?: readonly string[];
  /** Added to the container's env, replacing entries of the same name. */
  readonly env?: readonly { readonly name: string; readonly value: string }[];
  readonly resources?: ResourceOverrides;
}

/** One container of the pod. Keys are left out when the model has nothing for them, so the server default shows. */
export function containerSpec(c: Container, options: ContainerOptions = {}): ContainerSpec {
  const extra = options.env ?? [];
  const env = [...c.env.filter((e) => !extra.some((x) => x.name === e.name)), ...extra].map((e) => ({ name: e.name, value: literal(e.value) }));
  const args = options.args ?? c.command;
  const res = resources(c, options.resources);
  const security = securityContext(c);
  return {
    name: c.name,
    image: c.image,
    ...(c.entry_point === undefined ? {} : { command: c.entry_point.map(literal) }),
    ...(args === undefined ? {} : { args: args.map(literal) }),
    ...(c.working_directory === undefined ? {} : { workingDir: c.working_directory }),
    ...(env.length > 0 ? { env } : {}),
    ...(c.port_mappings.length > 0
      ? { ports: c.port_mappings.map((p) => ({ containerPort: p.container_port, protocol: p.protocol.toUpperCase() })) }
      : {}),
    ...(res === undefined ? {} : { resources: res }),
    ...(c.mount_points.length > 0
      ? { volumeMounts: c.mount_points.map((m) => ({ name: m.source_volume, mountPath: m.container_path, ...(m.read_only ? { readOnly: true } : {}) })) }
      : {}),
    ...probes(c.health_check),
    ...(security === undefined ? {} : { securityContext: security }),
  };
}

/** The pod volume of a definition volume; undefined when Kubernetes has no equivalent (validate.ts says why). */
export function podVolume(v: DeepReadonly<VolumeModel>): VolumeSpec | undefined {
  const docker = v.docker_volume_configuration;
  if (docker !== undefined) return isScratchDockerVolume(docker) ? { name: v.name, emptyDir: {} } : undefined;
  if (v.efs_volume_configuration !== undefined) return undefined;
  const path = v.host?.source_path;
  return path === undefined ? { name: v.name, emptyDir: {} } : { name: v.name, hostPath: { path } };
}

/** A docker volume that is plain scratch space for the task's life: what an emptyDir is. */
export function isScratchDockerVolume(d: NonNullable<DeepReadonly<VolumeModel>['docker_volume_configuration']>): boolean {
  return (
    (d.scope ?? 'task') === 'task' &&
    (d.driver === undefined || d.driver === 'local') &&
    d.autoprovision !== true &&
    Object.keys(d.driver_opts ?? {}).length === 0 &&
    Object.keys(d.labels ?? {}).length === 0
  );
}

interface PodOptions {
  readonly role: PodRole;
  readonly containers: readonly ContainerSpec[];
  readonly initContainers?: readonly ContainerSpec[];
  readonly restartPolicy?: 'Never';
  readonly annotations?: Readonly<Record<string, string>>;
}

function podTemplate(model: AnyAppModel, config: KubernetesConfig, options: PodOptions): PodTemplate {
  const volumes = model.volumes.map(podVolume).filter((v): v is VolumeSpec => v !== undefined);
  const annotations = { ...config.podAnnotations, ...options.annotations };
  return {
    metadata: {
      labels: { ...objectLabels(model.id, config.labels), ...podSelector(model.id, options.role) },
      ...(Object.keys(annotations).length > 0 ? { annotations } : {}),
    },
    spec: {
      ...(options.restartPolicy === undefined ? {} : { restartPolicy: options.restartPolicy }),
      ...(config.serviceAccountName === undefined ? {} : { serviceAccountName: config.serviceAccountName }),
      ...(options.initContainers === undefined || options.initContainers.length === 0 ? {} : { initContainers: [...options.initContainers] }),
      containers: [...options.containers],
      ...(volumes.length > 0 ? { volumes } : {}),
    },
  };
}

export interface DeploymentOptions {
  /** The pod template's restart mark: carried over from the live Deployment, or new with `--force`. */
  readonly restartedAt?: string;
}

export function deploymentManifest(model: AnyAppModel, config: KubernetesConfig, options: DeploymentOptions = {}): KubeManifest<'Deployment'> {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: model.id, namespace: config.namespace, labels: objectLabels(model.id, config.labels) },
    spec: {
      ...(config.desiredCount === undefined ? {} : { replicas: config.desiredCount }),
      ...(config.progressDeadlineSeconds === undefined ? {} : { progressDeadlineSeconds: config.progressDeadlineSeconds }),
      selector: { matchLabels: podSelector(model.id, 'service') },
      template: podTemplate(model, config, {
        role: 'service',
        containers: model.containers.map((c) => containerSpec(c)),
        ...(options.restartedAt === undefined ? {} : { annotations: { [RESTARTED_AT_ANNOTATION]: options.restartedAt } }),
      }),
    },
  };
}

/** The Service, when the config asks for one: it selects the Deployment's pods (never a oneshot's). */
export function serviceManifest(model: AnyAppModel, config: KubernetesConfig): KubeManifest<'Service'> | undefined {
  const service = config.service;
  if (service === undefined) return undefined;
  return {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name: model.id, namespace: config.namespace, labels: objectLabels(model.id, config.labels) },
    spec: {
      type: service.type,
      selector: podSelector(model.id, 'service'),
      ports: service.ports.map((p) => ({
        name: servicePortName(p),
        port: p.port,
        targetPort: p.targetPort,
        protocol: p.protocol,
        ...(p.nodePort === undefined ? {} : { nodePort: p.nodePort }),
      })),
    },
  };
}

export interface JobOptions {
  readonly name: string;
  /** `hako oneshot FILE -- COMMAND…`: the app container's args (its entry point stays). */
  readonly command: readonly string[];
  readonly env: readonly { readonly name: string; readonly value: string }[];
  readonly overrides: ResourceOverrides;
}

/** How long a finished oneshot Job (and its pod, with its log) stays: about as long as ECS shows a stopped task. */
export const ONESHOT_TTL_SECONDS = 3600;

/**
 * The oneshot Job: one pod, never restarted, never retried (a oneshot runs once, as an ECS RunTask does). Sidecars
 * started with `-c` run as native sidecars (init containers that keep running), so the Job ends when `app` does.
 */
export function jobManifest(model: AnyAppModel, config: KubernetesConfig, options: JobOptions): KubeManifest<'Job'> {
  const app = model.containers.find((c) => c.name === 'app');
  const sidecars = model.containers.filter((c) => c.name !== 'app');
  const appSpec = app === undefined ? [] : [containerSpec(app, { args: options.command, env: options.env, resources: options.overrides })];
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name: options.name, namespace: config.namespace, labels: { ...objectLabels(model.id, config.labels), ...podSelector(model.id, 'oneshot') } },
    spec: {
      backoffLimit: 0,
      ttlSecondsAfterFinished: ONESHOT_TTL_SECONDS,
      template: podTemplate(model, config, {
        role: 'oneshot',
        restartPolicy: 'Never',
        containers: appSpec,
        initContainers: sidecars.map((c) => ({ ...containerSpec(c), restartPolicy: 'Always' })),
      }),
    },
  };
}

/** `<app>-oneshot-<suffix>`, the app part cut so the name stays a 63-character label (pods are labelled with it). */
export function oneshotJobName(appId: string, suffix: string): string {
  const tail = `-oneshot-${suffix}`;
  return `${appId.slice(0, 63 - tail.length).replace(/-+$/, '')}${tail}`;
}
