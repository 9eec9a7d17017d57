/**
 * `hako oneshot`: run the app container once as a standalone task, wait for it to stop and hand back its exit code.
 * Ctrl-C stops the task rather than leaving it running unattended.
 */
import type { EcsApi, ecs } from '../../aws/ports.js';
import { AbortedError, HakoError } from '../../errors.js';
import { debug, error, info, warn, type IoHost } from '../../io/io-host.js';
import type { EcsScheduler } from '../../definition/model.js';
import { awsErrorCode, createBackoff, isThrottlingError } from '../../util/backoff.js';
import type { Clock, Sleep } from '../../util/sleep.js';
import { formatDuration, formatEventTime } from './wait.js';

export interface OneshotContext {
  ecs: EcsApi;
  io: IoHost;
  /** Not read yet; accepted so one time context serves every wait. */
  clock?: Clock;
  sleep: Sleep;
  /** Randomness for retry jitter; default Math.random. */
  random?: () => number;
}

// ---------------------------------------------------------------------------------------------------------------
// Running the task

export interface OneshotParams {
  /** Only the scheduler settings are read (cluster, launch type, network, placement …). */
  model: { readonly scheduler: EcsScheduler };
  taskDefinitionArn: string;
  command: readonly string[];
  /** `-e NAME=VAL` for the app container; a value may be absent (`-e NAME`). */
  env: readonly { readonly name: string; readonly value?: string }[];
  overrides: { readonly cpu?: number; readonly memory?: number; readonly memoryReservation?: number };
  noWait: boolean;
  /** Fired on SIGINT/SIGTERM: the task is stopped and its exit code (or 130) returned. */
  signal?: AbortSignal;
  /** Called once the task has started (scripts' `oneshot_started`). */
  onStarted?(task: ecs.Task): void | Promise<void>;
  /** RunTask's clientToken: a request repeated after a lost response starts no second task. */
  clientToken?: string;
  /** Starts following the task's logs once it runs; `finish` drains them after it stopped (./logs/task-logs.ts). */
  followLogs?(taskArn: string): { finish(): Promise<unknown> };
}

export interface OneshotResult {
  /** The app container's exit code; 127 when it has none, 130 when stopped on a signal without one, 0 for --no-wait. */
  exitCode: number;
  cluster: string;
  taskArn: string;
  /** True when the task was stopped because of the signal. */
  stopped: boolean;
  /** For `--no-wait`: what the CLI prints as JSON. */
  data?: { cluster: string; task_arn: string };
  containers: ecs.Container[];
}

export const EXIT_NO_EXIT_CODE = 127;
export const EXIT_INTERRUPTED = 130;

function defined<T extends object>(o: T): T {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;
}

/** The RunTask input hako sends (§4.9): overrides for `app` only, placement and network from the scheduler. */
export function buildRunTaskInput(
  params: Pick<OneshotParams, 'model' | 'taskDefinitionArn' | 'command' | 'env' | 'overrides' | 'clientToken'>,
): ecs.RunTaskCommandInput {
  const s = params.model.scheduler;
  const awsvpc = s.network_configuration?.awsvpc_configuration;
  return defined<ecs.RunTaskCommandInput>({
    cluster: s.cluster,
    taskDefinition: params.taskDefinitionArn,
    overrides: {
      containerOverrides: [
        defined<ecs.ContainerOverride>({
          name: 'app',
          cpu: params.overrides.cpu,
          memory: params.overrides.memory,
          memoryReservation: params.overrides.memoryReservation,
          command: [...params.command],
          environment: params.env.map((e) => defined({ name: e.name, value: e.value })),
        }),
      ],
    },
    count: 1,
    placementConstraints: s.placement_constraints.map((c) => defined({ type: c.type, expression: c.expression })),
    placementStrategy: s.placement_strategy.map((p) => defined({ type: p.type, field: p.field })),
    startedBy: 'hako oneshot',
    launchType: s.launch_type,
    capacityProviderStrategy: s.capacity_provider_strategy?.map((c) =>
      defined({ capacityProvider: c.capacity_provider, weight: c.weight, base: c.base }),
    ),
    platformVersion: s.platform_version,
    networkConfiguration: awsvpc
      ? {
          awsvpcConfiguration: defined({
            subnets: [...awsvpc.subnets],
            securityGroups: awsvpc.security_groups ? [...awsvpc.security_groups] : undefined,
            assignPublicIp: awsvpc.assign_public_ip,
          }),
        }
      : undefined,
    propagateTags: 'TASK_DEFINITION',
    enableExecuteCommand: s.enable_execute_command,
    clientToken: params.clientToken,
  });
}

