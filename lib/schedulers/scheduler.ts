/**
 * The scheduler contract. A scheduler turns the app model into running software: the built-in ECS one
 * (lib/schedulers/ecs), and any other `scheduler.type` — a module path or package — whose registration has the
 * same shape (`{ type, configSchema, create(config, context) }`, lib/plugin.ts) and is resolved through the same
 * registry (registry.ts).
 *
 * It is shaped like the Script contract: every command is observe → plan (pure data: Steps) → apply, and the
 * actions (lib/actions) drive all of it generically:
 *
 * - `plan*` observe read-only and return Steps; `diff` and dry runs render them and stop there. They never change
 *   anything, whatever ports they are given (dry runs get read-only ones besides).
 * - `apply` (with `reconcile` and `isGone`, see lib/plan/executor.ts) carries out one Step; only the one executor
 *   calls it, under the rules written there.
 * - `wait` follows the rollout that the applied steps started, and says how to undo a failed one (`recovery` steps,
 *   applied by the same executor).
 * - `runOneshot` runs the app once after its planned steps were applied; `status` describes what runs.
 *
 * A method a scheduler lacks makes that command fail with a clear error naming the scheduler.
 */
import type { AwsClients } from '../aws/ports.js';
import type { AnyAppModel } from '../definition/model.js';
import type { DefinitionIssue } from '../errors.js';
import type { ResourceLock } from '../fleet/locks.js';
import type { IoHost } from '../io/io-host.js';
import type { JournalEntry, StepApplier } from '../plan/executor.js';
import type { Step } from '../plan/plan.js';
import type { PluginRegistration } from '../plugin.js';
import type { Clock, Sleep } from '../util/sleep.js';
import type { VerifyCheck, VerifyContext } from '../verify/checks.js';

export interface SchedulerContext {
  /** The application id (service name, default resource names). */
  readonly appId: string;
  /** Directory of the definition file. */
  readonly rootPath: string;
  /** The definition file, for messages. */
  readonly file: string;
  /** Lazily built AWS ports in the definition's region; read-only ones in dry runs. */
  readonly aws: () => AwsClients;
  readonly io: IoHost;
  /** True for diff and dry runs: nothing may change (apply is never called then). */
  readonly dryRun: boolean;
  readonly clock: Clock;
  readonly sleep: Sleep;
  /** Unique per run (see ApplyContext.runId): idempotency tokens of requests made outside `apply` (RunTask). */
  readonly runId: string;
}

export interface DeployPlanOptions {
  /** `--force`: deploy even when nothing changed. */
  readonly force: boolean;
  /** `--tag`, already applied to the app container's image in the model. */
  readonly tag?: string;
}

export interface OneshotPlanOptions {
  readonly command: readonly string[];
  /** `-e NAME=VAL` for the app container (`value` absent: pass the caller's own value through). */
  readonly env: readonly { readonly name: string; readonly value?: string }[];
  readonly overrides: { readonly cpu?: number; readonly memory?: number; readonly memoryReservation?: number };
}

export interface OneshotRunOptions extends OneshotPlanOptions {
  /** Return once the task started. */
  readonly noWait: boolean;
  /** Print the containers' log lines while the task runs (default true; `--no-logs` turns it off). */
  readonly followLogs?: boolean;
  /** Ctrl-C: the scheduler stops what it started and reports an exit code (130 when none). */
  readonly signal?: AbortSignal;
  /** Called once the one-off task runs (scripts' `oneshotStarted` hook). */
  onStarted?(task: { readonly cluster: string; readonly taskArn: string }): Promise<void>;
}

export interface OneshotRun {
  /** The app container's exit code; 127 when it has none, 130 when stopped by a signal without one, 0 for noWait. */
  readonly exitCode: number;
  readonly cluster: string;
  readonly taskArn: string;
  /** True when the task was stopped because of the signal. */
  readonly stopped: boolean;
  /** For `--no-wait`: what the CLI prints as JSON. */
  readonly data?: Readonly<Record<string, string>>;
}

/** The plan of `hako rollback`, with what the hooks (rollbackStarted) are told. */
export interface RollbackPlan {
  readonly steps: readonly Step[];
  /** What runs now and what will run after the rollback (task definitions, images, revisions). */
  readonly current: string;
  readonly target: string;
  /** The target as `revisionOf` names what runs (ECS: `family:revision`), for the summary of a run of many apps. */
  readonly revision?: string;
}

export interface WaitOptions {
  /** Give up after this long; undefined: no limit. */
  readonly timeoutMs?: number;
  readonly signal?: AbortSignal;
}

export type RolloutOutcome =
  | { readonly status: 'completed' }
  /** Nothing was started that needs watching (no change, or the scheduler returned before the rollout). */
  | { readonly status: 'none' }
  | {
      readonly status: 'failed' | 'timed-out';
      readonly reason: string;
      /** Task or pod ids started by the failed rollout (scripts' `deployFailed` hook, diagnostics). */
      readonly taskIds: readonly string[];
      /**
       * Steps that put the app back as it was before this run (ECS: the previous task definition, the failed
       * revision deregistered). Absent: nothing to go back to; `hint` says why.
       */
      readonly recovery?: readonly Step[];
      /** What the recovery goes back to, for messages (`Rolled back to hello:3`). */
      readonly recoveryTarget?: string;
      /** Without recovery: why there is none, added to the error (`Nothing to roll back to: …`). */
      readonly note?: string;
      readonly hint?: string;
    };

