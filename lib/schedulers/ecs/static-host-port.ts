/**
 * A fixed host port under bridge networking, allocated the way hako allocated its "front port" (reference §4.2):
 * a classic load balancer forwards to one fixed port on the instances (./classic-elb/), and
 * `dynamic_port_mapping: false` asks for one on the front proxy (./front-port.ts). The port is
 *
 * 1. the port the definition fixes (a non-zero `host_port`, or host networking, where host = container port);
 * 2. a port a load balancer already forwards to (the caller's, when it has one);
 * 3. the host port the live service's task definition maps (a redeploy keeps its port);
 * 4. one more than the highest host port from 10000 up that another service of the cluster maps — hako scanned
 *    the cluster's `front` containers and took the highest port of any, so a cluster with dynamic ports (0) gave
 *    port 1; every mapping from 10000 up counts here, so another app's static port is never reused;
 * 5. 10000.
 *
 * Two apps of one run that both allocate in a cluster would both read the same highest port: their scheduler
 * names the cluster's allocation as a lock (./locks.ts), so the second plans after the first has applied.
 * Observation is read-only; `withHostPort` is the pure model change the ECS planner then works from.
 */
import type { EcsApi, ecs } from '../../aws/ports.js';
import type { AppModel } from '../../definition/model.js';
import type { EcsObserved } from './observe.js';

/** hako's first front port. */
export const FIRST_STATIC_PORT = 10000;

/** The container port whose host port is fixed. */
export interface PortBinding {
  readonly containerName: string;
  readonly containerPort: number;
}

export type StaticPortSource = 'definition' | 'load-balancer' | 'service' | 'cluster';

export interface StaticPort {
  readonly port: number;
  readonly source: StaticPortSource;
}

/** The port mapping of the binding, as the model (with the scripts' contributions) has it. */
export function boundPortMapping(model: AppModel, b: PortBinding) {
  return model.containers.find((c) => c.name === b.containerName)?.port_mappings.find((p) => p.container_port === b.containerPort);
}

/** The port the definition fixes itself: host networking (host = container port) or a non-zero `host_port`. */
export function fixedHostPort(model: AppModel, b: PortBinding): number | undefined {
  if (model.scheduler.network_mode === 'host') return b.containerPort;
  const host = boundPortMapping(model, b)?.host_port;
  return host !== undefined && host > 0 ? host : undefined;
}

function hostPortIn(td: ecs.TaskDefinition | undefined, b: PortBinding): number | undefined {
  const container = td?.containerDefinitions?.find((c) => c.name === b.containerName);
  const port = container?.portMappings?.find((p) => p.containerPort === b.containerPort)?.hostPort;
  return port !== undefined && port > 0 ? port : undefined;
}

async function taskDefinitionOf(api: EcsApi, arn: string, observed: EcsObserved, cache: Map<string, ecs.TaskDefinition | undefined>) {
  if (observed.taskDefinition?.taskDefinitionArn === arn) return observed.taskDefinition;
  if (!cache.has(arn)) cache.set(arn, (await api.describeTaskDefinition({ taskDefinition: arn })).taskDefinition);
  return cache.get(arn);
}

/** The highest host port from FIRST_STATIC_PORT up mapped by another service of the cluster, if any. */
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
          if (p.hostPort !== undefined && p.hostPort >= FIRST_STATIC_PORT) highest = Math.max(highest ?? 0, p.hostPort);
        }
      }
    }
    nextToken = page.nextToken;
  } while (nextToken);
  return highest;
}

/**
 * Decides the port (see the file comment), reading only what the earlier rules leave undecided. `balancerPort`:
 * the port a load balancer of the caller's already forwards to.
 */
export async function resolveStaticPort(
  api: EcsApi,
  model: AppModel,
  b: PortBinding,
  ecsObserved: EcsObserved,
  balancerPort?: number,
): Promise<StaticPort> {
  const fixed = fixedHostPort(model, b);
  if (fixed !== undefined) return { port: fixed, source: 'definition' };
  if (balancerPort !== undefined) return { port: balancerPort, source: 'load-balancer' };
  const cache = new Map<string, ecs.TaskDefinition | undefined>();
  const current = ecsObserved.service?.taskDefinition;
  const servicePort = current === undefined ? undefined : hostPortIn(await taskDefinitionOf(api, current, ecsObserved, cache), b);
  if (servicePort !== undefined) return { port: servicePort, source: 'service' };
  const highest = await highestClusterPort(api, model, ecsObserved, cache);
  return { port: highest === undefined ? FIRST_STATIC_PORT : highest + 1, source: 'cluster' };
}

/** The model with the bound container's port mapping on host port `port` (unchanged when it already is). Pure. */
export function withHostPort(model: AppModel, b: PortBinding, port: number): AppModel {
  if (boundPortMapping(model, b)?.host_port === port) return model;
  return {
    ...model,
    containers: model.containers.map((c) =>
      c.name !== b.containerName
        ? c
        : { ...c, port_mappings: c.port_mappings.map((p) => (p.container_port === b.containerPort ? { ...p, host_port: port } : p)) },
    ),
  };
}