/** Runs the oneshot task (§4.9) and, unless `noWait`, waits for it to stop. */
export async function runOneshot(ctx: OneshotContext, params: OneshotParams): Promise<OneshotResult> {
  const { ecs: api, io } = ctx;
  const cluster = params.model.scheduler.cluster;
  if (params.signal?.aborted) throw new AbortedError();

  const res = await api.runTask(buildRunTaskInput(params));
  for (const f of res.failures ?? []) error(io, 'ecs.oneshot.run-failure', `${f.arn ?? ''} ${f.reason ?? ''}`.trim(), f);
  const task = res.tasks?.[0];
  if (!task?.taskArn) {
    const reasons = (res.failures ?? []).map((f) => f.reason).filter(Boolean);
    throw new HakoError(reasons.length > 0 ? `No tasks started: ${reasons.join('; ')}` : 'No tasks started', 'ECS_NO_TASKS_STARTED', 1, {
      hint: params.model.scheduler.autoscaling_group_for_oneshot
        ? 'Scaling out autoscaling_group_for_oneshot is not supported yet; add capacity to the cluster and retry.'
        : 'Check that the cluster has capacity for the task (CPU, memory, ports).',
    });
  }
  const taskArn = task.taskArn;
  info(io, 'ecs.oneshot.started', `Started task: ${taskArn}`, { cluster, taskArn });
  await params.onStarted?.(task);

  if (params.noWait) {
    const data = { cluster, task_arn: taskArn };
    return { exitCode: 0, cluster, taskArn, stopped: false, data, containers: [] };
  }

  let stopped = false;
  let finalTask: ecs.Task;
  const logs = params.followLogs?.(taskArn);
  try {
    try {
      if (params.signal?.aborted) throw new AbortedError();
      finalTask = await waitForTaskStopped(ctx, cluster, taskArn, params.signal);
    } catch (e) {
      if (!(e instanceof AbortedError) || !params.signal?.aborted) throw e;
      stopped = true;
      warn(io, 'ecs.oneshot.stopping', `Stopping ${taskArn}`, { taskArn });
      await api.stopTask({ cluster, task: taskArn, reason: 'Stopped by hako stop_oneshot' });
      // The user asked to stop; the wait for STOPPED itself must not be cut short by the same signal.
      finalTask = await waitForTaskStopped(ctx, cluster, taskArn, undefined);
    }
  } finally {
    // The task has stopped (or the wait failed): what it wrote last is read before its exit codes are reported.
    await logs?.finish();
  }

  info(io, 'ecs.oneshot.finished', 'Oneshot task finished', { taskArn });
  const containers = [...(finalTask.containers ?? [])].sort((a, b) => ((a.name ?? '') < (b.name ?? '') ? -1 : 1));
  for (const c of containers) {
    if (c.exitCode !== undefined && c.exitCode !== null) {
      info(io, 'ecs.oneshot.container-stopped', `${c.name} has stopped with exit_code=${c.exitCode}`, { name: c.name, exitCode: c.exitCode });
    } else {
      info(io, 'ecs.oneshot.container-stopped', `${c.name} has stopped without exit_code: reason=${c.reason ?? ''}`, {
        name: c.name,
        reason: c.reason,
      });
    }
  }
  const app = containers.find((c) => c.name === 'app');
  // Stopped by Ctrl-C: the app's code is whatever StopTask's SIGTERM made of it; the run was interrupted.
  const exitCode = stopped ? EXIT_INTERRUPTED : (app?.exitCode ?? EXIT_NO_EXIT_CODE);
  return { exitCode, cluster, taskArn, stopped, containers };
}

