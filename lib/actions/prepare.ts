/**
 * Everything a command needs once the definition has validated: the model with scripts' contributions merged,
 * the script instances, and the AWS ports in the definition's region (read-only for dry runs).
 */
import type { AwsClients } from '../aws/ports.js';
import { lazyAwsFor } from '../aws/lazy-clients.js';
import { readOnlyAwsClients } from '../aws/static-clients.js';
import type { AppModel, PluginAppModel, ScriptContribution } from '../definition/model.js';
import { PluginError, HakoError } from '../errors.js';
import { warn, type IoHost } from '../io/io-host.js';
import type { Step } from '../plan/plan.js';
import { isEcsApp, type Scheduler, type SchedulerContext } from '../schedulers/scheduler.js';
import { applyContributions } from '../scripts/contribute.js';
import type { Script, ScriptContext } from '../scripts/script.js';
import { loadApp, type LoadedApp, type LoadOptions } from './load-app.js';

export interface ScriptInstance {
  readonly type: string;
  /** Position in `scripts[]`, for messages (`scripts[1]`). */
  readonly index: number;
  readonly script: Script;
}

export interface PreparedApp {
  readonly kind: 'ecs';
  readonly loaded: LoadedApp;
  /** The normalised model plus every script's contribution. */
  readonly model: AppModel;
  readonly scripts: readonly ScriptInstance[];
  readonly aws: AwsClients;
  readonly dryRun: boolean;
  readonly io: IoHost;
}

/**
 * A definition whose `scheduler.type` names a plugin: the plugin's instance for this run. Scripts do not run under
 * a plugin scheduler — their contract (and every built-in script) is about the ECS service.
 */
export interface PreparedPluginApp {
  readonly kind: 'plugin';
  readonly loaded: LoadedApp;
  readonly model: PluginAppModel;
  /** `scheduler.type` as the definition wrote it (the plugin's spec). */
  readonly schedulerType: string;
  readonly scheduler: Scheduler;
  readonly aws: AwsClients;
  readonly dryRun: boolean;
  readonly io: IoHost;
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
}

export async function prepareApp(given: PrepareOptions): Promise<PreparedApp | PreparedPluginApp> {
  // Programmatic callers may pass no clients: they get the same lazy factory as the CLI.
  const options = { ...given, awsFor: given.awsFor ?? lazyAwsFor({ io: given.io }) };
  // Providers may need AWS before the region is known (Jsonnet's provide.ssm): they get the default chain.
  const loaded = await loadApp({ ...options, aws: options.awsFor(undefined) });
  const model = loaded.model;
  if (!isEcsApp(model)) return preparePlugin(loaded, model as PluginAppModel, options);
  const live = options.awsFor(model.scheduler.region)();
  const aws = options.dryRun ? readOnlyAwsClients(live) : live;
  const context: ScriptContext = {
    appId: model.id,
    rootPath: model.root_path,
    aws: () => aws,
    io: options.io,
    dryRun: options.dryRun,
  };
  const scripts: ScriptInstance[] = [];
  if (!options.withoutScripts) {
    model.scripts.forEach((entry, index) => {
      const plugin = loaded.scriptPlugins.get(entry.type);
      if (!plugin) throw new PluginError(entry.type, `No plugin for script type "${entry.type}" (scripts[${index}] in ${model.file})`);
      try {
        const config = plugin.configSchema.parse(entry.config);
        scripts.push({ type: entry.type, index, script: plugin.create(config, context) });
      } catch (cause) {
        if (cause instanceof HakoError) throw cause;
        throw new PluginError(entry.type, `Script plugin "${entry.type}" (scripts[${index}] in ${model.file}) failed to start: ${(cause as Error).message}`, { cause });
      }
    });
  }
  const contributions: { script: string; contribution: ScriptContribution }[] = [];
  for (const s of options.withoutContributions ? [] : scripts) {
    if (s.script.contribute) contributions.push({ script: s.type, contribution: s.script.contribute(model) });
  }
  return { kind: 'ecs', loaded, model: applyContributions(model, contributions), scripts, aws, dryRun: options.dryRun, io: options.io };
}

