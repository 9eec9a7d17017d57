/**
 * The canonical, validated, read-only application model. Everything after normalisation (scripts, schedulers,
 * planners) receives this and nothing else. Keys keep hako's snake_case names so that what `show-definition`
 * prints reads like the definition the user wrote, with defaults filled in.
 *
 * Optional fields are absent (never `null`) when the user did not set them: "absent" and "empty" stay distinct
 * where AWS distinguishes them.
 */

import type { Deferred } from '../plan/outputs.js';

export type DeepReadonly<T> = T extends (infer E)[]
  ? readonly DeepReadonly<E>[]
  : T extends object
    ? { readonly [K in keyof T]: DeepReadonly<T[K]> }
    : T;

/** A `$providers` entry: `{ type: 'file', path: 'app.env' }`. Options other than `type` are the provider's. */
export interface ProviderConfig {
  type: string;
  [option: string]: unknown;
}

export interface EnvVar {
  name: string;
  /** May still contain `#{VAR}` references until env expansion has run; `${VAR}` when a provider placeholder. */
  value: string;
}

export interface PortMapping {
  container_port: number;
  /** Absent means "same as container_port" under awsvpc, "dynamic" (0) under bridge. */
  host_port?: number;
  protocol: 'tcp' | 'udp';
}

export interface MountPoint {
  source_volume: string;
  container_path: string;
  read_only: boolean;
}

export interface VolumeFrom {
  source_container: string;
  read_only: boolean;
}

export interface DependsOn {
  container_name: string;
  condition: 'START' | 'COMPLETE' | 'SUCCESS' | 'HEALTHY';
}

export interface LinuxParameters {
  capabilities?: { add: string[]; drop: string[] };
  devices?: { host_path: string; container_path?: string; permissions: ('read' | 'write' | 'mknod')[] }[];
  init_process_enabled?: boolean;
  shared_memory_size?: number;
  tmpfs?: { container_path: string; mount_options: string[]; size: number }[];
}

export interface LogConfiguration {
  log_driver: string;
  options: Record<string, string>;
  secret_options?: { name: string; value_from: string }[];
}

export interface HealthCheck {
  command: string[];
  interval: number;
  timeout: number;
  retries: number;
  start_period?: number;
}

export interface ContainerModel {
  name: string;
  /** Full image reference. For `app`: `<image>:<tag>` (`--tag` wins over `app.tag`, default `latest`). */
  image: string;
  cpu: number;
  memory?: number;
  memory_reservation?: number;
  links: string[];
  port_mappings: PortMapping[];
  essential: boolean;
  /** Ordered as written. */
  env: EnvVar[];
  /** The container's `env.$providers`, in order. */
  env_providers: ProviderConfig[];
  secrets?: { name: string; value_from: string }[];
  docker_labels: Record<string, string>;
  mount_points: MountPoint[];
  entry_point?: string[];
  command?: string[];
  user?: string;
  working_directory?: string;
  privileged: boolean;
  linux_parameters?: LinuxParameters;
  depends_on?: DependsOn[];
  volumes_from: VolumeFrom[];
  log_configuration?: LogConfiguration;
  health_check?: HealthCheck;
  ulimits?: { name: string; soft_limit: number; hard_limit: number }[];
  extra_hosts?: { hostname: string; ip_address: string }[];
  readonly_root_filesystem?: boolean;
  docker_security_options?: string[];
  system_controls?: { namespace: string; value: string }[];
  repository_credentials?: { credentials_parameter: string };
  resource_requirements?: { type: string; value: string }[];
  firelens_configuration?: { type: string; options?: Record<string, string> };
}

export interface VolumeModel {
  name: string;
  host?: { source_path?: string };
  docker_volume_configuration?: {
    autoprovision?: boolean;
    driver?: string;
    driver_opts?: Record<string, string>;
    labels?: Record<string, string>;
    scope?: 'task' | 'shared';
  };
  efs_volume_configuration?: {
    file_system_id: string;
    root_directory?: string;
    transit_encryption?: 'ENABLED' | 'DISABLED';
    transit_encryption_port?: number;
    authorization_config?: { access_point_id?: string; iam?: 'ENABLED' | 'DISABLED' };
  };
}

export interface AwsvpcConfiguration {
  subnets: string[];
  security_groups?: string[];
  assign_public_ip?: 'ENABLED' | 'DISABLED';
}

