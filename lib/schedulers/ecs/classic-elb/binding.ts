/**
 * The ECS service's side of the classic load balancer: the binding it is created with, and the one change ECS
 * refuses — UpdateService changes a service's target groups, never its classic load balancer.
 */
import type { ecs } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import { HakoError } from '../../../errors.js';
import { isOutputRef } from '../../../plan/outputs.js';
import type { DeferredLoadBalancer } from '../steps.js';
import { classicElbSettings } from './config.js';

/** ECS's `{ loadBalancerName, containerName, containerPort }` for `scheduler.elb`; undefined without one. */
export function classicBinding(model: AppModel): DeferredLoadBalancer | undefined {
  const s = classicElbSettings(model);
  return s === undefined ? undefined : { loadBalancerName: s.name, containerName: s.containerName, containerPort: s.containerPort };
}

type AnyBinding = Pick<DeferredLoadBalancer, 'targetGroupArn' | 'loadBalancerName'> & Pick<ecs.LoadBalancer, 'containerName' | 'containerPort'>;

function describe(lbs: readonly AnyBinding[]): string {
  const target = (lb: AnyBinding): string =>
    lb.loadBalancerName ?? (lb.targetGroupArn === undefined ? '?' : isOutputRef(lb.targetGroupArn) ? lb.targetGroupArn.describe : lb.targetGroupArn);
  return lbs.map((lb) => `${target(lb)} → ${lb.containerName}:${lb.containerPort}`).join(', ') || 'nothing';
}

/**
 * Called when the desired bindings differ from the live service's: throws when a classic load balancer is on
 * either side, before anything is applied, rather than let UpdateService fail after the other steps ran.
 */
export function checkClassicBindingChange(model: AppModel, desired: readonly DeferredLoadBalancer[], live: readonly ecs.LoadBalancer[]): void {
  if (![...desired, ...live].some((lb) => lb.loadBalancerName !== undefined)) return;
  throw new HakoError(
    `Service ${model.id} is bound to ${describe(live)}, the definition binds it to ${describe(desired)}: ECS cannot change a service's classic load balancer`,
    'ECS_CLASSIC_LOAD_BALANCER_CHANGE',
    1,
    { hint: `Keep the binding as it is, or \`hako remove ${model.file}\` and deploy again (the service is then created with the new binding).` },
  );
}
