/**
 * `hako status`: what the service is doing now — deployments, tasks, recent events — read-only.
 */
import type { StatusSection } from '../scheduler.js';
import { renderSdStatus, type SdStatusEntry } from './service-discovery/ops.js';
import type { Ec2Api, EcsApi, ecs } from '../../aws/ports.js';
import { shortTaskDefinition } from './rollback.js';
import { formatEventTime } from './wait.js';

/** The parts of the model `status`, `stop`, `remove` and `rollback` need. `AppModel` satisfies it. */
export interface ServiceTarget {
  readonly id: string;
  readonly scheduler: {
    readonly cluster: string;
    readonly scheduling_strategy?: string;
    readonly autoscaling?: unknown;
  };
}

/** The live service named like the app, or undefined when it does not exist or is INACTIVE (deleted). */
export async function describeLiveService(api: EcsApi, cluster: string, name: string): Promise<ecs.Service | undefined> {
  const res = await api.describeServices({ cluster, services: [name] });
  return res.services?.find((s) => s.status !== 'INACTIVE');
}

export interface StatusDeployment {
  status: string;
  taskDefinition: string;
  desiredCount: number;
  pendingCount: number;
  runningCount: number;
  rolloutState?: string;
  rolloutStateReason?: string;
}

export interface StatusTask {
  /** The part of the task ARN after `task/` (`<cluster>/<id>` for new-style ARNs). */
  id: string;
  lastStatus: string;
  desiredStatus: string;
  taskDefinition: string;
  /** The EC2 instance of the task's container instance; absent on Fargate. */
  instanceId?: string;
  /** That instance's `Name` tag, when it has one. */
  instanceName?: string;
}

export interface StatusEvent {
  createdAt?: string;
  message: string;
}

/** The `--output json` shape of `hako status`. */
export interface StatusReport {
  service: {
    name: string;
    arn: string;
    cluster: string;
    status: string;
    taskDefinition: string;
    desiredCount: number;
    runningCount: number;
    pendingCount: number;
  };
  deployments: StatusDeployment[];
  tasks: StatusTask[];
  /** The 10 newest events, newest first. */
  events: StatusEvent[];
  /** Whether the definition configures autoscaling (activities are not read yet). */
  autoscaling: boolean;
  serviceRegistries: string[];
  /** The Cloud Map services behind `serviceRegistries`, when they were read (`hako status` reads them). */
  serviceDiscovery?: SdStatusEntry[];
  /** The scripts' sections (load balancer, DNS…), when they were read (`hako status` reads them). */
  sections?: StatusSection[];
}

/** Where the EC2 instances' `Name` tags come from; built only when some task runs on a container instance. */
export type InstancesPort = Pick<Ec2Api, 'describeInstances'>;

export interface ObserveStatusOptions {
  readonly ec2?: () => Promise<InstancesPort>;
}

const EVENTS_SHOWN = 10;
const DESCRIBE_BATCH = 100;

function taskIdFromArn(arn: string): string {
  const i = arn.indexOf('task/');
  return i >= 0 ? arn.slice(i + 'task/'.length) : arn;
}

/** Reads the service, its tasks and the instances they run on. Undefined when the service does not exist. */
export async function observeStatus(api: EcsApi, model: ServiceTarget, options: ObserveStatusOptions = {}): Promise<StatusReport | undefined> {
  const cluster = model.scheduler.cluster;
  const service = await describeLiveService(api, cluster, model.id);
  if (!service) return undefined;
  const clusterRef = service.clusterArn ?? cluster;

  const taskArns: string[] = [];
  let nextToken: string | undefined;
  do {
    const res = await api.listTasks({ cluster: clusterRef, serviceName: service.serviceName ?? model.id, ...(nextToken ? { nextToken } : {}) });
    taskArns.push(...(res.taskArns ?? []));
    nextToken = res.nextToken;
  } while (nextToken);

  const tasks: ecs.Task[] = [];
  for (let i = 0; i < taskArns.length; i += DESCRIBE_BATCH) {
    const res = await api.describeTasks({ cluster: clusterRef, tasks: taskArns.slice(i, i + DESCRIBE_BATCH) });
    tasks.push(...(res.tasks ?? []));
  }
  // Tasks of a service belong to the group `service:<name>`. Some ECS implementations ignore `serviceName` in
  // ListTasks; this keeps standalone tasks (oneshots) out of the report there too.
  const serviceName = service.serviceName ?? model.id;
  const ownTasks = tasks.filter((t) => t.group === undefined || t.group === `service:${serviceName}`);

  const instanceArns = [...new Set(ownTasks.map((t) => t.containerInstanceArn).filter((a): a is string => !!a))];
  const instanceIds = new Map<string, string>();
  for (let i = 0; i < instanceArns.length; i += DESCRIBE_BATCH) {
    const res = await api.describeContainerInstances({ cluster: clusterRef, containerInstances: instanceArns.slice(i, i + DESCRIBE_BATCH) });
    for (const ci of res.containerInstances ?? []) {
      if (ci.containerInstanceArn && ci.ec2InstanceId) instanceIds.set(ci.containerInstanceArn, ci.ec2InstanceId);
    }
  }
  const instanceNames =
    instanceIds.size === 0 || options.ec2 === undefined ? new Map<string, string>() : await instanceNameTags(await options.ec2(), [...new Set(instanceIds.values())]);

  return {
    service: {
      name: service.serviceName ?? model.id,
      arn: service.serviceArn ?? '',
      cluster: clusterRef,
      status: service.status ?? '',
      taskDefinition: shortTaskDefinition(service.taskDefinition ?? ''),
      desiredCount: service.desiredCount ?? 0,
      runningCount: service.runningCount ?? 0,
      pendingCount: service.pendingCount ?? 0,
    },
    deployments: (service.deployments ?? []).map((d) => {
      const sd: StatusDeployment = {
        status: d.status ?? '',
        taskDefinition: shortTaskDefinition(d.taskDefinition ?? ''),
        desiredCount: d.desiredCount ?? 0,
        pendingCount: d.pendingCount ?? 0,
        runningCount: d.runningCount ?? 0,
      };
      if (d.rolloutState !== undefined) sd.rolloutState = d.rolloutState;
      if (d.rolloutStateReason !== undefined) sd.rolloutStateReason = d.rolloutStateReason;
      return sd;
    }),
    tasks: ownTasks.map((t) => {
      const st: StatusTask = {
        id: taskIdFromArn(t.taskArn ?? ''),
        lastStatus: t.lastStatus ?? '',
        desiredStatus: t.desiredStatus ?? '',
        taskDefinition: shortTaskDefinition(t.taskDefinitionArn ?? ''),
      };
      const instanceId = t.containerInstanceArn ? instanceIds.get(t.containerInstanceArn) : undefined;
      if (instanceId) st.instanceId = instanceId;
      const instanceName = instanceId ? instanceNames.get(instanceId) : undefined;
      if (instanceName) st.instanceName = instanceName;
      return st;
    }),
    events: (service.events ?? []).slice(0, EVENTS_SHOWN).map((e) => {
      const se: StatusEvent = { message: e.message ?? '' };
      if (e.createdAt) se.createdAt = formatEventTime(e.createdAt);
      return se;
    }),
    autoscaling: model.scheduler.autoscaling !== undefined,
    serviceRegistries: (service.serviceRegistries ?? []).map((r) => r.registryArn ?? '').filter((a) => a !== ''),
  };
}

