/**
 * rollback, stop, remove and status: each observes the live service, runs its own planner, and (unless a dry
 * run) applies. Like hako, `status` and `stop` load no scripts; `rollback` and `remove` run scripts' hooks.
 */
import type { AwsClients } from '../aws/ports.js';
import { HakoError } from '../errors.js';
import { info, type IoHost } from '../io/io-host.js';
import type { Plan } from '../plan/plan.js';
import { applyRollback, observeRollback, planRollback } from '../schedulers/ecs/rollback.js';
import { describeLiveService, observeStatus, renderStatus, statusSections, type StatusReport } from '../schedulers/ecs/status.js';
import { applyStopRemove, planRemove, planStop } from '../schedulers/ecs/stop-remove.js';
import { applyServiceDiscoverySteps } from '../schedulers/ecs/service-discovery-apply.js';
import { hasServiceRegistries, observeSdRemoval, observeSdStatus, planSdRemoval } from '../schedulers/ecs/service-discovery-ops.js';
import { sleep as realSleep, systemClock, type Sleep } from '../util/sleep.js';
import type { DefinitionSource } from './load-app.js';
import { applyScriptSteps, callScheduler, planScripts, prepareApp, runHook, type PreparedApp, type PreparedPluginApp } from './prepare.js';

export interface ServiceOpOptions {
  readonly source: DefinitionSource;
  readonly io: IoHost;
  /** AWS clients for a region; default: the CLI's factory (lazyAwsFor: SDK chain, AWS_PROFILE, AWS_REGION…). */
  readonly awsFor?: (region: string | undefined) => () => AwsClients;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
  /** Pauses between retries (deleting Cloud Map services); injectable for tests. */
  readonly sleep?: Sleep;
}

function prepare(options: ServiceOpOptions, withoutScripts: boolean): Promise<PreparedApp | PreparedPluginApp> {
  return prepareApp({
    ...options.source,
    io: options.io,
    awsFor: options.awsFor,
    dryRun: options.dryRun ?? false,
    // These commands never need provider values (hako: expand_variables=false).
    providerMode: 'placeholder',
    envMode: 'none',
    withoutScripts,
  });
}

export async function rollback(options: ServiceOpOptions & { readonly to?: number; readonly timeoutMs?: number }): Promise<Plan> {
  const prepared = await prepare(options, false);
  if (prepared.kind === 'plugin') return pluginServiceOp(prepared, 'rollback', options);
  const { model, io } = prepared;
  const ecs = await prepared.aws.ecs();
  await runHook(prepared, 'rollbackStarting', model);
  const observed = await observeRollback(ecs, model.scheduler.cluster, model.id);
  if (!observed.service) {
    throw new HakoError(`Unable to find service ${model.id} in cluster ${model.scheduler.cluster}`, 'SERVICE_NOT_FOUND', 1, {
      hint: 'Deploy it first: hako deploy FILE',
    });
  }
  const plan = planRollback(observed, { to: options.to });
  const step = plan.steps[0];
  if (step) info(io, 'ecs.rollback.target', step.title);
  const images = { current: observed.service.taskDefinition ?? '', target: String((step?.payload as { taskDefinition?: string } | undefined)?.taskDefinition ?? '') };
  await runHook(prepared, 'rollbackStarted', model, images);
  if (options.dryRun) {
    info(io, 'deploy.completed', 'Deployment completed (dry-run)');
    return plan;
  }
  await applyRollback({ ecs, io, clock: systemClock, sleep: realSleep, signal: options.signal }, plan, { timeoutMs: options.timeoutMs });
  await runHook(prepared, 'rollbackFinished', model);
  info(io, 'deploy.completed', 'Deployment completed');
  return plan;
}

export async function stop(options: ServiceOpOptions): Promise<Plan> {
  const prepared = await prepare(options, true);
  if (prepared.kind === 'plugin') return pluginServiceOp(prepared, 'stop', options);
  const ecs = await prepared.aws.ecs();
  const service = await describeLiveService(ecs, prepared.model.scheduler.cluster, prepared.model.id);
  const plan = planStop(service, prepared.model);
  if (!options.dryRun) await applyStopRemove({ ecs, io: options.io }, plan);
  return plan;
}

