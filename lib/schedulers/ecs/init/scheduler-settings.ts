/**
 * A live ECS service and its task definition → the definition's `scheduler` (ECS settings, load balancer
 * bindings, Cloud Map registries, autoscaling). Defaults are left out as in ./containers.ts. Pure: what it needs
 * from Cloud Map and Application Auto Scaling was read beforehand (./index.ts).
 */
import type { appAutoScaling, ecs, serviceDiscovery } from '../../../aws/ports.js';
import { tidy, type Notes } from './containers.js';

type Obj = Record<string, unknown>;

const SERVICE_LINKED_ROLE = /:role\/aws-service-role\//;
const PREDEFINED_METRICS = new Set(['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization', 'ALBRequestCountPerTarget']);

export interface LiveApp {
  readonly cluster: string;
  readonly region?: string;
  readonly service: ecs.Service;
  readonly taskDefinition: ecs.TaskDefinition;
  readonly taskDefinitionTags: readonly ecs.Tag[];
  /** Cloud Map services by registry ARN; absent when the service could not be described. */
  readonly sdServices: ReadonlyMap<string, serviceDiscovery.Service>;
  readonly scalableTarget?: appAutoScaling.ScalableTarget;
  readonly scalingPolicies: readonly appAutoScaling.ScalingPolicy[];
}

function deploymentConfiguration(service: ecs.Service, notes: Notes): Obj | undefined {
  const dc = service.deploymentConfiguration;
  if (dc === undefined) return undefined;
  const daemon = service.schedulingStrategy === 'DAEMON';
  const cb = dc.deploymentCircuitBreaker;
  if (cb?.rollback) {
    notes.warn('the circuit breaker rolls back by itself here; hako rolls back failed deploys itself and sets rollback: false, so diff shows that change', 'scheduler.deployment_configuration');
  }
  if (dc.alarms?.enable) notes.warn('deployment alarms are not supported by hako: a deploy leaves them as they are', 'scheduler.deployment_configuration');
  if (dc.strategy !== undefined && dc.strategy !== 'ROLLING') notes.warn(`the ${dc.strategy} deployment strategy is not supported by hako`, 'scheduler.deployment_configuration');
  return tidy({
    maximum_percent: dc.maximumPercent === (daemon ? 100 : 200) ? undefined : dc.maximumPercent,
    minimum_healthy_percent: dc.minimumHealthyPercent === (daemon ? 0 : 100) ? undefined : dc.minimumHealthyPercent,
    deployment_circuit_breaker: cb?.enable ? { enable: true, rollback: false } : undefined,
  });
}

function runtimePlatform(rp: ecs.RuntimePlatform | undefined): Obj | undefined {
  if (rp === undefined) return undefined;
  const out = tidy({
    cpu_architecture: rp.cpuArchitecture === 'X86_64' ? undefined : rp.cpuArchitecture,
    operating_system_family: rp.operatingSystemFamily === 'LINUX' ? undefined : rp.operatingSystemFamily,
  });
  return Object.keys(out).length > 0 ? out : undefined;
}

function serviceDiscoveryEntries(live: LiveApp, notes: Notes): Obj[] | undefined {
  const registries = live.service.serviceRegistries ?? [];
  if (registries.length === 0) return undefined;
  const entries: Obj[] = [];
  for (const r of registries) {
    const sd = live.sdServices.get(r.registryArn ?? '');
    if (sd === undefined) {
      notes.warn(`Cloud Map service ${r.registryArn} could not be described: it is left out, and diff shows the registry as removed`, 'scheduler.service_discovery');
      continue;
    }
    const dns = sd.DnsConfig;
    if (dns === undefined) {
      notes.warn(`Cloud Map service ${sd.Name} has no DNS configuration (an HTTP-only namespace), which hako cannot express`, 'scheduler.service_discovery');
      continue;
    }
    entries.push(
      tidy({
        container_name: r.containerName,
        container_port: r.containerPort,
        port: r.port,
        service: tidy({
          name: sd.Name,
          namespace_id: sd.NamespaceId ?? dns.NamespaceId,
          description: sd.Description === '' ? undefined : sd.Description,
          dns_config: tidy({
            dns_records: (dns.DnsRecords ?? []).map((d) => ({ type: d.Type, ttl: d.TTL })),
            routing_policy: dns.RoutingPolicy === 'MULTIVALUE' ? undefined : dns.RoutingPolicy,
          }),
          // Cloud Map reports 1 for every custom health check: it is the default, not a choice.
          health_check_custom_config: sd.HealthCheckCustomConfig ? { failure_threshold: sd.HealthCheckCustomConfig.FailureThreshold ?? 1 } : undefined,
        }),
      }),
    );
  }
  return entries;
}