/**
 * `Name` tags by instance id. A filter rather than `InstanceIds`: an instance terminated since its task was
 * listed would fail the whole call with InvalidInstanceID.NotFound, while a filter just leaves it out.
 */
async function instanceNameTags(ec2: InstancesPort, ids: readonly string[]): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (let i = 0; i < ids.length; i += DESCRIBE_BATCH) {
    const batch = ids.slice(i, i + DESCRIBE_BATCH);
    let nextToken: string | undefined;
    do {
      const res = await ec2.describeInstances({ Filters: [{ Name: 'instance-id', Values: batch }], ...(nextToken ? { NextToken: nextToken } : {}) });
      for (const instance of (res.Reservations ?? []).flatMap((r) => r.Instances ?? [])) {
        const name = instance.Tags?.find((t) => t.Key === 'Name')?.Value;
        if (instance.InstanceId && name) names.set(instance.InstanceId, name);
      }
      nextToken = res.NextToken;
    } while (nextToken);
  }
  return names;
}

const LOAD_BALANCER_HEADER = 'Load balancer:';

export interface RenderStatusOptions {
  /** The scripts' sections: `Load balancer:` is shown first as in hako, the others after the ECS part. */
  sections?: readonly StatusSection[];
}

export type { SdStatusEntry };

/** The report in hako's layout (§4.10), ending with a newline. */
export function renderStatus(report: StatusReport, options: RenderStatusOptions = {}): string {
  const lines: string[] = [];
  const sections = options.sections ?? [];
  const pushSection = (section: StatusSection): void => {
    if (section.header !== undefined) lines.push(section.header);
    lines.push(...section.lines);
  };
  // An empty load balancer section (no load balancer yet) is left out, as hako does.
  sections.filter((s) => s.header === LOAD_BALANCER_HEADER && s.lines.length > 0).forEach(pushSection);
  lines.push('Deployments:');
  for (const d of report.deployments) {
    const rollout = d.rolloutState ? `, rollout_state=${d.rolloutState}` : '';
    lines.push(
      `  [${d.status}] ${d.taskDefinition} desired_count=${d.desiredCount}, pending_count=${d.pendingCount}, running_count=${d.runningCount}${rollout}`,
    );
    if (d.rolloutState === 'FAILED' && d.rolloutStateReason) lines.push(`    ${d.rolloutStateReason}`);
  }
  lines.push('Tasks:');
  for (const t of report.tasks) {
    const name = t.instanceName ? ` (${t.instanceName})` : '';
    const instance = t.instanceId ? `, instance_id=${t.instanceId}${name}` : '';
    lines.push(`  [${t.lastStatus}] ${t.id} task_definition=${t.taskDefinition}, desired_status=${t.desiredStatus}${instance}`);
  }
  lines.push('Events:');
  for (const e of report.events) lines.push(`  ${e.createdAt ?? '-'}: ${e.message}`);
  lines.push(report.autoscaling ? 'Autoscaling: configured (activities are not shown)' : 'Autoscaling: No');
  if (report.serviceRegistries.length === 0) lines.push('Service Discovery: No');
  else {
    lines.push('Service Discovery:');
    if (report.serviceDiscovery !== undefined) lines.push(...renderSdStatus(report.serviceDiscovery));
    else for (const r of report.serviceRegistries) lines.push(`  ${r}`);
  }
  sections.filter((s) => s.header !== LOAD_BALANCER_HEADER).forEach(pushSection);
  return `${lines.join('\n')}\n`;
}