/** Scale to 0 and delete the service, then delete what the scripts own (target group, rules, DNS records…). */
export async function remove(options: ServiceOpOptions): Promise<Plan> {
  const prepared = await prepare(options, false);
  if (prepared.kind === 'plugin') return pluginServiceOp(prepared, 'remove', options);
  const { model } = prepared;
  const ecs = await prepared.aws.ecs();
  await runHook(prepared, 'removeStarting', model);
  const service = await describeLiveService(ecs, model.scheduler.cluster, model.id);
  const ecsPlan = planRemove(service, model);
  // The Cloud Map services the live service registers into (not the definition's: those may have changed).
  const sdApi = hasServiceRegistries(service) ? await prepared.aws.serviceDiscovery() : undefined;
  const sdObserved = sdApi === undefined ? undefined : await observeSdRemoval(sdApi, service);
  for (const id of sdObserved?.missing ?? []) {
    info(options.io, 'service-discovery.missing', `Service discovery service ${id} doesn't exist`, { id });
  }
  const sdPlan: Plan = sdObserved === undefined ? { steps: [] } : planSdRemoval(sdObserved);
  // Scripts plan their deletions up front so a dry run shows everything; they apply after the service is gone
  // (a target group cannot be deleted while a service still uses it).
  const scriptSteps = await planScripts(prepared, 'remove');
  const plan: Plan = { steps: [...ecsPlan.steps, ...sdPlan.steps, ...scriptSteps.steps] };
  if (options.dryRun) return plan;
  await applyStopRemove({ ecs, io: options.io }, ecsPlan);
  if (sdApi !== undefined && sdPlan.steps.length > 0) {
    await applyServiceDiscoverySteps(sdPlan.steps, {
      serviceDiscovery: sdApi,
      io: options.io,
      ...(options.sleep === undefined ? {} : { sleep: options.sleep }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
  }
  await applyScriptSteps(prepared, scriptSteps);
  await runHook(prepared, 'afterRemove', model);
  return plan;
}

export interface StatusResult {
  /** The ECS service's state; absent when it does not exist, and for a plugin scheduler. */
  readonly report?: StatusReport;
  readonly text: string;
  /** True when a plugin scheduler answered (`text` is its status); such a status has no `report`. */
  readonly fromPlugin?: boolean;
}

export async function status(options: ServiceOpOptions): Promise<StatusResult> {
  // hako's status loads no scripts; ours asks them only for their status sections (load balancer, DNS).
  const prepared = await prepare({ ...options, dryRun: true }, false);
  if (prepared.kind === 'plugin') {
    const text = await callScheduler(prepared, 'status', (statusOf) => statusOf(prepared.model));
    return { text, fromPlugin: true };
  }
  const ecs = await prepared.aws.ecs();
  const report = await observeStatus(ecs, prepared.model, { ec2: () => prepared.aws.ec2() });
  if (!report) return { text: 'Unavailable' };
  if (report.serviceRegistries.length > 0) {
    report.serviceDiscovery = await observeSdStatus(await prepared.aws.serviceDiscovery(), report.serviceRegistries);
  }
  const scriptLines: string[][] = [];
  for (const s of prepared.scripts) scriptLines.push((await s.script.status?.(prepared.model)) ?? []);
  const sections = statusSections(scriptLines);
  if (sections.length > 0) report.sections = sections;
  return { report, text: renderStatus(report, { sections }) };
}

/**
 * rollback, stop and remove through a scheduler plugin. The plugin applies (or, for dry runs, only reports) by
 * itself, so there is no plan to return: an empty one keeps the commands' output shape.
 */
async function pluginServiceOp(prepared: PreparedPluginApp, command: 'rollback' | 'stop' | 'remove', options: ServiceOpOptions): Promise<Plan> {
  const dryRun = options.dryRun ?? false;
  await callScheduler(prepared, command, (run) => run(prepared.model, { dryRun }));
  return { steps: [] };
}
