/**
 * The script plugin contract. A script (alb, nginx_front, route53, create_aws_cloud_watch_logs_log_group, or a
 * third-party one) takes part in a run in three ways:
 *
 * 1. `contribute` (pure): returns what it adds to the model — a front container's env, links and port mappings,
 *    the service's target group binding — instead of editing containers in place as hako's scripts did.
 * 2. `plan` (observe read-only, then decide): returns Steps that `diff` and `--dry-run` render next to the
 *    scheduler's steps; the one executor (lib/plan/executor.ts) applies them through `apply`, with `reconcile` and
 *    `isGone` for its fault rules. Dry runs never call `apply`, so they cannot mutate anything. A script whose
 *    resources already match returns only `noop` steps (or none): redeploys make no mutating call. What a later
 *    step needs from an earlier one (an ARN created in the same apply) is a declared step output, referred to by an
 *    `OutputRef` (lib/plan/outputs.ts) — also across owners: the `alb` script contributes the target group ARN
 *    the scheduler binds the service to as a ref to its own step's output.
 * 3. hooks (hako's vocabulary): async notifications at fixed points of deploy, rollback, oneshot and remove.
 *
 * Order: scripts run in `scripts[]` order. Their deploy steps are applied before the ECS steps (they are
 * "pre-deploy" resources the service needs); their remove steps after the ECS service is gone.
 */
import type { AwsClients } from '../aws/ports.js';
import type { AppModel, ScriptContribution } from '../definition/model.js';
import type { ResourceLock } from '../fleet/locks.js';
import type { IoHost } from '../io/io-host.js';
import type { ApplyContext, StepOutcome } from '../plan/executor.js';
import type { Step } from '../plan/plan.js';
import type { PluginRegistration } from '../plugin.js';
import type { ScriptVerification } from '../verify/checks.js';

export type { ApplyContext, StepOutcome } from '../plan/executor.js';

export interface ScriptContext {
  /** The application id (service name, default resource names such as `hako-<appId>`). */
  readonly appId: string;
  /** Directory of the definition file. */
  readonly rootPath: string;
  /** Lazily built AWS ports, in the scheduler's region unless a port takes its own region. */
  readonly aws: () => AwsClients;
  readonly io: IoHost;
  /** True for `deploy --dry-run`, `diff`, `remove --dry-run`…: hooks must not mutate anything then. */
  readonly dryRun: boolean;
}

export interface DeployFailedInfo {
  /** Task ids started during the failed rollout (for diagnostics). */
  readonly taskIds: readonly string[];
  readonly reason: string;
}

export interface Script {
  /** Pure: what the script adds to the model. Called once, before planning, on the normalised model. */
  contribute?(model: AppModel): ScriptContribution;

  /** Observe and plan what a deploy (or oneshot, when `forOneshot`) needs. `model` includes all contributions. */
  plan?(model: AppModel, options: { readonly forOneshot: boolean }): Promise<Step[]>;
  /** Observe and plan what `remove` deletes: only what this app owns. */
  planRemove?(model: AppModel): Promise<Step[]>;
  /** Execute one of this script's steps (from `plan` or `planRemove`); return the outputs it provides. */
  apply?(step: Step, context: ApplyContext): Promise<StepOutcome | void>;
  /** After a create's response was lost: whether it took effect, and its outputs if so (lib/plan/executor.ts). */
  reconcile?(step: Step, context: ApplyContext): Promise<StepOutcome | undefined>;
  /** Whether `error` from one of this script's deletes means the target is already gone. Default: not-found errors. */
  isGone?(step: Step, error: unknown): boolean;
  /**
   * What this app touches that other apps may touch too (a shared load balancer), named the same way by every app
   * that shares it. Apps of one run whose locks overlap change things one after the other (lib/fleet/locks.ts).
   * Pure: from the configuration, before anything is observed.
   */
  locks?(model: AppModel): readonly ResourceLock[];
  /** Extra lines for `hako status` (e.g. `Load balancer:` lines). */
  status?(model: AppModel): Promise<string[]>;
  /** `hako verify`: the script's own read-only checks, and what it creates on deploy (need not exist yet). */
  verify?(model: AppModel): Promise<ScriptVerification>;

  deployStarting?(model: AppModel): Promise<void>;
  deployStarted?(model: AppModel): Promise<void>;
  deployFailed?(model: AppModel, info: DeployFailedInfo): Promise<void>;
  deployFinished?(model: AppModel): Promise<void>;
  rollbackStarting?(model: AppModel): Promise<void>;
  rollbackStarted?(model: AppModel, images: { readonly current: string; readonly target: string }): Promise<void>;
  rollbackFinished?(model: AppModel): Promise<void>;
  oneshotStarting?(model: AppModel): Promise<void>;
  oneshotStarted?(model: AppModel, task: { readonly cluster: string; readonly taskArn: string }): Promise<void>;
  oneshotFinished?(model: AppModel, result: { readonly exitCode: number }): Promise<void>;
  removeStarting?(model: AppModel): Promise<void>;
  afterRemove?(model: AppModel): Promise<void>;
}

/** What a script module exports (default export or named `plugin`). `type` is the `scripts[].type` name. */
export type ScriptPlugin<Config = Record<string, unknown>> = PluginRegistration<Config, Script, ScriptContext>;

/** The hook names, in hako's vocabulary order; used by the runner and by third-party plugin validation. */
export const SCRIPT_HOOKS = [
  'deployStarting',
  'deployStarted',
  'deployFailed',
  'deployFinished',
  'rollbackStarting',
  'rollbackStarted',
  'rollbackFinished',
  'oneshotStarting',
  'oneshotStarted',
  'oneshotFinished',
  'removeStarting',
  'afterRemove',
] as const satisfies readonly (keyof Script)[];
