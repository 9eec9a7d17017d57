/**
 * hako's programmatic API. The CLI (lib/cli) is its first client: every command is one of these actions with an
 * IoHost. Plugin authors import the contracts and `z` from here so their schemas use the same zod as hako.
 */
export { z } from 'zod';

export { deploy, planDeploy, type DeployOptions, type DeployResult, type PlannedDeploy } from './actions/deploy.js';
export { loadApp, evaluateSource, type DefinitionSource, type LoadOptions, type LoadedApp } from './actions/load-app.js';
export { oneshot, type OneshotOptions, type OneshotOutcome } from './actions/oneshot.js';
export { remove, rollback, status, stop, type RollbackResult, type ServiceOpOptions, type StatusResult } from './actions/service-ops.js';
export { showDefinition, type ShowDefinitionOptions } from './actions/show-definition.js';
export { definitionJsonSchema } from './definition/json-schema.js';
export type * from './definition/model.js';
export * from './errors.js';
export { RecordingIoHost, silentIoHost, type IoHost, type IoLevel, type IoMessage } from './io/io-host.js';
export { stepId, type Plan, type Step, type StepAction } from './plan/plan.js';
export { renderPlan } from './plan/render.js';
export type { PluginRegistration } from './plugin.js';
export type { EnvProvider, ProviderContext, ProviderPlugin } from './providers/provider.js';
export type { DeployFailedInfo, Script, ScriptContext, ScriptPlugin } from './scripts/script.js';
export {
  isEcsApp,
  SCHEDULER_COMMANDS,
  type DeployPlanOptions,
  type OneshotPlanOptions,
  type OneshotRun,
  type OneshotRunOptions,
  type RollbackPlan,
  type RolloutOutcome,
  type Scheduler,
  type SchedulerCommand,
  type SchedulerContext,
  type SchedulerPlugin,
  type SchedulerStatus,
  type StatusSection,
  type WaitOptions,
} from './schedulers/scheduler.js';
export {
  Execution,
  StepFailedError,
  type ApplyContext,
  type ExecutionOptions,
  type JournalEntry,
  type StepApplier,
  type StepOutcome,
  type StepStatus,
} from './plan/executor.js';
export { displayRefs, isOutputRef, known, outputRef, shown, type Deferred, type OutputRef } from './plan/outputs.js';
export type { AwsClients, AwsPorts } from './aws/ports.js';
// The AWS clients the CLI uses, for programmatic callers who want to configure them (region, profile, IoHost), and
// clients from hand-written ports (tests). Importing these loads no SDK code: clients are built on first use.
export { lazyAwsFor, type AwsFor, type AwsSettings } from './aws/lazy-clients.js';
export { createAwsClients, type AwsClientsOptions } from './aws/factory.js';
export { awsClientsFromPorts } from './aws/static-clients.js';
export { RateBudget, rateScaleFromEnv, type RateBudgetOptions } from './aws/rate-budget.js';
// Many apps in one run: what the CLI runs `hako deploy apps/` with, for callers that drive their own fleets.
export { LockTable, type AppLocks, type HeldLocks, type ResourceLock } from './fleet/locks.js';
export { runFleet, SkippedError, type AppRunContext, type FleetEntry, type FleetObserver, type FleetOptions, type FleetOutcome } from './fleet/runner.js';
export { expandDefinitionArgs, type DefinitionEntry } from './fleet/sources.js';
export { withIo, scopedIo } from './io/io-scope.js';
export { HAKO_PACKAGE, HAKO_VERSION } from './version.js';
