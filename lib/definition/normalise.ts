/**
 * normalise: evaluated definition → validated, read-only AppModel (the second phase of every command).
 * Pure: no IO, no clock, no environment. Every problem is reported at once in a DefinitionError.
 */
import type { z } from 'zod';
import { DefinitionError, type DefinitionIssue } from '../errors.js';
import { appImage, buildContainer, compact, resolveContainerNames, sidecarImage } from './containers.js';
import type { EvaluatedDefinition } from './evaluate.js';
import type {
  AppModel,
  AppModelData,
  AutoscalingConfig,
  CodeDeployConfig,
  ContainerModel,
  EcsSchedulerModel,
  PluginSchedulerModel,
  SchedulerModel,
  ScriptEntry,
  ServiceDiscoveryEntry,
  VolumeModel,
} from './model.js';
import type { AppContainerInput, ContainerInput } from './schema/container.js';
import type { DefinitionInput } from './schema/definition.js';
import type { AutoscalingInput, ServiceDiscoveryInput } from './schema/autoscaling.js';
import type { CodeDeployInput } from './schema/codedeploy.js';
import type { ClassicElbInput } from './schema/load-balancers.js';
import type { EcsSchedulerInput } from './schema/scheduler-ecs.js';
import type { VolumeInput } from './schema/volumes.js';
import { validateDefinition } from './schema/validate.js';
import { withoutUnknownKeys } from './schema/unknown-keys.js';
import { dropNulls } from './schema/common.js';

export interface NormaliseOptions {
  /** `--tag`: overrides `app.tag`. */
  tag?: string;
  /** oneshot: start `app` + these (+ their dependencies); undefined = every sidecar. */
  with?: readonly string[];
  /** Unknown keys become errors instead of warnings. */
  strict?: boolean;
  /**
   * Config schemas of the script plugins available, by type (built-ins + loaded third-party ones). A `scripts[]`
   * entry whose type is not here is an error "no plugin for script type X" with its path.
   */
  scriptSchemas: ReadonlyMap<string, z.ZodType>;
  /**
   * Config schemas of the scheduler plugins available, by `scheduler.type`. Without them only `ecs` is accepted,
   * and the result's model is an ECS one.
   */
  schedulerSchemas?: ReadonlyMap<string, z.ZodType>;
}

export interface NormaliseResult<S extends SchedulerModel = EcsSchedulerModel> {
  model: AppModel<S>;
  warnings: DefinitionIssue[];
}

/** `null` in the definition means "absent". */
function some<T>(value: T | null | undefined): T | undefined {
  return value === null ? undefined : value;
}

function stringMap(tags: Readonly<Record<string, string | number | boolean>> | null | undefined): Record<string, string> {
  return Object.fromEntries(Object.entries(tags ?? {}).map(([k, v]) => [k, String(v)]));
}

function buildElb(elb: ClassicElbInput) {
  return compact({
    load_balancer_name: some(elb.load_balancer_name),
    listeners: elb.listeners?.map((l) =>
      compact({ protocol: l.protocol, load_balancer_port: l.load_balancer_port, ssl_certificate_id: some(l.ssl_certificate_id) }),
    ),
    subnets: elb.subnets ? [...elb.subnets] : undefined,
    security_groups: elb.security_groups ? [...elb.security_groups] : undefined,
    scheme: some(elb.scheme),
    tags: elb.tags ? stringMap(elb.tags) : undefined,
    cross_zone_load_balancing: some(elb.cross_zone_load_balancing),
    container_name: elb.container_name ?? 'front',
    container_port: elb.container_port ?? 80,
  });
}

function buildAutoscaling(a: AutoscalingInput): AutoscalingConfig {
  return {
    role_arn: a.role_arn,
    min_capacity: a.min_capacity,
    max_capacity: a.max_capacity,
    policies: a.policies.map((p) =>
      compact({
        policy_type: p.policy_type ?? 'StepScaling',
        name: some(p.name),
        alarms: p.alarms ? [...p.alarms] : undefined,
        cooldown: some(p.cooldown),
        adjustment_type: some(p.adjustment_type),
        scaling_adjustment: some(p.scaling_adjustment),
        metric_aggregation_type: some(p.metric_aggregation_type),
        metric_interval_lower_bound: some(p.metric_interval_lower_bound),
        metric_interval_upper_bound: some(p.metric_interval_upper_bound),
        target_value: some(p.target_value),
        predefined_metric_type: some(p.predefined_metric_type),
        scale_out_cooldown: some(p.scale_out_cooldown),
        scale_in_cooldown: some(p.scale_in_cooldown),
        disable_scale_in: some(p.disable_scale_in),
      }),
    ),
  };
}

