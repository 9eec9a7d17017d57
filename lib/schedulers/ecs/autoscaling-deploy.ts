/**
 * The autoscaling part of a deploy, as the deploy action calls it: observe + plan after the ECS plan (so `diff`
 * and `--dry-run` show it), apply after the ECS steps and before waiting for the rollout.
 */
import type { AwsClients, ecs } from '../../aws/ports.js';
import type { AppModel } from '../../definition/model.js';
import type { IoHost } from '../../io/io-host.js';
import type { Step } from '../../plan/plan.js';
import { AUTOSCALING_STEP_OWNER, planAutoscaling, scalableResourceId, type AutoscalingStep } from './autoscaling.js';
import { applyAutoscalingSteps } from './autoscaling-apply.js';
import { observeAlbTarget, observeAutoscaling } from './autoscaling-observe.js';
import { describeAppService } from './observe.js';

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
    model.load_balancers,
  );
  return planAutoscaling(config, observed);
}

export interface AutoscalingDeployContext {
  readonly model: AppModel;
  readonly aws: AwsClients;
  readonly io: IoHost;
  /** The service as the ECS apply left it, when it created or updated it. */
  readonly service?: ecs.Service;
}

/** Applies the plan's autoscaling steps; noop steps make no AWS call. */
export async function applyAutoscalingDeploy(steps: readonly Step[], ctx: AutoscalingDeployContext): Promise<void> {
  const mine = steps.filter((s) => s.owner === AUTOSCALING_STEP_OWNER);
  if (mine.length === 0) return;
  const { model, aws, io } = ctx;
  // Building the clients makes no request: noop steps only log.
  const [autoScaling, cloudWatch] = await Promise.all([aws.applicationAutoScaling(), aws.cloudWatch()]);
  await applyAutoscalingSteps(mine, {
    autoScaling,
    cloudWatch,
    io,
    resolveAlbTarget: async () => {
      const service = ctx.service ?? (await describeAppService(await aws.ecs(), model.scheduler.cluster, model.id));
      return observeAlbTarget(() => aws.elbv2(), service, model.load_balancers);
    },
  });
}

