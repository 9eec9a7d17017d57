/**
 * The steps of a CODE_DEPLOY service once it exists, and their payloads: the contract between the planners
 * (plan.ts, rollback.ts) and the applier (apply.ts). The first deploy is the ECS planner's create-service step with
 * the controller set; everything after goes through CodeDeploy.
 */
import type { codeDeploy, ecs } from '../../../aws/ports.js';
import type { CodeDeployConfig } from '../../../definition/model.js';
import type { Deferred } from '../../../plan/outputs.js';
import type { OwnedStep, Step } from '../../../plan/plan.js';
import type { EcsAppSpec } from './appspec.js';

/** `Step.owner` of every step planned here (applied by the ECS scheduler). */
export const CODEDEPLOY_STEP_OWNER = 'codedeploy';

/** The CodeDeploy application and deployment group that deploy the service. */
export interface DeploymentGroupRef {
  readonly application: string;
  readonly deploymentGroup: string;
}

/** UpdateService with only what ECS takes for a CODE_DEPLOY service (action `update`). */
export interface UpdateServiceSettingsPayload {
  readonly input: ecs.UpdateServiceCommandInput;
}

/** The deployment group's blue task set termination wait (action `update`). */
export interface UpdateDeploymentGroupPayload {
  readonly input: codeDeploy.UpdateDeploymentGroupCommandInput;
}

/** Start a deployment (action `create`). The AppSpec's task definition may be a ref to this apply's new revision. */
export interface CreateDeploymentPayload {
  readonly group: DeploymentGroupRef;
  readonly deploymentConfig?: string;
  readonly appSpec: EcsAppSpec;
  readonly format: CodeDeployConfig['appspec_format'];
  /** What the service runs before this deployment (for messages and the outcome). */
  readonly previousTaskDefinition?: string;
  /** `deploy` or `rollback`: the description says which, next to the run id that identifies the request. */
  readonly purpose: 'deploy' | 'rollback';
  readonly service: { readonly cluster: string; readonly name: string };
}

/** Nothing to deploy: the service runs what the definition describes (action `noop`). */
export interface DeploymentUnchangedPayload {
  readonly taskDefinition: string;
}

/** Stop an in-flight deployment and let CodeDeploy roll it back (action `update`). */
export interface StopDeploymentPayload {
  readonly group: DeploymentGroupRef;
  readonly deploymentId: string;
  /** The task definition that deployment was rolling out. */
  readonly taskDefinition?: string;
}

export interface CodeDeployPayloads {
  'update-service-settings': UpdateServiceSettingsPayload;
  'update-deployment-group': UpdateDeploymentGroupPayload;
  'create-deployment': CreateDeploymentPayload;
  'deployment-unchanged': DeploymentUnchangedPayload;
  'stop-deployment': StopDeploymentPayload;
}

export type CodeDeployStepKind = keyof CodeDeployPayloads;
export type CodeDeployStep<K extends CodeDeployStepKind = CodeDeployStepKind> = OwnedStep<typeof CODEDEPLOY_STEP_OWNER, CodeDeployPayloads, K>;

export function isCodeDeployStep<K extends CodeDeployStepKind>(step: Step, kind: K): step is CodeDeployStep<K> {
  return step.owner === CODEDEPLOY_STEP_OWNER && step.kind === kind;
}

/** What applying a create-deployment or stop-deployment step leaves in the journal, for `wait`. */
export interface DeploymentStepData {
  readonly deploymentId: string;
  readonly group: DeploymentGroupRef;
  /** The task definition the deployment rolls out (create) or was rolling out (stop). */
  readonly taskDefinition?: string;
  readonly previousTaskDefinition?: string;
}

/** `hello:3` from a task definition ARN (the text itself if it is no ARN). */
export function shortRevision(arn: Deferred | undefined): string {
  if (arn === undefined) return '(none)';
  if (typeof arn !== 'string') return `(known after apply: ${arn.describe})`;
  return arn.includes('task-definition/') ? arn.slice(arn.indexOf('task-definition/') + 'task-definition/'.length) : arn;
}