function buildServiceDiscovery(e: ServiceDiscoveryInput): ServiceDiscoveryEntry {
  const s = e.service;
  return compact({
    container_name: some(e.container_name),
    container_port: some(e.container_port),
    port: some(e.port),
    service: compact({
      name: s.name,
      namespace_id: s.namespace_id,
      description: some(s.description),
      dns_config: compact({
        dns_records: s.dns_config.dns_records.map((r) => ({ type: r.type, ttl: r.ttl })),
        routing_policy: s.dns_config.routing_policy ?? 'MULTIVALUE',
        namespace_id: some(s.dns_config.namespace_id),
      }),
      health_check_custom_config: s.health_check_custom_config
        ? { failure_threshold: s.health_check_custom_config.failure_threshold }
        : undefined,
    }),
  });
}

/** `scheduler.codedeploy` with its defaults; validation rejected EXTERNAL, so the controller is ECS or CODE_DEPLOY. */
function buildCodeDeploy(c: CodeDeployInput | null | undefined): CodeDeployConfig {
  const hooks = c?.hooks ?? undefined;
  return compact<CodeDeployConfig>({
    application: some(c?.application),
    deployment_group: some(c?.deployment_group),
    deployment_config: some(c?.deployment_config),
    termination_wait_minutes: some(c?.termination_wait_minutes),
    wait: some(c?.wait) ?? 'succeeded',
    appspec_format: some(c?.appspec_format) ?? 'yaml',
    hooks: hooks
      ? compact({
          before_install: some(hooks.before_install),
          after_install: some(hooks.after_install),
          after_allow_test_traffic: some(hooks.after_allow_test_traffic),
          before_allow_traffic: some(hooks.before_allow_traffic),
          after_allow_traffic: some(hooks.after_allow_traffic),
        })
      : undefined,
  });
}

function buildScheduler(s: EcsSchedulerInput): EcsSchedulerModel {
  const behindLoadBalancer = s.elb != null || s.elb_v2 != null || (s.load_balancers ?? []).length > 0;
  const dc = some(s.deployment_configuration);
  const awsvpc = some(s.network_configuration)?.awsvpc_configuration;
  const breaker = dc ? some(dc.deployment_circuit_breaker) : undefined;
  return compact<EcsSchedulerModel>({
    type: 'ecs',
    region: some(s.region),
    cluster: s.cluster ?? 'default',
    desired_count: some(s.desired_count),
    role: some(s.role),
    task_role_arn: some(s.task_role_arn),
    execution_role_arn: some(s.execution_role_arn),
    network_mode: some(s.network_mode),
    pid_mode: some(s.pid_mode),
    cpu: s.cpu == null ? undefined : String(s.cpu),
    memory: s.memory == null ? undefined : String(s.memory),
    ephemeral_storage: s.ephemeral_storage ? { size_in_gi_b: Number(s.ephemeral_storage.size_in_gi_b) } : undefined,
    requires_compatibilities: s.requires_compatibilities ? [...s.requires_compatibilities] : undefined,
    runtime_platform: s.runtime_platform
      ? compact({
          cpu_architecture: some(s.runtime_platform.cpu_architecture),
          operating_system_family: some(s.runtime_platform.operating_system_family),
        })
      : undefined,
    launch_type: some(s.launch_type),
    capacity_provider_strategy: s.capacity_provider_strategy?.map((c) =>
      compact({ capacity_provider: c.capacity_provider, weight: some(c.weight), base: some(c.base) }),
    ),
    platform_version: some(s.platform_version),
    network_configuration: awsvpc
      ? {
          awsvpc_configuration: compact({
            subnets: [...awsvpc.subnets],
            security_groups: awsvpc.security_groups ? [...awsvpc.security_groups] : undefined,
            assign_public_ip: some(awsvpc.assign_public_ip),
          }),
        }
      : undefined,
    deployment_configuration: dc
      ? compact({
          maximum_percent: some(dc.maximum_percent),
          minimum_healthy_percent: some(dc.minimum_healthy_percent),
          // rollback: true was rejected by validation: hako rolls back itself.
          deployment_circuit_breaker: breaker ? { enable: breaker.enable, rollback: false } : undefined,
        })
      : undefined,
    placement_constraints: (s.placement_constraints ?? []).map((p) => compact({ type: p.type, expression: some(p.expression) })),
    placement_strategy: (s.placement_strategy ?? []).map((p) => compact({ type: p.type, field: some(p.field) })),
    scheduling_strategy: some(s.scheduling_strategy),
    deployment_controller: s.deployment_controller ? { type: s.deployment_controller.type === 'CODE_DEPLOY' ? 'CODE_DEPLOY' : 'ECS' } : undefined,
    codedeploy: s.deployment_controller?.type === 'CODE_DEPLOY' ? buildCodeDeploy(s.codedeploy) : undefined,
    health_check_grace_period_seconds: some(s.health_check_grace_period_seconds) ?? (behindLoadBalancer ? 0 : undefined),
    dynamic_port_mapping: some(s.dynamic_port_mapping) ?? s.elb == null,
    elb: s.elb ? buildElb(s.elb) : undefined,
    load_balancers: s.load_balancers?.map((lb) => ({
      // The name is the ARN's `targetgroup/<name>/<id>` part: for messages and the autoscaling label lookup.
      target_group_name: lb.target_group_arn.split(':targetgroup/')[1]?.split('/')[0] ?? lb.target_group_arn,
      target_group_arn: lb.target_group_arn,
      container_name: lb.container_name,
      container_port: lb.container_port,
    })),
    autoscaling: s.autoscaling ? buildAutoscaling(s.autoscaling) : undefined,
    service_discovery: s.service_discovery?.map(buildServiceDiscovery),
    tags: stringMap(s.tags),
    enable_execute_command: some(s.enable_execute_command) ?? false,
    autoscaling_group_for_oneshot: some(s.autoscaling_group_for_oneshot),
    autoscaling_topic_for_oneshot: some(s.autoscaling_topic_for_oneshot),
    oneshot_notification_prefix: some(s.oneshot_notification_prefix),
  });
}

