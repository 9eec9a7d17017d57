/**
 * The ECS deploy planner: desired model × observed state → steps (reference §4.1, §4.3–4.5). Pure: it never
 * calls AWS; `observeEcs` gathered everything it needs.
 */
import type { ecs } from '../../aws/ports.js';
import type { AppModel, Container } from '../../definition/model.js';
import { DefinitionError, HakoError, type DefinitionIssue } from '../../errors.js';
import type { Plan } from '../../plan/plan.js';
import { pruneEmpty } from '../../plan/normalise-for-diff.js';
import { displayRefs, isOutputRef, type Deferred } from '../../plan/outputs.js';
import { compareServiceShapes, compareTaskDefinitionShapes } from './compare.js';
import { serviceShape, type ServiceLike } from './compare-shapes.js';
import { checkClassicBindingChange, classicBinding } from './classic-elb/binding.js';
import { serviceBindings } from './load-balancers.js';
import type { EcsObserved } from './observe.js';
import { buildCreateService, buildUpdateService, isDaemon } from './service-params.js';
import {
  ECS_STEP_OWNER,
  registeredRevision,
  taskDefinitionArnKey,
  type DeferredLoadBalancer,
  type DeferredServiceRegistry,
  type EcsStep,
} from './steps.js';
import { buildTaskDefinition } from './task-definition.js';

export interface PlanEcsDeployOptions {
  /** Register a new revision even when nothing changed (`--force`). */
  readonly force: boolean;
  /**
   * The registries for `scheduler.service_discovery` (from `planServiceDiscovery`); required when it is configured.
   * A registry whose ARN is a ref belongs to a Cloud Map service created earlier in the same apply.
   */
  readonly serviceRegistries?: readonly DeferredServiceRegistry[];
}

export interface PlanTaskDefinitionOptions {
  readonly force: boolean;
  readonly family: string;
  /** Containers to use instead of the model's (oneshot). */
  readonly containers?: readonly Container[];
}

function revisionOf(arn: string | undefined): string | undefined {
  return arn?.split(':').pop();
}

/**
 * The task definition step alone: register a new revision when the definition differs from the latest ACTIVE
 * revision of the family (or when forced), otherwise a noop naming the revision to reuse. Oneshot uses it with
 * its own family and containers.
 */
export function planTaskDefinition(
  model: AppModel,
  observed: Pick<EcsObserved, 'taskDefinition' | 'taskDefinitionTags'>,
  options: PlanTaskDefinitionOptions,
): EcsStep<'register-task-definition'> | EcsStep<'task-definition-unchanged'> {
  const family = options.family;
  const input = buildTaskDefinition(model, options.containers ? { family, containers: options.containers } : { family });
  const current = observed.taskDefinition;
  const cmp = compareTaskDefinitionShapes(input, current, observed.taskDefinitionTags);
  const currentArn = current?.taskDefinitionArn;
  const resource = `task definition ${family}`;
  if (cmp.changed || options.force || currentArn === undefined) {
    const why = cmp.changed ? '' : ' (forced)';
    return {
      owner: ECS_STEP_OWNER,
      kind: 'register-task-definition',
      action: 'create',
      resource,
      title:
        currentArn === undefined
          ? `Register task definition ${family} (first revision)`
          : `Register task definition ${family} (replacing revision ${revisionOf(currentArn) ?? '?'})${why}`,
      ...(cmp.before !== undefined ? { before: cmp.before } : {}),
      after: cmp.after,
      payload: currentArn === undefined ? { input } : { input, previousArn: currentArn },
      outputs: { [taskDefinitionArnKey(family)]: undefined },
    };
  }
  return {
    owner: ECS_STEP_OWNER,
    kind: 'task-definition-unchanged',
    action: 'noop',
    resource,
    title: `Task definition isn't changed: ${currentArn}`,
    before: cmp.before,
    after: cmp.after,
    payload: { arn: currentArn },
    outputs: { [taskDefinitionArnKey(family)]: currentArn },
  };
}

/** Settings hako accepts that we cannot deploy yet: fail at plan time, before anything changes. */
function checkSupported(model: AppModel): void {
  const s = model.scheduler;
  const issues: DefinitionIssue[] = [];
  if (s.desired_count === undefined && !isDaemon(model)) {
    issues.push({ path: 'scheduler.desired_count', message: 'desired_count must be set', severity: 'error' });
  }
  if (issues.length > 0) throw new DefinitionError(model.file, issues, { summary: `Cannot deploy ${model.id}` });
}

/**
 * The service's load balancer bindings as ECS takes them. A binding's ARN may be a ref to the step that creates the
 * target group in this apply (the alb script's contribution); a binding without one cannot be deployed. A classic
 * load balancer (`scheduler.elb`) is bound by name.
 */
function loadBalancers(model: AppModel): DeferredLoadBalancer[] {
  const groups = serviceBindings(model).map((lb) => {
    if (lb.target_group_arn === undefined) {
      throw new HakoError(`The load balancer binding of target group ${lb.target_group_name} has no ARN`, 'ECS_UNRESOLVED_TARGET_GROUP');
    }
    return { targetGroupArn: lb.target_group_arn as Deferred, containerName: lb.container_name, containerPort: lb.container_port };
  });
  const classic = classicBinding(model);
  return classic === undefined ? groups : [...groups, classic];
}

/**
 * The registries to send: the configured ones; with none configured, `[]` only when the live service still has
 * some (hako sends `[]` always, detaching them; we leave the member out when there is nothing to detach).
 */
