/**
 * Following a CodeDeploy deployment to its end, with live progress: status changes (Created → InProgress → … →
 * Succeeded), the ECS lifecycle events as they run, and how traffic is split between the blue and green task sets.
 * Polls GetDeployment (one cheap call), spaced from ~1 s to ~15 s and further when throttled; the lifecycle and
 * traffic detail (GetDeploymentTarget) is best effort: when the endpoint cannot answer it, the wait goes on with
 * the status alone.
 *
 * A failed or stopped deployment is an outcome, not an exception: CodeDeploy rolls back by itself (when the group
 * or the stop asked for it), and the caller reports what happened.
 */
import type { CodeDeployApi, codeDeploy } from '../../../aws/ports.js';
import { debug, error, info, warn, type IoHost } from '../../../io/io-host.js';
import { createBackoff, isThrottlingError, type BackoffOptions } from '../../../util/backoff.js';
import { throwIfAborted, type Clock, type Sleep } from '../../../util/sleep.js';
import { formatDuration } from '../wait.js';

export interface FollowContext {
  readonly codeDeploy: CodeDeployApi;
  readonly io: IoHost;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
  /** Polling intervals; defaults 1 s growing ×1.5 to 15 s, throttled up to 60 s. */
  readonly backoff?: BackoffOptions;
}

export interface FollowOptions {
  readonly deploymentId: string;
  /** `succeeded`: the deployment's end (the blue task set terminated); `traffic_shifted`: all traffic on green. */
  readonly until: 'succeeded' | 'traffic_shifted';
  /** The deployment is being stopped on purpose (`hako rollback`): its end as Stopped is news, not an error. */
  readonly stopping?: boolean;
  /** `<cluster>:<service>`, CodeDeploy's id of an ECS deployment's target (for lifecycle and traffic detail). */
  readonly targetId?: string;
  readonly timeoutMs?: number;
}

export type FollowOutcome =
  | { readonly status: 'succeeded' | 'traffic-shifted'; readonly info: codeDeploy.DeploymentInfo; readonly elapsedMs: number }
  | { readonly status: 'failed' | 'stopped'; readonly info: codeDeploy.DeploymentInfo; readonly reason: string; readonly elapsedMs: number }
  | { readonly status: 'timed-out'; readonly info?: codeDeploy.DeploymentInfo; readonly reason: string; readonly elapsedMs: number };

/** `Failed (ECS_UPDATE_ERROR: …)`: CodeDeploy's own words for why a deployment ended. */
export function deploymentReason(info: codeDeploy.DeploymentInfo): string {
  const e = info.errorInformation;
  const detail = [e?.code, e?.message].filter((x) => x !== undefined && x !== '').join(': ');
  const status = info.status === 'Stopped' ? 'stopped' : 'failed';
  return detail === '' ? `CodeDeploy deployment ${info.deploymentId} ${status}` : `CodeDeploy deployment ${info.deploymentId} ${status}: ${detail}`;
}

/** `blue 90% (2/2 running), green 10% (2/2 running)`. */
export function formatTraffic(taskSets: readonly codeDeploy.ECSTaskSet[]): string {
  return [...taskSets]
    .sort((a, b) => (a.taskSetLabel ?? '').localeCompare(b.taskSetLabel ?? ''))
    .map((t) => `${(t.taskSetLabel ?? t.identifer ?? 'task set').toLowerCase()} ${Math.round(t.trafficWeight ?? 0)}% (${t.runningCount ?? 0}/${t.desiredCount ?? 0} running)`)
    .join(', ');
}

/** Progress of the deployment's ECS target, reported as it changes; gives up quietly once the endpoint cannot tell. */
class TargetProgress {
  private readonly events = new Map<string, string>();
  private traffic: string | undefined;
  private unavailable = false;

  constructor(
    private readonly api: CodeDeployApi,
    private readonly io: IoHost,
    private readonly deploymentId: string,
    private readonly targetId: string | undefined,
  ) {}

  async report(): Promise<void> {
    if (this.unavailable || this.targetId === undefined) return;
    let target: codeDeploy.ECSTarget | undefined;
    try {
      target = (await this.api.getDeploymentTarget({ deploymentId: this.deploymentId, targetId: this.targetId })).deploymentTarget?.ecsTarget;
    } catch (e) {
      if (isThrottlingError(e)) return;
      this.unavailable = true;
      debug(this.io, 'codedeploy.target.unavailable', `No lifecycle detail for deployment ${this.deploymentId}: ${(e as Error).message}`);
      return;
    }
    for (const event of target?.lifecycleEvents ?? []) {
      const name = event.lifecycleEventName ?? '?';
      const status = event.status ?? 'Unknown';
      if (this.events.get(name) === status) continue;
      this.events.set(name, status);
      if (status === 'Pending') continue;
      const message = `${name}: ${status}${event.diagnostics?.message ? ` (${event.diagnostics.message})` : ''}`;
      if (status === 'Failed') error(this.io, 'codedeploy.lifecycle-event', message, { deploymentId: this.deploymentId, event: name, status });
      else info(this.io, 'codedeploy.lifecycle-event', message, { deploymentId: this.deploymentId, event: name, status });
    }
    const taskSets = target?.taskSetsInfo ?? [];
    const traffic = taskSets.length === 0 ? undefined : formatTraffic(taskSets);
    if (traffic !== undefined && traffic !== this.traffic) {
      info(this.io, 'codedeploy.traffic', `Traffic: ${traffic}`, { deploymentId: this.deploymentId, taskSets });
      this.traffic = traffic;
    }
  }
}

