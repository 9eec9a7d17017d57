/**
 * The ECS scheduler's CodeDeploy part: services whose `scheduler.deployment_controller.type` is CODE_DEPLOY. The
 * first deploy is the ECS planner's (CreateService with the controller set); every later one registers the task
 * definition if it changed and starts a CodeDeploy deployment whose AppSpec names it. The ECS scheduler routes to
 * these functions; the actions know nothing of CodeDeploy.
 */
import type { AwsClients, codeDeploy } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import { AbortedError, DefinitionError, HakoError } from '../../../errors.js';
import { info, warn, type IoHost } from '../../../io/io-host.js';
import type { JournalEntry } from '../../../plan/executor.js';
import type { Step } from '../../../plan/plan.js';
import type { Clock, Sleep } from '../../../util/sleep.js';
import type { RollbackPlan, RolloutOutcome, WaitOptions } from '../../scheduler.js';
import { rolloutOf } from '../apply.js';
import { serviceBindings } from '../load-balancers.js';
import type { EcsObserved } from '../observe.js';
import { planTaskDefinition } from '../plan.js';
import type { RollbackObserved } from '../rollback.js';
import { registeredRevision } from '../steps.js';
import { clusterName, findDeploymentGroup, getDeploymentGroup, inFlightDeployments, type FoundDeploymentGroup } from './discover.js';
import { waitForInitialTaskSet } from './initial-task-set.js';
import { needsDeployment, planCodeDeploySteps } from './plan.js';
import { planCodeDeployRollback } from './rollback.js';
import { CODEDEPLOY_STEP_OWNER, type DeploymentStepData } from './steps.js';
import { followDeployment, type FollowOutcome } from './wait.js';

export { applyCodeDeployStep, reconcileCodeDeployStep } from './apply.js';
export { checkDeploymentController, isCodeDeployApp } from './plan.js';
export { CODEDEPLOY_STEP_OWNER } from './steps.js';

export interface CodeDeployPartContext {
  readonly aws: () => AwsClients;
  readonly io: IoHost;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** diff and dry runs: what would stop a deploy is reported, not thrown. */
  readonly dryRun: boolean;
}

type Binding = ReturnType<typeof serviceBindings>[number];

/** The one load balancer binding a CODE_DEPLOY service has (validation counted the definition's; scripts may add). */
function singleBinding(model: AppModel): Binding {
  const bindings = serviceBindings(model);
  if (bindings.length === 1) return bindings[0]!;
  throw new DefinitionError(model.file, [
    {
      path: 'scheduler.deployment_controller',
      severity: 'error',
      message: `a CODE_DEPLOY service binds exactly one target group, got ${bindings.length}${bindings.length === 0 ? '' : ` (${bindings.map((b) => b.target_group_name).join(', ')})`}`,
    },
  ]);
}

function serviceRef(model: AppModel) {
  return { cluster: model.scheduler.cluster, service: model.id };
}

/** The group's target group pair should hold the binding's target group: traffic can only shift within it. */
function checkTargetGroupPair(io: IoHost, group: FoundDeploymentGroup, binding: Binding): void {
  const pair = (group.info.loadBalancerInfo?.targetGroupPairInfoList ?? []).flatMap((p) => (p.targetGroups ?? []).map((t) => t.name ?? ''));
  if (pair.length === 0 || pair.includes(binding.target_group_name)) return;
  warn(
    io,
    'codedeploy.group.target-group-mismatch',
    `Target group ${binding.target_group_name} is not in deployment group ${group.application}/${group.deploymentGroup}'s pair (${pair.join(', ')}): CodeDeploy can only shift traffic between those`,
    { targetGroup: binding.target_group_name, pair },
  );
}

/** First deploy: the service does not exist yet, so there is no deployment; a group named in the definition is checked. */
async function checkFirstDeploy(ctx: CodeDeployPartContext, model: AppModel, binding: Binding): Promise<void> {
  const config = model.scheduler.codedeploy;
  if (config?.application === undefined || config.deployment_group === undefined) return;
  const groupInfo = await getDeploymentGroup(await ctx.aws().codeDeploy(), config.application, config.deployment_group);
  const name = `${config.application}/${config.deployment_group}`;
  if (groupInfo === undefined) {
    info(ctx.io, 'codedeploy.group.missing', `Deployment group ${name} does not exist yet: create it (for this service) before the next deploy, which goes through it`);
    return;
  }
  checkTargetGroupPair(ctx.io, { application: config.application, deploymentGroup: config.deployment_group, info: groupInfo, named: true }, binding);
}

/**
 * Plans a CODE_DEPLOY service's deploy. `undefined` for the first deploy: the ECS planner creates the service (with
 * the controller set). Reads only; CodeDeploy is asked only when a deployment or the group's settings are at stake.
 */
