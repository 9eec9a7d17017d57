/**
 * What the `alb` script adds to the model (pure): the service's binding to the app's target group, and a health
 * check grace period when the definition sets none (ECS requires one with a load balancer; hako's was 0).
 */
import type { AppModel, ScriptContribution } from '../../definition/model.js';
import { outputRef } from '../../plan/outputs.js';
import type { AlbSettings } from './config.js';

/** The output key of the app's target group ARN, provided by the target group's step of every alb plan. */
export function albTargetGroupArnKey(name: string): string {
  return `alb:target-group:${name}:arn`;
}

export function contributeAlb(settings: AlbSettings, model: AppModel): ScriptContribution {
  return {
    load_balancers: [
      {
        target_group_name: settings.targetGroupName,
        // Provided by this script's target group step: the ECS scheduler only sees the ref, filled in at apply.
        target_group_arn: outputRef(albTargetGroupArnKey(settings.targetGroupName), `ARN of target group ${settings.targetGroupName}`),
        container_name: settings.containerName,
        container_port: settings.containerPort,
      },
    ],
    ...(model.scheduler.health_check_grace_period_seconds === undefined ? { health_check_grace_period_seconds: 0 } : {}),
  };
}

/**
 * The JSON path of this script's entry (`scripts[1]`) for error messages: the `alb` entry whose names match the
 * settings, or the first `alb` entry.
 */
export function scriptPath(model: AppModel, settings: AlbSettings): string {
  const albs = model.scripts.map((e, i) => ({ e, i })).filter(({ e }) => e.type === 'alb');
  const named = albs.find(
    ({ e }) =>
      (e.config.load_balancer_name ?? settings.loadBalancerName) === settings.loadBalancerName &&
      (e.config.target_group_name ?? settings.targetGroupName) === settings.targetGroupName,
  );
  const index = (named ?? albs[0])?.i;
  return index === undefined ? 'scripts' : `scripts[${index}]`;
}