export interface DeploymentConfiguration {
  maximum_percent?: number;
  minimum_healthy_percent?: number;
  deployment_circuit_breaker?: { enable: boolean; rollback: boolean };
}

export interface CapacityProviderStrategyItem {
  capacity_provider: string;
  weight?: number;
  base?: number;
}

export interface ClassicElbConfig {
  load_balancer_name?: string;
  listeners?: { protocol: string; load_balancer_port: number; ssl_certificate_id?: string }[];
  subnets?: string[];
  security_groups?: string[];
  scheme?: string;
  tags?: Record<string, string>;
  cross_zone_load_balancing?: boolean;
  container_name: string;
  container_port: number;
}

export interface AutoscalingPolicy {
  policy_type: 'StepScaling' | 'TargetTrackingScaling';
  name?: string;
  alarms?: string[];
  cooldown?: number;
  adjustment_type?: string;
  scaling_adjustment?: number;
  metric_aggregation_type?: string;
  metric_interval_lower_bound?: number;
  metric_interval_upper_bound?: number;
  target_value?: number;
  predefined_metric_type?: string;
  scale_out_cooldown?: number;
  scale_in_cooldown?: number;
  disable_scale_in?: boolean;
}

export interface AutoscalingConfig {
  role_arn: string;
  min_capacity: number;
  max_capacity: number;
  policies: AutoscalingPolicy[];
}

export interface ServiceDiscoveryEntry {
  container_name?: string;
  container_port?: number;
  port?: number;
  service: {
    name: string;
    namespace_id: string;
    description?: string;
    dns_config: {
      dns_records: { type: 'A' | 'AAAA' | 'SRV' | 'CNAME'; ttl: number }[];
      routing_policy: 'MULTIVALUE' | 'WEIGHTED';
      namespace_id?: string;
    };
    health_check_custom_config?: { failure_threshold: number };
  };
}

/** `scheduler.codedeploy`, defaults applied (present whenever the deployment controller is CODE_DEPLOY). */
export interface CodeDeployConfig {
  /** Absent: found from the deployment groups that deploy this service. */
  application?: string;
  deployment_group?: string;
  /** CreateDeployment's deploymentConfigName; absent: the group's. */
  deployment_config?: string;
  /** Set: the deployment group's blue task set termination wait is kept at this value. */
  termination_wait_minutes?: number;
  /** What deploy waits for: the deployment's end, or all traffic on the new task set (`--no-wait`: nothing). */
  wait: 'succeeded' | 'traffic_shifted';
  appspec_format: 'yaml' | 'json';
  hooks?: {
    before_install?: string;
    after_install?: string;
    after_allow_test_traffic?: string;
    before_allow_traffic?: string;
    after_allow_traffic?: string;
  };
}

/** `scheduler` with `type: ecs`, defaults applied. `elb_v2` is not here: it became an `alb` script entry. */
export interface EcsSchedulerModel {
  type: 'ecs';
  region?: string;
  cluster: string;
  desired_count?: number;
  role?: string;
  task_role_arn?: string;
  execution_role_arn?: string;
  network_mode?: 'bridge' | 'host' | 'awsvpc' | 'none';
  pid_mode?: 'host' | 'task';
  /** Task-level size as ECS reports it (a string, e.g. `'1024'` or `'1 vCPU'`); numbers are turned into strings. */
  cpu?: string;
  memory?: string;
  ephemeral_storage?: { size_in_gi_b: number };
  requires_compatibilities?: ('EC2' | 'FARGATE' | 'EXTERNAL')[];
  runtime_platform?: { cpu_architecture?: 'X86_64' | 'ARM64'; operating_system_family?: string };
  launch_type?: 'EC2' | 'FARGATE' | 'EXTERNAL';
  capacity_provider_strategy?: CapacityProviderStrategyItem[];
  platform_version?: string;
  network_configuration?: { awsvpc_configuration: AwsvpcConfiguration };
  deployment_configuration?: DeploymentConfiguration;
  placement_constraints: { type: 'distinctInstance' | 'memberOf'; expression?: string }[];
  placement_strategy: { type: 'random' | 'spread' | 'binpack'; field?: string }[];
  scheduling_strategy?: 'REPLICA' | 'DAEMON';
  /** Absent: ECS (rolling). Validation rejects EXTERNAL. */
  deployment_controller?: { type: 'ECS' | 'CODE_DEPLOY' };
  codedeploy?: CodeDeployConfig;
  health_check_grace_period_seconds?: number;
  dynamic_port_mapping: boolean;
  elb?: ClassicElbConfig;
  /**
   * `scheduler.load_balancers`: target groups made elsewhere (Terraform…) that the service is bound to. hako never
   * changes or deletes them; they join the bindings scripts contribute (`load_balancers` of the model).
   */
  load_balancers?: LoadBalancerBinding[];
  autoscaling?: AutoscalingConfig;
  service_discovery?: ServiceDiscoveryEntry[];
  tags: Record<string, string>;
  enable_execute_command: boolean;
  autoscaling_group_for_oneshot?: string;
  autoscaling_topic_for_oneshot?: string;
  oneshot_notification_prefix?: string;
}

