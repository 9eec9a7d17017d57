/**
 * The scheduler plugin contract. `scheduler.type: ecs` is built in (lib/schedulers/ecs, driven directly by the
 * actions); any other `type` is a module path or package whose registration has this shape. The definition's
 * `scheduler` object minus `type` is the plugin's config, validated by its configSchema like any other part of
 * the definition. Each command calls one method; a plugin that lacks it does not support that command.
 */
import type { AwsClients } from '../aws/ports.js';
import type { AnyAppModel, AppModel, PluginAppModel } from '../definition/model.js';
import type { IoHost } from '../io/io-host.js';
import type { Plan } from '../plan/plan.js';
import type { PluginRegistration } from '../plugin.js';

export interface SchedulerContext {
  /** The application id (the definition file name minus its extension). */
  readonly appId: string;
  /** Directory of the definition file. */
  readonly rootPath: string;
  /** Lazily built AWS ports (read-only ones for dry runs); in `scheduler.region` when the config has one. */
  readonly aws: () => AwsClients;
  readonly io: IoHost;
}

export interface SchedulerDeployOptions {
  /** Plan and report only: change nothing. */
  readonly dryRun: boolean;
  /** `--force`: deploy even when nothing changed. */
  readonly force: boolean;
  /** `--tag`, already applied to the app container's image in the model. */
  readonly tag?: string;
}

export interface SchedulerOneshotOptions {
  readonly command: readonly string[];
  /** `-e NAME=VAL` for the app container (`value` absent: pass the caller's own value through). */
  readonly env: readonly { readonly name: string; readonly value?: string }[];
  readonly dryRun: boolean;
}

/** One run's scheduler. Every method is optional: a missing one makes that command fail with a clear error. */
export interface Scheduler {
  /** `deploy`, `deploy --dry-run` and `diff`. The plan (if any) is what `--dry-run`/`diff` render. */
  deploy?(model: PluginAppModel, options: SchedulerDeployOptions): Promise<{ plan?: Plan }>;
  rollback?(model: PluginAppModel, options: { readonly dryRun: boolean }): Promise<void>;
  oneshot?(model: PluginAppModel, options: SchedulerOneshotOptions): Promise<{ exitCode: number }>;
  /** `status`: the text to print. */
  status?(model: PluginAppModel): Promise<string>;
  stop?(model: PluginAppModel, options: { readonly dryRun: boolean }): Promise<void>;
  remove?(model: PluginAppModel, options: { readonly dryRun: boolean }): Promise<void>;
}

export type SchedulerCommand = keyof Scheduler;

/** `config` is the definition's `scheduler` object without `type`. */
export type SchedulerPlugin<Config = Record<string, unknown>> = PluginRegistration<Config, Scheduler, SchedulerContext>;

/** True when the model's scheduler is the built-in ECS one: the model is then what every ECS planner expects. */
export function isEcsApp(model: AnyAppModel): model is AppModel {
  return model.scheduler.type === 'ecs';
}

