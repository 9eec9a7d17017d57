/**
 * The CloudWatch Logs streams of an ECS task's containers, and what hako does with them: follow a oneshot while
 * it runs (then drain it), and show the last lines of the tasks of a failed deploy.
 *
 * ECS's awslogs driver writes each container to the stream `<awslogs-stream-prefix>/<container>/<task id>` of
 * `awslogs-group`. Without a prefix the stream is named after the Docker container id, which ECS does not report
 * reliably; other drivers do not write to CloudWatch at all. Those containers are reported once, not followed.
 */
import type { EcsApi, LogsApi, ecs } from '../../../aws/ports.js';
import type { Container } from '../../../definition/model.js';
import { debug, error, info, warn, type IoHost } from '../../../io/io-host.js';
import { LogFollower, type FollowStats } from '../../../logs/follow.js';
import type { LogLine, LogStreamRef } from '../../../logs/log-stream.js';
import type { BackoffOptions } from '../../../util/backoff.js';
import type { Sleep } from '../../../util/sleep.js';
import { taskIdOf, type TaskDiagnostic } from '../diagnostics.js';

/** What the stream naming needs of a container, from the model or from a live task definition. */
export interface LoggingContainer {
  readonly name: string;
  readonly logDriver?: string;
  readonly options?: Readonly<Record<string, string>>;
}

export interface TaskStreams {
  readonly streams: LogStreamRef[];
  /** Containers whose logs cannot be followed, with why. */
  readonly unavailable: { readonly container: string; readonly reason: string }[];
}

export function fromModel(c: Container): LoggingContainer {
  const log = c.log_configuration;
  return { name: c.name, ...(log ? { logDriver: log.log_driver, options: log.options } : {}) };
}

export function fromDefinition(c: ecs.ContainerDefinition): LoggingContainer {
  const log = c.logConfiguration;
  return { name: c.name ?? '', ...(log?.logDriver ? { logDriver: log.logDriver, options: log.options ?? {} } : {}) };
}

/** Pure: the awslogs stream of each container of task `taskArn`, and the containers that have none. */
export function awslogsStreams(containers: readonly LoggingContainer[], taskArn: string): TaskStreams {
  const taskId = taskIdOf(taskArn);
  const streams: LogStreamRef[] = [];
  const unavailable: { container: string; reason: string }[] = [];
  for (const c of containers) {
    if (c.logDriver === undefined) {
      unavailable.push({ container: c.name, reason: 'it has no log configuration' });
      continue;
    }
    if (c.logDriver !== 'awslogs') {
      unavailable.push({ container: c.name, reason: `it logs with the ${c.logDriver} driver, not awslogs` });
      continue;
    }
    const group = c.options?.['awslogs-group'];
    const prefix = c.options?.['awslogs-stream-prefix'];
    if (!group || !prefix) {
      unavailable.push({
        container: c.name,
        reason: !group ? 'its awslogs options name no awslogs-group' : 'without awslogs-stream-prefix its stream is named after the Docker container id',
      });
      continue;
    }
    const region = c.options?.['awslogs-region'];
    streams.push({ group, stream: `${prefix}/${c.name}/${taskId}`, label: c.name, ...(region ? { region } : {}) });
  }
  return { streams, unavailable };
}

/** `app  | ` with names padded to the longest, when several containers log; nothing when one does. */
function labeller(streams: readonly LogStreamRef[]): (line: LogLine) => string {
  if (streams.length <= 1) return (line) => line.message;
  const width = Math.max(...streams.map((s) => s.label.length));
  return (line) => `${line.label.padEnd(width)} | ${line.message}`;
}

export interface FollowTaskLogsParams {
  readonly containers: readonly LoggingContainer[];
  readonly taskArn: string;
  logs(region: string | undefined): Promise<LogsApi>;
  readonly io: IoHost;
  readonly sleep: Sleep;
  readonly backoff?: BackoffOptions;
}

export interface FollowingTaskLogs {
  /** Stops following once the task has stopped: drains what is left, then resolves. Never throws. */
  finish(): Promise<FollowStats | undefined>;
}

/**
 * Starts printing the task's log lines as they arrive (IoHost `ecs.oneshot.log` messages carrying the container,
 * time and message). Failing to read logs never fails the oneshot: it is said once and following stops.
 */