function preparePlugin(loaded: LoadedApp, model: PluginAppModel, options: PrepareOptions & Required<Pick<PrepareOptions, 'awsFor'>>): PreparedPluginApp {
  const type = model.scheduler.type;
  const plugin = loaded.schedulerPlugins.get(type);
  const where = `scheduler.type in ${model.file}`;
  if (!plugin) throw new PluginError(type, `No plugin for scheduler type "${type}" (${where})`);
  const region = model.scheduler.config['region'];
  const live = options.awsFor(typeof region === 'string' ? region : undefined)();
  const aws = options.dryRun ? readOnlyAwsClients(live) : live;
  if (model.scripts.length > 0) {
    warn(options.io, 'scheduler.plugin.scripts-skipped', `${model.file}: scripts are not run with scheduler plugin "${type}"`, { scheduler: type });
  }
  const context: SchedulerContext = { appId: model.id, rootPath: model.root_path, aws: () => aws, io: options.io };
  let scheduler: Scheduler;
  try {
    scheduler = plugin.create(plugin.configSchema.parse(model.scheduler.config), context);
  } catch (cause) {
    if (cause instanceof HakoError) throw cause;
    throw new PluginError(type, `Scheduler plugin "${type}" (${where}) failed to start: ${(cause as Error).message}`, { cause });
  }
  return { kind: 'plugin', loaded, model, schedulerType: type, scheduler, aws, dryRun: options.dryRun, io: options.io };
}

/**
 * Calls one command's method of a plugin scheduler. A plugin without it does not support the command; a plugin
 * that throws something other than a HakoError fails with a PluginError naming it and the definition.
 */
export async function callScheduler<K extends keyof Scheduler, R>(
  prepared: PreparedPluginApp,
  command: K,
  call: (method: NonNullable<Scheduler[K]>) => Promise<R>,
): Promise<R> {
  const { schedulerType: type, scheduler, model } = prepared;
  const method = scheduler[command];
  if (typeof method !== 'function') {
    throw new PluginError(type, `scheduler plugin ${type} does not support ${command}`, {
      hint: `${model.file} uses scheduler.type "${type}", whose plugin has no ${command} method.`,
    });
  }
  try {
    return await call(method.bind(scheduler) as NonNullable<Scheduler[K]>);
  } catch (cause) {
    if (cause instanceof HakoError) throw cause;
    throw new PluginError(type, `Scheduler plugin "${type}" (scheduler.type in ${model.file}) failed in ${command}: ${(cause as Error).message}`, { cause });
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

/** Steps planned by scripts, remembering which instance applies each. */
export interface ScriptSteps {
  readonly steps: Step[];
  readonly ownerOf: Map<Step, ScriptInstance>;
}

export async function planScripts(prepared: PreparedApp, which: 'deploy' | 'oneshot' | 'remove'): Promise<ScriptSteps> {
  const steps: Step[] = [];
  const ownerOf = new Map<Step, ScriptInstance>();
  for (const s of prepared.scripts) {
    const planned =
      which === 'remove'
        ? await s.script.planRemove?.(prepared.model)
        : await s.script.plan?.(prepared.model, { forOneshot: which === 'oneshot' });
    for (const step of planned ?? []) {
      steps.push(step);
      ownerOf.set(step, s);
    }
  }
  return { steps, ownerOf };
}

/** Applies scripts' steps in order (noop steps are skipped: they only inform the plan). */
export async function applyScriptSteps(prepared: PreparedApp, planned: ScriptSteps, steps: readonly Step[] = planned.steps): Promise<void> {
  for (const step of steps) {
    const owner = planned.ownerOf.get(step);
    if (!owner || step.action === 'noop') continue;
    if (!owner.script.apply) throw new PluginError(owner.type, `Script ${owner.type} planned a step but has no apply`);
    await owner.script.apply(step, { io: prepared.io, aws: () => prepared.aws });
  }
}
