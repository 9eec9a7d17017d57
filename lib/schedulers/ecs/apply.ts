/**
 * Applies one ECS step (deploy, rollback, stop, remove, oneshot). The only code that mutates ECS; dry runs never
 * reach it. The executor (lib/plan/executor.ts) calls it with the step's refs resolved, and asks `reconcileEcsStep`
 * whether a create whose response was lost took effect.
 */
import type { EcsApi, ecs } from '../../aws/ports.js';
import { HakoError } from '../../errors.js';
import { debug, error, info, type IoHost } from '../../io/io-host.js';
import type { JournalEntry, StepOutcome } from '../../plan/executor.js';
import { isNotFoundCode } from '../../plan/failures.js';
import type { Step } from '../../plan/plan.js';
import { awsErrorCode, createBackoff } from '../../util/backoff.js';
import type { Sleep } from '../../util/sleep.js';
import { compareTaskDefinitionShapes } from './compare.js';
import { describeAppService, describeLatestTaskDefinition } from './observe.js';
import { parseTaskDefinitionArn, type DeregisterPayload, type RollbackPayload } from './rollback.js';
import {
  createServiceInput,
  ECS_STEP_OWNER,
  taskDefinitionArnKey,
  updateServiceInput,
  type EcsPayloads,
  type EcsStepKind,
} from './steps.js';
import type { DeleteServicePayload, StopServicePayload } from './stop-remove.js';
import { formatDuration } from './wait.js';

export interface EcsApplyContext {
  readonly ecs: EcsApi;
  readonly io: IoHost;
  /** Per run: CreateService's clientToken, so a repeated request returns the service it made. */
  readonly runId: string;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
}

/** What applying a service step returns in the journal: the service as ECS answered. */
export interface ServiceStepData {
  readonly service: ecs.Service;
}

function payloadOf<K extends EcsStepKind>(step: Step, _kind: K): EcsPayloads[K] {
  return step.payload as EcsPayloads[K];
}

const CONCURRENT_REVISION = 'Too many concurrent attempts to create a new revision of the specified family';
const REGISTER_ATTEMPTS = 10;

/**
 * Registers a revision. Many oneshots (or deploys) of one family starting together race to register it; ECS
 * rejects the losers with a ClientException that is retried with backoff, up to 10 attempts (hako's rule).
 */
async function register(ctx: EcsApplyContext, input: ecs.RegisterTaskDefinitionCommandInput): Promise<string> {
  const backoff = createBackoff({ initialMs: 2000, factor: 2, maxMs: 60_000, jitter: 0.5 });
  for (let attempt = 1; ; attempt++) {
    try {
      const arn = (await ctx.ecs.registerTaskDefinition(input)).taskDefinition?.taskDefinitionArn;
      if (!arn) throw new HakoError('RegisterTaskDefinition returned no task definition ARN', 'ECS_UNEXPECTED_RESPONSE');
      return arn;
    } catch (e) {
      const concurrent = awsErrorCode(e) === 'ClientException' && e instanceof Error && e.message.includes(CONCURRENT_REVISION);
      if (!concurrent) throw e;
      if (attempt >= REGISTER_ATTEMPTS) {
        throw new HakoError(`Unable to register task definition ${input.family} due to too many client errors`, 'ECS_REGISTER_CONFLICT', 1, {
          hint: 'Other runs are registering the same family at the same time; try again in a moment.',
          cause: e,
        });
      }
      const delay = backoff.next();
      error(ctx.io, 'ecs.task-definition.register-conflict', (e as Error).message);
      info(ctx.io, 'ecs.task-definition.register-retry', `Retrying RegisterTaskDefinition of ${input.family} after ${formatDuration(delay)}`, {
        attempt,
        delayMs: delay,
      });
      await ctx.sleep(delay, ctx.signal);
    }
  }
}

function serviceOf(out: { service?: ecs.Service }, operation: string): ecs.Service {
  if (!out.service) throw new HakoError(`${operation} returned no service`, 'ECS_UNEXPECTED_RESPONSE');
  return out.service;
}

/** ECS's answer to a CreateService for a name that exists with other settings or another token. */
function isNotIdempotent(e: unknown): boolean {
  return awsErrorCode(e) === 'InvalidParameterException' && e instanceof Error && /not idempotent/i.test(e.message);
}

