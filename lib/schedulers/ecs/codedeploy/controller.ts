/**
 * Which deployment controller a service has and the definition asks for: what the ECS scheduler checks on every
 * deploy. Apart from the rest of ./ (AppSpecs, the YAML library, CodeDeploy calls), which it loads only for
 * CODE_DEPLOY apps.
 */
import type { ecs } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import { HakoError } from '../../../errors.js';

export type DeploymentControllerType = 'ECS' | 'CODE_DEPLOY' | 'EXTERNAL';

/** The controller the definition asks for (absent: ECS). */
export function desiredController(model: AppModel): 'ECS' | 'CODE_DEPLOY' {
  return model.scheduler.deployment_controller?.type ?? 'ECS';
}

export function isCodeDeployApp(model: AppModel): boolean {
  return desiredController(model) === 'CODE_DEPLOY';
}

/** The live service's controller: DescribeServices leaves it out for ECS services. */
export function liveController(service: ecs.Service): DeploymentControllerType {
  return (service.deploymentController?.type as DeploymentControllerType | undefined) ?? 'ECS';
}

const CONTROLLER_NAMES: Record<DeploymentControllerType, string> = {
  ECS: 'ECS (rolling update)',
  CODE_DEPLOY: 'CODE_DEPLOY (blue/green through CodeDeploy)',
  EXTERNAL: 'EXTERNAL',
};

/**
 * A service keeps the controller it was created with; deploying it as if it had another would send requests ECS
 * refuses (or, for a rolling plan on a CODE_DEPLOY service, bypass CodeDeploy). Checked before any step is planned.
 */
export function checkDeploymentController(model: AppModel, service: ecs.Service | undefined): void {
  if (service === undefined) return;
  const live = liveController(service);
  const desired = desiredController(model);
  if (live === desired) return;
  throw new HakoError(
    `Service ${model.id} in cluster ${model.scheduler.cluster} uses the ${CONTROLLER_NAMES[live]} deployment controller, but the definition asks for ${CONTROLLER_NAMES[desired]}`,
    'ECS_DEPLOYMENT_CONTROLLER_MISMATCH',
    1,
    {
      hint:
        live === 'ECS' || live === 'CODE_DEPLOY'
          ? `hako does not change a service's deployment controller. Set scheduler.deployment_controller.type to ${live} to keep deploying it, or move the service to ${desired} yourself (see AWS's guide to changing a deployment controller), or remove it (\`hako remove\`) and deploy again.`
          : `hako cannot deploy a service with the ${live} controller; another tool manages its task sets.`,
    },
  );
}
