import { awsFor } from '../aws.js';
import { planResult, type AppContext, type AppOutcome } from '../fleet/app-task.js';
import { withFleetOptions } from '../fleet/options.js';
import { runDefinitions } from '../fleet/run-definitions.js';
import { definitionSource, parsePositiveSeconds, type DefinitionArgs } from '../options.js';
import type { Plan } from '../../plan/plan.js';
import type { CliCommand } from './command.js';

// Loaded on use: `hako --version` and `hako show-definition` should not pay for the ECS code.
const ops = () => import('../../actions/service-ops.js');

interface DryRunArgs extends DefinitionArgs {
  'dry-run'?: boolean;
}

/** What a dry run prints: the plan, and whether it would change anything. */
async function planned(plan: Plan, app: AppContext, nothing: string): Promise<AppOutcome> {
  const changes = plan.steps.some((s) => s.action !== 'noop');
  return { exitCode: 0, result: changes ? 'changes' : nothing, ...(await planResult(plan, app.color)) };
}

async function rollbackOne(args: DryRunArgs & { to?: number; timeout?: number }, app: AppContext): Promise<AppOutcome> {
  const timeoutMs = args.timeout === undefined ? undefined : parsePositiveSeconds(args.timeout, '--timeout') * 1000;
  const plan = await (await ops()).rollback({
    source: definitionSource(args, app.env, app.signal),
    io: app.io,
    awsFor,
    dryRun: args['dry-run'],
    to: args.to,
    timeoutMs,
    signal: app.signal,
    locks: app.locks,
  });
  const revision = plan.revision === undefined ? {} : { revision: plan.revision };
  if (args['dry-run']) return { ...(await planned(plan, app, 'nothing to roll back')), ...revision };
  return { exitCode: 0, result: 'rolled back', ...revision };
}

export const rollbackCommand: CliCommand = {
  command: 'rollback <file..>',
  describe: 'Roll the service back to the previous task definition revision (or --to N) and wait',
  builder: (y) =>
    withFleetOptions(y)
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show the target; change nothing' })
      .option('to', { type: 'number', describe: 'Roll back to this revision of the family' })
      .option('timeout', { type: 'number', describe: 'Give up waiting after this many seconds (default: no limit)' })
      .example('hako rollback app.jsonnet', 'Back to the previous ACTIVE revision')
      .example('hako rollback --to 41 -n app.jsonnet', 'Show what rolling back to revision 41 would do'),
  run: (args, context) => runDefinitions(args, context, { name: 'rollback', signals: true, task: rollbackOne }),
};

async function statusOne(args: DefinitionArgs, app: AppContext): Promise<AppOutcome> {
  const result = await (await ops()).status({ source: definitionSource(args, app.env), io: app.io, awsFor });
  return {
    exitCode: result.exists ? 0 : 1,
    result: result.exists ? 'ok' : 'unavailable',
    text: result.text,
    json: result.data,
    ...(result.revision === undefined ? {} : { revision: result.revision }),
  };
}

export const statusCommand: CliCommand = {
  command: 'status <file..>',
  describe: 'Show the service: load balancer, deployments, tasks, recent events (exit 1 when it does not exist)',
  builder: (y) =>
    withFleetOptions(y)
      .example('hako status app.jsonnet', 'Load balancer, deployments, tasks and recent events')
      .example('hako status --output json app.jsonnet | jq .deployments', 'The same as one JSON document')
      .example('hako status apps/', 'Every app in apps/, one report each, then a summary (exit 1 if any has no service)'),
  run: (args, context) => runDefinitions(args, context, { name: 'status', task: statusOne }),
};

async function stopOne(args: DryRunArgs, app: AppContext): Promise<AppOutcome> {
  const plan = await (await ops()).stop({ source: definitionSource(args, app.env), io: app.io, awsFor, dryRun: args['dry-run'], locks: app.locks });
  if (args['dry-run']) return planned(plan, app, 'already stopped');
  return { exitCode: 0, result: plan.steps.some((s) => s.action !== 'noop') ? 'stopped' : 'already stopped' };
}

export const stopCommand: CliCommand = {
  command: 'stop <file..>',
  describe: 'Scale the service to 0 tasks',
  builder: (y) =>
    withFleetOptions(y)
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show what would change' })
      .example('hako stop app.jsonnet', 'Scale the service to 0 tasks (deploy brings it back)'),
  run: (args, context) => runDefinitions(args, context, { name: 'stop', task: stopOne }),
};

async function removeOne(args: DryRunArgs, app: AppContext): Promise<AppOutcome> {
  const plan = await (await ops()).remove({ source: definitionSource(args, app.env), io: app.io, awsFor, dryRun: args['dry-run'], locks: app.locks });
  if (args['dry-run']) return planned(plan, app, 'nothing to remove');
  return { exitCode: 0, result: plan.steps.some((s) => s.action !== 'noop') ? 'removed' : 'nothing to remove' };
}

export const removeCommand: CliCommand = {
  command: 'remove <file..>',
  describe: "Scale to 0 and delete the service, then delete what the app's scripts own (rules, target group, DNS…)",
  builder: (y) =>
    withFleetOptions(y)
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show what would be deleted' })
      .example('hako remove -n app.jsonnet', 'List what would be deleted: the service, then what the scripts own')
      .example('hako remove app.jsonnet', 'Delete them'),
  run: (args, context) => runDefinitions(args, context, { name: 'remove', task: removeOne }),
};
