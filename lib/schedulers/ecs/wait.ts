/**
 * Waiting for an ECS rollout to finish, showing what happens meanwhile (service events, task counts, elapsed
 * time) and deciding early when it cannot succeed. Polls DescribeServices only: one cheap call per poll, spaced
 * out from ~1 s to ~10 s, and spaced further when AWS throttles us.
 */
import type { EcsApi, ecs } from '../../aws/ports.js';
import { debug, error, info, warn, type IoHost } from '../../io/io-host.js';
import { createBackoff, isThrottlingError, type Backoff, type BackoffOptions } from '../../util/backoff.js';
import { throwIfAborted, type Clock, type Sleep } from '../../util/sleep.js';
import {
  describeTaskDiagnostics,
  listStoppedTasksOfDeployment,
  reportTaskDiagnostics,
  type TaskDiagnostic,
} from './diagnostics.js';

export interface WaitContext {
  ecs: EcsApi;
  io: IoHost;
  clock: Clock;
  sleep: Sleep;
  /** Fires on SIGINT/SIGTERM: the wait stops with AbortedError. */
  signal?: AbortSignal;
  /** Polling intervals; defaults 1 s growing ×1.5 to 10 s, throttled up to 30 s. */
  backoff?: BackoffOptions;
  /** Adds to the diagnostics of a failed rollout's tasks (the last lines they logged). Must not throw. */
  explainTasks?(tasks: readonly TaskDiagnostic[]): Promise<void>;
}

export interface WaitOptions {
  /**
   * The task definition being rolled out. Identifies the rollout when the service passed in lists no PRIMARY
   * deployment (otherwise that deployment's id does).
   */
  taskDefinitionArn: string;
  /** Give up after this long. Absent: wait as long as it takes (hako's rollback). */
  timeoutMs?: number;
  /** The service's deployment circuit breaker is on: ECS itself decides failure, so don't count stopped tasks. */
  circuitBreaker: boolean;
}

interface OutcomeBase {
  /** The service as last described (the one passed in if it could never be described). */
  service: ecs.Service;
  elapsedMs: number;
  /** Task ids the service's events reported as started during the wait (hako passes them to `deploy_failed`). */
  startedTaskIds: string[];
}

export interface WaitCompleted extends OutcomeBase {
  status: 'completed';
}

export interface WaitFailed extends OutcomeBase {
  status: 'failed' | 'timed-out';
  /** One sentence: `New deployment is failing: <ECS's reason>`, `Timed out after 20m00s`. */
  reason: string;
  /** The started (or, when events named none, the deployment's stopped) tasks, described. */
  tasks: TaskDiagnostic[];
}

export type WaitOutcome = WaitCompleted | WaitFailed;

/** `(service x) has started 2 tasks: (task a1) (task b2).` — one event may name several tasks. */
const TASK_IN_EVENT = /\(task ([0-9a-f-]+)\)/g;

/**
 * One DescribeServices of a polling loop. Throttling is not an error there: it waits the backoff's (growing)
 * throttle delay, says so, and answers 'throttled' so that the loop polls again.
 */
export async function pollService(
  api: EcsApi,
  io: IoHost,
  poll: { readonly cluster: string; readonly ref: string; readonly backoff: Backoff; readonly sleep: Sleep; readonly signal?: AbortSignal | undefined },
): Promise<{ readonly service: ecs.Service | undefined } | 'throttled'> {
  try {
    return { service: (await api.describeServices({ cluster: poll.cluster, services: [poll.ref] })).services?.[0] };
  } catch (e) {
    if (!isThrottlingError(e)) throw e;
    const delay = poll.backoff.throttled();
    warn(io, 'ecs.throttled', `DescribeServices was throttled; retrying in ${formatDuration(delay)}`, { delayMs: delay });
    await poll.sleep(delay, poll.signal);
    return 'throttled';
  }
}

/** `1m05s`, `12s`, `1h02m03s`. */
export function formatDuration(ms: number): string {
  const total = Math.max(0, Math.floor(ms / 1000));
  const h = Math.floor(total / 3600);
  const m = Math.floor((total % 3600) / 60);
  const s = total % 60;
  const pad = (n: number): string => String(n).padStart(2, '0');
  if (h > 0) return `${h}h${pad(m)}m${pad(s)}s`;
  if (m > 0) return `${m}m${pad(s)}s`;
  return `${s}s`;
}