/**
 * Polls DescribeTasks until the task is STOPPED. The interval starts at 1 s, grows while nothing changes (a task
 * may run for hours), halves when the task moves on, and doubles (up to 2 minutes) when AWS throttles us.
 */
export async function waitForTaskStopped(ctx: OneshotContext, cluster: string, taskArn: string, signal: AbortSignal | undefined): Promise<ecs.Task> {
  const { ecs: api, io } = ctx;
  const backoff = createBackoff({ initialMs: 1000, maxMs: 10_000, factor: 1.5, throttleMaxMs: 120_000, jitter: 0 });
  let instanceArn: string | undefined;
  let startedLogged = false;
  let lastStatus: string | undefined;

  for (;;) {
    if (signal?.aborted) throw new AbortedError();
    let task: ecs.Task | undefined;
    try {
      task = (await api.describeTasks({ cluster, tasks: [taskArn] })).tasks?.[0];
    } catch (e) {
      if (!isThrottlingError(e)) throw e;
      const delay = backoff.throttled();
      error(io, 'ecs.throttled', `DescribeTasks was throttled: ${(e as Error).message}`);
      info(io, 'ecs.oneshot.retry', `Retrying after ${formatDuration(delay)}...`, { delayMs: delay });
      await ctx.sleep(delay, signal);
      continue;
    }
    if (!task) {
      debug(io, 'ecs.oneshot.not-described', `Task ${taskArn} could not be described`);
      await ctx.sleep(1000, signal);
      continue;
    }
    if (task.containerInstanceArn && task.containerInstanceArn !== instanceArn) {
      instanceArn = task.containerInstanceArn;
      await reportContainerInstance(api, io, cluster, instanceArn);
    }
    if (!startedLogged && task.startedAt) {
      startedLogged = true;
      info(io, 'ecs.oneshot.task-started-at', `Started at ${formatEventTime(task.startedAt)}`);
    }
    debug(io, 'ecs.oneshot.status', `  status ${task.lastStatus}`);
    if (task.lastStatus === 'STOPPED') {
      // ECS (and the emulator) may leave the time or the reason out; say only what is known.
      const when = task.stoppedAt ? ` at ${formatEventTime(task.stoppedAt)}` : '';
      const why = task.stoppedReason ? ` (reason: ${task.stoppedReason})` : '';
      info(io, 'ecs.oneshot.task-stopped-at', `Task stopped${when}${why}`, {
        stoppedReason: task.stoppedReason,
        stopCode: task.stopCode,
      });
      return task;
    }
    const delay = task.lastStatus !== lastStatus ? backoff.progress() : backoff.next();
    lastStatus = task.lastStatus;
    await ctx.sleep(delay, signal);
  }
}

async function reportContainerInstance(api: EcsApi, io: IoHost, cluster: string, arn: string): Promise<void> {
  try {
    const ci = (await api.describeContainerInstances({ cluster, containerInstances: [arn] })).containerInstances?.[0];
    info(io, 'ecs.oneshot.container-instance', `Container instance is ${arn} (${ci?.ec2InstanceId ?? 'unknown instance'})`, {
      arn,
      ec2InstanceId: ci?.ec2InstanceId,
    });
  } catch (e) {
    // Where the task runs is a courtesy; it must not end the wait.
    debug(io, 'ecs.oneshot.container-instance', `Could not describe container instance ${arn}: ${(e as Error).message}`);
  }
}
