/**
 * Going back to an earlier task definition: automatically after a failed deploy, and on `hako rollback`.
 * Both deregister the revision they leave, so the next deploy compares against the one now running.
 */
import type { EcsApi, ecs } from '../../aws/ports.js';
import { HakoError } from '../../errors.js';
import type { Plan, Step } from '../../plan/plan.js';
import { ECS_STEP_OWNER } from './steps.js';

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
// Steps that go back: after a failed deploy, and on `hako rollback`

/** Point the service at an earlier revision (action `update`). */
export interface RollbackPayload {
  cluster: string;
  service: string;
  /** The revision to run. */
  taskDefinition: string;
  /** The revision being left (for messages). */
  from?: string;
  circuitBreaker: boolean;
}

/** Deregister the revision rolled back from, so the next deploy compares against the one running (action `delete`). */
export interface DeregisterPayload {
  taskDefinition: string;
}

export const ROLLBACK_STEP_KIND = 'rollback-service';
export const DEREGISTER_STEP_KIND = 'deregister-task-definition';

/** The two steps of going back from `from` to `to` on a service: update, then deregister what was left. */
export function rollbackSteps(
  target: { cluster: string; service: string; name: string; circuitBreaker: boolean },
  from: string | undefined,
  to: string,
  title: string,
  deregister: boolean,
): Step[] {
  const update: Step<RollbackPayload> = {
    owner: ECS_STEP_OWNER,
    kind: ROLLBACK_STEP_KIND,
    action: 'update',
    resource: `service ${target.name}`,
    title,
    ...(from === undefined ? {} : { before: { task_definition: shortTaskDefinition(from) } }),
    after: { task_definition: shortTaskDefinition(to) },
    payload: { cluster: target.cluster, service: target.service, taskDefinition: to, ...(from === undefined ? {} : { from }), circuitBreaker: target.circuitBreaker },
  };
  if (!deregister || from === undefined) return [update];
  const id = `${ECS_STEP_OWNER}:${ROLLBACK_STEP_KIND}:${target.name}`;
  const dereg: Step<DeregisterPayload> = {
    owner: ECS_STEP_OWNER,
    kind: DEREGISTER_STEP_KIND,
    action: 'delete',
    resource: `task definition ${shortTaskDefinition(from)}`,
    title: `Deregister task definition ${shortTaskDefinition(from)}`,
    before: { task_definition: shortTaskDefinition(from) },
    payload: { taskDefinition: from },
    dependsOn: [id],
  };
  return [{ ...update, id }, dereg];
}

export interface RecoveryInput {
  /** The service as the failed wait last saw it (or as UpdateService returned it). */
  readonly service: ecs.Service;
  /** The task definition the service ran before this deploy; absent on a first deploy. */
  readonly previousTaskDefinitionArn?: string;
  readonly failedTaskDefinitionArn: string;
  /** Whether this run registered `failedTaskDefinitionArn` (hako rolls back only its own revisions). */
  readonly registeredThisRun: boolean;
}

/**
 * How to undo a failed deploy: back to the previous revision, the failed one deregistered. Nothing when there is
 * nothing to go back to — a first deploy — or the revision is not ours to deregister; `hint` then says so and the
 * service is left as it is for inspection.
 */
export function planRecovery(input: RecoveryInput): { steps: Step[]; target?: string; note?: string; hint?: string } {
  if (!input.registeredThisRun) {
    return { steps: [], hint: 'This deploy registered no new task definition, so there is nothing to roll back. Check the service events.' };
  }
  const previous = input.previousTaskDefinitionArn;
  if (previous === undefined) {
    return {
      steps: [],
      note: "Nothing to roll back to: this was the service's first deployment",
      hint: 'The service and its task definition are left as they are for inspection (`hako status`).',
    };
  }
  const cluster = input.service.clusterArn;
  const service = input.service.serviceArn ?? input.service.serviceName;
  if (cluster === undefined || service === undefined) throw new TypeError('planRecovery needs clusterArn and serviceArn');
  const target = { cluster, service, name: input.service.serviceName ?? service, circuitBreaker: circuitBreakerEnabled(input.service) };
  return { steps: rollbackSteps(target, input.failedTaskDefinitionArn, previous, `Rolling back to ${previous}`, true), target: previous };
}

// ---------------------------------------------------------------------------------------------------------------
// `hako rollback`

export interface RollbackObserved {
  /** The live service; absent when it does not exist (or is INACTIVE). */
  service?: ecs.Service;
  /** ACTIVE revision ARNs of the service's task definition family, in any order. */
  taskDefinitions: readonly string[];
}

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
    if (!target) {
      // hako's words, though the current revision is ACTIVE here (checked above): the hint says what is the case.
      const later = revisions.filter((r) => r.parsed.revision > parsed.revision).map((r) => r.parsed.revision);
      throw new HakoError(`Unable to find rollback target. ${current} is INACTIVE?`, 'ECS_ROLLBACK_TARGET', 1, {
        hint:
          `${parsed.family}:${parsed.revision} is the oldest ACTIVE revision of ${parsed.family}: there is nothing before it to roll back to.` +
          (later.length > 0 ? ` Later ACTIVE revisions: ${later.join(', ')} (hako rollback --to N).` : ''),
      });
    }
  }

  const name = service.serviceName ?? service.serviceArn ?? '';
  const steps = rollbackSteps(
    { cluster: service.clusterArn ?? '', service: service.serviceArn ?? name, name, circuitBreaker: circuitBreakerEnabled(service) },
    current,
    target,
    `Current task definition is ${shortTaskDefinition(current)}. Rolling back to ${target}`,
    currentActive,
  );
  return { steps };
}