/** Event timestamps as `2024-05-01 12:34:56Z`: unambiguous whatever the machine's zone. */
export function formatEventTime(d: Date | undefined): string {
  if (!d) return '-';
  return d.toISOString().replace('T', ' ').replace(/\.\d{3}Z$/, 'Z');
}

/** `primary: running 1/2, pending 1; active: running 2/2, pending 0`. */
export function formatDeployments(deployments: readonly ecs.Deployment[]): string {
  return deployments
    .map((d) => {
      const rollout = d.rolloutState && d.rolloutState !== 'COMPLETED' ? ` (${d.rolloutState.toLowerCase().replace('_', ' ')})` : '';
      const failed = d.failedTasks ? `, failed ${d.failedTasks}` : '';
      return `${(d.status ?? 'unknown').toLowerCase()}: running ${d.runningCount ?? 0}/${d.desiredCount ?? 0}, pending ${d.pendingCount ?? 0}${failed}${rollout}`;
    })
    .join('; ');
}

/** Events newer than `latestId`, oldest first. ECS lists events newest first. */
function newEvents(events: readonly ecs.ServiceEvent[], latestId: string | undefined): ecs.ServiceEvent[] {
  const fresh: ecs.ServiceEvent[] = [];
  for (const e of events) {
    if (latestId !== undefined && e.id === latestId) break;
    fresh.push(e);
  }
  return fresh.reverse();
}

/**
 * True when the PRIMARY deployment is the rollout we wait for and ECS considers it done. "Ours" is the deployment
 * CreateService/UpdateService answered with, by id; when that is unknown, the one running our task definition.
 * The id is the stronger test: a forced redeploy of the same revision is a new deployment, and an emulator that
 * keeps the old deployment entry on UpdateService still ends the wait.
 */
function isComplete(service: ecs.Service, taskDefinitionArn: string, deploymentId: string | undefined): boolean {
  const deployments = service.deployments ?? [];
  const primary = deployments.find((d) => d.status === 'PRIMARY');
  if (!primary) return false;
  if (deploymentId !== undefined ? primary.id !== deploymentId : primary.taskDefinition !== taskDefinitionArn) return false;
  if (primary.rolloutState !== undefined) return primary.rolloutState === 'COMPLETED';
  // Without rollout state (external deployment controllers, older regions) steady state is: the old
  // deployments are gone and the new one runs everything it should.
  return deployments.length === 1 && (primary.runningCount ?? 0) === (primary.desiredCount ?? 0);
}

/**
 * A poll delay cut at the deadline, so a timeout fires on time rather than at the next poll (the first moment past
 * the limit: the check is `elapsed > limit`).
 */
function untilDeadline(delay: number, timeoutMs: number | undefined, elapsed: number): number {
  return timeoutMs === undefined ? delay : Math.max(0, Math.min(delay, timeoutMs - elapsed + 1));
}

/**
 * Polls the service until its rollout of `options.taskDefinitionArn` completes, fails or times out. Never throws
 * for a failed rollout (the caller decides between rollback and report); throws AbortedError when the signal fires
 * and whatever a non-throttling API error is.
 */
