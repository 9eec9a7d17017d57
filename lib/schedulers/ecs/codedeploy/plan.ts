/**
 * The deploy planner of a CODE_DEPLOY service that exists: desired model × observed state → steps. Pure.
 *
 * For such a service ECS refuses UpdateService of the task definition, load balancers, network configuration and
 * platform version: those reach the service only through a CodeDeploy deployment (its AppSpec). What UpdateService
 * still takes — desired count, deployment configuration, health check grace period, placement — is sent as for a
 * rolling service, and only when it differs.
 */
import type { codeDeploy, ecs } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import { HakoError } from '../../../errors.js';
import type { Deferred } from '../../../plan/outputs.js';
import type { Step } from '../../../plan/plan.js';
import { compareServiceShapes } from '../compare.js';
import type { ServiceLike } from '../compare-shapes.js';
import { buildUpdateService } from '../service-params.js';
import { compact } from '../task-definition.js';
import { desiredAppSpec, liveAppSpec, liveTaskDefinition, renderAppSpec, sameAppSpec, type EcsAppSpec } from './appspec.js';
import { CODEDEPLOY_STEP_OWNER, shortRevision, type CodeDeployStep, type DeploymentGroupRef } from './steps.js';

export { checkDeploymentController, desiredController, isCodeDeployApp, liveController, type DeploymentControllerType } from './controller.js';

/** What the planner needs beyond the model. */
export interface CodeDeployPlanInput {
  readonly service: ecs.Service;
  /** The revision the definition describes: the unchanged latest one, or a ref to the one registered in this apply. */
  readonly taskDefinition: Deferred;
  readonly binding: { readonly containerName: string; readonly containerPort: number };
  readonly force: boolean;
  /** The deployment group, when a step needs it (observed only then). */
  readonly group?: DeploymentGroupRef & { readonly info?: codeDeploy.DeploymentGroupInfo };
}

/** The AppSpec a deploy would start, and what runs now in the same shape. */
export function appSpecs(model: AppModel, input: Pick<CodeDeployPlanInput, 'service' | 'taskDefinition' | 'binding'>): { desired: EcsAppSpec; live: EcsAppSpec } {
  const desired = desiredAppSpec(model, input.taskDefinition, input.binding);
  return { desired, live: liveAppSpec(input.service, desired) };
}

/** Whether a deploy must start a CodeDeploy deployment: the AppSpec would differ from what runs, or `--force`. */
export function needsDeployment(model: AppModel, input: Pick<CodeDeployPlanInput, 'service' | 'taskDefinition' | 'binding' | 'force'>): boolean {
  const { desired, live } = appSpecs(model, input);
  return input.force || !sameAppSpec(desired, live);
}

/** UpdateService of the settings ECS lets a CODE_DEPLOY service change, when any differs. */
export function planServiceSettings(model: AppModel, service: ecs.Service): CodeDeployStep<'update-service-settings'> | undefined {
  const full = buildUpdateService(model, service);
  // Only what ECS accepts for a CODE_DEPLOY service (the UpdateService API reference lists them).
  const input = compact<ecs.UpdateServiceCommandInput>({
    cluster: full.cluster,
    service: full.service,
    desiredCount: full.desiredCount,
    deploymentConfiguration: full.deploymentConfiguration,
    healthCheckGracePeriodSeconds: full.healthCheckGracePeriodSeconds,
    placementConstraints: full.placementConstraints,
    placementStrategy: full.placementStrategy,
  });
  const cmp = compareServiceShapes(input as ServiceLike, service);
  if (!cmp.changed) return undefined;
  return {
    owner: CODEDEPLOY_STEP_OWNER,
    kind: 'update-service-settings',
    action: 'update',
    resource: `service ${model.id} in cluster ${model.scheduler.cluster}`,
    title: `Update service ${model.id} in cluster ${model.scheduler.cluster} (settings outside the AppSpec)`,
    before: cmp.before,
    after: cmp.after,
    payload: { input },
  };
}