/** Applies one ECS step (noop steps never get here) and logs hako's phrases. */
export async function applyEcsStep(step: Step, ctx: EcsApplyContext): Promise<StepOutcome | void> {
  const { ecs: api, io } = ctx;
  switch (step.kind) {
    case 'register-task-definition': {
      const p = payloadOf(step, 'register-task-definition');
      const arn = await register(ctx, p.input);
      info(io, 'ecs.task-definition.registered', `Registered task definition: ${arn}`, { arn, previousArn: p.previousArn });
      return { outputs: { [taskDefinitionArnKey(p.input.family ?? '')]: arn } };
    }
    case 'create-service': {
      const p = payloadOf(step, 'create-service');
      let service: ecs.Service;
      try {
        service = serviceOf(await api.createService(createServiceInput(p, ctx.runId)), 'CreateService');
      } catch (e) {
        // A lost response repeated without the same token (or after the token expired) lands here although the
        // service exists: adopt it rather than fail a deploy that did what it was asked.
        if (!isNotIdempotent(e)) throw e;
        const adopted = await reconcileEcsStep(step, ctx);
        if (adopted === undefined) throw e;
        return adopted;
      }
      info(io, 'ecs.service.created', `Created service: ${service.serviceArn}`, { arn: service.serviceArn });
      return { data: { service } satisfies ServiceStepData };
    }
    case 'update-service': {
      const p = payloadOf(step, 'update-service');
      const service = serviceOf(await api.updateService(updateServiceInput(p)), 'UpdateService');
      info(io, 'ecs.service.updated', `Updated service: ${service.serviceArn}`, { arn: service.serviceArn });
      return { data: { service } satisfies ServiceStepData };
    }
    case 'rollback-service': {
      const p = step.payload as RollbackPayload;
      info(io, 'ecs.rollback.started', step.title, { from: p.from, to: p.taskDefinition });
      const service = serviceOf(await api.updateService({ cluster: p.cluster, service: p.service, taskDefinition: p.taskDefinition }), 'UpdateService');
      info(io, 'ecs.service.updated', `Updated service: ${service.serviceArn}`, { arn: service.serviceArn });
      return { data: { service } satisfies ServiceStepData };
    }
    case 'deregister-task-definition': {
      const p = step.payload as DeregisterPayload;
      await api.deregisterTaskDefinition({ taskDefinition: p.taskDefinition });
      debug(io, 'ecs.task-definition.deregistered', `Deregistered ${p.taskDefinition}`);
      return;
    }
    case 'stop-service': {
      const p = step.payload as StopServicePayload;
      const res = await api.updateService({ cluster: p.cluster, service: p.service, desiredCount: 0 });
      const arn = res.service?.serviceArn ?? p.service;
      if (p.announce) info(io, 'ecs.service.stopped', `${arn} is stopped`, { arn });
      else info(io, 'ecs.service.scaled-to-zero', `Set desired count of ${arn} to 0`, { arn });
      return;
    }
    case 'delete-service': {
      const p = step.payload as DeleteServicePayload;
      const res = await api.deleteService({ cluster: p.cluster, service: p.service });
      const arn = res.service?.serviceArn ?? p.service;
      info(io, 'ecs.service.deleted', `${arn} is deleted`, { arn });
      return;
    }
    default:
      throw new HakoError(`Unknown ECS step kind: ${step.kind}`, 'INTERNAL');
  }
}

/**
 * Observes whether a create whose response was lost took effect. A revision counts as ours when it is newer than
 * the one the plan saw and registers exactly what we asked (a concurrent deploy of the same content would be
 * indistinguishable, and adopting it is as good as registering another). A service counts when it is ACTIVE.
 */
