/**
 * The steps the ECS planner emits and their payloads: the contract between the pure planner (plan.ts) and the
 * applier. Values that only exist once an earlier step has run (the ARN of a task definition registered in the
 * same apply, a target group ARN created by the `alb` script) are explicit typed slots, never magic strings, and
 * are filled in by the `resolve*` helpers below at apply time.
 */
import type { ecs } from '../../aws/ports.js';
import type { OwnedStep, Step } from '../../plan/plan.js';

/** `Step.owner` of every step planned here. */
export const ECS_STEP_OWNER = 'ecs';

export const ECS_STEP_KINDS = [
  'register-task-definition',
  'task-definition-unchanged',
  'create-service',
  'update-service',
  'service-unchanged',
] as const;
export type EcsStepKind = (typeof ECS_STEP_KINDS)[number];

/** Register a new task definition revision (action `create`). */
export interface RegisterTaskDefinitionPayload {
  readonly input: ecs.RegisterTaskDefinitionCommandInput;
  /** The latest ACTIVE revision before this deploy (absent on the first deploy): what a failed deploy rolls back to. */
  readonly previousArn?: string;
}

/** The live task definition already matches (action `noop`). Renderers say `Task definition isn't changed: <arn>`. */
export interface TaskDefinitionUnchangedPayload {
  readonly arn: string;
}

/**
 * A load balancer binding whose target group ARN may be unknown until apply (the `alb` script creates the target
 * group in the same run). `targetGroupArn` is set when the planner already knows it.
 */
export interface LoadBalancerRef {
  readonly targetGroupName: string;
  readonly targetGroupArn?: string;
  readonly containerName: string;
  readonly containerPort: number;
}

/**
 * A Cloud Map registry for the service (`scheduler.service_discovery`) whose service ARN may be unknown until
 * apply (the Cloud Map service is created earlier in the same apply). `registryArn` is set when already known.
 */
export interface ServiceRegistryRef {
  /** The Cloud Map service's name and namespace: the key its ARN is looked up by (`registryKey`). */
  readonly serviceName: string;
  readonly namespaceId: string;
  readonly registryArn?: string;
  readonly containerName?: string;
  readonly containerPort?: number;
  readonly port?: number;
}

/** The key under which the applier hands over the ARN of a Cloud Map service created in this apply. */
export function registryKey(namespaceId: string, serviceName: string): string {
  return `${namespaceId}/${serviceName}`;
}

/** The ECS `serviceRegistries` for the refs, each ARN taken from the ref or from `registryArns`. */
export function resolveServiceRegistries(
  refs: readonly ServiceRegistryRef[],
  registryArns: ReadonlyMap<string, string>,
): ecs.ServiceRegistry[] {
  return refs.map((r) => {
    const registryArn = r.registryArn ?? registryArns.get(registryKey(r.namespaceId, r.serviceName));
    if (!registryArn) throw new UnresolvedSlotError(`service discovery service ${r.serviceName} has no ARN`);
    return {
      registryArn,
      ...(r.containerName === undefined ? {} : { containerName: r.containerName }),
      ...(r.containerPort === undefined ? {} : { containerPort: r.containerPort }),
      ...(r.port === undefined ? {} : { port: r.port }),
    };
  });
}

/** Create the service (action `create`). */
export interface CreateServicePayload {
  /** Complete except `taskDefinition` (when `taskDefinitionFromStep`) and `loadBalancers` (see below). */
  readonly input: ecs.CreateServiceCommandInput;
  /** True: use the ARN registered by the preceding `register-task-definition` step. */
  readonly taskDefinitionFromStep: boolean;
  /** Resolved into `input.loadBalancers` at apply time; empty when the service has no load balancer. */
  readonly loadBalancers: readonly LoadBalancerRef[];
  /** Resolved into `input.serviceRegistries` at apply time; absent without service discovery. */
  readonly serviceRegistries?: readonly ServiceRegistryRef[];
}