/** A `scripts[]` entry. `config` holds the entry's keys other than `type`, validated by the plugin's schema. */
export interface ScriptEntry {
  type: string;
  config: Record<string, unknown>;
}

/** A scheduler provided by a plugin (`scheduler.type` not `ecs`): its config is validated by the plugin. */
export interface PluginSchedulerModel {
  type: string;
  config: Record<string, unknown>;
}

/** Either scheduler. ECS code receives `AppModel` (ECS only); code that serves both narrows with `isEcsApp`. */
export type SchedulerModel = EcsSchedulerModel | PluginSchedulerModel;

/**
 * The model with its scheduler. The default (`EcsSchedulerModel`) is what every ECS planner and built-in script
 * receives; `AppModelData<SchedulerModel>` is what normalisation produces once scheduler plugins are possible.
 */
export interface AppModelData<S extends SchedulerModel = EcsSchedulerModel> {
  /** Application id: `app_id`, else the definition file name minus its last extension. Also the service name and family. */
  id: string;
  /** Absolute path of the definition file. */
  file: string;
  /** Directory of the definition file; provider paths and plugin modules resolve against it. */
  root_path: string;
  scheduler: S;
  /** `app` first, then the sidecars in hako's order (reference §2.7). Container definition order follows it. */
  containers: ContainerModel[];
  volumes: VolumeModel[];
  scripts: ScriptEntry[];
  /**
   * Target groups the ECS service is bound to. Empty after normalisation; filled from scripts' contributions
   * (the `alb` script) before planning.
   */
  load_balancers: LoadBalancerBinding[];
}

export type AppModel<S extends SchedulerModel = EcsSchedulerModel> = DeepReadonly<AppModelData<S>>;
/** A model whose scheduler may be ECS or a plugin's. */
export type AnyAppModel = AppModel<SchedulerModel>;
/** A model whose scheduler is a plugin's (`scheduler.type` is the plugin's spec). */
export type PluginAppModel = AppModel<PluginSchedulerModel>;
export type Container = DeepReadonly<ContainerModel>;
export type EcsScheduler = DeepReadonly<EcsSchedulerModel>;

/**
 * What a script adds to the model. Scripts never edit containers; they return this and the core merges it
 * (lib/scripts/contribute.ts). Env entries are appended (a contributed name replaces an existing one).
 */
export interface ContainerContribution {
  env?: EnvVar[];
  links?: string[];
  port_mappings?: PortMapping[];
}

/**
 * The service's binding to a load balancer target group. The ARN may be an `OutputRef` to the step that creates
 * the target group in the same apply (the `alb` script's contribution), filled in by the executor.
 */
export interface LoadBalancerBinding {
  target_group_name: string;
  target_group_arn?: Deferred;
  container_name: string;
  container_port: number;
}

export interface ScriptContribution {
  containers?: Record<string, ContainerContribution>;
  load_balancers?: LoadBalancerBinding[];
  /** Set by a load balancer script: ECS needs a grace period when the service sits behind a target group. */
  health_check_grace_period_seconds?: number;
}

/** True when the model's scheduler is the built-in ECS one: the model is then what every ECS planner expects. */
export function isEcsApp(model: AnyAppModel): model is AppModel {
  return model.scheduler.type === 'ecs';
}

/**
 * The scheduler's own settings, as its registration's `create(config)` receives them: for a plugin (or any
 * scheduler validated by its own schema) the `config` normalisation kept apart, for ECS — whose settings are part
 * of hako's definition schema — the normalised `scheduler` object itself.
 */
export function schedulerConfig(model: AnyAppModel): unknown {
  return isEcsApp(model) ? model.scheduler : (model.scheduler as DeepReadonly<PluginSchedulerModel>).config;
}
