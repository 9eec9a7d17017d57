/**
 * The steps the ECS planner emits and their payloads: the contract between the pure planner (plan.ts) and the
 * applier (apply.ts). Values that only exist once an earlier step has run — the ARN of the revision registered in
 * the same apply, the target group the `alb` script creates, a Cloud Map service's ARN — are `OutputRef`s
 * (lib/plan/outputs.ts) that the executor fills in before the step is applied.
 */
import type { ecs } from '../../aws/ports.js';
import { known, outputRef, type Deferred, type OutputRef } from '../../plan/outputs.js';
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

/** The output key of the ARN of `family`'s revision that the service runs after this apply. */
export function taskDefinitionArnKey(family: string): string {
  return `ecs:task-definition:${family}:arn`;
}

/** A ref to the revision registered in this apply. */
export function registeredRevision(family: string): OutputRef {
  return outputRef(taskDefinitionArnKey(family), `new revision of task definition ${family}`);
}

/** Register a new task definition revision (action `create`). Provides `taskDefinitionArnKey(family)`. */
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
 * A load balancer binding as ECS takes it: a target group (its ARN possibly provided by another step) or a classic
 * load balancer by name (`scheduler.elb`).
 */
export interface DeferredLoadBalancer {
  readonly targetGroupArn?: Deferred;
  readonly loadBalancerName?: string;
  readonly containerName: string;
  readonly containerPort: number;
}

/** A Cloud Map registry, its ARN possibly provided by the Cloud Map step earlier in the same apply. */
export interface DeferredServiceRegistry {
  readonly registryArn: Deferred;
  readonly containerName?: string;
  readonly containerPort?: number;
  readonly port?: number;
}

type Resolvable<T, K extends keyof T> = Omit<T, K>;

/** Create the service (action `create`). */
export interface CreateServicePayload {
  readonly input: Resolvable<ecs.CreateServiceCommandInput, 'taskDefinition' | 'loadBalancers' | 'serviceRegistries' | 'clientToken'>;
  readonly taskDefinition: Deferred;
  readonly loadBalancers: readonly DeferredLoadBalancer[];
  readonly serviceRegistries: readonly DeferredServiceRegistry[];
}

/** Update the service (action `update`). */
export interface UpdateServicePayload {
  readonly input: Resolvable<ecs.UpdateServiceCommandInput, 'taskDefinition' | 'loadBalancers' | 'serviceRegistries'>;
  /** Absent: keep the service's task definition (only settings change). */
  readonly taskDefinition?: Deferred;
  /** Absent: leave the service's load balancers alone. */
  readonly loadBalancers?: readonly DeferredLoadBalancer[];
  /** Absent: leave the service's registries alone. */
  readonly serviceRegistries?: readonly DeferredServiceRegistry[];
  /** The service's task definition before this deploy: what a failed deploy rolls back to. */
  readonly currentTaskDefinitionArn: string;
  /** The service's desired count before this deploy (for rollback and for messages). */
  readonly currentDesiredCount?: number;
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

function loadBalancers(list: readonly DeferredLoadBalancer[]): ecs.LoadBalancer[] {
  return list.map((lb) => ({
    ...(lb.targetGroupArn === undefined ? {} : { targetGroupArn: known(lb.targetGroupArn) }),
    ...(lb.loadBalancerName === undefined ? {} : { loadBalancerName: lb.loadBalancerName }),
    containerName: lb.containerName,
    containerPort: lb.containerPort,
  }));
}

function registries(list: readonly DeferredServiceRegistry[]): ecs.ServiceRegistry[] {
  return list.map((r) => ({
    registryArn: known(r.registryArn),
    ...(r.containerName === undefined ? {} : { containerName: r.containerName }),
    ...(r.containerPort === undefined ? {} : { containerPort: r.containerPort }),
    ...(r.port === undefined ? {} : { port: r.port }),
  }));
}

/**
 * The CreateService request from a payload whose refs the executor resolved. `clientToken` makes a request the
 * SDK repeats after a lost response return the service it created instead of failing or creating another.
 */
export function createServiceInput(payload: CreateServicePayload, clientToken?: string): ecs.CreateServiceCommandInput {
  return {
    ...payload.input,
    taskDefinition: known(payload.taskDefinition),
    ...(payload.loadBalancers.length > 0 ? { loadBalancers: loadBalancers(payload.loadBalancers) } : {}),
    ...(payload.serviceRegistries.length > 0 ? { serviceRegistries: registries(payload.serviceRegistries) } : {}),
    ...(clientToken === undefined ? {} : { clientToken }),
  };
}

/** The UpdateService request from a payload whose refs the executor resolved. */
export function updateServiceInput(payload: UpdateServicePayload): ecs.UpdateServiceCommandInput {
  return {
    ...payload.input,
    ...(payload.taskDefinition === undefined ? {} : { taskDefinition: known(payload.taskDefinition) }),
    ...(payload.loadBalancers === undefined ? {} : { loadBalancers: loadBalancers(payload.loadBalancers) }),
    ...(payload.serviceRegistries === undefined ? {} : { serviceRegistries: registries(payload.serviceRegistries) }),
  };
}

/**
 * `family:revision` of what the service runs once these steps are applied: the revision registered (from the
 * journal) or the unchanged one. Undefined when it is only known after apply (a dry run that registers).
 */
export function revisionAfter(steps: readonly Step[], journal: readonly { readonly step: Step; readonly outputs: Readonly<Record<string, string>> }[]): string | undefined {
  for (const step of steps) {
    if (isEcsStep(step, 'task-definition-unchanged')) return shortRevision(step.payload.arn);
    if (isEcsStep(step, 'register-task-definition')) {
      const family = step.payload.input.family ?? '';
      const arn = journal.find((e) => e.step === step)?.outputs[taskDefinitionArnKey(family)];
      return arn === undefined ? undefined : shortRevision(arn);
    }
  }
  return undefined;
}

/** `arn:…:task-definition/web:3` → `web:3`. */
function shortRevision(arn: string): string {
  const slash = arn.lastIndexOf('/');
  return slash < 0 ? arn : arn.slice(slash + 1);
}