/** Update the service (action `update`). */
export interface UpdateServicePayload {
  /** Complete except `taskDefinition`, which is absent when `taskDefinitionFromStep`. */
  readonly input: ecs.UpdateServiceCommandInput;
  /** True: use the ARN registered by the preceding `register-task-definition` step. */
  readonly taskDefinitionFromStep: boolean;
  /** The service's task definition before this deploy: what a failed deploy rolls back to. */
  readonly currentTaskDefinitionArn: string;
  /** The service's desired count before this deploy (for rollback and for messages). */
  readonly currentDesiredCount?: number;
  /** Resolved into `input.serviceRegistries` at apply time; absent = leave the service's registries alone. */
  readonly serviceRegistries?: readonly ServiceRegistryRef[];
}

/** The live service already matches (action `noop`). Renderers say `Service isn't changed`. */
export interface ServiceUnchangedPayload {
  readonly serviceArn?: string;
}

export interface EcsPayloads {
  'register-task-definition': RegisterTaskDefinitionPayload;
  'task-definition-unchanged': TaskDefinitionUnchangedPayload;
  'create-service': CreateServicePayload;
  'update-service': UpdateServicePayload;
  'service-unchanged': ServiceUnchangedPayload;
}

/** A step planned by the ECS scheduler, narrowed by kind. */
export type EcsStep<K extends EcsStepKind = EcsStepKind> = OwnedStep<typeof ECS_STEP_OWNER, EcsPayloads, K>;

/** Type guard: is this an ECS step of the given kind? */
export function isEcsStep<K extends EcsStepKind>(step: Step, kind: K): step is EcsStep<K> {
  return step.owner === ECS_STEP_OWNER && step.kind === kind;
}

/** Thrown by the resolvers when an apply-time slot has no value (a planner/applier bug, not a user error). */
export class UnresolvedSlotError extends Error {}

/**
 * The CreateService input with its apply-time slots filled: `registeredArn` is the ARN returned by the preceding
 * register step (required when `taskDefinitionFromStep`), `targetGroupArns` maps target group names to ARNs.
 */
export function resolveCreateServiceInput(
  payload: CreateServicePayload,
  registeredArn: string | undefined,
  targetGroupArns: ReadonlyMap<string, string> = new Map(),
  registryArns: ReadonlyMap<string, string> = new Map(),
): ecs.CreateServiceCommandInput {
  const taskDefinition = payload.taskDefinitionFromStep ? registeredArn : payload.input.taskDefinition;
  if (!taskDefinition) throw new UnresolvedSlotError('create-service: no task definition ARN to create the service with');
  const input: ecs.CreateServiceCommandInput = { ...payload.input, taskDefinition };
  if (payload.loadBalancers.length > 0) {
    input.loadBalancers = payload.loadBalancers.map((lb) => {
      const targetGroupArn = lb.targetGroupArn ?? targetGroupArns.get(lb.targetGroupName);
      if (!targetGroupArn) throw new UnresolvedSlotError(`create-service: target group ${lb.targetGroupName} has no ARN`);
      return { targetGroupArn, containerName: lb.containerName, containerPort: lb.containerPort };
    });
  }
  if (payload.serviceRegistries !== undefined && payload.serviceRegistries.length > 0) {
    input.serviceRegistries = resolveServiceRegistries(payload.serviceRegistries, registryArns);
  }
  return input;
}

/**
 * The UpdateService input with the task definition registered in this apply filled in when needed, and the
 * service registries (`registryArns` as in `resolveCreateServiceInput`).
 */
export function resolveUpdateServiceInput(
  payload: UpdateServicePayload,
  registeredArn: string | undefined,
  registryArns: ReadonlyMap<string, string> = new Map(),
): ecs.UpdateServiceCommandInput {
  const input: ecs.UpdateServiceCommandInput = { ...payload.input };
  if (payload.serviceRegistries !== undefined) input.serviceRegistries = resolveServiceRegistries(payload.serviceRegistries, registryArns);
  if (!payload.taskDefinitionFromStep) return input;
  if (!registeredArn) throw new UnresolvedSlotError('update-service: no registered task definition ARN');
  return { ...input, taskDefinition: registeredArn };
}
