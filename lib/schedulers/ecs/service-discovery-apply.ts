/**
 * Applies the `service-discovery` steps: create or update Cloud Map services before the ECS service is created or
 * updated (their ARNs are the ECS service's registries), and delete them after the ECS service is gone. The only
 * code that mutates Cloud Map; dry runs never reach it.
 */
import type { ServiceDiscoveryApi } from '../../aws/ports.js';
import { HakoError } from '../../errors.js';
import { info, warn, type IoHost } from '../../io/io-host.js';
import type { Step } from '../../plan/plan.js';
import { awsErrorCode, createBackoff, isThrottlingError, type BackoffOptions } from '../../util/backoff.js';
import { sleep as realSleep, throwIfAborted, type Sleep } from '../../util/sleep.js';
import { SD_STEP_OWNER, type SdPayloads, type SdStepKind } from './service-discovery.js';
import { registryKey } from './steps.js';

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

export interface SdApplyResult {
  /** ARNs of the Cloud Map services created or kept, by `registryKey(namespaceId, name)`: the ECS applier's slots. */
  readonly registryArns: Map<string, string>;
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
 * Executes the `service-discovery` steps (others are ignored) in order and returns the ARNs the ECS steps need.
 * API errors propagate.
 */
export async function applyServiceDiscoverySteps(steps: readonly Step[], ctx: SdApplyContext): Promise<SdApplyResult> {
  const api = ctx.serviceDiscovery;
  const registryArns = new Map<string, string>();
  for (const step of steps) {
    if (step.owner !== SD_STEP_OWNER) continue;
    const kind = step.kind as SdStepKind;
    switch (kind) {
      case 'create-sd-service': {
        const { input } = payloadOf(step, kind);
        const service = (await api.createService(input)).Service;
        if (!service?.Arn || !service.Id) throw new HakoError('Cloud Map CreateService returned no service', 'SERVICE_DISCOVERY_UNEXPECTED_RESPONSE');
        registryArns.set(registryKey(input.NamespaceId ?? '', input.Name ?? ''), service.Arn);
        info(ctx.io, 'service-discovery.created', `Created service discovery service ${input.Name} (${service.Id})`, {
          id: service.Id,
          arn: service.Arn,
        });
        break;
      }
      case 'update-sd-service': {
        const p = payloadOf(step, kind);
        const out = await api.updateService(p.input);
        if (out.OperationId) await waitForOperation(ctx, out.OperationId);
        info(ctx.io, 'service-discovery.updated', `Updated service discovery service ${p.name} (${p.id})`, { id: p.id });
        break;
      }
      case 'sd-service-unchanged':
        break;
      case 'delete-sd-service': {
        const p = payloadOf(step, kind);
        await deleteSdService(ctx, p.id, p.name);
        break;
      }
      default:
        throw new HakoError(`Unknown service discovery step kind: ${String(step.kind)}`, 'INTERNAL');
    }
  }
  return { registryArns };
}