export async function planCodeDeployDeploy(ctx: CodeDeployPartContext, model: AppModel, observed: EcsObserved, options: { readonly force: boolean }): Promise<Step[] | undefined> {
  const binding = singleBinding(model);
  const service = observed.service;
  if (service === undefined) {
    await checkFirstDeploy(ctx, model, binding);
    return undefined;
  }
  const exec = model.scheduler.enable_execute_command;
  if (service.enableExecuteCommand !== undefined && service.enableExecuteCommand !== exec) {
    // UpdateService takes it for a rolling service only, and an AppSpec has no place for it.
    warn(ctx.io, 'codedeploy.service.unchangeable', `scheduler.enable_execute_command (${exec}) differs from the service's (${service.enableExecuteCommand}), which ECS does not change on a CODE_DEPLOY service`, {
      setting: 'enable_execute_command',
    });
  }
  const tdStep = planTaskDefinition(model, observed, { force: options.force, family: model.id });
  const taskDefinition = tdStep.kind === 'task-definition-unchanged' ? tdStep.payload.arn : registeredRevision(model.id);
  const input = { service, taskDefinition, binding: { containerName: binding.container_name, containerPort: binding.container_port }, force: options.force };
  const deploying = needsDeployment(model, input);
  const config = model.scheduler.codedeploy;
  let group: FoundDeploymentGroup | undefined;
  if (deploying || config?.termination_wait_minutes !== undefined) {
    const api = await ctx.aws().codeDeploy();
    group = await findDeploymentGroup(api, config, serviceRef(model));
    if (!group.named) {
      info(ctx.io, 'codedeploy.group.found', `Deploying through CodeDeploy deployment group ${group.application}/${group.deploymentGroup} (found by its ECS service; name it in scheduler.codedeploy to skip the search)`, {
        application: group.application,
        deploymentGroup: group.deploymentGroup,
      });
    }
    checkTargetGroupPair(ctx.io, group, binding);
    if (deploying) {
      const running = await inFlightDeployments(api, group);
      if (running.length > 0) {
        const ids = running.map((d) => `${d.deploymentId} (${d.status})`).join(', ');
        const message = `CodeDeploy deployment ${ids} of ${model.id} has not finished`;
        const hint = 'Wait for it to end, or stop it and roll it back with `hako rollback`; CodeDeploy runs one deployment per group at a time.';
        if (!ctx.dryRun) throw new HakoError(message, 'CODEDEPLOY_DEPLOYMENT_IN_PROGRESS', 1, { hint });
        warn(ctx.io, 'codedeploy.deployment.in-progress', `${message}: deploying now would be refused. ${hint}`, { deployments: running.map((d) => d.deploymentId) });
      }
    }
  }
  return [tdStep, ...planCodeDeploySteps(model, { ...input, ...(group === undefined ? {} : { group }) })];
}

/** The last deployment this run started or stopped, from the journal. */
function deploymentEntry(journal: readonly JournalEntry[]): JournalEntry | undefined {
  return [...journal]
    .reverse()
    .find(
      (e) =>
        e.step.owner === CODEDEPLOY_STEP_OWNER &&
        (e.step.kind === 'create-deployment' || e.step.kind === 'stop-deployment') &&
        (e.status === 'applied' || e.status === 'adopted') &&
        e.data !== undefined,
    );
}

function watchHint(deploymentId: string, file: string): string {
  return `Watch it with \`aws deploy get-deployment --deployment-id ${deploymentId}\` (or the CodeDeploy console); stop it and roll it back with \`hako rollback ${file}\`.`;
}

/** Why a failed deployment needs (or does not need) the user: what CodeDeploy does about it by itself. */
function afterFailure(info: codeDeploy.DeploymentInfo | undefined, file: string): string {
  const rollbackId = info?.rollbackInfo?.rollbackDeploymentId;
  if (rollbackId) return `CodeDeploy rolls it back in deployment ${rollbackId} (\`aws deploy get-deployment --deployment-id ${rollbackId}\`).`;
  if (info?.autoRollbackConfiguration?.enabled) return "The deployment group's automatic rollback puts the previous task set back.";
  return `Automatic rollback is off for this deployment group: check where traffic goes, and \`hako rollback ${file}\` deploys the previous revision.`;
}

type Ended = Exclude<FollowOutcome, { status: 'succeeded' | 'traffic-shifted' }>;

function done(outcome: FollowOutcome): outcome is Exclude<FollowOutcome, Ended> {
  return outcome.status === 'succeeded' || outcome.status === 'traffic-shifted';
}

function failed(outcome: Ended, hint: string): RolloutOutcome {
  return { status: outcome.status === 'timed-out' ? 'timed-out' : 'failed', reason: outcome.reason, taskIds: [], hint };
}