/** hako §3.7: the first of docker volume, EFS volume, host path describes the volume. */
function buildVolume(name: string, v: VolumeInput): VolumeModel {
  const docker = some(v.docker_volume_configuration);
  if (docker) {
    return {
      name,
      docker_volume_configuration: compact({
        autoprovision: some(docker.autoprovision),
        driver: some(docker.driver),
        // ECS rejects empty maps here: an empty map is left out rather than sent.
        driver_opts: docker.driver_opts && Object.keys(docker.driver_opts).length > 0 ? { ...docker.driver_opts } : undefined,
        labels: docker.labels && Object.keys(docker.labels).length > 0 ? { ...docker.labels } : undefined,
        scope: some(docker.scope),
      }),
    };
  }
  const efs = some(v.efs_volume_configuration);
  if (efs) {
    const auth = some(efs.authorization_config);
    return {
      name,
      efs_volume_configuration: compact({
        file_system_id: efs.file_system_id,
        root_directory: some(efs.root_directory),
        transit_encryption: some(efs.transit_encryption),
        transit_encryption_port: some(efs.transit_encryption_port),
        authorization_config: auth ? compact({ access_point_id: some(auth.access_point_id), iam: some(auth.iam) }) : undefined,
      }),
    };
  }
  return { name, host: compact({ source_path: some(v.source_path) }) };
}

/**
 * A script's config as its plugin will receive it (and as validation checked it): nulls dropped, keys its schema does not know
 * left out — they were reported as unknown, and hako ignored them too.
 */
function scriptConfig(type: string, config: Record<string, unknown>, schemas: NormaliseOptions['scriptSchemas']) {
  const schema = schemas.get(type);
  const cleaned = dropNulls(config);
  return schema ? withoutUnknownKeys(schema, cleaned) : cleaned;
}

/** A plugin scheduler's config as its plugin will receive it: the same cleaning as a script's. */
function buildPluginScheduler(raw: unknown, schema: z.ZodType | undefined): PluginSchedulerModel {
  const { type, ...rest } = raw as { type: string } & Record<string, unknown>;
  const cleaned = dropNulls(rest);
  return { type, config: schema ? withoutUnknownKeys(schema, cleaned) : cleaned };
}

