/**
 * Everything a command needs once the definition has validated: the model with scripts' contributions merged,
 * the scheduler instance (built-in or plugin, resolved alike), the script instances, and the AWS ports in the
 * definition's region (read-only for dry runs). Nothing here knows any scheduler by name.
 */
import { randomUUID } from 'node:crypto';
import type { AwsClients } from '../aws/ports.js';
import { lazyAwsFor } from '../aws/lazy-clients.js';
import { readOnlyAwsClients } from '../aws/static-clients.js';
import { schedulerConfig, type AnyAppModel, type AppModel, type ScriptContribution } from '../definition/model.js';
import { DefinitionError, HakoError, PluginError } from '../errors.js';
import { warn, type IoHost } from '../io/io-host.js';
import type { ApplyContext, StepApplier } from '../plan/executor.js';
import type { Step } from '../plan/plan.js';
import type { Scheduler, SchedulerContext, SchedulerPlugin } from '../schedulers/scheduler.js';
import { applyContributions } from '../scripts/contribute.js';
import type { Script, ScriptContext } from '../scripts/script.js';
import { sleep as realSleep, systemClock, type Clock, type Sleep } from '../util/sleep.js';
import { loadApp, type LoadedApp, type LoadOptions } from './load-app.js';

export interface ScriptInstance {
  readonly type: string;
  /** Position in `scripts[]`, for messages (`scripts[1]`). */
  readonly index: number;
  readonly script: Script;
}

export interface PreparedApp {
  readonly loaded: LoadedApp;
  /** The normalised model plus every script's contribution. */
  readonly model: AnyAppModel;
  /** `scheduler.type` as the definition wrote it. */
  readonly schedulerType: string;
  /** True for a scheduler that ships with hako (its failures are hako's, not a plugin's). */
  readonly builtinScheduler: boolean;
  readonly scheduler: Scheduler;
  readonly scripts: readonly ScriptInstance[];
  readonly aws: AwsClients;
  readonly dryRun: boolean;
  readonly io: IoHost;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Unique per run: idempotency tokens derive from it (lib/plan/executor.ts). */
  readonly runId: string;
}

export interface PrepareOptions extends Omit<LoadOptions, 'aws'> {
  readonly dryRun: boolean;
  /** Builds AWS ports for a region (the definition's `scheduler.region`); default: the CLI's factory. */
  readonly awsFor?: (region: string | undefined) => () => AwsClients;
  /** Skip scripts entirely (hako: `status` and `stop` load none). */
  readonly withoutScripts?: boolean;
  /**
   * Skip scripts' contributions. Oneshot runs a task, not the service: it needs no front proxy wiring or load
   * balancer binding (hako's nginx_front had no oneshot hooks), and its container set may lack `front`.
   */
  readonly withoutContributions?: boolean;
  readonly clock?: Clock;
  readonly sleep?: Sleep;
}

async function resolveScheduler(loaded: LoadedApp, type: string, file: string): Promise<{ plugin: SchedulerPlugin; builtin: boolean }> {
  // Imported once the definition is loaded: in the CLI bundle the built-in schedulers' modules (and the schemas
  // they import) would otherwise be built before the Jsonnet evaluation starts rather than while it runs.
  const { builtinSchedulers } = await import('../schedulers/registry.js');
  const builtin = builtinSchedulers().find((p) => p.type === type);
  if (builtin !== undefined) return { plugin: builtin, builtin: true };
  const plugin = loaded.schedulerPlugins.get(type);
  if (!plugin) throw new PluginError(type, `No plugin for scheduler type "${type}" (scheduler.type in ${file})`);
  return { plugin, builtin: false };
}

/** The region a scheduler's config names, if any (`scheduler.region`): where its AWS ports point. */
function regionOf(config: unknown): string | undefined {
  const region = typeof config === 'object' && config !== null ? (config as { region?: unknown }).region : undefined;
  return typeof region === 'string' ? region : undefined;
}

