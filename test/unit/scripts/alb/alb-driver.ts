/**
 * Drives the alb script as the core would (contribute → plan → apply, or planRemove → apply) against any
 * Elbv2Api, with a recording IoHost and virtual time. Steps are applied through the one executor, so refs to
 * earlier steps' outputs resolve and its fault rules (reconcile, gone deletes) apply as in a real run.
 */
import type { AwsClients, Elbv2Api } from '../../../../lib/aws/ports.js';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { AppModel, AppModelData, ContainerModel } from '../../../../lib/definition/model.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { Execution, StepFailedError, type ExecutionOptions, type StepApplier } from '../../../../lib/plan/executor.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { configSchema, createAlbScript } from '../../../../lib/scripts/alb/index.js';
import type { Script } from '../../../../lib/scripts/script.js';
import { createVirtualTime, type VirtualTime } from '../../../../lib/util/sleep.js';
import { applyContext } from '../../../helpers/apply-context.js';

export interface ModelOptions {
  containers?: string[];
  networkMode?: 'bridge' | 'awsvpc';
  healthCheckGracePeriodSeconds?: number;
}

export function makeModel(appId: string, config: Record<string, unknown>, options: ModelOptions = {}): AppModel {
  const containers = (options.containers ?? ['app', 'front']).map((name) => ({ name }) as ContainerModel);
  const data: AppModelData = {
    id: appId,
    file: `/defs/${appId}.jsonnet`,
    root_path: '/defs',
    scheduler: {
      type: 'ecs',
      cluster: 'default',
      placement_constraints: [],
      placement_strategy: [],
      dynamic_port_mapping: false,
      tags: {},
      enable_execute_command: false,
      ...(options.networkMode === undefined ? {} : { network_mode: options.networkMode }),
      ...(options.healthCheckGracePeriodSeconds === undefined
        ? {}
        : { health_check_grace_period_seconds: options.healthCheckGracePeriodSeconds }),
    },
    containers,
    volumes: [],
    scripts: [{ type: 'alb', config }],
    load_balancers: [],
  };
  return data;
}

export interface Run {
  steps: Step[];
  io: RecordingIoHost;
  time: VirtualTime;
  script: Script;
  /** The apply's executor (absent for plan-only runs): its journal and the outputs the steps provided. */
  execution?: Execution;
  /** The model with the script's contribution (the service's target group binding). */
  model: AppModel;
}

export interface DriverOptions extends ModelOptions {
  deleteTargetGroupAttempts?: number;
  /** Stop after planning (a dry run). */
  planOnly?: boolean;
  /** Executor settings (attempts, backoff). */
  execution?: Pick<ExecutionOptions, 'attempts' | 'backoff'>;
}

function setup(api: Elbv2Api, appId: string, config: Record<string, unknown>, options: DriverOptions) {
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  const aws: () => AwsClients = () => awsClientsFromPorts({ elbv2: api });
  const script = createAlbScript(
    configSchema.parse(config),
    { appId, rootPath: '/defs', aws, io, dryRun: options.planOnly === true },
    {
      sleep: time.sleep,
      ...(options.deleteTargetGroupAttempts === undefined ? {} : { deleteTargetGroupAttempts: options.deleteTargetGroupAttempts }),
    },
  );
  const base = makeModel(appId, config, options);
  // The model as the core hands it to planners: with this script's contribution (the binding and its ref).
  const contribution = script.contribute!(base);
  const model: AppModel = { ...base, load_balancers: [...base.load_balancers, ...(contribution.load_balancers ?? [])] };
  return { io, time, aws, script, model };
}

/** The script's part in the executor's rules, as the core hands it over. */
function applier(script: Script): StepApplier {
  return {
    apply: (step, context) => script.apply!(step, context),
    ...(script.reconcile ? { reconcile: script.reconcile.bind(script) } : {}),
    ...(script.isGone ? { isGone: script.isGone.bind(script) } : {}),
  };
}

function execution(setupResult: ReturnType<typeof setup>, options: DriverOptions, keepGoing: boolean): Execution {
  const { io, aws, script, time } = setupResult;
  return new Execution({
    context: applyContext({ io, aws, sleep: time.sleep, clock: time.clock }),
    applierFor: () => applier(script),
    keepGoing,
    ...options.execution,
  });
}

/** A failed step ends the run with the step's own error, as the user would see it. */
function rethrowFailure(e: unknown): never {
  throw e instanceof StepFailedError ? e.entry.error : e;
}

/** Plans a deploy and, unless `planOnly`, applies every step in order through the executor. */
export async function deploy(api: Elbv2Api, appId: string, config: Record<string, unknown>, options: DriverOptions = {}): Promise<Run> {
  const set = setup(api, appId, config, options);
  const { io, time, script, model } = set;
  const steps = await script.plan!(model, { forOneshot: false });
  if (options.planOnly) return { steps, io, time, script, model };
  const run = execution(set, options, false);
  await run.run(steps).catch(rethrowFailure);
  return { steps, io, time, script, model, execution: run };
}

/**
 * Plans a remove and, unless `planOnly`, applies every step through the executor, going on past failures as remove
 * does; then the first failure, if any, is thrown.
 */
export async function remove(api: Elbv2Api, appId: string, config: Record<string, unknown>, options: DriverOptions = {}): Promise<Run> {
  const set = setup(api, appId, config, options);
  const { io, time, script, model } = set;
  const steps = await script.planRemove!(model);
  if (options.planOnly) return { steps, io, time, script, model };
  const run = execution(set, options, true);
  await run.run(steps);
  const failed = run.journal.find((e) => e.status === 'failed');
  if (failed) throw failed.error;
  return { steps, io, time, script, model, execution: run };
}

export function kinds(steps: readonly Step[]): string[] {
  return steps.filter((s) => s.action !== 'noop').map((s) => s.kind);
}

export function statusOf(api: Elbv2Api, appId: string, config: Record<string, unknown>): Promise<string[]> {
  const { script, model } = setup(api, appId, config, {});
  return script.status!(model);
}
