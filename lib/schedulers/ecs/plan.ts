/**
 * The ECS deploy planner: desired model × observed state → steps (reference §4.1, §4.3–4.5). Pure: it never
 * calls AWS; `observeEcs` gathered everything it needs.
 */
import type { ecs } from '../../aws/ports.js';
import type { AppModel, Container } from '../../definition/model.js';
import { DefinitionError, HakoError, type DefinitionIssue } from '../../errors.js';
import type { Plan } from '../../plan/plan.js';
import { pruneEmpty } from '../../plan/normalise-for-diff.js';
import { compareServiceShapes, compareTaskDefinitionShapes } from './compare.js';
import { serviceShape } from './compare-shapes.js';
import type { EcsObserved } from './observe.js';
import { buildCreateService, buildUpdateService, isDaemon } from './service-params.js';
import { ECS_STEP_OWNER, type EcsStep, type LoadBalancerRef, type ServiceRegistryRef } from './steps.js';
import { buildTaskDefinition } from './task-definition.js';

export interface PlanEcsDeployOptions {
  /** Register a new revision even when nothing changed (`--force`). */
  readonly force: boolean;
  /**
   * The registries for `scheduler.service_discovery` (from `planServiceDiscovery`); required when it is configured.
   * A registry without an ARN belongs to a Cloud Map service created earlier in the same apply.
   */
  readonly serviceRegistries?: readonly ServiceRegistryRef[];
}

export interface PlanTaskDefinitionOptions {
  readonly force: boolean;
  readonly family: string;
  /** Containers to use instead of the model's (oneshot). */
  readonly containers?: readonly Container[];
}

/** What the planner shows in place of an ARN that only exists once the register step has run. */
export function pendingRevision(family: string): string {
  return `${family}:(new revision)`;
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
  };
}

/** Settings hako accepts that we cannot deploy yet: fail at plan time, before anything changes. */
function checkSupported(model: AppModel): void {
  const s = model.scheduler;
  const issues: DefinitionIssue[] = [];
  if (s.desired_count === undefined && !isDaemon(model)) {
    issues.push({ path: 'scheduler.desired_count', message: 'desired_count must be set', severity: 'error' });
  }
  if (s.elb !== undefined) {
    issues.push({
      path: 'scheduler.elb',
      message: 'classic ELB is not supported yet; use an ALB (scheduler.elb_v2 or an alb script)',
      severity: 'error',
    });
  }
  if (issues.length > 0) throw new DefinitionError(model.file, issues, { summary: `Cannot deploy ${model.id}` });
}

function loadBalancerRefs(model: AppModel): LoadBalancerRef[] {
  return model.load_balancers.map((lb) => ({
    targetGroupName: lb.target_group_name,
    containerName: lb.container_name,
    containerPort: lb.container_port,
  }));
}

/** What a plan shows for a registry ARN that only exists once the Cloud Map service is created. */
export function pendingRegistryArn(ref: ServiceRegistryRef): string {
  return `(known after apply: service discovery service ${ref.serviceName})`;
}

/** The registries as ECS will get them, with placeholders for ARNs known only at apply time (for comparing and showing). */
function registriesForDisplay(refs: readonly ServiceRegistryRef[] | undefined): ecs.ServiceRegistry[] | undefined {
  return refs?.map((r) => ({
    registryArn: r.registryArn ?? pendingRegistryArn(r),
    containerName: r.containerName,
    containerPort: r.containerPort,
    port: r.port,
  }));
}

/**
 * The registries to send: the configured ones; with none configured, `[]` only when the live service still has
 * some (hako sends `[]` always, detaching them; we leave the member out when there is nothing to detach).
 */
function registriesFor(model: AppModel, options: PlanEcsDeployOptions, service: ecs.Service | undefined): readonly ServiceRegistryRef[] | undefined {
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
  lbs: readonly LoadBalancerRef[],
  taskDefinition: string,
  registries: readonly ServiceRegistryRef[] | undefined,
) {
  const shape = serviceShape({ ...input, taskDefinition, serviceRegistries: registriesForDisplay(registries) });
  return pruneEmpty({
    ...shape,
    platform_version: shape.platform_version === 'LATEST' ? undefined : shape.platform_version,
    launch_type: input.launchType,
    scheduling_strategy: input.schedulingStrategy,
    role: input.role,
    load_balancers: lbs.map((lb) => ({
      target_group_name: lb.targetGroupName,
      container_name: lb.containerName,
      container_port: lb.containerPort,
    })),
  });
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
  const fromStep = tdStep.kind === 'register-task-definition';
  const knownArn = tdStep.kind === 'task-definition-unchanged' ? tdStep.payload.arn : undefined;
  const wouldBeArn = knownArn ?? pendingRevision(family);
  const cluster = model.scheduler.cluster;
  const resource = `service ${model.id} in cluster ${cluster}`;
  const service = observed.service;

  const registries = registriesFor(model, options, service);

  if (service === undefined) {
    const lbs = loadBalancerRefs(model);
    const input = buildCreateService(model, knownArn, lbs, registries ?? []);
    const count = input.desiredCount === undefined ? 'daemon' : `desired count ${input.desiredCount}`;
    const create: EcsStep<'create-service'> = {
      owner: ECS_STEP_OWNER,
      kind: 'create-service',
      action: 'create',
      resource,
      title: `Create service ${model.id} in cluster ${cluster} (${count})`,
      after: creationShape(input, lbs, wouldBeArn, registries),
      payload: {
        input,
        taskDefinitionFromStep: fromStep,
        loadBalancers: lbs,
        ...(registries !== undefined && registries.length > 0 ? { serviceRegistries: registries } : {}),
      },
    };
    return { steps: [tdStep, create] };
  }

  const input = buildUpdateService(model, service, knownArn, registries);
  const cmp = compareServiceShapes(
    { ...input, taskDefinition: wouldBeArn, ...(registries === undefined ? {} : { serviceRegistries: registriesForDisplay(registries) }) },
    service,
  );
  if (!cmp.changed && !fromStep) {
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
      taskDefinitionFromStep: fromStep,
      currentTaskDefinitionArn: service.taskDefinition ?? '',
      ...(service.desiredCount === undefined ? {} : { currentDesiredCount: service.desiredCount }),
      ...(registries === undefined ? {} : { serviceRegistries: registries }),
    },
  };
  return { steps: [tdStep, update] };
}