/** `scheduler.elb_v2` is the `alb` script written the hako way: it becomes the first script entry. */
function buildScripts(definition: DefinitionInput, schemas: NormaliseOptions['scriptSchemas']): ScriptEntry[] {
  const entries: ScriptEntry[] = [];
  // A plugin scheduler's keys are its own: an `elb_v2` there means whatever the plugin says it means.
  const elbV2 = definition.scheduler.type === 'ecs' ? definition.scheduler.elb_v2 : undefined;
  if (elbV2) {
    const config = scriptConfig('alb', elbV2, schemas);
    if (definition.scheduler.network_mode === 'awsvpc' && config['target_type'] === undefined) config['target_type'] = 'ip';
    entries.push({ type: 'alb', config });
  }
  for (const entry of definition.scripts ?? []) {
    const { type, ...config } = entry;
    entries.push({ type, config: scriptConfig(type, config, schemas) });
  }
  return entries;
}

function buildContainers(definition: DefinitionInput, options: NormaliseOptions): ContainerModel[] {
  const sidecars: Record<string, ContainerInput> = { ...((definition.sidecars ?? definition.additional_containers) ?? {}) };
  const app: AppContainerInput = definition.app;
  return resolveContainerNames(app, sidecars, options.with).map((name) => {
    if (name === 'app') return buildContainer('app', app, appImage(app.image, some(app.tag), options.tag));
    const sidecar = sidecars[name] as ContainerInput;
    // Validation guarantees a sidecar has image_tag or image.
    return buildContainer(name, sidecar, sidecarImage(sidecar as Parameters<typeof sidecarImage>[0]) ?? '');
  });
}

function deepFreeze<T>(value: T): T {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/**
 * Validates and normalises an evaluated definition into the read-only AppModel (defaults applied, container set
 * resolved, `elb_v2` turned into an `alb` script). Pure. Throws a DefinitionError listing every problem (errors
 * and warnings) when there is any error; otherwise returns the model and the warnings. Given `schedulerSchemas`,
 * the model's scheduler may be a plugin's.
 */
export function normaliseDefinition(
  evaluated: EvaluatedDefinition,
  options: NormaliseOptions & { schedulerSchemas: ReadonlyMap<string, z.ZodType> },
): NormaliseResult<SchedulerModel>;
export function normaliseDefinition(evaluated: EvaluatedDefinition, options: NormaliseOptions): NormaliseResult;
export function normaliseDefinition(evaluated: EvaluatedDefinition, options: NormaliseOptions): NormaliseResult<SchedulerModel> {
  const result = validateDefinition(evaluated.raw, options);
  if (result.errors.length > 0 || result.definition === undefined) {
    throw new DefinitionError(evaluated.file, [...result.errors, ...result.warnings], {
      hint: 'Fix the definition; `hako schema` prints the JSON Schema for editor completion.',
    });
  }
  const definition = result.definition;
  const schedulerType = definition.scheduler.type;
  const model: AppModelData<SchedulerModel> = {
    // `app_id` when the file name cannot be the service name (`my app!.jsonnet`, `アプリ.yml`).
    id: some(definition.app_id) ?? evaluated.appId,
    file: evaluated.file,
    root_path: evaluated.rootPath,
    // Validation accepted a non-ecs type only when a plugin's schema was given for it.
    scheduler:
      schedulerType === 'ecs'
        ? buildScheduler(definition.scheduler)
        : buildPluginScheduler(definition.scheduler, options.schedulerSchemas?.get(schedulerType)),
    containers: buildContainers(definition, options),
    volumes: Object.entries(definition.volumes ?? {}).map(([name, v]) => buildVolume(name, v)),
    scripts: buildScripts(definition, options.scriptSchemas),
    load_balancers: [],
  };
  return { model: deepFreeze(model), warnings: result.warnings };
}

/**
 * deploy's own requirement (hako: `desired_count must be set`): a REPLICA service needs a task count. oneshot and
 * show-definition do not, which is why this is not part of normalisation.
 */
export function requireDesiredCount(model: AppModel): DefinitionIssue[] {
  const s = model.scheduler;
  if (s.desired_count !== undefined || s.scheduling_strategy === 'DAEMON') return [];
  return [
    {
      path: 'scheduler.desired_count',
      message: 'required for deploy (unless scheduling_strategy is DAEMON)',
      severity: 'error',
    },
  ];
}
