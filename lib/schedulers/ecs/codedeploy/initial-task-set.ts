/**
 * Waiting for a CODE_DEPLOY service that was just created. No CodeDeploy deployment is involved yet (ECS starts the
 * service's first task set itself), and ECS lists no `deployments` for such a service, so the rolling-update wait
 * (../wait.ts) would wait for ever: the service is steady once its PRIMARY task set is.
 */
import type { EcsApi, ecs } from '../../../aws/ports.js';
import { debug, info, type IoHost } from '../../../io/io-host.js';
import { createBackoff, type BackoffOptions } from '../../../util/backoff.js';
import { throwIfAborted, type Clock, type Sleep } from '../../../util/sleep.js';
import { formatDuration, pollService } from '../wait.js';
import { primaryTaskSet } from './appspec.js';

export interface TaskSetWaitContext {
  readonly ecs: EcsApi;
  readonly io: IoHost;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
  readonly backoff?: BackoffOptions;
}

export type TaskSetOutcome = { readonly status: 'completed' } | { readonly status: 'timed-out'; readonly reason: string };

/** `primary task set: running 1/2, pending 1 (stabilizing)`, or the service's own counts when it lists no task set. */
function describeProgress(service: ecs.Service): string {
  const ts = primaryTaskSet(service);
  if (ts !== undefined) {
    return `primary task set: running ${ts.runningCount ?? 0}/${ts.computedDesiredCount ?? 0}, pending ${ts.pendingCount ?? 0} (${(ts.stabilityStatus ?? 'unknown').toLowerCase().replace('_', ' ')})`;
  }
  return `service: running ${service.runningCount ?? 0}/${service.desiredCount ?? 0}, pending ${service.pendingCount ?? 0}`;
}

/**
 * Steady: the PRIMARY task set is STEADY_STATE and is the only one. A service that reports no task set at all can
 * only be judged by its own counts: everything desired runs, nothing pends.
 */
export function isSteady(service: ecs.Service): boolean {
  const sets = service.taskSets ?? [];
  const primary = primaryTaskSet(service);
  if (primary !== undefined) return primary.stabilityStatus === 'STEADY_STATE' && sets.length === 1;
  if (sets.length > 0) return false;
  return (service.runningCount ?? 0) >= (service.desiredCount ?? 0) && (service.pendingCount ?? 0) === 0;
}

/** Polls the new service until it is steady or `timeoutMs` passes. Throws AbortedError on the signal. */
export async function waitForInitialTaskSet(ctx: TaskSetWaitContext, service: ecs.Service, timeoutMs: number | undefined): Promise<TaskSetOutcome> {
  const { ecs: api, io, clock, signal } = ctx;
  const cluster = service.clusterArn ?? '';
  const ref = service.serviceArn ?? service.serviceName ?? '';
  const name = service.serviceName ?? ref;
  const backoff = createBackoff({ initialMs: 1000, maxMs: 10_000, factor: 1.5, ...ctx.backoff });
  const start = clock.now();
  let shown: string | undefined;
  try {
    for (;;) {
      throwIfAborted(signal);
      const elapsed = clock.now() - start;
      if (timeoutMs !== undefined && elapsed > timeoutMs) return { status: 'timed-out', reason: `Timed out after ${formatDuration(timeoutMs)}: ${shown ?? 'no progress reported'}` };
      io.status(`Waiting for ${name}'s first task set to reach a steady state: ${formatDuration(elapsed)} elapsed`);
      const polled = await pollService(api, io, { cluster, ref, backoff, sleep: ctx.sleep, signal });
      if (polled === 'throttled') continue;
      const described = polled.service;
      if (described !== undefined) {
        const line = describeProgress(described);
        if (line !== shown) info(io, 'ecs.task-set.progress', line, { taskSets: described.taskSets ?? [] });
        shown = line;
        if (isSteady(described)) {
          debug(io, 'ecs.task-set.steady', `Service ${name} reached a steady state after ${formatDuration(clock.now() - start)}`);
          return { status: 'completed' };
        }
      }
      await ctx.sleep(backoff.next(), signal);
    }
  } finally {
    io.status(undefined);
  }
}