export async function prepareApp(given: PrepareOptions): Promise<PreparedApp> {
  // Programmatic callers may pass no clients: they get the same lazy factory as the CLI.
  const options = { ...given, awsFor: given.awsFor ?? lazyAwsFor({ io: given.io }) };
  // Providers may need AWS before the region is known (Jsonnet's provide.ssm): they get the default chain.
  const loaded = await loadApp({ ...options, aws: options.awsFor(undefined) });
  const model = loaded.model;
  const type = model.scheduler.type;
  const { plugin, builtin } = await resolveScheduler(loaded, type, model.file);
  const config = schedulerConfig(model);
  const live = options.awsFor(regionOf(config))();
  const aws = options.dryRun ? readOnlyAwsClients(live) : live;
  const clock = options.clock ?? systemClock;
  const sleep = options.sleep ?? realSleep;
  const runId = randomUUID();
  const context: SchedulerContext = {
    appId: model.id,
    rootPath: model.root_path,
    file: model.file,
    aws: () => aws,
    io: options.io,
    dryRun: options.dryRun,
    clock,
    sleep,
    runId,
  };
  let scheduler: Scheduler;
  try {
    scheduler = plugin.create(builtin ? (config as Record<string, unknown>) : plugin.configSchema.parse(config), context);
  } catch (cause) {
    if (cause instanceof HakoError) throw cause;
    throw new PluginError(type, `Scheduler plugin "${type}" (scheduler.type in ${model.file}) failed to start: ${(cause as Error).message}`, { cause });
  }
  checkContract(scheduler, type, model.file);

  const scripts: ScriptInstance[] = [];
  if (scheduler.runsScripts && !options.withoutScripts) {
    const scriptContext: ScriptContext = { appId: model.id, rootPath: model.root_path, aws: () => aws, io: options.io, dryRun: options.dryRun };
    model.scripts.forEach((entry, index) => {
      const scriptPlugin = loaded.scriptPlugins.get(entry.type);
      if (!scriptPlugin) throw new PluginError(entry.type, `No plugin for script type "${entry.type}" (scripts[${index}] in ${model.file})`);
      try {
        const scriptConfig = scriptPlugin.configSchema.parse(entry.config);
        scripts.push({ type: entry.type, index, script: scriptPlugin.create(scriptConfig, scriptContext) });
      } catch (cause) {
        if (cause instanceof HakoError) throw cause;
        throw new PluginError(entry.type, `Script plugin "${entry.type}" (scripts[${index}] in ${model.file}) failed to start: ${(cause as Error).message}`, { cause });
      }
    });
  }
  const contributions: { script: string; contribution: ScriptContribution }[] = [];
  for (const s of options.withoutContributions ? [] : scripts) {
    // Scripts run only with schedulers that declare they can use them: the model is then the ECS one they expect.
    if (s.script.contribute) contributions.push({ script: s.type, contribution: s.script.contribute(model as AppModel) });
  }
  const contributed = contributions.length > 0 ? (applyContributions(model as AppModel, contributions) as AnyAppModel) : model;
  // After the contributions: what the scheduler checks (a container port) may come from a script.
  const issues = scheduler.validate?.(contributed) ?? [];
  if (issues.some((i) => i.severity === 'error')) throw new DefinitionError(model.file, issues);
  // Said only once the definition is known to be deployable: a scheduler may refuse `scripts` outright instead.
  if (!scheduler.runsScripts && model.scripts.length > 0) {
    warn(options.io, 'scheduler.plugin.scripts-skipped', `${model.file}: scripts are not run with scheduler "${type}"`, { scheduler: type });
  }
  return {
    loaded,
    model: contributed,
    schedulerType: type,
    builtinScheduler: builtin,
    scheduler,
    scripts,
    aws,
    dryRun: options.dryRun,
    io: options.io,
    clock,
    sleep,
    runId,
  };
}

/** A plugin written for the coarse pre-engine contract (one `deploy()` that planned and applied at once). */
function checkContract(scheduler: Scheduler, type: string, file: string): void {
  const s = scheduler as unknown as Record<string, unknown>;
  if (typeof s.planDeploy !== 'function' && typeof s.deploy === 'function') {
    throw new PluginError(type, `Scheduler plugin "${type}" (scheduler.type in ${file}) implements the old contract (deploy/rollback/stop/remove methods)`, {
      hint: 'Schedulers now plan steps and apply them one at a time (planDeploy, apply, wait…): see "Writing a scheduler plugin" in the README.',
    });
  }
}

/**
 * Calls one of the scheduler's methods for a command. A scheduler without it does not support the command; a
 * plugin that throws something other than a HakoError fails with a PluginError naming it and the definition.
 */