export async function reconcileEcsStep(step: Step, ctx: EcsApplyContext): Promise<StepOutcome | undefined> {
  if (step.kind === 'register-task-definition') {
    const p = payloadOf(step, 'register-task-definition');
    const family = p.input.family ?? '';
    const latest = await describeLatestTaskDefinition(ctx.ecs, family);
    const arn = latest?.taskDefinition.taskDefinitionArn;
    if (latest === undefined || arn === undefined) return undefined;
    const newer = (parseTaskDefinitionArn(arn)?.revision ?? 0) > (p.previousArn ? (parseTaskDefinitionArn(p.previousArn)?.revision ?? 0) : 0);
    if (!newer || compareTaskDefinitionShapes(p.input, latest.taskDefinition, latest.tags).changed) return undefined;
    info(ctx.io, 'ecs.task-definition.registered', `Registered task definition: ${arn}`, { arn, previousArn: p.previousArn, adopted: true });
    return { outputs: { [taskDefinitionArnKey(family)]: arn } };
  }
  if (step.kind === 'create-service') {
    const p = payloadOf(step, 'create-service');
    const service = await describeAppService(ctx.ecs, p.input.cluster ?? 'default', p.input.serviceName ?? '');
    if (service === undefined) return undefined;
    info(ctx.io, 'ecs.service.created', `Created service: ${service.serviceArn}`, { arn: service.serviceArn, adopted: true });
    return { data: { service } satisfies ServiceStepData };
  }
  return undefined;
}

/** A delete of a service or revision that is already gone (or already INACTIVE) is done. */
export function isEcsGone(step: Step, e: unknown): boolean {
  const code = awsErrorCode(e);
  if (step.kind === 'delete-service') return code === 'ServiceNotFoundException' || code === 'ServiceNotActiveException';
  if (step.kind === 'deregister-task-definition') {
    return isNotFoundCode(code) || (code === 'ClientException' && e instanceof Error && /inactive|does not exist/i.test(e.message));
  }
  return isNotFoundCode(code);
}

/** What the applied ECS steps of a deploy (or rollback) started: the rollout to wait for, and how to undo it. */
export interface EcsRollout {
  /** The service as CreateService/UpdateService returned it; absent when the service was left alone. */
  readonly service?: ecs.Service;
  /** The task definition the service should run once the rollout finishes. */
  readonly taskDefinitionArn?: string;
  /** The revision this run registered, if any. */
  readonly registeredArn?: string;
  /**
   * What a failed rollout rolls back to: the service's task definition before this apply. Absent when the service
   * was created by this apply (a first deploy has nothing to roll back to).
   */
  readonly previousTaskDefinitionArn?: string;
}

/** Reads the rollout from the journal of an apply (ECS entries only). */
export function rolloutOf(journal: readonly JournalEntry[]): EcsRollout {
  let service: ecs.Service | undefined;
  let registeredArn: string | undefined;
  let previous: string | undefined;
  let created = false;
  let taskDefinitionArn: string | undefined;
  for (const entry of journal) {
    const { step } = entry;
    if (step.owner !== ECS_STEP_OWNER || (entry.status !== 'applied' && entry.status !== 'adopted' && entry.status !== 'unchanged')) continue;
    if (step.kind === 'register-task-definition') {
      const p = payloadOf(step, 'register-task-definition');
      registeredArn = entry.outputs[taskDefinitionArnKey(p.input.family ?? '')];
      taskDefinitionArn = registeredArn;
      previous ??= p.previousArn;
    } else if (step.kind === 'task-definition-unchanged') {
      taskDefinitionArn = payloadOf(step, 'task-definition-unchanged').arn;
    } else if (step.kind === 'create-service' || step.kind === 'update-service' || step.kind === 'rollback-service') {
      service = (entry.data as ServiceStepData | undefined)?.service;
      taskDefinitionArn = service?.taskDefinition ?? taskDefinitionArn;
      if (step.kind === 'create-service') created = true;
      if (step.kind === 'update-service') previous = payloadOf(step, 'update-service').currentTaskDefinitionArn || previous;
      if (step.kind === 'rollback-service') taskDefinitionArn = (step.payload as RollbackPayload).taskDefinition;
    }
  }
  // A service created in this apply has no earlier state; a revision that existed before it is not "its" previous.
  const previousTaskDefinitionArn = created || previous === taskDefinitionArn ? undefined : previous;
  return {
    ...(service === undefined ? {} : { service }),
    ...(taskDefinitionArn === undefined ? {} : { taskDefinitionArn }),
    ...(registeredArn === undefined ? {} : { registeredArn }),
    ...(previousTaskDefinitionArn === undefined ? {} : { previousTaskDefinitionArn }),
  };
}
