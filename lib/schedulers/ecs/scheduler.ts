/**
 * The built-in ECS scheduler: the Scheduler contract (../scheduler.ts) over the ECS pieces of this folder. Its
 * own parts — Cloud Map service discovery and Application Auto Scaling — live in sub-folders and plan and apply
 * their steps through it; the actions know none of them by name.
 */
import type { AppModel, AnyAppModel } from '../../definition/model.js';
import { requireDesiredCount } from '../../definition/normalise.js';
import { AbortedError, DefinitionError, HakoError } from '../../errors.js';
import { info, warn } from '../../io/io-host.js';
import type { ApplyContext, JournalEntry, StepOutcome } from '../../plan/executor.js';
import type { Step } from '../../plan/plan.js';
import type {
  DeployPlanOptions,
  OneshotPlanOptions,
  OneshotRun,
  OneshotRunOptions,
  RollbackPlan,
  RolloutOutcome,
  Scheduler,
  SchedulerContext,
  SchedulerStatus,
  StatusSection,
  WaitOptions,
} from '../scheduler.js';
import { applyEcsStep, isEcsGone, reconcileEcsStep, rolloutOf, type EcsApplyContext } from './apply.js';
import { AUTOSCALING_STEP_OWNER, applyAutoscalingStep, planAutoscalingDeploy } from './autoscaling/index.js';
import {
  applyClassicElbStep,
  checkClassicElb,
  CLASSIC_ELB_STEP_OWNER,
  classicElbStatus,
  isClassicElbGone,
  planClassicElbForDeploy,
  planClassicElbForRemove,
  reconcileClassicElbStep,
} from './classic-elb/index.js';
import { checkDeploymentController, isCodeDeployApp } from './codedeploy/controller.js';
import type { CodeDeployPartContext } from './codedeploy/index.js';
import { CODEDEPLOY_STEP_OWNER } from './codedeploy/steps.js';
import { planStaticFrontPort } from './front-port.js';
import { checkBindings } from './load-balancers.js';
import { describeLatestTaskDefinition, observeEcs } from './observe.js';
import { runOneshot } from './oneshot.js';
import { planEcsDeploy, planTaskDefinition } from './plan.js';
import { circuitBreakerEnabled, observeRollback, planRecovery, ROLLBACK_STEP_KIND, shortTaskDefinition, planRollback } from './rollback.js';
import { checkSecrets } from './secrets-check.js';
import { applySdStep, reconcileSdStep } from './service-discovery/apply.js';
import { hasServiceRegistries, observeSdRemoval, observeSdStatus, planSdRemoval } from './service-discovery/ops.js';
import { observeServiceDiscovery, planServiceDiscovery, SD_STEP_OWNER } from './service-discovery/plan.js';
import { describeLiveService, observeStatus, renderStatus } from './status.js';
import { revisionAfter, taskDefinitionArnKey } from './steps.js';
import { ecsLocks } from './locks.js';
import { followTaskLogs, fromModel, reportTaskLogTails } from './logs/task-logs.js';
import { deleteServiceStepId, planRemove, planStop } from './stop-remove.js';
import { waitForDeployment } from './wait.js';

/**
 * The CodeDeploy part, loaded for CODE_DEPLOY apps only: it brings AppSpecs and with them the YAML library, ~6 ms of
 * module evaluation that a rolling deploy does not need.
 */
const codeDeployPart = () => import('./codedeploy/index.js');

/** The model of an app whose `scheduler.type` is `ecs` (normalisation gives ECS apps this shape). */
function ecsModel(model: AnyAppModel): AppModel {
  if (model.scheduler.type !== 'ecs') throw new HakoError(`internal: the ECS scheduler got a ${model.scheduler.type} app`, 'INTERNAL');
  return model as AppModel;
}

