/**
 * `scheduler.dynamic_port_mapping: false` without a classic load balancer: hako then gave the front proxy a fixed
 * host port (reference §4.2) — kept from the live service, else allocated in the cluster from 10000 up — for
 * setups that reach the front on a known port of each instance (an external load balancer, a security group rule).
 * A classic load balancer allocates its own (./classic-elb/); awsvpc and host networking have no port to choose.
 */
import type { EcsApi } from '../../aws/ports.js';
import type { AppModel } from '../../definition/model.js';
import type { EcsObserved } from './observe.js';
import { boundPortMapping, resolveStaticPort, withHostPort, type PortBinding, type StaticPort } from './static-host-port.js';

/** The port hako fixed: the front proxy's 80, which nginx_front maps (or the definition does). */
export const FRONT_BINDING: PortBinding = { containerName: 'front', containerPort: 80 };

/**
 * Whether the deploy gives `front` a static host port: dynamic port mapping off, bridge networking, no classic load
 * balancer, and a front port 80 whose host port the definition leaves dynamic (0 or unset). Pure.
 */
export function needsStaticFrontPort(model: AppModel): boolean {
  const s = model.scheduler;
  if (s.dynamic_port_mapping || s.elb !== undefined) return false;
  if (s.launch_type === 'FARGATE' || (s.network_mode !== undefined && s.network_mode !== 'bridge')) return false;
  const mapping = boundPortMapping(model, FRONT_BINDING);
  return mapping !== undefined && (mapping.host_port === undefined || mapping.host_port === 0);
}

/** The model the ECS planner works from, with front's static port when it gets one (reads only then). */
export async function planStaticFrontPort(model: AppModel, api: () => Promise<EcsApi>, observed: EcsObserved): Promise<{ model: AppModel; port?: StaticPort }> {
  if (!needsStaticFrontPort(model)) return { model };
  const port = await resolveStaticPort(await api(), model, FRONT_BINDING, observed);
  return { model: withHostPort(model, FRONT_BINDING, port.port), port };
}
