/**
 * oneshot: run the app (plus `-c` containers and their dependencies) once as a task of the `<app>-oneshot`
 * family, wait for it to stop, and report the app container's exit code. Scripts plan and apply what a task needs
 * (log groups) first; load balancers and DNS are for services, and those scripts plan nothing for oneshot.
 */
import type { AwsClients } from '../aws/ports.js';
import { info, warn, type IoHost } from '../io/io-host.js';
import type { Plan } from '../plan/plan.js';
import { redactPlan } from '../plan/redact.js';
import { compareTaskDefinition } from '../schedulers/ecs/compare.js';
import { registerOneshotTaskDefinition, runOneshot, type OneshotResult } from '../schedulers/ecs/oneshot.js';
import { planTaskDefinition } from '../schedulers/ecs/plan.js';
import { describeLatestTaskDefinition } from '../schedulers/ecs/observe.js';
import { checkSecrets } from '../schedulers/ecs/secrets-check.js';
import { buildTaskDefinition } from '../schedulers/ecs/task-definition.js';
import { sleep as realSleep, systemClock } from '../util/sleep.js';
import type { DefinitionSource } from './load-app.js';
import { applyScriptSteps, callScheduler, planScripts, prepareApp, runHook, type PreparedPluginApp } from './prepare.js';

export interface OneshotOptions {
  readonly source: DefinitionSource;
  readonly io: IoHost;
  /** AWS clients for a region; default: the CLI's factory (lazyAwsFor: SDK chain, AWS_PROFILE, AWS_REGION…). */
  readonly awsFor?: (region: string | undefined) => () => AwsClients;
  readonly command: readonly string[];
  readonly tag?: string;
  /** Extra containers to start with `app` (`-c`). */
  readonly containers?: readonly string[];
  /** `-e NAME=VAL` for the app container. */
  readonly env?: readonly { readonly name: string; readonly value?: string }[];
  readonly overrides?: { readonly cpu?: number; readonly memory?: number; readonly memoryReservation?: number };
  readonly noWait?: boolean;
  readonly dryRun?: boolean;
  readonly signal?: AbortSignal;
}

/** A dry run's plan, and the same plan with provider values masked: only `displayPlan` may be shown. */
export type OneshotOutcome =
  | { readonly dryRun: true; readonly plan: Plan; readonly displayPlan: Plan }
  | ({ readonly dryRun: false } & OneshotResult);

export async function oneshot(options: OneshotOptions): Promise<OneshotOutcome> {
  const dryRun = options.dryRun ?? false;
  const preparedAny = await prepareApp({
    ...options.source,
    io: options.io,
    awsFor: options.awsFor,
    dryRun,
    tag: options.tag,
    with: options.containers ?? [],
    withoutContributions: true,
    // A dry run compares with the live `<app>-oneshot` revision, whose env holds the real values: only the real values
    // compare exactly, and only knowing them lets the rendered plan mask them on both sides (as diff does).
    providerMode: 'expand',
    envMode: 'expand',
  });
  if (preparedAny.kind === 'plugin') return pluginOneshot(preparedAny, options, dryRun);
  const prepared = preparedAny;
  const { model, io } = prepared;
  const family = `${model.id}-oneshot`;
  // hako's S3 task notifications and ASG scale-out are not implemented yet. Waiting by polling DescribeTasks works
  // everywhere, so say what is ignored instead of failing a oneshot that would otherwise run fine.
  if (model.scheduler.oneshot_notification_prefix) {
    warn(io, 'ecs.oneshot.notification-unsupported', 'scheduler.oneshot_notification_prefix is not supported yet: waiting for the task by polling DescribeTasks instead');
  }
  if (model.scheduler.autoscaling_group_for_oneshot) {
    warn(io, 'ecs.oneshot.scale-out-unsupported', 'scheduler.autoscaling_group_for_oneshot is not supported yet: hako will not scale the group out when the task cannot be placed');
  }
  // The app runs the given command; ECS gets it as an override, the dry-run plan shows it in the definition.
  await runHook(prepared, 'oneshotStarting', model);
  const scriptSteps = await planScripts(prepared, 'oneshot');
  const ecs = await prepared.aws.ecs();

  if (dryRun) {
    const current = await describeLatestTaskDefinition(ecs, family);
    const step = planTaskDefinition(model, { taskDefinition: current?.taskDefinition, taskDefinitionTags: current?.tags ?? [] }, { force: false, family });
    await checkSecrets(model.containers, prepared.aws);
    const plan: Plan = { steps: [...scriptSteps.steps, step] };
    return { dryRun: true, plan, displayPlan: redactPlan(plan, prepared.loaded.providers.revealedValues()) };
  }

  await applyScriptSteps(prepared, scriptSteps);
  const input = buildTaskDefinition(model, { family });
  const td = await registerOneshotTaskDefinition({ ecs, io, sleep: realSleep, clock: systemClock, signal: options.signal }, input, (current, tags) =>
    compareTaskDefinition(input, current, tags).changed,
  );
  const result = await runOneshot(
    { ecs, io, sleep: realSleep, clock: systemClock },
    {
      model,
      taskDefinitionArn: td.arn,
      command: options.command,
      env: options.env ?? [],
      overrides: options.overrides ?? {},
      noWait: options.noWait ?? false,
      signal: options.signal,
      onStarted: (task) => runHook(prepared, 'oneshotStarted', model, { cluster: model.scheduler.cluster, taskArn: task.taskArn ?? '' }),
    },
  );
  await runHook(prepared, 'oneshotFinished', model, { exitCode: result.exitCode });
  if (!options.noWait) info(io, 'ecs.oneshot.exit-code', `Exit code: ${result.exitCode}`, { exitCode: result.exitCode });
  return { dryRun: false, ...result };
}

/** oneshot through a scheduler plugin: its `oneshot` method runs the command and reports the exit code. */
async function pluginOneshot(prepared: PreparedPluginApp, options: OneshotOptions, dryRun: boolean): Promise<OneshotOutcome> {
  const result = await callScheduler(prepared, 'oneshot', (run) =>
    run(prepared.model, { command: options.command, env: options.env ?? [], dryRun }),
  );
  if (dryRun) return { dryRun: true, plan: { steps: [] }, displayPlan: { steps: [] } };
  info(prepared.io, 'ecs.oneshot.exit-code', `Exit code: ${result.exitCode}`, { exitCode: result.exitCode });
  // There is no ECS task: cluster and task ARN are the scheduler's business.
  return { dryRun: false, exitCode: result.exitCode, cluster: '', taskArn: '', stopped: false, containers: [] };
}
