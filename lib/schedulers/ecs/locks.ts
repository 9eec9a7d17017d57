/**
 * What an ECS app shares with other definitions of one run (lib/fleet/locks.ts): its service, when two definitions
 * name the same one (held through the rollout: a second deploy of it must not start while the first is rolled out,
 * or the first's wait would see the second's deployment and roll it back), a classic load balancer, which apps
 * may share by name (`scheduler.elb.load_balancer_name`), and the allocation of static host ports in a cluster
 * (./static-host-port.ts): two apps planning at once would both take one more than the same highest port.
 */
import type { AppModel } from '../../definition/model.js';
import type { ResourceLock } from '../../fleet/locks.js';
import { classicElbSettings } from './classic-elb/config.js';
import { needsStaticFrontPort } from './front-port.js';
import { fixedHostPort } from './static-host-port.js';

/** Where the app's AWS calls go when the definition names no region: the run's default region. */
const DEFAULT_REGION = 'default-region';

export function ecsLocks(model: AppModel): ResourceLock[] {
  const region = model.scheduler.region ?? DEFAULT_REGION;
  const locks: ResourceLock[] = [{ name: `ecs:service:${region}/${model.scheduler.cluster}/${model.id}`, through: 'rollout' }];
  const elb = classicElbSettings(model);
  if (elb !== undefined) locks.push({ name: `elb:load-balancer:${region}/${elb.name}` });
  // Taken whenever the port may be allocated: whether the service keeps one is known only once it is observed.
  if ((elb !== undefined && fixedHostPort(model, elb) === undefined) || needsStaticFrontPort(model)) {
    locks.push({ name: `ecs:static-host-ports:${region}/${model.scheduler.cluster}` });
  }
  return locks;
}
