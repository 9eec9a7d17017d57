/**
 * What went wrong with the tasks of a failed rollout: why each stopped and how each container ended. Read once,
 * when a wait has already failed, so it costs nothing while things go well.
 */
import type { EcsApi, ecs } from '../../aws/ports.js';
import { error, type IoHost } from '../../io/io-host.js';

export interface ContainerDiagnostic {
  name: string;
  lastStatus?: string;
  exitCode?: number;
  reason?: string;
}

export interface TaskDiagnostic {
  taskArn: string;
  taskDefinitionArn?: string;
  lastStatus?: string;
  stoppedReason?: string;
  stopCode?: string;
  /** Sorted by name. */
  containers: ContainerDiagnostic[];
}

/** DescribeTasks accepts at most 100 tasks per call. */
const DESCRIBE_TASKS_BATCH = 100;

/** Task ARN or id → the id (the part after the last `/`). */
export function taskIdOf(taskArnOrId: string): string {
  return taskArnOrId.slice(taskArnOrId.lastIndexOf('/') + 1);
}

export function toTaskDiagnostic(task: ecs.Task): TaskDiagnostic {
  const d: TaskDiagnostic = {
    taskArn: task.taskArn ?? '(unknown task)',
    containers: (task.containers ?? [])
      .map((c) => {
        const cd: ContainerDiagnostic = { name: c.name ?? '(unnamed)' };
        if (c.lastStatus !== undefined) cd.lastStatus = c.lastStatus;
        if (c.exitCode !== undefined && c.exitCode !== null) cd.exitCode = c.exitCode;
        if (c.reason !== undefined) cd.reason = c.reason;
        return cd;
      })
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  };
  if (task.taskDefinitionArn !== undefined) d.taskDefinitionArn = task.taskDefinitionArn;
  if (task.lastStatus !== undefined) d.lastStatus = task.lastStatus;
  if (task.stoppedReason !== undefined) d.stoppedReason = task.stoppedReason;
  if (task.stopCode !== undefined) d.stopCode = task.stopCode;
  return d;
}

/** Describes the given tasks (ids or ARNs) in batches; tasks ECS no longer knows are simply absent. */
export async function describeTaskDiagnostics(ecsApi: EcsApi, cluster: string, tasks: readonly string[]): Promise<TaskDiagnostic[]> {
  const out: TaskDiagnostic[] = [];
  const unique = [...new Set(tasks)];
  for (let i = 0; i < unique.length; i += DESCRIBE_TASKS_BATCH) {
    const res = await ecsApi.describeTasks({ cluster, tasks: unique.slice(i, i + DESCRIBE_TASKS_BATCH) });
    for (const t of res.tasks ?? []) out.push(toTaskDiagnostic(t));
  }
  return out;
}

/**
 * Stopped tasks of one deployment. Service tasks carry their deployment id in `startedBy`, so this finds them even
 * when the service's events did not name them. One ListTasks page is enough to explain a failure.
 */
export async function listStoppedTasksOfDeployment(ecsApi: EcsApi, cluster: string, deploymentId: string): Promise<string[]> {
  const res = await ecsApi.listTasks({ cluster, startedBy: deploymentId, desiredStatus: 'STOPPED', maxResults: 100 });
  return res.taskArns ?? [];
}

function inspect(v: string | number | undefined): string {
  return v === undefined ? 'nil' : typeof v === 'number' ? String(v) : JSON.stringify(v);
}

/** Logs each task like hako: status, stop reason, then every container's status, exit code and reason. */
export function reportTaskDiagnostics(io: IoHost, diagnostics: readonly TaskDiagnostic[]): void {
  for (const d of diagnostics) {
    error(io, 'ecs.task.diagnostic', `task_definition_arn=${d.taskDefinitionArn ?? ''} last_status=${d.lastStatus ?? ''}`, d);
    error(io, 'ecs.task.diagnostic', `  stopped_reason: ${d.stoppedReason ?? ''}`);
    for (const c of d.containers) {
      error(
        io,
        'ecs.task.diagnostic',
        `    Container ${c.name}: last_status=${c.lastStatus ?? ''} exit_code=${inspect(c.exitCode)} reason=${inspect(c.reason)}`,
      );
    }
  }
}