export function createEcsScheduler(context: SchedulerContext): Scheduler {
  const { io } = context;
  const aws = context.aws;
  const ecsApi = () => aws().ecs();
  const applyContext = async (ctx: ApplyContext): Promise<EcsApplyContext> => ({
    ecs: await ctx.aws().ecs(),
    io: ctx.io,
    runId: ctx.runId,
    sleep: ctx.sleep,
    ...(ctx.signal === undefined ? {} : { signal: ctx.signal }),
  });
  const logsIn = (region: string | undefined) => aws().logs(region);
  const waitContext = async (signal: AbortSignal | undefined) => {
    const ecs = await ecsApi();
    return {
      ecs,
      io,
      clock: context.clock,
      sleep: context.sleep,
      // A failed rollout's stopped tasks are shown with the last lines they logged.
      explainTasks: (tasks: Parameters<typeof reportTaskLogTails>[3]) => reportTaskLogTails(ecs, logsIn, io, tasks),
      ...(signal === undefined ? {} : { signal }),
    };
  };

  const codeDeployContext: CodeDeployPartContext = { aws, io, clock: context.clock, sleep: context.sleep, dryRun: context.dryRun };
  const codeDeployApplyContext = async (ctx: ApplyContext) => ({
    codeDeploy: await ctx.aws().codeDeploy(),
    ecs: await ctx.aws().ecs(),
    io: ctx.io,
    runId: ctx.runId,
  });

  /** Cloud Map first: the ECS service's registries point at the services it creates. */
  async function planSd(model: AppModel) {
    const entries = model.scheduler.service_discovery ?? [];
    if (entries.length === 0) return undefined;
    const sdPlan = planServiceDiscovery(await observeServiceDiscovery(await aws().serviceDiscovery(), entries));
    for (const w of sdPlan.warnings) warn(io, 'service-discovery.ignored-change', w);
    return sdPlan;
  }

  return {
    runsScripts: true,

    validate: (anyModel: AnyAppModel) => [...checkBindings(ecsModel(anyModel)), ...checkClassicElb(ecsModel(anyModel))],

    locks: (anyModel: AnyAppModel) => ecsLocks(ecsModel(anyModel)),

    revisionOf: (steps, journal) => revisionAfter(steps, journal),

    async planDeploy(anyModel: AnyAppModel, options: DeployPlanOptions): Promise<Step[]> {
      const defined = ecsModel(anyModel);
      const missing = requireDesiredCount(defined);
      if (missing.length > 0) throw new DefinitionError(defined.file, missing);
      const observed = await observeEcs(await ecsApi(), defined, defined.id);
      checkDeploymentController(defined, observed.service);
      // dynamic_port_mapping false: front's host port is fixed before anything is planned from the model.
      const front = await planStaticFrontPort(defined, ecsApi, observed);
      const model = front.model;
      if (front.port?.source === 'cluster') {
        info(io, 'front-port.allocated', `Front port ${front.port.port} (the next free static port in cluster ${model.scheduler.cluster})`, { port: front.port.port });
      }
      // A CODE_DEPLOY service that exists is deployed through CodeDeploy (./codedeploy/); its first deploy is ours.
      const codeDeploy = isCodeDeployApp(model) ? await (await codeDeployPart()).planCodeDeployDeploy(codeDeployContext, model, observed, { force: options.force }) : undefined;
      const sd = await planSd(model);
      // Before the service, which is created bound to it; it also fixes the host port the task definition maps.
      const elb = await planClassicElbForDeploy(model, aws(), observed);
      for (const w of elb.warnings) warn(io, 'classic-elb.ignored-change', w);
      const ecsSteps =
        codeDeploy ??
        planEcsDeploy(elb.model, observed, {
          force: options.force,
          ...(sd === undefined ? {} : { serviceRegistries: sd.registries }),
        }).steps;
      // After the service: the scalable target is the service, which must exist before it is registered.
      const autoscaling = await planAutoscalingDeploy(model, aws(), observed.service);
      return [...(sd?.steps ?? []), ...elb.steps, ...ecsSteps, ...autoscaling];
    },

    // Loaded by `hako verify` only: its checks reach services (IAM, ECR, EC2…) no other command calls.
    verify: async (anyModel, verifyContext) => (await import('./verify/index.js')).verifyEcs(ecsModel(anyModel), aws, verifyContext),

    async check(model: AnyAppModel): Promise<void> {
      await checkSecrets(model.containers, aws());
    },

    async apply(step: Step, ctx: ApplyContext): Promise<StepOutcome | void> {
      if (step.owner === CODEDEPLOY_STEP_OWNER) return (await codeDeployPart()).applyCodeDeployStep(step, await codeDeployApplyContext(ctx));
      if (step.owner === SD_STEP_OWNER) {
        return applySdStep(
          step,
          { serviceDiscovery: await ctx.aws().serviceDiscovery(), io: ctx.io, sleep: ctx.sleep, ...(ctx.signal === undefined ? {} : { signal: ctx.signal }) },
          ctx.runId,
        );
      }
      if (step.owner === AUTOSCALING_STEP_OWNER) {
        const [autoScaling, cloudWatch] = await Promise.all([ctx.aws().applicationAutoScaling(), ctx.aws().cloudWatch()]);
        return applyAutoscalingStep(step, { autoScaling, cloudWatch, io: ctx.io, elbv2: () => ctx.aws().elbv2() });
      }
      if (step.owner === CLASSIC_ELB_STEP_OWNER) return applyClassicElbStep(step, { elb: await ctx.aws().elb(), io: ctx.io });
      return applyEcsStep(step, await applyContext(ctx));
    },

    async reconcile(step: Step, ctx: ApplyContext): Promise<StepOutcome | undefined> {
      if (step.owner === SD_STEP_OWNER) return reconcileSdStep(step, await ctx.aws().serviceDiscovery());
      if (step.owner === AUTOSCALING_STEP_OWNER) return undefined;
      if (step.owner === CLASSIC_ELB_STEP_OWNER) return reconcileClassicElbStep(step, await ctx.aws().elb());
      if (step.owner === CODEDEPLOY_STEP_OWNER) return (await codeDeployPart()).reconcileCodeDeployStep(step, await codeDeployApplyContext(ctx));
      return reconcileEcsStep(step, await applyContext(ctx));
    },

    isGone: (step: Step, error: unknown) => (step.owner === CLASSIC_ELB_STEP_OWNER ? isClassicElbGone(step, error) : isEcsGone(step, error)),

    async wait(anyModel: AnyAppModel, journal: readonly JournalEntry[], options: WaitOptions): Promise<RolloutOutcome> {
      const model = ecsModel(anyModel);
      if (isCodeDeployApp(model)) return (await codeDeployPart()).waitCodeDeploy(codeDeployContext, model, journal, options);
      const rollout = rolloutOf(journal);
      const service = rollout.service;
      if (service === undefined) return { status: 'none' };
      const taskDefinitionArn = rollout.taskDefinitionArn ?? service.taskDefinition ?? '';
      let outcome;
      try {
        outcome = await waitForDeployment(await waitContext(options.signal), service, {
          taskDefinitionArn,
          ...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
          circuitBreaker: circuitBreakerEnabled(service),
        });
      } catch (e) {
        if (!(e instanceof AbortedError)) throw e;
        throw new AbortedError(`Interrupted: the ECS deployment of ${model.id} to ${shortTaskDefinition(taskDefinitionArn)} goes on without hako`, 130, {
          hint: `Watch it with \`hako status ${model.file}\`; undo it with \`hako rollback ${model.file}\`.`,
        });
      }
      if (outcome.status === 'completed') return { status: 'completed' };
      const failed = { status: outcome.status, reason: outcome.reason, taskIds: outcome.startedTaskIds } as const;
      // A rollback that fails is reported, not rolled back again.
      if (journal.some((e) => e.step.kind === ROLLBACK_STEP_KIND)) return failed;
      const recovery = planRecovery({
        service: outcome.service,
        failedTaskDefinitionArn: taskDefinitionArn,
        registeredThisRun: rollout.registeredArn !== undefined,
        ...(rollout.previousTaskDefinitionArn === undefined ? {} : { previousTaskDefinitionArn: rollout.previousTaskDefinitionArn }),
      });
      return recovery.steps.length > 0
        ? { ...failed, recovery: recovery.steps, ...(recovery.target === undefined ? {} : { recoveryTarget: recovery.target }) }
        : { ...failed, ...(recovery.note === undefined ? {} : { note: recovery.note }), ...(recovery.hint === undefined ? {} : { hint: recovery.hint }) };
    },

    async planRollback(anyModel: AnyAppModel, options: { readonly to?: number }): Promise<RollbackPlan> {
      const model = ecsModel(anyModel);
      const observed = await observeRollback(await ecsApi(), model.scheduler.cluster, model.id);
      if (!observed.service) {
        throw new HakoError(`Unable to find service ${model.id} in cluster ${model.scheduler.cluster}`, 'SERVICE_NOT_FOUND', 1, {
          hint: 'Deploy it first: hako deploy FILE',
        });
      }
      checkDeploymentController(model, observed.service);
      if (isCodeDeployApp(model)) return (await codeDeployPart()).planCodeDeployRollbackFor(codeDeployContext, model, { ...observed, service: observed.service }, options);
      const plan = planRollback(observed, options.to === undefined ? {} : { to: options.to });
      const target = (plan.steps[0]?.payload as { taskDefinition?: string } | undefined)?.taskDefinition ?? '';
      return { steps: plan.steps, current: observed.service.taskDefinition ?? '', target, revision: shortTaskDefinition(target) };
    },

    async planStop(anyModel: AnyAppModel): Promise<readonly Step[]> {
      const model = ecsModel(anyModel);
      return planStop(await describeLiveService(await ecsApi(), model.scheduler.cluster, model.id), model).steps;
    },

    async planRemove(anyModel: AnyAppModel): Promise<readonly Step[]> {
      const model = ecsModel(anyModel);
      const service = await describeLiveService(await ecsApi(), model.scheduler.cluster, model.id);
      const ecsSteps = planRemove(service, model).steps;
      // hako removed the load balancer whether or not the service still existed; it goes once the service is gone.
      const elbSteps = await planClassicElbForRemove(model, aws(), service === undefined ? undefined : deleteServiceStepId(service.serviceName ?? model.id));
      if (!hasServiceRegistries(service)) return [...ecsSteps, ...elbSteps];
      // The Cloud Map services the live service registers into (not the definition's: those may have changed).
      const sdObserved = await observeSdRemoval(await aws().serviceDiscovery(), service);
      for (const id of sdObserved.missing) info(io, 'service-discovery.missing', `Service discovery service ${id} doesn't exist`, { id });
      // Instances deregister once the service is gone; Cloud Map refuses to delete a service that has some.
      const sdSteps = planSdRemoval(sdObserved).steps.map((s) => ({ ...s, dependsOn: [deleteServiceStepId(service?.serviceName ?? model.id)] }));
      return [...ecsSteps, ...sdSteps, ...elbSteps];
    },

    async planOneshot(anyModel: AnyAppModel, _options: OneshotPlanOptions): Promise<readonly Step[]> {
      const model = ecsModel(anyModel);
      const family = `${model.id}-oneshot`;
      // hako's S3 task notifications and ASG scale-out are not implemented yet. Waiting by polling DescribeTasks works
      // everywhere, so say what is ignored instead of failing a oneshot that would otherwise run fine.
      if (model.scheduler.oneshot_notification_prefix) {
        warn(io, 'ecs.oneshot.notification-unsupported', 'scheduler.oneshot_notification_prefix is not supported yet: waiting for the task by polling DescribeTasks instead');
      }
      if (model.scheduler.autoscaling_group_for_oneshot) {
        warn(io, 'ecs.oneshot.scale-out-unsupported', 'scheduler.autoscaling_group_for_oneshot is not supported yet: hako will not scale the group out when the task cannot be placed');
      }
      const current = await describeLatestTaskDefinition(await ecsApi(), family);
      return [
        planTaskDefinition(
          model,
          { taskDefinition: current?.taskDefinition, taskDefinitionTags: current?.tags ?? [] },
          { force: false, family },
        ),
      ];
    },

    async runOneshot(anyModel: AnyAppModel, journal: readonly JournalEntry[], options: OneshotRunOptions): Promise<OneshotRun> {
      const model = ecsModel(anyModel);
      const key = taskDefinitionArnKey(`${model.id}-oneshot`);
      const taskDefinitionArn = journal.map((e) => e.outputs[key]).find((v) => v !== undefined);
      if (taskDefinitionArn === undefined) throw new HakoError('internal: the oneshot task definition was not planned', 'INTERNAL');
      const result = await runOneshot(
        { ecs: await ecsApi(), io, sleep: context.sleep, clock: context.clock },
        {
          model,
          taskDefinitionArn,
          command: options.command,
          env: options.env,
          overrides: options.overrides,
          noWait: options.noWait,
          signal: options.signal,
          clientToken: context.runId,
          ...(options.followLogs === false || options.noWait
            ? {}
            : {
                followLogs: (taskArn: string) =>
                  followTaskLogs({ containers: model.containers.map(fromModel), taskArn, logs: logsIn, io, sleep: context.sleep }),
              }),
          ...(options.onStarted === undefined ? {} : { onStarted: (task) => options.onStarted!({ cluster: model.scheduler.cluster, taskArn: task.taskArn ?? '' }) }),
        },
      );
      return {
        exitCode: result.exitCode,
        cluster: result.cluster,
        taskArn: result.taskArn,
        stopped: result.stopped,
        ...(result.data === undefined ? {} : { data: result.data }),
      };
    },

    async status(anyModel: AnyAppModel, sections: readonly StatusSection[]): Promise<SchedulerStatus> {
      const model = ecsModel(anyModel);
      const report = await observeStatus(await ecsApi(), model, { ec2: () => aws().ec2() });
      if (!report) return { exists: false, text: 'Unavailable', data: null };
      if (report.serviceRegistries.length > 0) {
        report.serviceDiscovery = await observeSdStatus(await aws().serviceDiscovery(), report.serviceRegistries);
      }
      const elb = await classicElbStatus(model, aws());
      const all = elb === undefined ? sections : [elb, ...sections];
      if (all.length > 0) report.sections = [...all];
      const revision = report.service.taskDefinition;
      return { exists: true, text: renderStatus(report, { sections: all }), data: report, ...(revision === '' ? {} : { revision }) };
    },
  };
}
