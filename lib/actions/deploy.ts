/**
 * deploy / diff / deploy --dry-run: evaluate → normalise → contribute → observe → plan, then (deploy only)
 * apply → wait → hooks. A dry run returns after rendering: it never reaches the apply phase, and its AWS ports
 * refuse mutating calls besides.
 */
import type { AwsClients } from '../aws/ports.js';
import { requireDesiredCount } from '../definition/normalise.js';
import { DefinitionError, DeploymentError, HakoError } from '../errors.js';
import { info, warn, type IoHost } from '../io/io-host.js';
import { hasChanges, type Plan } from '../plan/plan.js';
import { redactPlan } from '../plan/redact.js';
import { applyEcsSteps } from '../schedulers/ecs/apply.js';
import { observeEcs } from '../schedulers/ecs/observe.js';
import { planEcsDeploy } from '../schedulers/ecs/plan.js';
import { applyAutoscalingDeploy, planAutoscalingDeploy } from '../schedulers/ecs/autoscaling-deploy.js';
import { observeServiceDiscovery, planServiceDiscovery, type SdPlan } from '../schedulers/ecs/service-discovery.js';
import { applyServiceDiscoverySteps } from '../schedulers/ecs/service-discovery-apply.js';
import { circuitBreakerEnabled, rollbackAfterFailedDeploy } from '../schedulers/ecs/rollback.js';
import { checkSecrets } from '../schedulers/ecs/secrets-check.js';
import { waitForDeployment, type WaitContext } from '../schedulers/ecs/wait.js';
import { findTargetGroupArn } from '../scripts/alb/index.js';
import { sleep as realSleep, systemClock, type Clock, type Sleep } from '../util/sleep.js';
import type { DefinitionSource } from './load-app.js';
import { applyScriptSteps, callScheduler, planScripts, prepareApp, runHook, type PreparedApp, type PreparedPluginApp } from './prepare.js';