function scalingPolicy(p: appAutoScaling.ScalingPolicy, notes: Notes): Obj | undefined {
  const path = `scheduler.autoscaling (policy ${p.PolicyName})`;
  if (p.PolicyType === 'TargetTrackingScaling') {
    const c = p.TargetTrackingScalingPolicyConfiguration;
    const metric = c?.PredefinedMetricSpecification?.PredefinedMetricType;
    if (c === undefined || metric === undefined || !PREDEFINED_METRICS.has(metric)) {
      notes.warn('only target tracking on ECSServiceAverageCPUUtilization, ECSServiceAverageMemoryUtilization or ALBRequestCountPerTarget can be written: the policy is left out (hako leaves it in place)', path);
      return undefined;
    }
    return tidy({
      policy_type: 'TargetTrackingScaling',
      name: p.PolicyName,
      target_value: c.TargetValue,
      predefined_metric_type: metric,
      scale_out_cooldown: c.ScaleOutCooldown,
      scale_in_cooldown: c.ScaleInCooldown,
      disable_scale_in: c.DisableScaleIn ? true : undefined,
    });
  }
  const c = p.StepScalingPolicyConfiguration;
  const alarms = (p.Alarms ?? []).map((a) => a.AlarmName ?? '');
  const step = c?.StepAdjustments?.[0];
  // hako names a step policy after its alarms and gives it one step.
  if (c === undefined || alarms.length === 0 || p.PolicyName !== alarms.join('-and-') || (c.StepAdjustments ?? []).length !== 1 || step === undefined ||
    c.Cooldown === undefined || c.AdjustmentType === undefined || c.MetricAggregationType === undefined) {
    notes.warn('a step scaling policy that is not named after its alarms, or has other than one step, cannot be written: it is left out (hako leaves it in place)', path);
    return undefined;
  }
  return tidy({
    policy_type: 'StepScaling',
    alarms,
    cooldown: c.Cooldown,
    adjustment_type: c.AdjustmentType,
    scaling_adjustment: step.ScalingAdjustment,
    metric_aggregation_type: c.MetricAggregationType,
    metric_interval_lower_bound: step.MetricIntervalLowerBound,
    metric_interval_upper_bound: step.MetricIntervalUpperBound,
  });
}

function autoscaling(live: LiveApp, notes: Notes): Obj | undefined {
  const t = live.scalableTarget;
  if (t === undefined) return undefined;
  return {
    role_arn: t.RoleARN,
    min_capacity: t.MinCapacity,
    max_capacity: t.MaxCapacity,
    policies: live.scalingPolicies.flatMap((p) => scalingPolicy(p, notes) ?? []),
  };
}