/**
 * UpdateDeploymentGroup of the blue task set termination wait, when `termination_wait_minutes` is set and differs.
 * The group's other blue/green settings are sent as they are: the API replaces the whole block.
 */
export function planTerminationWait(model: AppModel, group: NonNullable<CodeDeployPlanInput['group']>): CodeDeployStep<'update-deployment-group'> | undefined {
  const minutes = model.scheduler.codedeploy?.termination_wait_minutes;
  if (minutes === undefined || group.info === undefined) return undefined;
  const current = group.info.blueGreenDeploymentConfiguration;
  const currentMinutes = current?.terminateBlueInstancesOnDeploymentSuccess?.terminationWaitTimeInMinutes;
  if (currentMinutes === minutes) return undefined;
  const name = `${group.application}/${group.deploymentGroup}`;
  return {
    owner: CODEDEPLOY_STEP_OWNER,
    kind: 'update-deployment-group',
    action: 'update',
    resource: `deployment group ${name}`,
    title: `Update deployment group ${name}: blue task set termination wait ${currentMinutes ?? '(unset)'} → ${minutes} minutes`,
    before: { termination_wait_minutes: currentMinutes ?? null },
    after: { termination_wait_minutes: minutes },
    payload: {
      input: {
        applicationName: group.application,
        currentDeploymentGroupName: group.deploymentGroup,
        blueGreenDeploymentConfiguration: {
          ...current,
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: minutes },
        },
      },
    },
  };
}

/** The deployment step: a CodeDeploy deployment of the desired AppSpec, or a noop when what runs already matches. */
export function planDeployment(model: AppModel, input: CodeDeployPlanInput): CodeDeployStep<'create-deployment'> | CodeDeployStep<'deployment-unchanged'> {
  const { desired, live } = appSpecs(model, input);
  const format = model.scheduler.codedeploy?.appspec_format ?? 'yaml';
  const current = liveTaskDefinition(input.service);
  const resource = `CodeDeploy deployment of service ${model.id}`;
  if (!input.force && sameAppSpec(desired, live)) {
    return {
      owner: CODEDEPLOY_STEP_OWNER,
      kind: 'deployment-unchanged',
      action: 'noop',
      resource,
      title: `Service ${model.id} runs ${shortRevision(current)}: no CodeDeploy deployment needed`,
      before: renderAppSpec(live, format),
      after: renderAppSpec(desired, format),
      payload: { taskDefinition: current ?? '' },
    };
  }
  const group = input.group;
  if (group === undefined) throw new HakoError('internal: a CodeDeploy deployment was planned without its deployment group', 'INTERNAL');
  const config = model.scheduler.codedeploy?.deployment_config;
  return {
    owner: CODEDEPLOY_STEP_OWNER,
    kind: 'create-deployment',
    action: 'create',
    resource,
    title: `Create CodeDeploy deployment of ${model.id}: ${shortRevision(current)} → ${shortRevision(input.taskDefinition)} (${group.application}/${group.deploymentGroup}${config === undefined ? '' : `, ${config}`})${input.force && sameAppSpec(desired, live) ? ' (forced)' : ''}`,
    before: renderAppSpec(live, format),
    after: renderAppSpec(desired, format),
    payload: {
      group: { application: group.application, deploymentGroup: group.deploymentGroup },
      ...(config === undefined ? {} : { deploymentConfig: config }),
      appSpec: desired,
      format,
      ...(current === undefined ? {} : { previousTaskDefinition: current }),
      purpose: 'deploy',
      service: { cluster: model.scheduler.cluster, name: model.id },
    },
  };
}

/** Every step of a CODE_DEPLOY service's deploy after the task definition's, in the order they apply. */
export function planCodeDeploySteps(model: AppModel, input: CodeDeployPlanInput): Step[] {
  const settings = planServiceSettings(model, input.service);
  const terminationWait = input.group === undefined ? undefined : planTerminationWait(model, input.group);
  // The group's settings before the deployment: a deployment takes them when it is created.
  return [...(settings ? [settings] : []), ...(terminationWait ? [terminationWait] : []), planDeployment(model, input)];
}
