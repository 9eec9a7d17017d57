/**
 * The instance port: where a classic load balancer sends traffic on the container instances, and so the host port
 * of the container it is bound to (reference §4.2, hako's "front port"). A classic load balancer forwards every
 * listener to one fixed port, so under bridge networking that port cannot be dynamic: the definition gives it
 * (`host_port`), or it is allocated the way hako allocated it —
 *
 * 1. the instance port of the load balancer, when it exists (what it forwards to is what the tasks must listen on);
 * 2. the host port the live service's task definition maps (a redeploy keeps its port);
 * 3. one more than the highest host port from 10000 up that a service in the cluster maps (hako scanned the
 *    cluster's `front` containers; every mapping counts here, so another app's static port is never reused);
 * 4. 10000.
 *
 * Observation is read-only; `withInstancePort` is the pure model change the ECS planner then works from.
 */
import type { EcsApi, ecs } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import type { EcsObserved } from '../observe.js';
import { boundPortMapping, type ClassicElbSettings } from './config.js';
import type { ClassicElbObserved } from './plan.js';

/** hako's first front port. */
export const FIRST_INSTANCE_PORT = 10000;

export type InstancePortSource = 'definition' | 'load-balancer' | 'service' | 'cluster';

export interface InstancePort {
  readonly port: number;
  readonly source: InstancePortSource;
}

/** The port the definition fixes itself: host networking (host = container port) or a non-zero `host_port`. */
export function fixedInstancePort(model: AppModel, s: ClassicElbSettings): number | undefined {
  if (model.scheduler.network_mode === 'host') return s.containerPort;
  const host = boundPortMapping(model, s)?.host_port;
  return host !== undefined && host > 0 ? host : undefined;
}

function hostPortIn(td: ecs.TaskDefinition | undefined, s: ClassicElbSettings): number | undefined {
  const container = td?.containerDefinitions?.find((c) => c.name === s.containerName);
  const port = container?.portMappings?.find((p) => p.containerPort === s.containerPort)?.hostPort;
  return port !== undefined && port > 0 ? port : undefined;
}

async function taskDefinitionOf(api: EcsApi, arn: string, observed: EcsObserved, cache: Map<string, ecs.TaskDefinition | undefined>) {
  if (observed.taskDefinition?.taskDefinitionArn === arn) return observed.taskDefinition;
  if (!cache.has(arn)) cache.set(arn, (await api.describeTaskDefinition({ taskDefinition: arn })).taskDefinition);
  return cache.get(arn);
}

/** The highest host port from FIRST_INSTANCE_PORT up mapped by another service of the cluster, if any. */
async function highestClusterPort(api: EcsApi, model: AppModel, observed: EcsObserved, cache: Map<string, ecs.TaskDefinition | undefined>) {
  const cluster = model.scheduler.cluster;
  let highest: number | undefined;
  let nextToken: string | undefined;
  do {
    const page = await api.listServices({ cluster, ...(nextToken === undefined ? {} : { nextToken }) });
    const arns = page.serviceArns ?? [];
    for (let i = 0; i < arns.length; i += 10) {
      const described = await api.describeServices({ cluster, services: arns.slice(i, i + 10) });
      for (const service of described.services ?? []) {
        if (service.status === 'INACTIVE' || service.serviceName === model.id || service.taskDefinition === undefined) continue;
        const td = await taskDefinitionOf(api, service.taskDefinition, observed, cache);
        for (const p of (td?.containerDefinitions ?? []).flatMap((c) => c.portMappings ?? [])) {
          if (p.hostPort !== undefined && p.hostPort >= FIRST_INSTANCE_PORT) highest = Math.max(highest ?? 0, p.hostPort);
        }
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return highest;
}

/** Decides the instance port (see the file comment). Reads only what the earlier rules leave undecided. */
export async function resolveInstancePort(
  api: EcsApi,
  model: AppModel,
  s: ClassicElbSettings,
  elbObserved: ClassicElbObserved,
  ecsObserved: EcsObserved,
): Promise<InstancePort> {
  const fixed = fixedInstancePort(model, s);
  if (fixed !== undefined) return { port: fixed, source: 'definition' };
  const lbPort = elbObserved.loadBalancer?.ListenerDescriptions?.map((d) => d.Listener?.InstancePort).find((p) => p !== undefined && p > 0);
  if (lbPort !== undefined) return { port: lbPort, source: 'load-balancer' };
  const cache = new Map<string, ecs.TaskDefinition | undefined>();
  const current = ecsObserved.service?.taskDefinition;
  const servicePort = current === undefined ? undefined : hostPortIn(await taskDefinitionOf(api, current, ecsObserved, cache), s);
  if (servicePort !== undefined) return { port: servicePort, source: 'service' };
  const highest = await highestClusterPort(api, model, ecsObserved, cache);
  return { port: highest === undefined ? FIRST_INSTANCE_PORT : highest + 1, source: 'cluster' };
}

/** The model with the bound container's port mapping on `port` (unchanged when it already is). Pure. */
export function withInstancePort(model: AppModel, s: ClassicElbSettings, port: number): AppModel {
  if (boundPortMapping(model, s)?.host_port === port) return model;
  return {
    ...model,
    containers: model.containers.map((c) =>
      c.name !== s.containerName
        ? c
        : { ...c, port_mappings: c.port_mappings.map((p) => (p.container_port === s.containerPort ? { ...p, host_port: port } : p)) },
    ),
  };
}