/** The `scheduler` object. */
export function schedulerDefinition(live: LiveApp, notes: Notes): Obj {
  const s = live.service;
  const td = live.taskDefinition;
  const awsvpc = s.networkConfiguration?.awsvpcConfiguration;
  const lbs = s.loadBalancers ?? [];
  for (const lb of lbs) {
    if (lb.targetGroupArn === undefined) notes.warn(`classic load balancer ${lb.loadBalancerName} is not written: bind it with scheduler.elb`, 'scheduler.load_balancers');
  }
  if ((s.deployments ?? []).some((d) => d.serviceConnectConfiguration?.enabled)) notes.warn('Service Connect is not supported by hako: a deploy leaves it as it is', 'scheduler');
  if (s.propagateTags !== undefined && s.propagateTags !== 'TASK_DEFINITION') {
    notes.warn(`tags propagate from ${s.propagateTags} here; hako propagates the task definition's (only when it creates the service)`, 'scheduler.tags');
  }
  if ((s.tags ?? []).length > 0) notes.info('the service\'s own tags are not managed by hako; scheduler.tags are the task definition\'s', 'scheduler.tags');
  if (s.deploymentController?.type !== undefined && s.deploymentController.type !== 'ECS') {
    notes.warn(`the ${s.deploymentController.type} deployment controller is not written: hako deploys with the ECS controller`, 'scheduler');
  }
  for (const [field, label] of [['ipcMode', 'ipc_mode'], ['proxyConfiguration', 'proxy_configuration'], ['inferenceAccelerators', 'inference_accelerators'], ['placementConstraints', 'task placement constraints']] as const) {
    const v = td[field];
    if (v !== undefined && !(Array.isArray(v) && v.length === 0)) notes.warn(`the task definition's ${label} is not supported by hako: a deploy drops it`, 'scheduler');
  }
  if (td.enableFaultInjection) notes.warn("the task definition's fault injection is not supported by hako: a deploy drops it", 'scheduler');
  const strategy = s.capacityProviderStrategy ?? [];
  return tidy({
    type: 'ecs',
    region: live.region,
    cluster: live.cluster,
    desired_count: s.schedulingStrategy === 'DAEMON' ? undefined : s.desiredCount,
    scheduling_strategy: s.schedulingStrategy === 'DAEMON' ? 'DAEMON' : undefined,
    // With a capacity provider strategy ECS reports no launch type; EC2 is what ECS uses without either.
    launch_type: strategy.length > 0 || s.launchType === 'EC2' ? undefined : s.launchType,
    capacity_provider_strategy: strategy.map((c) => tidy({ capacity_provider: c.capacityProvider, weight: c.weight, base: c.base || undefined })),
    platform_version: s.platformVersion === 'LATEST' ? undefined : s.platformVersion,
    task_role_arn: td.taskRoleArn,
    execution_role_arn: td.executionRoleArn,
    network_mode: td.networkMode === 'bridge' ? undefined : td.networkMode,
    pid_mode: td.pidMode,
    cpu: td.cpu,
    memory: td.memory,
    requires_compatibilities: td.requiresCompatibilities,
    runtime_platform: runtimePlatform(td.runtimePlatform),
    ephemeral_storage: td.ephemeralStorage && { size_in_gi_b: td.ephemeralStorage.sizeInGiB },
    network_configuration: awsvpc && {
      awsvpc_configuration: tidy({
        subnets: awsvpc.subnets,
        security_groups: awsvpc.securityGroups,
        assign_public_ip: awsvpc.assignPublicIp === 'DISABLED' ? undefined : awsvpc.assignPublicIp,
      }),
    },
    deployment_configuration: deploymentConfiguration(s, notes),
    placement_constraints: s.placementConstraints?.map((c) => tidy({ type: c.type, expression: c.expression })),
    placement_strategy: s.placementStrategy?.map((p) => tidy({ type: p.type, field: p.field })),
    health_check_grace_period_seconds: s.healthCheckGracePeriodSeconds || undefined,
    enable_execute_command: s.enableExecuteCommand ? true : undefined,
    role: s.roleArn && !SERVICE_LINKED_ROLE.test(s.roleArn) ? s.roleArn : undefined,
    load_balancers: lbs
      .filter((lb) => lb.targetGroupArn !== undefined)
      .map((lb) => ({ target_group_arn: lb.targetGroupArn, container_name: lb.containerName, container_port: lb.containerPort })),
    service_discovery: serviceDiscoveryEntries(live, notes),
    autoscaling: autoscaling(live, notes),
    tags: Object.fromEntries(live.taskDefinitionTags.map((t) => [t.key ?? '', t.value ?? ''])),
  });
}
