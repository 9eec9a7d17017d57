/**
 * The model → CreateService / UpdateService inputs (reference §4.4, §4.5). Pure.
 */
import type { ecs } from '../../aws/ports.js';
import type { AppModel, EcsScheduler } from '../../definition/model.js';
import type { LoadBalancerRef, ServiceRegistryRef } from './steps.js';
import { compact } from './task-definition.js';

function deploymentConfiguration(s: EcsScheduler): ecs.DeploymentConfiguration | undefined {
  const dc = s.deployment_configuration;
  if (dc === undefined) return undefined;
  return compact<ecs.DeploymentConfiguration>({
    maximumPercent: dc.maximum_percent,
    minimumHealthyPercent: dc.minimum_healthy_percent,
    deploymentCircuitBreaker: dc.deployment_circuit_breaker && {
      enable: dc.deployment_circuit_breaker.enable,
      rollback: dc.deployment_circuit_breaker.rollback,
    },
  });
}

function networkConfiguration(s: EcsScheduler): ecs.NetworkConfiguration | undefined {
  const vpc = s.network_configuration?.awsvpc_configuration;
  if (vpc === undefined) return undefined;
  return {
    awsvpcConfiguration: compact<ecs.AwsVpcConfiguration>({
      subnets: [...vpc.subnets],
      securityGroups: vpc.security_groups && [...vpc.security_groups],
      assignPublicIp: vpc.assign_public_ip,
    }),
  };
}

function capacityProviderStrategy(s: EcsScheduler): ecs.CapacityProviderStrategyItem[] | undefined {
  return s.capacity_provider_strategy?.map((c) =>
    compact<ecs.CapacityProviderStrategyItem>({ capacityProvider: c.capacity_provider, weight: c.weight, base: c.base }),
  );
}

function placementConstraints(s: EcsScheduler): ecs.PlacementConstraint[] {
  return s.placement_constraints.map((c) => compact<ecs.PlacementConstraint>({ type: c.type, expression: c.expression }));
}

function placementStrategy(s: EcsScheduler): ecs.PlacementStrategy[] {
  return s.placement_strategy.map((p) => compact<ecs.PlacementStrategy>({ type: p.type, field: p.field }));
}

/** True for a DAEMON service, which has no desired count of its own (ECS runs one task per instance). */
export function isDaemon(model: AppModel, current?: ecs.Service): boolean {
  return model.scheduler.scheduling_strategy === 'DAEMON' || current?.schedulingStrategy === 'DAEMON';
}

/**
 * The CreateService request. `taskDefinitionArn` is undefined when the task definition is registered in the same
 * apply; load balancers whose target group ARN is not known yet are left out here and filled in at apply time by
 * `resolveCreateServiceInput` (steps.ts).
 *
 * Unlike hako, which creates the service with `desiredCount: 0` and immediately updates it to the configured count,
 * we create it with the configured count: one call instead of two, and the first deployment already is the one
 * we wait for (a DAEMON service gets no count at all).
 */
export function buildCreateService(
  model: AppModel,
  taskDefinitionArn: string | undefined,
  loadBalancers: readonly LoadBalancerRef[],
  serviceRegistries: readonly ServiceRegistryRef[] = [],
): ecs.CreateServiceCommandInput {
  const s = model.scheduler;
  const resolved = loadBalancers.every((lb) => lb.targetGroupArn !== undefined);
  const registries = knownRegistries(serviceRegistries);
  return compact<ecs.CreateServiceCommandInput>({
    cluster: s.cluster,
    serviceName: model.id,
    taskDefinition: taskDefinitionArn,
    desiredCount: isDaemon(model) ? undefined : s.desired_count,
    role: s.role,
    deploymentConfiguration: deploymentConfiguration(s),
    placementConstraints: placementConstraints(s),
    placementStrategy: placementStrategy(s),
    schedulingStrategy: s.scheduling_strategy,
    launchType: s.launch_type,
    capacityProviderStrategy: capacityProviderStrategy(s),
    platformVersion: s.platform_version,
    networkConfiguration: networkConfiguration(s),
    healthCheckGracePeriodSeconds: s.health_check_grace_period_seconds,
    propagateTags: 'TASK_DEFINITION',
    enableExecuteCommand: s.enable_execute_command,
    loadBalancers:
      loadBalancers.length > 0 && resolved
        ? loadBalancers.map((lb) => ({
            targetGroupArn: lb.targetGroupArn,
            containerName: lb.containerName,
            containerPort: lb.containerPort,
          }))
        : undefined,
    serviceRegistries: registries !== undefined && registries.length > 0 ? registries : undefined,
  });
}

/**
 * The ECS registries when every ARN is known; undefined when one is only known at apply time (then
 * `resolveServiceRegistries` in steps.ts fills them in).
 */
export function knownRegistries(refs: readonly ServiceRegistryRef[]): ecs.ServiceRegistry[] | undefined {
  if (!refs.every((r) => r.registryArn !== undefined)) return undefined;
  return refs.map((r) =>
    compact<ecs.ServiceRegistry>({ registryArn: r.registryArn, containerName: r.containerName, containerPort: r.containerPort, port: r.port }),
  );
}

/** A capacity provider strategy as a canonical, order-free key (absent weight/base mean 0 to ECS). */
export function strategyKey(items: readonly ecs.CapacityProviderStrategyItem[] | undefined): string {
  return JSON.stringify(
    (items ?? []).map((i) => [i.capacityProvider ?? '', i.weight ?? 0, i.base ?? 0]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}

/**
 * The UpdateService request for the current service (§4.5). `taskDefinitionArn` undefined = the one registered in
 * the same apply (filled in by `resolveUpdateServiceInput`).
 *
 * - With autoscaling, the current desired count is kept: the scaler owns it, a deploy must not reset it.
 * - Without a configured capacity provider strategy, the service's own (perhaps the cluster default) is kept, so
 *   it does not show up as drift; changing the strategy requires `forceNewDeployment`.
 * - Unset optional settings are omitted, which UpdateService reads as "keep the current value".
 */
export function buildUpdateService(
  model: AppModel,
  current: ecs.Service,
  taskDefinitionArn: string | undefined,
  serviceRegistries?: readonly ServiceRegistryRef[],
): ecs.UpdateServiceCommandInput {
  const s = model.scheduler;
  const configured = capacityProviderStrategy(s);
  const currentStrategy = current.capacityProviderStrategy;
  const strategy = configured ?? (currentStrategy && currentStrategy.length > 0 ? currentStrategy.map((c) => ({ ...c })) : undefined);
  const strategyChanged = strategy !== undefined && strategyKey(strategy) !== strategyKey(currentStrategy);
  let desiredCount: number | undefined = s.desired_count;
  if (isDaemon(model, current)) desiredCount = undefined;
  else if (s.autoscaling !== undefined) desiredCount = current.desiredCount;
  return compact<ecs.UpdateServiceCommandInput>({
    cluster: s.cluster,
    service: model.id,
    desiredCount,
    taskDefinition: taskDefinitionArn,
    deploymentConfiguration: deploymentConfiguration(s),
    capacityProviderStrategy: strategy,
    forceNewDeployment: strategyChanged ? true : undefined,
    platformVersion: s.platform_version,
    networkConfiguration: networkConfiguration(s),
    healthCheckGracePeriodSeconds: s.health_check_grace_period_seconds,
    enableExecuteCommand: s.enable_execute_command,
    placementConstraints: placementConstraints(s),
    placementStrategy: placementStrategy(s),
    serviceRegistries: serviceRegistries === undefined ? undefined : knownRegistries(serviceRegistries),
  });
}