export interface DeployOptions {
  readonly source: DefinitionSource;
  readonly io: IoHost;
  /** AWS clients for a region; default: the CLI's factory (lazyAwsFor: SDK chain, AWS_PROFILE, AWS_REGION…). */
  readonly awsFor?: (region: string | undefined) => () => AwsClients;
  readonly tag?: string;
  readonly force?: boolean;
  /** Plan and render only (diff, deploy --dry-run). */
  readonly dryRun?: boolean;
  /** Return once the service is updated, without waiting for the rollout. */
  readonly noWait?: boolean;
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

export interface PlannedDeploy {
  readonly prepared: PreparedApp | PreparedPluginApp;
  readonly plan: Plan;
  /** The plan with provider values masked: what to show users. */
  readonly displayPlan: Plan;
  readonly scriptSteps: Awaited<ReturnType<typeof planScripts>>;
}

/** The first half of a deploy, shared with `diff`: everything up to a Plan, without mutating anything. */
export async function planDeploy(options: DeployOptions & { readonly dryRun: boolean }): Promise<PlannedDeploy> {
  const prepared = await prepareDeploy(options);
  // A plugin scheduler plans in its deploy method; `diff` is a dry run of it.
  if (prepared.kind === 'plugin') return pluginDeploy(prepared, { ...options, dryRun: true });
  return planEcs(prepared, options);
}

function prepareDeploy(options: DeployOptions & { readonly dryRun: boolean }): Promise<PreparedApp | PreparedPluginApp> {
  return prepareApp({
    ...options.source,
    io: options.io,
    awsFor: options.awsFor,
    dryRun: options.dryRun,
    tag: options.tag,
    // Dry runs read provider values too, unlike hako's: a diff against live state is only exact with the real
    // values. They never print: `displayPlan` has them masked (lib/plan/redact.ts).
    providerMode: 'expand',
    envMode: 'expand',
  });
}

async function planEcs(prepared: PreparedApp, options: DeployOptions): Promise<PlannedDeploy & { readonly prepared: PreparedApp }> {
  const missing = requireDesiredCount(prepared.model);
  if (missing.length > 0) throw new DefinitionError(prepared.model.file, missing);
  await runHook(prepared, 'deployStarting', prepared.model);
  const scriptSteps = await planScripts(prepared, 'deploy');
  const ecs = await prepared.aws.ecs();
  const observed = await observeEcs(ecs, prepared.model, prepared.model.id);
  const sdPlan = await planSd(prepared, options.io);
  const ecsPlan = planEcsDeploy(prepared.model, observed, {
    force: options.force ?? false,
    ...(sdPlan === undefined ? {} : { serviceRegistries: sdPlan.registries }),
  });
  // After the ECS plan: the scalable target is the service, which must exist before it is registered.
  const autoscalingSteps = await planAutoscalingDeploy(prepared.model, prepared.aws, observed.service);
  // Cloud Map services come first: the ECS service's registries point at them.
  const plan: Plan = { steps: [...scriptSteps.steps, ...(sdPlan?.steps ?? []), ...ecsPlan.steps, ...autoscalingSteps] };
  return { prepared, plan, displayPlan: redactPlan(plan, prepared.loaded.providers.revealedValues()), scriptSteps };
}

/** Observes and plans `scheduler.service_discovery`; undefined (and no Cloud Map client) when none is configured. */
async function planSd(prepared: PreparedApp, io: IoHost): Promise<SdPlan | undefined> {
  const entries = prepared.model.scheduler.service_discovery ?? [];
  if (entries.length === 0) return undefined;
  const sdPlan = planServiceDiscovery(await observeServiceDiscovery(await prepared.aws.serviceDiscovery(), entries));
  for (const w of sdPlan.warnings) warn(io, 'service-discovery.ignored-change', w);
  return sdPlan;
}

export interface DeployResult {
  readonly plan: Plan;
  /** The plan with provider values masked: what to show users. */
  readonly displayPlan: Plan;
  readonly changed: boolean;
}

/** deploy through a scheduler plugin: its `deploy` method does the work (and plans, for dry runs). */
async function pluginDeploy(prepared: PreparedPluginApp, options: DeployOptions & { readonly dryRun: boolean }): Promise<PlannedDeploy> {
  const result = await callScheduler(prepared, 'deploy', (deployWith) =>
    deployWith(prepared.model, { dryRun: options.dryRun, force: options.force ?? false, ...(options.tag !== undefined ? { tag: options.tag } : {}) }),
  );
  const plan: Plan = result.plan ?? { steps: [] };
  return {
    prepared,
    plan,
    displayPlan: redactPlan(plan, prepared.loaded.providers.revealedValues()),
    scriptSteps: { steps: [], ownerOf: new Map() },
  };
}

export async function deploy(options: DeployOptions): Promise<DeployResult> {
  const dryRun = options.dryRun ?? false;
  const preparedAny = await prepareDeploy({ ...options, dryRun });
  if (preparedAny.kind === 'plugin') {
    const planned = await pluginDeploy(preparedAny, { ...options, dryRun });
    if (!dryRun) info(options.io, 'deploy.completed', 'Deployment completed');
    return { plan: planned.plan, displayPlan: planned.displayPlan, changed: hasChanges(planned.plan) };
  }
  const planned = await planEcs(preparedAny, { ...options, dryRun });
  const { prepared, plan } = planned;
  const { io } = options;
  if (dryRun) {
    await checkSecrets(prepared.model.containers, prepared.aws);
    return { plan, displayPlan: planned.displayPlan, changed: hasChanges(plan) };
  }

  await applyScriptSteps(prepared, planned.scriptSteps);
  await runHook(prepared, 'deployStarted', prepared.model);
  const ecs = await prepared.aws.ecs();
  const elbv2 = prepared.model.load_balancers.length > 0 ? await prepared.aws.elbv2() : undefined;
  const sd =
    (prepared.model.scheduler.service_discovery ?? []).length > 0
      ? await applyServiceDiscoverySteps(plan.steps, {
          serviceDiscovery: await prepared.aws.serviceDiscovery(),
          io,
          ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        })
      : undefined;
  const applied = await applyEcsSteps(plan.steps, {
    ecs,
    io,
    ...(sd === undefined ? {} : { registryArns: sd.registryArns }),
    resolveTargetGroupArn: async (name) => {
      const arn = elbv2 ? await findTargetGroupArn(elbv2, name) : undefined;
      if (!arn) throw new HakoError(`Target group ${name} does not exist`, 'TARGET_GROUP_MISSING', 1, { hint: 'The alb script creates it; check the scripts section.' });
      return arn;
    },
  });

  await applyAutoscalingDeploy(plan.steps, { model: prepared.model, aws: prepared.aws, io, ...(applied.service ? { service: applied.service } : {}) });

  if (applied.serviceChanged && applied.service && !options.noWait) {
    const waitContext: WaitContext = {
      ecs,
      io,
      clock: options.clock ?? systemClock,
      sleep: options.sleep ?? realSleep,
      signal: options.signal,
    };
    const taskDefinitionArn = applied.taskDefinitionArn ?? applied.service.taskDefinition ?? '';
    const outcome = await waitForDeployment(waitContext, applied.service, {
      taskDefinitionArn,
      timeoutMs: options.timeoutMs ?? 1_200_000,
      circuitBreaker: circuitBreakerEnabled(applied.service),
    });
    if (outcome.status !== 'completed') {
      await runHook(prepared, 'deployFailed', prepared.model, { taskIds: outcome.startedTaskIds, reason: outcome.reason });
      await rollbackAfterFailedDeploy(waitContext, {
        service: outcome.service,
        outcome,
        failedTaskDefinitionArn: taskDefinitionArn,
        previousTaskDefinitionArn: applied.previousTaskDefinitionArn,
        registeredThisRun: applied.registeredArn !== undefined,
        timeoutMs: options.timeoutMs ?? 1_200_000,
      });
      // rollbackAfterFailedDeploy always throws; this keeps the type checker and readers certain.
      throw new DeploymentError('failed', outcome.reason);
    }
  }
  await runHook(prepared, 'deployFinished', prepared.model);
  info(io, 'deploy.completed', options.noWait && applied.serviceChanged ? 'Deployment started (not waiting for it to finish)' : 'Deployment completed');
  return { plan, displayPlan: planned.displayPlan, changed: hasChanges(plan) };
}
