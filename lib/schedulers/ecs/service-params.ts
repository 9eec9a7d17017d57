/**
 * The model → CreateService / UpdateService inputs (reference §4.4, §4.5). Pure.
 */
import type { ecs } from '../../aws/ports.js';
import type { AppModel, EcsScheduler } from '../../definition/model.js';
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
 * The CreateService request without what the payload carries beside it (steps.ts): the task definition, load
 * balancers and registries, which may only be known once earlier steps of the same apply have run.
 *
 * Unlike hako, which creates the service with `desiredCount: 0` and immediately updates it to the configured count,
 * we create it with the configured count: one call instead of two, and the first deployment already is the one
 * we wait for (a DAEMON service gets no count at all).
 */
export function buildCreateService(model: AppModel): Omit<ecs.CreateServiceCommandInput, 'taskDefinition' | 'loadBalancers' | 'serviceRegistries'> {
  const s = model.scheduler;
  return compact<Omit<ecs.CreateServiceCommandInput, 'taskDefinition'>>({
    cluster: s.cluster,
    serviceName: model.id,
    desiredCount: isDaemon(model) ? undefined : s.desired_count,
    role: s.role,
    deploymentConfiguration: deploymentConfiguration(s),
    placementConstraints: placementConstraints(s),
    placementStrategy: placementStrategy(s),
    schedulingStrategy: s.scheduling_strategy,
    // Fixed at creation: later deploys of a CODE_DEPLOY service go through CodeDeploy (./codedeploy/).
    deploymentController: s.deployment_controller && { type: s.deployment_controller.type },
    launchType: s.launch_type,
    capacityProviderStrategy: capacityProviderStrategy(s),
    platformVersion: s.platform_version,
    networkConfiguration: networkConfiguration(s),
    healthCheckGracePeriodSeconds: s.health_check_grace_period_seconds,
    propagateTags: 'TASK_DEFINITION',
    enableExecuteCommand: s.enable_execute_command,
  });
}

/** A capacity provider strategy as a canonical, order-free key (absent weight/base mean 0 to ECS). */
export function strategyKey(items: readonly ecs.CapacityProviderStrategyItem[] | undefined): string {
  return JSON.stringify(
    (items ?? []).map((i) => [i.capacityProvider ?? '', i.weight ?? 0, i.base ?? 0]).sort((a, b) => (JSON.stringify(a) < JSON.stringify(b) ? -1 : 1)),
  );
}

/**
 * The UpdateService request for the current service (§4.5), without the task definition, load balancers and
 * registries (the payload carries them, see steps.ts).
 *
 * - With autoscaling, the current desired count is kept: the scaler owns it, a deploy must not reset it.
 * - Without a configured capacity provider strategy, the service's own (perhaps the cluster default) is kept, so
 *   it does not show up as drift; changing the strategy requires `forceNewDeployment`.
 * - Unset optional settings are omitted, which UpdateService reads as "keep the current value".
 */
export function buildUpdateService(
  model: AppModel,
  current: ecs.Service,
): Omit<ecs.UpdateServiceCommandInput, 'taskDefinition' | 'loadBalancers' | 'serviceRegistries'> {
  const s = model.scheduler;
  const configured = capacityProviderStrategy(s);
  const currentStrategy = current.capacityProviderStrategy;
  const strategy = configured ?? (currentStrategy && currentStrategy.length > 0 ? currentStrategy.map((c) => ({ ...c })) : undefined);
  const strategyChanged = strategy !== undefined && strategyKey(strategy) !== strategyKey(currentStrategy);
  let desiredCount: number | undefined = s.desired_count;
  if (isDaemon(model, current)) desiredCount = undefined;
  else if (s.autoscaling !== undefined) desiredCount = current.desiredCount;
  return compact<Omit<ecs.UpdateServiceCommandInput, 'taskDefinition'>>({
    cluster: s.cluster,
    service: model.id,
    desiredCount,
    deploymentConfiguration: deploymentConfiguration(s),
    capacityProviderStrategy: strategy,
    forceNewDeployment: strategyChanged ? true : undefined,
    platformVersion: s.platform_version,
    networkConfiguration: networkConfiguration(s),
    healthCheckGracePeriodSeconds: s.health_check_grace_period_seconds,
    enableExecuteCommand: s.enable_execute_command,
    placementConstraints: placementConstraints(s),
    placementStrategy: placementStrategy(s),
  });
}
