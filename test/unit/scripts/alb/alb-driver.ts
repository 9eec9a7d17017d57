/**
 * Drives the alb script as the core would (contribute → plan → apply, or planRemove → apply) against any
 * Elbv2Api, with a recording IoHost and virtual time.
 */
import type { AwsClients, Elbv2Api } from '../../../../lib/aws/ports.js';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { AppModel, AppModelData, ContainerModel } from '../../../../lib/definition/model.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
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
}

export interface DriverOptions extends ModelOptions {
  deleteTargetGroupAttempts?: number;
  /** Stop after planning (a dry run). */
  planOnly?: boolean;
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
  return { io, time, aws, script, model: makeModel(appId, config, options) };
}

/** Plans a deploy and, unless `planOnly`, applies every step in order. */
export async function deploy(api: Elbv2Api, appId: string, config: Record<string, unknown>, options: DriverOptions = {}): Promise<Run> {
  const { io, time, aws, script, model } = setup(api, appId, config, options);
  const steps = await script.plan!(model, { forOneshot: false });
  if (!options.planOnly) for (const step of steps) await script.apply!(step, applyContext({ io, aws }));
  return { steps, io, time, script };
}

/** Plans a remove and, unless `planOnly`, applies every step in order. */
export async function remove(api: Elbv2Api, appId: string, config: Record<string, unknown>, options: DriverOptions = {}): Promise<Run> {
  const { io, time, aws, script, model } = setup(api, appId, config, options);
  const steps = await script.planRemove!(model);
  if (!options.planOnly) for (const step of steps) await script.apply!(step, applyContext({ io, aws }));
  return { steps, io, time, script };
}

export function kinds(steps: readonly Step[]): string[] {
  return steps.filter((s) => s.action !== 'noop').map((s) => s.kind);
}

export function statusOf(api: Elbv2Api, appId: string, config: Record<string, unknown>): Promise<string[]> {
  const { script, model } = setup(api, appId, config, {});
  return script.status!(model);
}
