/**
 * Going back to an earlier task definition: automatically after a failed deploy, and on `hako rollback`.
 * Both deregister the revision they leave, so the next deploy compares against the one now running.
 */
import type { EcsApi, ecs } from '../../aws/ports.js';
import { DeploymentError, HakoError } from '../../errors.js';
import { debug, error, info } from '../../io/io-host.js';
import type { Plan, Step } from '../../plan/plan.js';
import { ECS_STEP_OWNER } from './steps.js';
import { waitForDeployment, type WaitContext, type WaitFailed } from './wait.js';

/** `arn:…:task-definition/hello:3` → `{ family: 'hello', revision: 3 }`; also accepts `hello:3`. */
export function parseTaskDefinitionArn(arn: string): { family: string; revision: number } | undefined {
  const tail = arn.includes('task-definition/') ? arn.slice(arn.indexOf('task-definition/') + 'task-definition/'.length) : arn;
  const m = /^([A-Za-z0-9_-]+):(\d+)$/.exec(tail);
  return m?.[1] && m[2] ? { family: m[1], revision: Number(m[2]) } : undefined;
}

/** `hello:3` from a task definition ARN (the ARN itself if it does not parse). */
export function shortTaskDefinition(arn: string): string {
  const p = parseTaskDefinitionArn(arn);
  return p ? `${p.family}:${p.revision}` : arn;
}

export function circuitBreakerEnabled(service: ecs.Service): boolean {
  return service.deploymentConfiguration?.deploymentCircuitBreaker?.enable === true;
}

// ---------------------------------------------------------------------------------------------------------------
// Automatic rollback after a failed deploy

export interface AutoRollbackInput {
  /** The service as the failed wait last saw it (or as UpdateService returned it). */
  service: ecs.Service;
  /** The task definition the service ran before this deploy; absent on a first deploy. */
  previousTaskDefinitionArn?: string;
  failedTaskDefinitionArn: string;
  /** Whether this run registered `failedTaskDefinitionArn` (hako rolls back only its own revisions). */
  registeredThisRun: boolean;
  /** Why the rollout failed. */
  outcome: WaitFailed;
  /** Limit for the wait after rolling back. Absent: no limit. */
  timeoutMs?: number;
}

/**
 * Called when a deploy's rollout failed. Always throws a DeploymentError: `rolled-back` when the service was put
 * back on its previous revision (and the failed one deregistered); otherwise `failed`/`timed-out`, leaving the
 * service as it is for inspection — a first deploy has nothing to roll back to, and a revision this run did not
 * register is not ours to deregister.
 */
export async function rollbackAfterFailedDeploy(ctx: WaitContext, input: AutoRollbackInput): Promise<never> {
  const { ecs: api, io } = ctx;
  const what = input.outcome.status === 'timed-out' ? 'Deployment timed out' : 'Deployment failed';
  const reason = `${what}: ${input.outcome.reason}`;
  const plainFailure = input.outcome.status === 'timed-out' ? 'timed-out' : 'failed';

  if (!input.registeredThisRun) {
    throw new DeploymentError(plainFailure, reason, {
      hint: 'This deploy registered no new task definition, so there is nothing to roll back. Check the service events.',
    });
  }
  const previous = input.previousTaskDefinitionArn;
  if (previous === undefined) {
    throw new DeploymentError(plainFailure, `${reason}. Nothing to roll back to: this was the service's first deployment`, {
      hint: 'The service and its task definition are left as they are for inspection (`hako status`).',
    });
  }
  const cluster = input.service.clusterArn;
  const serviceRef = input.service.serviceArn ?? input.service.serviceName;
  if (cluster === undefined || serviceRef === undefined) throw new TypeError('rollbackAfterFailedDeploy needs clusterArn and serviceArn');

  error(io, 'ecs.rollback.started', `Rolling back to ${previous}`, { from: input.failedTaskDefinitionArn, to: previous });
  const res = await api.updateService({ cluster, service: serviceRef, taskDefinition: previous });
  const updated = res.service ?? input.service;
  info(io, 'ecs.service.updated', `Updated service: ${updated.serviceArn ?? serviceRef}`, { arn: updated.serviceArn });
  await api.deregisterTaskDefinition({ taskDefinition: input.failedTaskDefinitionArn });
  debug(io, 'ecs.task-definition.deregistered', `Deregistered ${input.failedTaskDefinitionArn}`);

  const waited = await waitForDeployment(ctx, updated, {
    taskDefinitionArn: previous,
    circuitBreaker: circuitBreakerEnabled(updated),
    ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
  });
  if (waited.status !== 'completed') {
    throw new DeploymentError('failed', `${reason}. Rolling back to ${previous} did not complete either: ${waited.reason}`, {
      hint: 'Inspect the service with `hako status`.',
    });
  }
  throw new DeploymentError('rolled-back', `${reason}. Rolled back to ${previous}`);
}

