/**
 * Everything a command needs once the definition has validated: the model with scripts' contributions merged,
 * the script instances, and the AWS ports in the definition's region (read-only for dry runs).
 */
import type { AwsClients } from '../aws/ports.js';
import { readOnlyAwsClients } from '../aws/static-clients.js';
import type { AppModel, ScriptContribution } from '../definition/model.js';
import { PluginError, HakoError } from '../errors.js';
import type { IoHost } from '../io/io-host.js';
import type { Step } from '../plan/plan.js';
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
  readonly loaded: LoadedApp;
  /** The normalised model plus every script's contribution. */
  readonly model: AppModel;
  readonly scripts: readonly ScriptInstance[];
  readonly aws: AwsClients;
  readonly dryRun: boolean;
  readonly io: IoHost;
}

export interface PrepareOptions extends Omit<LoadOptions, 'aws'> {
  readonly dryRun: boolean;
  /** Builds AWS ports for a region (the definition's `scheduler.region`). */
  readonly awsFor: (region: string | undefined) => () => AwsClients;
  /** Skip scripts entirely (hako: `status` and `stop` load none). */
  readonly withoutScripts?: boolean;
  /**
   * Skip scripts' contributions. Oneshot runs a task, not the service: it needs no front proxy wiring or load
   * balancer binding (hako's nginx_front had no oneshot hooks), and its container set may lack `front`.
   */
  readonly withoutContributions?: boolean;
}

export async function prepareApp(options: PrepareOptions): Promise<PreparedApp> {
  // Providers may need AWS before the region is known (Jsonnet's provide.ssm): they get the default chain.
  const loaded = await loadApp({ ...options, aws: options.awsFor(undefined) });
  const live = options.awsFor(loaded.model.scheduler.region)();
  const aws = options.dryRun ? readOnlyAwsClients(live) : live;
  const context: ScriptContext = {
    appId: loaded.model.id,
    rootPath: loaded.model.root_path,
    aws: () => aws,
    io: options.io,
    dryRun: options.dryRun,
  };
  const scripts: ScriptInstance[] = [];
  if (!options.withoutScripts) {
    loaded.model.scripts.forEach((entry, index) => {
      const plugin = loaded.scriptPlugins.get(entry.type);
      if (!plugin) throw new PluginError(entry.type, `No plugin for script type "${entry.type}" (scripts[${index}] in ${loaded.model.file})`);
      try {
        const config = plugin.configSchema.parse(entry.config);
        scripts.push({ type: entry.type, index, script: plugin.create(config, context) });
      } catch (cause) {
        if (cause instanceof HakoError) throw cause;
        throw new PluginError(entry.type, `Script plugin "${entry.type}" (scripts[${index}] in ${loaded.model.file}) failed to start: ${(cause as Error).message}`, { cause });
      }
    });
  }
  const contributions: { script: string; contribution: ScriptContribution }[] = [];
  for (const s of options.withoutContributions ? [] : scripts) {
    if (s.script.contribute) contributions.push({ script: s.type, contribution: s.script.contribute(loaded.model) });
  }
  const model = applyContributions(loaded.model, contributions);
  return { loaded, model, scripts, aws, dryRun: options.dryRun, io: options.io };
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
