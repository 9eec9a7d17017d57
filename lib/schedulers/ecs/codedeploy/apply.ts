/**
 * Applies the CodeDeploy part's steps. The only code here that changes anything; the executor calls it with the
 * AppSpec's task definition already filled in, and asks `reconcileCodeDeployStep` whether a CreateDeployment whose
 * answer was lost started a deployment after all.
 */
import type { CodeDeployApi, EcsApi } from '../../../aws/ports.js';
import { HakoError } from '../../../errors.js';
import { info, type IoHost } from '../../../io/io-host.js';
import type { StepOutcome } from '../../../plan/executor.js';
import { known } from '../../../plan/outputs.js';
import type { Step } from '../../../plan/plan.js';
import { awsErrorCode } from '../../../util/backoff.js';
import { renderAppSpec } from './appspec.js';
import { inFlightDeployments } from './discover.js';
import { shortRevision, type CodeDeployPayloads, type CodeDeployStepKind, type CreateDeploymentPayload, type DeploymentStepData } from './steps.js';

export interface CodeDeployApplyContext {
  readonly codeDeploy: CodeDeployApi;
  readonly ecs: EcsApi;
  readonly io: IoHost;
  /** Per run: written into each deployment's description, so a lost CreateDeployment is recognised as ours. */
  readonly runId: string;
}

function payloadOf<K extends CodeDeployStepKind>(step: Step, _kind: K): CodeDeployPayloads[K] {
  return step.payload as CodeDeployPayloads[K];
}

/** `hako deploy of hello (run 0b6…)`: the run id is what `reconcile` looks for. */
export function deploymentDescription(p: CreateDeploymentPayload, runId: string): string {
  return `hako ${p.purpose} of ${p.service.name} (run ${runId})`;
}

function createdData(p: CreateDeploymentPayload, deploymentId: string): DeploymentStepData {
  const taskDefinition = known(p.appSpec.Resources[0].TargetService.Properties.TaskDefinition);
  return {
    deploymentId,
    group: p.group,
    taskDefinition,
    ...(p.previousTaskDefinition === undefined ? {} : { previousTaskDefinition: p.previousTaskDefinition }),
  };
}

export async function applyCodeDeployStep(step: Step, ctx: CodeDeployApplyContext): Promise<StepOutcome | void> {
  const { io } = ctx;
  switch (step.kind) {
    case 'update-service-settings': {
      const p = payloadOf(step, 'update-service-settings');
      const service = (await ctx.ecs.updateService(p.input)).service;
      info(io, 'ecs.service.updated', `Updated service: ${service?.serviceArn ?? p.input.service}`, { arn: service?.serviceArn });
      return;
    }
    case 'update-deployment-group': {
      const p = payloadOf(step, 'update-deployment-group');
      await ctx.codeDeploy.updateDeploymentGroup(p.input);
      info(io, 'codedeploy.group.updated', `Updated deployment group ${p.input.applicationName}/${p.input.currentDeploymentGroupName}`, {
        application: p.input.applicationName,
        deploymentGroup: p.input.currentDeploymentGroupName,
      });
      return;
    }
    case 'create-deployment': {
      const p = payloadOf(step, 'create-deployment');
      if (p.purpose === 'rollback') info(io, 'codedeploy.rollback.started', step.title, { group: p.group });
      const content = renderAppSpec(p.appSpec, p.format);
      const out = await ctx.codeDeploy.createDeployment({
        applicationName: p.group.application,
        deploymentGroupName: p.group.deploymentGroup,
        ...(p.deploymentConfig === undefined ? {} : { deploymentConfigName: p.deploymentConfig }),
        description: deploymentDescription(p, ctx.runId),
        revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
      });
      if (!out.deploymentId) throw new HakoError('CreateDeployment returned no deployment id', 'CODEDEPLOY_UNEXPECTED_RESPONSE');
      const data = createdData(p, out.deploymentId);
      info(io, 'codedeploy.deployment.created', `Created CodeDeploy deployment ${out.deploymentId}: ${shortRevision(data.taskDefinition)}`, data);
      return { data };
    }
    case 'stop-deployment': {
      const p = payloadOf(step, 'stop-deployment');
      info(io, 'codedeploy.rollback.started', step.title, { deploymentId: p.deploymentId });
      try {
        await ctx.codeDeploy.stopDeployment({ deploymentId: p.deploymentId, autoRollbackEnabled: true });
      } catch (e) {
        // It ended between the plan and now (or a repeated request found it stopping): wait reports how it ended.
        if (awsErrorCode(e) !== 'DeploymentAlreadyCompletedException') throw e;
        info(io, 'codedeploy.deployment.already-completed', `CodeDeploy deployment ${p.deploymentId} had already finished`, { deploymentId: p.deploymentId });
      }
      const data: DeploymentStepData = { deploymentId: p.deploymentId, group: p.group, ...(p.taskDefinition === undefined ? {} : { taskDefinition: p.taskDefinition }) };
      return { data };
    }
    default:
      throw new HakoError(`Unknown CodeDeploy step kind: ${step.kind}`, 'INTERNAL');
  }
}

/**
 * After a CreateDeployment whose answer was lost: the deployment it started, if any, is the group's unfinished one
 * whose description carries this run's id (CodeDeploy runs one deployment per group at a time, so a second
 * request would only be refused, or start a duplicate where the first had failed at once).
 */
export async function reconcileCodeDeployStep(step: Step, ctx: CodeDeployApplyContext): Promise<StepOutcome | undefined> {
  if (step.kind !== 'create-deployment') return undefined;
  const p = payloadOf(step, 'create-deployment');
  const marker = `(run ${ctx.runId})`;
  const ours = (await inFlightDeployments(ctx.codeDeploy, p.group)).find((d) => d.description?.includes(marker));
  if (ours?.deploymentId === undefined) return undefined;
  const data = createdData(p, ours.deploymentId);
  info(ctx.io, 'codedeploy.deployment.created', `Created CodeDeploy deployment ${ours.deploymentId}: ${shortRevision(data.taskDefinition)}`, { ...data, adopted: true });
  return { data };
}