export function followTaskLogs(params: FollowTaskLogsParams): FollowingTaskLogs {
  const { io } = params;
  const { streams, unavailable } = awslogsStreams(params.containers, params.taskArn);
  for (const u of unavailable) {
    info(io, 'ecs.oneshot.logs-unavailable', `Logs of ${u.container} are not available: ${u.reason}`, u);
  }
  if (streams.length === 0) return { finish: async () => undefined };
  debug(io, 'ecs.oneshot.logs-following', `Following ${streams.map((s) => `${s.group}:${s.stream}`).join(', ')}`, { streams });
  const label = labeller(streams);
  const follower = new LogFollower({
    streams,
    logs: params.logs,
    sleep: params.sleep,
    ...(params.backoff === undefined ? {} : { backoff: params.backoff }),
    emit: (line) =>
      info(io, 'ecs.oneshot.log', label(line), {
        container: line.label,
        timestamp: new Date(line.timestamp).toISOString(),
        message: line.message,
      }),
    onThrottled: (delayMs) => debug(io, 'ecs.oneshot.logs-throttled', `CloudWatch Logs throttled; next read in ${delayMs} ms`, { delayMs }),
    onUnavailable: (ref, reason) => warn(io, 'ecs.oneshot.logs-unavailable', `Logs of ${ref.label} are not available: ${reason}`, { container: ref.label, reason }),
  });
  const stop = new AbortController();
  const running = follower.run(stop.signal).catch((e: unknown) => {
    warn(io, 'ecs.oneshot.logs-failed', `Stopped following the logs: ${(e as Error).message}`);
    return undefined;
  });
  return {
    finish: async () => {
      stop.abort();
      return running;
    },
  };
}

/** How many stopped tasks a failed deploy shows the logs of: enough to see the pattern, not a flood. */
const MAX_TASKS = 5;

/**
 * The last `lines` log lines of each stopped task of a failed deploy (their containers merged by time), read from
 * the task definitions the tasks ran. Reading logs only explains a failure: a problem doing so is a warning.
 */
export async function reportTaskLogTails(
  ecsApi: EcsApi,
  logs: (region: string | undefined) => Promise<LogsApi>,
  io: IoHost,
  tasks: readonly TaskDiagnostic[],
  lines = 20,
): Promise<void> {
  const definitions = new Map<string, Promise<LoggingContainer[]>>();
  const containersOf = (arn: string): Promise<LoggingContainer[]> => {
    let found = definitions.get(arn);
    if (found === undefined) {
      found = ecsApi.describeTaskDefinition({ taskDefinition: arn }).then((out) => (out.taskDefinition?.containerDefinitions ?? []).map(fromDefinition));
      definitions.set(arn, found);
    }
    return found;
  };
  const shown = tasks.filter((t) => t.taskDefinitionArn !== undefined).slice(0, MAX_TASKS);
  for (const task of shown) {
    try {
      const { streams } = awslogsStreams(await containersOf(task.taskDefinitionArn!), task.taskArn);
      if (streams.length === 0) continue;
      const tails = await Promise.all(
        streams.map(async (ref) => {
          const out = await (await logs(ref.region))
            .getLogEvents({ logGroupName: ref.group, logStreamName: ref.stream, startFromHead: false, limit: lines })
            .catch((e: unknown) => {
              if ((e as { awsCode?: string }).awsCode === 'ResourceNotFoundException') return { events: [] };
              throw e;
            });
          return (out.events ?? []).map((e) => ({ label: ref.label, timestamp: e.timestamp ?? 0, message: (e.message ?? '').replace(/\r?\n$/, '') }));
        }),
      );
      const merged = tails.flat().sort((a, b) => a.timestamp - b.timestamp).slice(-lines);
      if (merged.length === 0) continue;
      const label = labeller(streams);
      error(io, 'ecs.task.logs', `  Last ${merged.length} log lines of task ${taskIdOf(task.taskArn)}:`, { taskArn: task.taskArn });
      for (const line of merged) {
        error(io, 'ecs.task.log', `    ${label(line)}`, { taskArn: task.taskArn, container: line.label, timestamp: new Date(line.timestamp).toISOString(), message: line.message });
      }
    } catch (e) {
      warn(io, 'ecs.task.logs-unavailable', `Could not read the logs of task ${taskIdOf(task.taskArn)}: ${(e as Error).message}`);
    }
  }
  if (tasks.length > shown.length) {
    debug(io, 'ecs.task.logs-omitted', `Logs of ${tasks.length - shown.length} more task(s) not shown`);
  }
}