export async function callScheduler<K extends keyof Scheduler, R>(
  prepared: PreparedApp,
  command: string,
  method: K,
  call: (fn: NonNullable<Scheduler[K]>) => Promise<R>,
): Promise<R> {
  const { schedulerType: type, scheduler, model } = prepared;
  const fn = scheduler[method];
  if (typeof fn !== 'function') {
    throw new PluginError(type, `scheduler plugin ${type} does not support ${command}`, {
      hint: `${model.file} uses scheduler.type "${type}", whose plugin has no ${String(method)} method.`,
    });
  }
  return guard(prepared, command, () => call((fn as (...a: unknown[]) => unknown).bind(scheduler) as NonNullable<Scheduler[K]>));
}

/** Runs scheduler code; a plugin's non-HakoError becomes a PluginError that names the plugin and the command. */
export async function guard<R>(prepared: PreparedApp, command: string, run: () => Promise<R>): Promise<R> {
  try {
    return await run();
  } catch (cause) {
    if (cause instanceof HakoError || prepared.builtinScheduler) throw cause;
    const type = prepared.schedulerType;
    throw new PluginError(type, `Scheduler plugin "${type}" (scheduler.type in ${prepared.model.file}) failed in ${command}: ${(cause as Error).message}`, { cause });
  }
}

/** Runs a hook on every script in order. A throwing hook is a PluginError naming the script. */
export async function runHook<K extends keyof Script>(
  prepared: PreparedApp,
  hook: K,
  ...args: Script[K] extends ((...a: infer A) => Promise<void>) | undefined ? A : never
): Promise<void> {
  for (const s of prepared.scripts) {
    const fn = s.script[hook] as ((...a: unknown[]) => Promise<void>) | undefined;
    if (!fn) continue;
    try {
      await fn.apply(s.script, args);
    } catch (cause) {
      if (cause instanceof HakoError) throw cause;
      throw new PluginError(s.type, `Script ${s.type} (scripts[${s.index}]) failed in ${String(hook)}: ${(cause as Error).message}`, { cause });
    }
  }
}

/**
 * Planned steps with the component that applies each: the executor asks this which owner applies a step, so no
 * step is routed by owner name.
 */
export class PlannedSteps {
  readonly steps: Step[] = [];
  private readonly appliers = new Map<Step, StepApplier>();

  add(steps: readonly Step[], applier: StepApplier): readonly Step[] {
    for (const step of steps) {
      this.steps.push(step);
      this.appliers.set(step, applier);
    }
    return steps;
  }

  applierFor = (step: Step): StepApplier | undefined => this.appliers.get(step);
}

/** A script as the executor sees it; a script that planned a change but cannot apply it is a plugin error. */
function scriptApplier(s: ScriptInstance): StepApplier {
  const { script } = s;
  return {
    apply: async (step, context) => {
      if (!script.apply) throw new PluginError(s.type, `Script ${s.type} planned a step but has no apply`);
      return script.apply(step, context);
    },
    ...(script.reconcile ? { reconcile: (step: Step, context: ApplyContext) => script.reconcile!(step, context) } : {}),
    ...(script.isGone ? { isGone: (step: Step, e: unknown) => script.isGone!(step, e) } : {}),
  };
}

/** Plans every script's steps for a command, remembering which script applies each. */
export async function planScripts(prepared: PreparedApp, which: 'deploy' | 'oneshot' | 'remove', into: PlannedSteps): Promise<readonly Step[]> {
  const all: Step[] = [];
  for (const s of prepared.scripts) {
    const model = prepared.model as AppModel;
    const planned = which === 'remove' ? await s.script.planRemove?.(model) : await s.script.plan?.(model, { forOneshot: which === 'oneshot' });
    all.push(...into.add(planned ?? [], scriptApplier(s)));
  }
  return all;
}

/** The scheduler as the executor sees it: its apply rules, with a plugin's failures named as the plugin's. */
export function schedulerApplier(prepared: PreparedApp, command: string): StepApplier {
  const { scheduler } = prepared;
  return {
    apply: (step, context) => guard(prepared, command, () => scheduler.apply(step, context)),
    ...(scheduler.reconcile ? { reconcile: (step: Step, context: ApplyContext) => guard(prepared, command, () => scheduler.reconcile!(step, context)) } : {}),
    ...(scheduler.isGone ? { isGone: (step: Step, e: unknown) => scheduler.isGone!(step, e) } : {}),
  };
}

/** The ApplyContext of a prepared run. */
export function applyContextOf(prepared: PreparedApp, signal?: AbortSignal): ApplyContext {
  return {
    io: prepared.io,
    aws: () => prepared.aws,
    sleep: prepared.sleep,
    clock: prepared.clock,
    runId: prepared.runId,
    ...(signal === undefined ? {} : { signal }),
  };
}