// ---------------------------------------------------------------------------------------------------------------
// `hako rollback`

export interface RollbackObserved {
  /** The live service; absent when it does not exist (or is INACTIVE). */
  service?: ecs.Service;
  /** ACTIVE revision ARNs of the service's task definition family, in any order. */
  taskDefinitions: readonly string[];
}

export interface RollbackPayload {
  cluster: string;
  service: string;
  /** The revision to run. */
  taskDefinition: string;
  /** The revision being left, deregistered after the update; absent when it is already INACTIVE. */
  deregister?: string;
  circuitBreaker: boolean;
}

export const ROLLBACK_STEP_KIND = 'rollback-service';

/** Every ACTIVE revision ARN of `family`, following pages. `familyPrefix` is a prefix, so other families are dropped. */
export async function listActiveRevisions(api: EcsApi, family: string): Promise<string[]> {
  const arns: string[] = [];
  let nextToken: string | undefined;
  do {
    const res = await api.listTaskDefinitions({ familyPrefix: family, status: 'ACTIVE', ...(nextToken ? { nextToken } : {}) });
    for (const arn of res.taskDefinitionArns ?? []) if (parseTaskDefinitionArn(arn)?.family === family) arns.push(arn);
    nextToken = res.nextToken;
  } while (nextToken);
  return arns;
}

/** Reads what `hako rollback` plans from: the service and the ACTIVE revisions of the family it runs. */
export async function observeRollback(api: EcsApi, cluster: string, serviceName: string): Promise<RollbackObserved> {
  const res = await api.describeServices({ cluster, services: [serviceName] });
  const service = res.services?.find((s) => s.status !== 'INACTIVE');
  if (!service) return { taskDefinitions: [] };
  const family = service.taskDefinition ? parseTaskDefinitionArn(service.taskDefinition)?.family : undefined;
  return { service, taskDefinitions: family ? await listActiveRevisions(api, family) : [] };
}

/**
 * Plans `hako rollback`: by default the highest ACTIVE revision below the current one (hako's rule; revisions are
 * sorted here because not every ECS implementation honours `sort`), or revision `to` of the same family.
 */