/** Follows what a deploy or rollback of a CODE_DEPLOY service started (see wait.ts). */
export async function waitCodeDeploy(ctx: CodeDeployPartContext, model: AppModel, journal: readonly JournalEntry[], options: WaitOptions): Promise<RolloutOutcome> {
  const entry = deploymentEntry(journal);
  const base = { io: ctx.io, clock: ctx.clock, sleep: ctx.sleep, ...(options.signal === undefined ? {} : { signal: options.signal }) };
  const timeout = options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs };
  if (entry === undefined) {
    const created = journal.some((e) => e.step.kind === 'create-service' && (e.status === 'applied' || e.status === 'adopted'));
    const service = rolloutOf(journal).service;
    if (!created || service === undefined) return { status: 'none' };
    try {
      const outcome = await waitForInitialTaskSet({ ...base, ecs: await ctx.aws().ecs() }, service, options.timeoutMs);
      if (outcome.status === 'completed') return { status: 'completed' };
      return { status: 'timed-out', reason: outcome.reason, taskIds: [], note: "Nothing to roll back to: this was the service's first deployment", hint: 'The service is left as it is for inspection (`hako status`).' };
    } catch (e) {
      if (!(e instanceof AbortedError)) throw e;
      throw new AbortedError(`Interrupted: service ${model.id} goes on starting without hako`, 130, { hint: `Watch it with \`hako status ${model.file}\`.` });
    }
  }

  const data = entry.data as DeploymentStepData;
  const api = await ctx.aws().codeDeploy();
  const follow = { ...base, codeDeploy: api };
  const targetId = `${clusterName(model.scheduler.cluster)}:${model.id}`;
  let current = data.deploymentId;
  try {
    if (entry.step.kind === 'create-deployment') {
      const rollback = (entry.step.payload as { purpose?: string }).purpose === 'rollback';
      const until = rollback ? 'succeeded' : (model.scheduler.codedeploy?.wait ?? 'succeeded');
      const outcome = await followDeployment(follow, { deploymentId: current, until, targetId, ...timeout });
      if (done(outcome)) return { status: 'completed' };
      return failed(outcome, outcome.status === 'timed-out' ? `The deployment goes on. ${watchHint(current, model.file)}` : afterFailure(outcome.info, model.file));
    }
    // stop-deployment: the stopped deployment ends as Stopped, then CodeDeploy's rollback deployment runs.
    const stopped = await followDeployment(follow, { deploymentId: current, until: 'succeeded', stopping: true, targetId, ...timeout });
    if (stopped.status === 'timed-out') return failed(stopped, watchHint(current, model.file));
    if (done(stopped)) {
      return {
        status: 'failed',
        reason: `CodeDeploy deployment ${current} succeeded before it could be stopped`,
        taskIds: [],
        hint: `Run \`hako rollback ${model.file}\` again to deploy the previous revision.`,
      };
    }
    const rollbackId = stopped.info.rollbackInfo?.rollbackDeploymentId;
    if (!rollbackId) {
      info(ctx.io, 'codedeploy.rollback.none', `CodeDeploy deployment ${current} is stopped; CodeDeploy started no rollback deployment (nothing had moved)`, { deploymentId: current });
      return { status: 'completed' };
    }
    info(ctx.io, 'codedeploy.rollback.started', `CodeDeploy rolls back in deployment ${rollbackId}`, { deploymentId: current, rollbackDeploymentId: rollbackId });
    current = rollbackId;
    const back = await followDeployment(follow, { deploymentId: current, until: 'succeeded', targetId, ...timeout });
    if (done(back)) return { status: 'completed' };
    return failed(back, back.status === 'timed-out' ? watchHint(current, model.file) : 'Inspect the service with `hako status` and the deployment in the CodeDeploy console.');
  } catch (e) {
    if (!(e instanceof AbortedError)) throw e;
    throw new AbortedError(`Interrupted: CodeDeploy deployment ${current} of ${model.id} goes on without hako`, 130, { hint: watchHint(current, model.file) });
  }
}

/** Plans `hako rollback` of a CODE_DEPLOY service (observed the rolling way first: the service and its revisions). */
export async function planCodeDeployRollbackFor(ctx: CodeDeployPartContext, model: AppModel, observed: RollbackObserved & { service: NonNullable<RollbackObserved['service']> }, options: { readonly to?: number }): Promise<RollbackPlan> {
  const api = await ctx.aws().codeDeploy();
  const group = await findDeploymentGroup(api, model.scheduler.codedeploy, serviceRef(model));
  const inFlight = await inFlightDeployments(api, group);
  return planCodeDeployRollback(model, { service: observed.service, group, inFlight, taskDefinitions: observed.taskDefinitions }, options);
}
