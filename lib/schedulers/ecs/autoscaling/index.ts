/**
 * `scheduler.autoscaling`, the ECS scheduler's part that keeps the service's desired count in Application Auto
 * Scaling's hands: observe + plan after the service steps (the scalable target is the service, so it is applied
 * after the service exists), applied by the executor like every other step.
 */
import type { AwsClients, ecs } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import { serviceBindings } from '../load-balancers.js';
import { observeAutoscaling } from './observe.js';
import { planAutoscaling, scalableResourceId, type AutoscalingStep } from './plan.js';

export { applyAutoscalingStep } from './apply.js';
export { AUTOSCALING_STEP_OWNER } from './plan.js';

/**
 * The autoscaling steps for `model` (none without `scheduler.autoscaling`). `service` is the live ECS service as
 * the ECS planner observed it. Reads only.
 */
export async function planAutoscalingDeploy(model: AppModel, aws: AwsClients, service: ecs.Service | undefined): Promise<AutoscalingStep[]> {
  const config = model.scheduler.autoscaling;
  if (config === undefined) return [];
  const resourceId = scalableResourceId(model.scheduler.cluster, model.id);
  const [autoScaling, cloudWatch] = await Promise.all([aws.applicationAutoScaling(), aws.cloudWatch()]);
  const observed = await observeAutoscaling(
    { autoScaling, cloudWatch, elbv2: () => aws.elbv2() },
    config,
    resourceId,
    service,
    serviceBindings(model),
  );
  return planAutoscaling(config, observed);
}