export function planRollback(observed: RollbackObserved, options: { to?: number } = {}): Plan {
  const service = observed.service;
  if (!service) throw new HakoError('Unable to find service', 'ECS_SERVICE_NOT_FOUND');
  const current = service.taskDefinition;
  const parsed = current ? parseTaskDefinitionArn(current) : undefined;
  if (!current || !parsed) throw new HakoError(`Service ${service.serviceName} has no task definition to roll back from`, 'ECS_ROLLBACK_TARGET');

  const revisions = observed.taskDefinitions
    .map((arn) => ({ arn, parsed: parseTaskDefinitionArn(arn) }))
    .filter((r): r is { arn: string; parsed: { family: string; revision: number } } => r.parsed?.family === parsed.family)
    .sort((a, b) => a.parsed.revision - b.parsed.revision);
  const currentActive = revisions.some((r) => r.parsed.revision === parsed.revision);

  let target: string | undefined;
  if (options.to !== undefined) {
    if (options.to === parsed.revision) {
      throw new HakoError(`${parsed.family}:${options.to} is already the current task definition`, 'ECS_ROLLBACK_TARGET');
    }
    target = revisions.find((r) => r.parsed.revision === options.to)?.arn;
    if (!target) {
      const active = revisions.map((r) => r.parsed.revision).join(', ') || 'none';
      throw new HakoError(`${parsed.family}:${options.to} is not an ACTIVE task definition (ACTIVE revisions: ${active})`, 'ECS_ROLLBACK_TARGET');
    }
  } else {
    if (!currentActive) throw new HakoError('Cannot find rollback target from INACTIVE task_definition!', 'ECS_ROLLBACK_TARGET');
    target = revisions.filter((r) => r.parsed.revision < parsed.revision).at(-1)?.arn;
    if (!target) throw new HakoError(`Unable to find rollback target. ${current} is INACTIVE?`, 'ECS_ROLLBACK_TARGET');
  }

  const name = service.serviceName ?? service.serviceArn ?? '';
  const step: Step<RollbackPayload> = {
    owner: ECS_STEP_OWNER,
    kind: ROLLBACK_STEP_KIND,
    action: 'update',
    resource: `service ${name}`,
    title: `Current task definition is ${shortTaskDefinition(current)}. Rolling back to ${target}`,
    before: { task_definition: shortTaskDefinition(current) },
    after: { task_definition: shortTaskDefinition(target) },
    payload: {
      cluster: service.clusterArn ?? '',
      service: service.serviceArn ?? name,
      taskDefinition: target,
      ...(currentActive ? { deregister: current } : {}),
      circuitBreaker: circuitBreakerEnabled(service),
    },
  };
  return { steps: [step] };
}

/**
 * Applies a rollback plan like hako: UpdateService to the target, deregister the revision left, wait for the
 * rollout (no limit unless `timeoutMs`). Throws DeploymentError when the rollout does not complete.
 */
export async function applyRollback(ctx: WaitContext, plan: Plan, options: { timeoutMs?: number } = {}): Promise<ecs.Service | undefined> {
  const { ecs: api, io } = ctx;
  let last: ecs.Service | undefined;
  for (const step of plan.steps) {
    if (step.owner !== ECS_STEP_OWNER || step.kind !== ROLLBACK_STEP_KIND) continue;
    const p = step.payload as RollbackPayload;
    info(io, 'ecs.rollback.started', step.title, { from: p.deregister, to: p.taskDefinition });
    const res = await api.updateService({ cluster: p.cluster, service: p.service, taskDefinition: p.taskDefinition });
    const service = res.service;
    if (!service) throw new HakoError('UpdateService returned no service', 'ECS_UNEXPECTED_RESPONSE');
    info(io, 'ecs.service.updated', `Updated service: ${service.serviceArn}`, { arn: service.serviceArn });
    if (p.deregister) {
      await api.deregisterTaskDefinition({ taskDefinition: p.deregister });
      debug(io, 'ecs.task-definition.deregistered', `Deregistered ${p.deregister}`);
    }
    const waited = await waitForDeployment(ctx, service, {
      taskDefinitionArn: p.taskDefinition,
      circuitBreaker: p.circuitBreaker,
      ...(options.timeoutMs !== undefined ? { timeoutMs: options.timeoutMs } : {}),
    });
    if (waited.status !== 'completed') {
      throw new DeploymentError(waited.status, `Rollback to ${p.taskDefinition} did not complete: ${waited.reason}`);
    }
    last = waited.service;
    info(io, 'ecs.deployment.completed', 'Deployment completed');
  }
  return last;
}