export async function waitForDeployment(ctx: WaitContext, service: ecs.Service, options: WaitOptions): Promise<WaitOutcome> {
  const { ecs: api, io, clock, signal } = ctx;
  const cluster = service.clusterArn;
  const serviceRef = service.serviceArn ?? service.serviceName;
  if (cluster === undefined || serviceRef === undefined) {
    throw new TypeError('waitForDeployment needs a service with clusterArn and serviceArn');
  }
  const name = service.serviceName ?? serviceRef;
  const backoff = createBackoff({ initialMs: 1000, maxMs: 10_000, factor: 1.5, ...ctx.backoff });
  const start = clock.now();
  const started = new Set<string>();
  let latestEventId = service.events?.[0]?.id;
  let lastCounts: string | undefined;
  let current = service;
  const ourDeploymentId = service.deployments?.find((d) => d.status === 'PRIMARY')?.id;

  const fail = async (status: WaitFailed['status'], reason: string, deployment?: ecs.Deployment): Promise<WaitFailed> => {
    const tasks = await diagnose(api, io, cluster, [...started], deployment?.id);
    reportTaskDiagnostics(io, tasks);
    await ctx.explainTasks?.(tasks);
    return { status, reason, service: current, elapsedMs: clock.now() - start, startedTaskIds: [...started], tasks };
  };

  try {
    for (;;) {
      throwIfAborted(signal);
      const elapsed = clock.now() - start;
      if (options.timeoutMs !== undefined && elapsed > options.timeoutMs) {
        const reason = `Timed out after ${formatDuration(options.timeoutMs)}`;
        error(io, 'ecs.deployment.timed-out', reason, { elapsedMs: elapsed });
        return await fail('timed-out', reason, current.deployments?.find((d) => d.status === 'PRIMARY'));
      }
      io.status(`Waiting for ${name} to reach a steady state`, {
        elapsedMs: elapsed,
        ...(options.timeoutMs === undefined ? {} : { limitMs: options.timeoutMs }),
        ...(lastCounts === undefined ? {} : { detail: lastCounts }),
      });

      const polled = await pollService(api, io, { cluster, ref: serviceRef, backoff, sleep: ctx.sleep, signal });
      if (polled === 'throttled') continue;
      const described = polled.service;
      if (!described) {
        debug(io, 'ecs.service.not-described', `Service ${serviceRef} could not be described`);
        await ctx.sleep(backoff.next(), signal);
        continue;
      }
      current = described;

      const events = described.events ?? [];
      for (const e of newEvents(events, latestEventId)) {
        const message = e.message ?? '';
        info(io, 'ecs.service.event', `${formatEventTime(e.createdAt)}: ${message}`, { id: e.id, createdAt: e.createdAt, message });
        if (message.includes(' has started ')) for (const m of message.matchAll(TASK_IN_EVENT)) if (m[1]) started.add(m[1]);
      }
      if (events[0]?.id !== undefined) latestEventId = events[0].id;

      const deployments = described.deployments ?? [];
      const counts = formatDeployments(deployments);
      if (counts !== lastCounts) {
        info(io, 'ecs.deployment.progress', counts, { deployments });
        lastCounts = counts;
      }

      const primary = deployments.find((d) => d.status === 'PRIMARY');
      if (primary?.rolloutState === 'FAILED') {
        const reason = `New deployment is failing: ${primary.rolloutStateReason ?? 'no reason given'}`;
        error(io, 'ecs.deployment.failed', reason, { deployment: primary });
        return await fail('failed', reason, primary);
      }
      if (!options.circuitBreaker && primary) {
        // More starts (or consecutive failures) than twice the desired count means tasks keep dying and
        // being replaced; ECS would retry forever without a circuit breaker.
        const limit = (primary.desiredCount ?? 0) * 2;
        if (started.size > limit || (primary.failedTasks ?? 0) > limit) {
          const reason = 'Some started tasks are stopped. It seems new deployment is failing to start';
          error(io, 'ecs.deployment.tasks-stopping', reason, { startedTaskIds: [...started], failedTasks: primary.failedTasks });
          return await fail('failed', reason, primary);
        }
      }
      if (isComplete(described, options.taskDefinitionArn, ourDeploymentId)) {
        debug(io, 'ecs.deployment.steady', `Service ${name} reached a steady state after ${formatDuration(clock.now() - start)}`);
        return { status: 'completed', service: described, elapsedMs: clock.now() - start, startedTaskIds: [...started] };
      }
      await ctx.sleep(untilDeadline(backoff.next(), options.timeoutMs, clock.now() - start), signal);
    }
  } finally {
    io.status(undefined);
  }
}

async function diagnose(api: EcsApi, io: IoHost, cluster: string, startedIds: string[], deploymentId: string | undefined): Promise<TaskDiagnostic[]> {
  // Diagnostics explain a failure; failing to read them must not hide it.
  try {
    let ids = startedIds;
    if (ids.length === 0 && deploymentId !== undefined) ids = await listStoppedTasksOfDeployment(api, cluster, deploymentId);
    if (ids.length === 0) return [];
    return await describeTaskDiagnostics(api, cluster, ids);
  } catch (e) {
    warn(io, 'ecs.task.diagnostic-unavailable', `Could not describe the deployment's tasks: ${(e as Error).message}`);
    return [];
  }
}