/**
 * Polls the deployment until it succeeds (or, with `until: traffic_shifted`, until all traffic is on the new task
 * set and only the blue task set's termination wait is left), fails, is stopped, or the timeout passes. Throws
 * AbortedError when the signal fires, and any error other than throttling.
 */
export async function followDeployment(ctx: FollowContext, options: FollowOptions): Promise<FollowOutcome> {
  const { codeDeploy: api, io, clock, signal } = ctx;
  const { deploymentId } = options;
  const backoff = createBackoff({ initialMs: 1000, maxMs: 15_000, factor: 1.5, throttleMaxMs: 60_000, ...ctx.backoff });
  const progress = new TargetProgress(api, io, deploymentId, options.targetId);
  const start = clock.now();
  let last: codeDeploy.DeploymentInfo | undefined;
  let readyAnnounced = false;
  try {
    for (;;) {
      throwIfAborted(signal);
      const elapsed = clock.now() - start;
      if (options.timeoutMs !== undefined && elapsed > options.timeoutMs) {
        const reason = `Timed out after ${formatDuration(options.timeoutMs)} waiting for CodeDeploy deployment ${deploymentId} (last status: ${last?.status ?? 'unknown'})`;
        error(io, 'codedeploy.deployment.timed-out', reason, { deploymentId, elapsedMs: elapsed });
        return { status: 'timed-out', reason, elapsedMs: elapsed, ...(last === undefined ? {} : { info: last }) };
      }
      io.status(`Waiting for CodeDeploy deployment ${deploymentId} (${last?.status ?? 'starting'}): ${formatDuration(elapsed)} elapsed`);

      let described: codeDeploy.DeploymentInfo | undefined;
      try {
        described = (await api.getDeployment({ deploymentId })).deploymentInfo;
      } catch (e) {
        if (!isThrottlingError(e)) throw e;
        const delay = backoff.throttled();
        warn(io, 'codedeploy.throttled', `GetDeployment was throttled; retrying in ${formatDuration(delay)}`, { delayMs: delay });
        await ctx.sleep(delay, signal);
        continue;
      }
      if (described === undefined) {
        await ctx.sleep(backoff.next(), signal);
        continue;
      }
      if (described.status !== last?.status) {
        info(io, 'codedeploy.deployment.status', `CodeDeploy deployment ${deploymentId}: ${described.status ?? 'unknown'}`, { deploymentId, status: described.status });
      }
      last = described;
      const status = described.status;

      if (status === 'Ready' && !readyAnnounced) {
        readyAnnounced = true;
        warn(
          io,
          'codedeploy.deployment.ready',
          `The new task set is ready and waits for traffic to be rerouted to it: continue with \`aws deploy continue-deployment --deployment-id ${deploymentId} --deployment-wait-type READY_WAIT\` (or stop it with \`hako rollback\`)`,
          { deploymentId },
        );
      }
      if (status === 'InProgress' || status === 'Ready' || status === 'Baking') await progress.report();

      if (status === 'Succeeded') {
        await progress.report();
        return { status: 'succeeded', info: described, elapsedMs: clock.now() - start };
      }
      if (status === 'Failed' || status === 'Stopped') {
        const reason = deploymentReason(described);
        if (!(options.stopping === true && status === 'Stopped')) {
          error(io, `codedeploy.deployment.${status === 'Failed' ? 'failed' : 'stopped'}`, reason, { deploymentId, errorInformation: described.errorInformation });
        }
        return { status: status === 'Failed' ? 'failed' : 'stopped', info: described, reason, elapsedMs: clock.now() - start };
      }
      if (options.until === 'traffic_shifted' && described.instanceTerminationWaitTimeStarted === true) {
        info(io, 'codedeploy.deployment.traffic-shifted', `All traffic is on the new task set; CodeDeploy terminates the old one after the group's termination wait`, { deploymentId });
        return { status: 'traffic-shifted', info: described, elapsedMs: clock.now() - start };
      }
      await ctx.sleep(backoff.next(), signal);
    }
  } finally {
    io.status(undefined);
  }
}
