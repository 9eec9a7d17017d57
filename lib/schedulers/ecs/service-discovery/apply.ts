/**
 * Applies the `service-discovery` steps: create or update Cloud Map services before the ECS service is created or
 * updated (their ARNs are the ECS service's registries), and delete them after the ECS service is gone. The only
 * code that mutates Cloud Map; dry runs never reach it.
 */
import type { ServiceDiscoveryApi } from '../../../aws/ports.js';
import { HakoError } from '../../../errors.js';
import { info, warn, type IoHost } from '../../../io/io-host.js';
import type { Step } from '../../../plan/plan.js';
import { awsErrorCode, createBackoff, isThrottlingError, type BackoffOptions } from '../../../util/backoff.js';
import { sleep as realSleep, throwIfAborted, type Sleep } from '../../../util/sleep.js';
import type { StepOutcome } from '../../../plan/executor.js';
import { findSdService, sdServiceArnKey, type SdPayloads, type SdStepKind } from './plan.js';

export interface SdApplyContext {
  readonly serviceDiscovery: ServiceDiscoveryApi;
  readonly io: IoHost;
  /** Injectable for tests; defaults to real time. */
  readonly sleep?: Sleep;
  readonly signal?: AbortSignal;
  /** Polling of UpdateService's operation. Default: from 1 s growing to 10 s (hako polled every 10 s). */
  readonly operationBackoff?: BackoffOptions;
  /** Bound on polls of one operation. Default 120. */
  readonly maxOperationPolls?: number;
  /** DeleteService attempts while the service is still in use, and the pause between them (hako: 10 × 10 s). */
  readonly deleteAttempts?: number;
  readonly deleteRetryMs?: number;
}

function payloadOf<K extends SdStepKind>(step: Step, _kind: K): SdPayloads[K] {
  return step.payload as SdPayloads[K];
}

/** Waits for a Cloud Map operation to end; throws hako's error unless it succeeded. */
async function waitForOperation(ctx: SdApplyContext, operationId: string): Promise<void> {
  const sleep = ctx.sleep ?? realSleep;
  const backoff = createBackoff({ initialMs: 1000, maxMs: 10_000, ...ctx.operationBackoff });
  const maxPolls = ctx.maxOperationPolls ?? 120;
  for (let poll = 0; poll < maxPolls; poll++) {
    throwIfAborted(ctx.signal);
    let operation;
    try {
      operation = (await ctx.serviceDiscovery.getOperation({ OperationId: operationId })).Operation;
    } catch (e) {
      if (!isThrottlingError(e)) throw e;
      await sleep(backoff.throttled(), ctx.signal);
      continue;
    }
    const status = operation?.Status;
    if (status === 'SUCCESS') return;
    if (status === 'FAIL') {
      throw new HakoError(
        `Unable to update service discovery service (${operation?.ErrorCode ?? 'unknown'}): ${operation?.ErrorMessage ?? ''}`,
        'SERVICE_DISCOVERY_UPDATE_FAILED',
      );
    }
    await sleep(backoff.next(), ctx.signal);
  }
  throw new HakoError(`Unable to update service discovery service: operation ${operationId} did not finish`, 'SERVICE_DISCOVERY_UPDATE_TIMEOUT');
}

/** Deletes one Cloud Map service, retrying while instances are still being deregistered (ResourceInUse). */
async function deleteSdService(ctx: SdApplyContext, id: string, name: string): Promise<void> {
  const sleep = ctx.sleep ?? realSleep;
  const attempts = ctx.deleteAttempts ?? 10;
  const pause = ctx.deleteRetryMs ?? 10_000;
  for (let attempt = 1; attempt <= attempts; attempt++) {
    throwIfAborted(ctx.signal);
    try {
      await ctx.serviceDiscovery.deleteService({ Id: id });
      info(ctx.io, 'service-discovery.deleted', `Deleted service discovery service ${name} (${id})`, { id, name });
      return;
    } catch (e) {
      const code = awsErrorCode(e);
      if (code === 'ServiceNotFound') {
        info(ctx.io, 'service-discovery.missing', `Service discovery service ${name} (${id}) is already gone`, { id, name });
        return;
      }
      if (code !== 'ResourceInUse' && !isThrottlingError(e)) throw e;
      warn(ctx.io, 'service-discovery.in-use', `${code ?? 'ResourceInUse'}: ${e instanceof Error ? e.message : String(e)}`, { id, name, attempt });
      if (attempt < attempts) await sleep(pause, ctx.signal);
    }
  }
  throw new HakoError(`Unable to delete service discovery service ${name} (${id})`, 'SERVICE_DISCOVERY_DELETE_FAILED', 1, {
    hint: 'Its instances may still be deregistering; run hako remove again in a minute.',
  });
}

/**
 * Applies one `service-discovery` step. A created service's ARN is the step's output: the ECS service's registries
 * refer to it. `CreatorRequestId` makes Cloud Map answer a repeated create with the service it already made.
 */
export async function applySdStep(step: Step, ctx: SdApplyContext, runId: string): Promise<StepOutcome | void> {
  const api = ctx.serviceDiscovery;
  const kind = step.kind as SdStepKind;
  switch (kind) {
    case 'create-sd-service': {
      const { input } = payloadOf(step, kind);
      const service = (await api.createService({ ...input, CreatorRequestId: `${runId}:${input.Name ?? ''}`.slice(0, 64) })).Service;
      if (!service?.Arn || !service.Id) throw new HakoError('Cloud Map CreateService returned no service', 'SERVICE_DISCOVERY_UNEXPECTED_RESPONSE');
      info(ctx.io, 'service-discovery.created', `Created service discovery service ${input.Name} (${service.Id})`, {
        id: service.Id,
        arn: service.Arn,
      });
      return { outputs: { [sdServiceArnKey(input.NamespaceId ?? '', input.Name ?? '')]: service.Arn } };
    }
    case 'update-sd-service': {
      const p = payloadOf(step, kind);
      const out = await api.updateService(p.input);
      if (out.OperationId) await waitForOperation(ctx, out.OperationId);
      info(ctx.io, 'service-discovery.updated', `Updated service discovery service ${p.name} (${p.id})`, { id: p.id });
      return;
    }
    case 'sd-service-unchanged':
      return;
    case 'delete-sd-service': {
      const p = payloadOf(step, kind);
      await deleteSdService(ctx, p.id, p.name);
      return;
    }
    default:
      throw new HakoError(`Unknown service discovery step kind: ${String(step.kind)}`, 'INTERNAL');
  }
}

/** After a lost CreateService: the service of that name, if the create took effect. */
export async function reconcileSdStep(step: Step, api: ServiceDiscoveryApi): Promise<StepOutcome | undefined> {
  if (step.kind !== 'create-sd-service') return undefined;
  const { input } = payloadOf(step, 'create-sd-service');
  const found = await findSdService(api, input.NamespaceId ?? '', input.Name ?? '');
  return found?.Arn === undefined ? undefined : { outputs: { [sdServiceArnKey(input.NamespaceId ?? '', input.Name ?? '')]: found.Arn } };
}