function registriesFor(model: AppModel, options: PlanEcsDeployOptions, service: ecs.Service | undefined): readonly DeferredServiceRegistry[] | undefined {
  const configured = model.scheduler.service_discovery ?? [];
  if (configured.length > 0) {
    if (options.serviceRegistries === undefined) {
      throw new HakoError('internal error: service discovery was not planned before the ECS service', 'INTERNAL');
    }
    return options.serviceRegistries;
  }
  return (service?.serviceRegistries ?? []).length > 0 ? [] : undefined;
}

function creationShape(
  input: ecs.CreateServiceCommandInput,
  lbs: readonly DeferredLoadBalancer[],
  taskDefinition: Deferred,
  registries: readonly DeferredServiceRegistry[] | undefined,
) {
  const shape = serviceShape(
    displayRefs({ ...input, taskDefinition, serviceRegistries: registries?.map((r) => ({ ...r })), loadBalancers: lbs.map((lb) => ({ ...lb })) }) as ServiceLike,
  );
  return pruneEmpty({
    ...shape,
    platform_version: shape.platform_version === 'LATEST' ? undefined : shape.platform_version,
    launch_type: input.launchType,
    scheduling_strategy: input.schedulingStrategy,
    role: input.role,
  });
}

/** The service's load balancers in the comparable ECS shape, refs shown as "(known after apply: …)". */
function displayLoadBalancers(lbs: readonly DeferredLoadBalancer[]): ecs.LoadBalancer[] {
  return displayRefs(lbs.map((lb) => ({ ...lb }))) as ecs.LoadBalancer[];
}

/**
 * Plans a service deploy: a task definition step, then a service step (create, update or noop). The service is
 * updated when the task definition changes or when any setting the update would send differs from the live
 * service (see compare.ts for what counts as different).
 */
export function planEcsDeploy(model: AppModel, observed: EcsObserved, options: PlanEcsDeployOptions): Plan {
  checkSupported(model);
  const family = model.id;
  const tdStep = planTaskDefinition(model, observed, { force: options.force, family });
  const taskDefinition: Deferred = tdStep.kind === 'task-definition-unchanged' ? tdStep.payload.arn : registeredRevision(family);
  const cluster = model.scheduler.cluster;
  const resource = `service ${model.id} in cluster ${cluster}`;
  const service = observed.service;
  const registries = registriesFor(model, options, service);
  const lbs = loadBalancers(model);

  if (service === undefined) {
    const input = buildCreateService(model);
    const count = input.desiredCount === undefined ? 'daemon' : `desired count ${input.desiredCount}`;
    const create: EcsStep<'create-service'> = {
      owner: ECS_STEP_OWNER,
      kind: 'create-service',
      action: 'create',
      resource,
      title: `Create service ${model.id} in cluster ${cluster} (${count})`,
      after: creationShape(input, lbs, taskDefinition, registries),
      payload: { input, taskDefinition, loadBalancers: lbs, serviceRegistries: registries ?? [] },
    };
    return { steps: [tdStep, create] };
  }

  const input = buildUpdateService(model, service);
  // Load balancers are sent only when they change: ECS then needs them all, and an unchanged list would make
  // every update look like a load balancer change in CloudTrail.
  const lbsChanged = !sameLoadBalancers(lbs, service.loadBalancers ?? []);
  if (lbsChanged) checkClassicBindingChange(model, lbs, service.loadBalancers ?? []);
  const cmp = compareServiceShapes(
    displayRefs({
      ...input,
      taskDefinition,
      ...(registries === undefined ? {} : { serviceRegistries: registries.map((r) => ({ ...r })) }),
      loadBalancers: displayLoadBalancers(lbs),
    }) as ServiceLike,
    service,
  );
  const registering = tdStep.kind === 'register-task-definition';
  if (!cmp.changed && !registering) {
    const unchanged: EcsStep<'service-unchanged'> = {
      owner: ECS_STEP_OWNER,
      kind: 'service-unchanged',
      action: 'noop',
      resource,
      title: "Service isn't changed",
      before: cmp.before,
      after: cmp.after,
      payload: service.serviceArn === undefined ? {} : { serviceArn: service.serviceArn },
    };
    return { steps: [tdStep, unchanged] };
  }
  const update: EcsStep<'update-service'> = {
    owner: ECS_STEP_OWNER,
    kind: 'update-service',
    action: 'update',
    resource,
    title: `Update service ${model.id} in cluster ${cluster}`,
    before: cmp.before,
    after: cmp.after,
    payload: {
      input,
      taskDefinition,
      ...(lbsChanged ? { loadBalancers: lbs } : {}),
      ...(registries === undefined ? {} : { serviceRegistries: registries }),
      currentTaskDefinitionArn: service.taskDefinition ?? '',
      ...(service.desiredCount === undefined ? {} : { currentDesiredCount: service.desiredCount }),
    },
  };
  return { steps: [tdStep, update] };
}

function lbKey(lb: {
  targetGroupArn?: Deferred | undefined;
  loadBalancerName?: string | undefined;
  containerName?: string | undefined;
  containerPort?: number | undefined;
}): string {
  const arn = lb.targetGroupArn === undefined ? '' : isOutputRef(lb.targetGroupArn) ? `ref:${lb.targetGroupArn.$output}` : lb.targetGroupArn;
  return JSON.stringify([arn, lb.loadBalancerName ?? '', lb.containerName ?? '', lb.containerPort ?? 0]);
}

/** Whether the service's live load balancers are the bindings (in any order); a pending ARN always differs. */
function sameLoadBalancers(desired: readonly DeferredLoadBalancer[], live: readonly ecs.LoadBalancer[]): boolean {
  const a = desired.map(lbKey).sort();
  const b = live.map((lb) => lbKey(lb)).sort();
  return JSON.stringify(a) === JSON.stringify(b);
}
