/**
 * What the `alb` script adds to the model (pure): the service's binding to the app's target group, and a health
 * check grace period when the definition sets none (ECS requires one with a load balancer; hako's was 0).
 *
 * The binding's `target_group_arn` is a ref to the output of this script's target group step (outputs.ts): the
 * scheduler gets the ARN of the group this script created or found, filled in by the executor, without knowing
 * the alb script. `target_group_name` stays for display and for schedulers that only need the name.
 */
import type { AppModel, ScriptContribution } from '../../definition/model.js';
import type { AlbSettings } from './config.js';
import { targetGroupArnRef } from './outputs.js';

export function contributeAlb(settings: AlbSettings, model: AppModel): ScriptContribution {
  return {
    load_balancers: [
      {
        target_group_name: settings.targetGroupName,
        target_group_arn: targetGroupArnRef(settings.targetGroupName),
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
