/**
 * `hako rollback` of a CODE_DEPLOY service. ECS refuses UpdateService(taskDefinition) for it, so going back is
 * CodeDeploy's job too:
 *
 * - a deployment still in flight is stopped with rollback (StopDeployment `autoRollbackEnabled`): CodeDeploy sends
 *   traffic back to the original task set, whatever the group's own auto-rollback setting;
 * - otherwise the previous ACTIVE revision (or `--to N`) is deployed through CodeDeploy, with everything else as the
 *   service has it now. Unlike a rolling rollback, the revision left is not deregistered: CodeDeploy may still roll
 *   back to it if the rollback deployment fails. Pure.
 */
import type { codeDeploy, ecs } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import { HakoError } from '../../../errors.js';
import type { RollbackPlan } from '../../scheduler.js';
import { planRollback as planRollingRollback, shortTaskDefinition, type RollbackPayload } from '../rollback.js';
import { liveTaskDefinition, renderAppSpec, serviceAppSpec, taskDefinitionInAppSpec } from './appspec.js';
import { CODEDEPLOY_STEP_OWNER, type CodeDeployStep, type DeploymentGroupRef } from './steps.js';

export interface CodeDeployRollbackObserved {
  readonly service: ecs.Service;
  readonly group: DeploymentGroupRef;
  /** Unfinished deployments of the group, newest first. */
  readonly inFlight: readonly codeDeploy.DeploymentInfo[];
  /** ACTIVE revisions of the service's family. */
  readonly taskDefinitions: readonly string[];
}

/** The task definition a deployment rolls out, when its AppSpec content came back with it. */
export function deploymentTaskDefinition(info: codeDeploy.DeploymentInfo): string | undefined {
  const content = info.revision?.appSpecContent?.content;
  return content === undefined ? undefined : taskDefinitionInAppSpec(content);
}

function stopSteps(model: AppModel, observed: CodeDeployRollbackObserved): CodeDeployStep<'stop-deployment'>[] {
  return observed.inFlight.map((d) => {
    const id = d.deploymentId ?? '';
    const td = deploymentTaskDefinition(d);
    return {
      owner: CODEDEPLOY_STEP_OWNER,
      kind: 'stop-deployment',
      action: 'update',
      resource: `CodeDeploy deployment ${id}`,
      title: `Stop CodeDeploy deployment ${id} of ${model.id}${td === undefined ? '' : ` (rolling out ${shortTaskDefinition(td)})`} and roll it back`,
      before: { deployment: id, status: d.status ?? 'unknown' },
      after: { deployment: id, status: 'Stopped', rollback: true },
      payload: { group: observed.group, deploymentId: id, ...(td === undefined ? {} : { taskDefinition: td }) },
    };
  });
}

/** Plans `hako rollback` (`to`: a revision of the same family) for a CODE_DEPLOY service. */
export function planCodeDeployRollback(model: AppModel, observed: CodeDeployRollbackObserved, options: { readonly to?: number }): RollbackPlan {
  const running = liveTaskDefinition(observed.service) ?? '';
  if (observed.inFlight.length > 0) {
    const ids = observed.inFlight.map((d) => d.deploymentId).join(', ');
    if (options.to !== undefined) {
      throw new HakoError(`CodeDeploy deployment ${ids} of ${model.id} is in progress`, 'CODEDEPLOY_DEPLOYMENT_IN_PROGRESS', 1, {
        hint: '`hako rollback` without --to stops it and lets CodeDeploy roll it back; deploy another revision once it has ended.',
      });
    }
    const newest = deploymentTaskDefinition(observed.inFlight[0]!);
    return {
      steps: stopSteps(model, observed),
      current: newest ?? `CodeDeploy deployment ${observed.inFlight[0]!.deploymentId}`,
      target: running,
      ...(running === '' ? {} : { revision: shortTaskDefinition(running) }),
    };
  }

  // The revision rules are the rolling rollback's (previous ACTIVE revision, or --to N of the same family).
  const rolling = planRollingRollback({ service: { ...observed.service, taskDefinition: running }, taskDefinitions: observed.taskDefinitions }, options);
  const target = (rolling.steps[0]?.payload as RollbackPayload | undefined)?.taskDefinition;
  if (target === undefined) throw new HakoError(`Unable to find a rollback target for ${model.id}`, 'ECS_ROLLBACK_TARGET');
  const config = model.scheduler.codedeploy;
  const format = config?.appspec_format ?? 'yaml';
  const appSpec = serviceAppSpec(observed.service, target, config);
  const step: CodeDeployStep<'create-deployment'> = {
    owner: CODEDEPLOY_STEP_OWNER,
    kind: 'create-deployment',
    action: 'create',
    resource: `CodeDeploy deployment of service ${model.id}`,
    title: `Current task definition is ${shortTaskDefinition(running)}. Rolling back to ${target} through CodeDeploy (${observed.group.application}/${observed.group.deploymentGroup})`,
    before: renderAppSpec(serviceAppSpec(observed.service, running, config), format),
    after: renderAppSpec(appSpec, format),
    payload: {
      group: observed.group,
      ...(config?.deployment_config === undefined ? {} : { deploymentConfig: config.deployment_config }),
      appSpec,
      format,
      previousTaskDefinition: running,
      purpose: 'rollback',
      service: { cluster: model.scheduler.cluster, name: model.id },
    },
  };
  return { steps: [step], current: running, target, revision: shortTaskDefinition(target) };
}