/** A script's part of `hako status`: a header line (`DNS:`) and its indented lines. */
export interface StatusSection {
  /** `Load balancer:`, `DNS:`…; undefined for lines a script gave without a header. */
  header?: string;
  lines: string[];
}

export interface SchedulerStatus {
  /** False when the app is not deployed (status exits 1 then). */
  readonly exists: boolean;
  /** The report in text, the scripts' sections placed where this scheduler shows them. */
  readonly text: string;
  /** The same as data, for `--output json`. */
  readonly data: unknown;
  /** What runs now, as `revisionOf` names it (ECS: `family:revision`), for the summary of a run of many apps. */
  readonly revision?: string;
}

/** One run's scheduler instance. */
export interface Scheduler extends StepApplier {
  /**
   * Whether `scripts[]` run with this scheduler. The built-in scripts are about an ECS service (its load balancer,
   * front proxy, log groups); a scheduler that cannot use what they contribute leaves this false.
   */
  readonly runsScripts?: boolean;
  /**
   * Pure checks of the model against what this scheduler can deploy (names, sizes, limits the platform would
   * reject late). Every command that reads a definition runs them before anything else.
   */
  validate?(model: AnyAppModel): readonly DefinitionIssue[];
  /**
   * What this app touches that another definition of the same run may touch too (its own service, if two
   * definitions name it): apps whose locks overlap change things one after the other (lib/fleet/locks.ts). Pure.
   */
  locks?(model: AnyAppModel): readonly ResourceLock[];
  /**
   * What runs once a deploy's steps are applied (ECS: `family:revision`), for the summary of a run of many apps.
   * The journal is empty for dry runs: the plan's steps tell then.
   */
  revisionOf?(steps: readonly Step[], journal: readonly JournalEntry[]): string | undefined;
  /** Observe and plan a deploy (`deploy`, `diff`, `deploy --dry-run`). */
  planDeploy(model: AnyAppModel, options: DeployPlanOptions): Promise<readonly Step[]>;
  /** Read-only checks that dry runs make too, beyond planning (e.g. that referenced secrets exist). */
  check?(model: AnyAppModel): Promise<void>;
  /** Follow the rollout the applied deploy (or recovery, or rollback) steps started. */
  wait?(model: AnyAppModel, journal: readonly JournalEntry[], options: WaitOptions): Promise<RolloutOutcome>;
  planRollback?(model: AnyAppModel, options: { readonly to?: number }): Promise<RollbackPlan>;
  planStop?(model: AnyAppModel): Promise<readonly Step[]>;
  /** Plan removing what the scheduler made for the app; applied before the scripts' removals. */
  planRemove?(model: AnyAppModel): Promise<readonly Step[]>;
  /** What a oneshot needs in place first (its task definition). */
  planOneshot?(model: AnyAppModel, options: OneshotPlanOptions): Promise<readonly Step[]>;
  /** Runs the app once, after the `planOneshot` steps were applied (their journal given). */
  runOneshot?(model: AnyAppModel, journal: readonly JournalEntry[], options: OneshotRunOptions): Promise<OneshotRun>;
  status?(model: AnyAppModel, sections: readonly StatusSection[]): Promise<SchedulerStatus>;
  /**
   * `hako verify`: read-only checks that what the model refers to exists and is usable (cluster, roles, images,
   * secrets, network, target groups…). `context.provided` names what scripts create on deploy.
   */
  verify?(model: AnyAppModel, context: VerifyContext): Promise<readonly VerifyCheck[]>;
}

/** What `hako init` asks of a scheduler: describe a live app so that a definition can be written from it. */
export interface SchedulerInitOptions {
  /** Where the app runs (ECS: the cluster). */
  readonly cluster: string;
  /** The live app (ECS: the service name). */
  readonly service: string;
  readonly region?: string;
  /** The app id the written definition has (its file name), which the scheduler deploys it as. */
  readonly appId: string;
}

export interface SchedulerInitContext {
  /** Read-only AWS ports in `region`. */
  readonly aws: () => AwsClients;
  readonly io: IoHost;
}

/** Something the user should know about the written definition: a choice made, or what did not carry over. */
export interface InitNote {
  readonly level: 'info' | 'warn';
  readonly message: string;
  /** The definition path it concerns (`app.image`, `scheduler.service_discovery`). */
  readonly path?: string;
}

export interface SchedulerInitResult {
  /** The definition as a person would write it: defaults left out, keys in a reading order. */
  readonly definition: Record<string, unknown>;
  readonly notes: readonly InitNote[];
}

/**
 * `config` is the definition's `scheduler` object (for plugins without `type`, validated by `configSchema`).
 * `init` (optional) lets `hako init --scheduler <type>` write a definition from what runs: it reads, never changes.
 */
export type SchedulerPlugin<Config = Record<string, unknown>> = PluginRegistration<Config, Scheduler, SchedulerContext> & {
  /**
   * Checks, purely and before any AWS call, what the platform would refuse only late (names, sizes); runs for every
   * command that reads a definition, `show-definition` included.
   */
  validate?(model: AnyAppModel): readonly DefinitionIssue[];
  init?(options: SchedulerInitOptions, context: SchedulerInitContext): Promise<SchedulerInitResult>;
};

/** The commands as users name them, and the method each needs. */
export const SCHEDULER_COMMANDS = {
  deploy: 'planDeploy',
  rollback: 'planRollback',
  stop: 'planStop',
  remove: 'planRemove',
  oneshot: 'planOneshot',
  status: 'status',
} as const satisfies Record<string, keyof Scheduler>;

export type SchedulerCommand = keyof typeof SCHEDULER_COMMANDS;

export { isEcsApp } from '../definition/model.js';
