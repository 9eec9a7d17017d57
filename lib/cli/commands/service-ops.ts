import { awsFor } from '../aws.js';
import { definitionSource, parsePositiveSeconds, withDefinitionOptions, type DefinitionArgs } from '../options.js';
import { abortOnSignals } from '../signals.js';
import type { CliCommand } from './command.js';

import { printPlan } from '../render/plan-output.js';

// Loaded on use: `hako --version` and `hako show-definition` should not pay for the ECS code.
const ops = () => import('../../actions/service-ops.js');

interface DryRunArgs extends DefinitionArgs {
  'dry-run'?: boolean;
}

export const rollbackCommand: CliCommand = {
  command: 'rollback <file>',
  describe: 'Roll the service back to the previous task definition revision (or --to N) and wait',
  builder: (y) =>
    withDefinitionOptions(y)
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show the target; change nothing' })
      .option('to', { type: 'number', describe: 'Roll back to this revision of the family' })
      .option('timeout', { type: 'number', describe: 'Give up waiting after this many seconds (default: no limit)' })
      .example('hako rollback app.jsonnet', 'Back to the previous ACTIVE revision')
      .example('hako rollback --to 41 -n app.jsonnet', 'Show what rolling back to revision 41 would do'),
  async run(args: DryRunArgs & { to?: number; timeout?: number }, { io, env }) {
    const timeoutMs = args.timeout === undefined ? undefined : parsePositiveSeconds(args.timeout, '--timeout') * 1000;
    const signals = abortOnSignals();
    try {
      const plan = await (await ops()).rollback({ source: definitionSource(args, env, signals.signal), io, awsFor, dryRun: args['dry-run'], to: args.to, timeoutMs, signal: signals.signal });
      if (args['dry-run']) await printPlan(io, plan);
      return 0;
    } finally {
      signals.dispose();
    }
  },
};

export const statusCommand: CliCommand = {
  command: 'status <file>',
  describe: 'Show the service: load balancer, deployments, tasks, recent events (exit 1 when it does not exist)',
  builder: (y) =>
    withDefinitionOptions(y)
      .example('hako status app.jsonnet', 'Load balancer, deployments, tasks and recent events')
      .example('hako status --output json app.jsonnet | jq .deployments', 'The same as one JSON document'),
  async run(args: DefinitionArgs, { io, env, output }) {
    const result = await (await ops()).status({ source: definitionSource(args, env), io, awsFor });
    io.result(output === 'json' ? JSON.stringify(result.data, null, 2) : result.text);
    return result.exists ? 0 : 1;
  },
};

export const stopCommand: CliCommand = {
  command: 'stop <file>',
  describe: 'Scale the service to 0 tasks',
  builder: (y) =>
    withDefinitionOptions(y)
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show what would change' })
      .example('hako stop app.jsonnet', 'Scale the service to 0 tasks (deploy brings it back)'),
  async run(args: DryRunArgs, { io, env }) {
    const plan = await (await ops()).stop({ source: definitionSource(args, env), io, awsFor, dryRun: args['dry-run'] });
    if (args['dry-run']) await printPlan(io, plan);
    return 0;
  },
};

export const removeCommand: CliCommand = {
  command: 'remove <file>',
  describe: "Scale to 0 and delete the service, then delete what the app's scripts own (rules, target group, DNS…)",
  builder: (y) =>
    withDefinitionOptions(y)
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show what would be deleted' })
      .example('hako remove -n app.jsonnet', 'List what would be deleted: the service, then what the scripts own')
      .example('hako remove app.jsonnet', 'Delete them'),
  async run(args: DryRunArgs, { io, env }) {
    const plan = await (await ops()).remove({ source: definitionSource(args, env), io, awsFor, dryRun: args['dry-run'] });
    if (args['dry-run']) await printPlan(io, plan);
    return 0;
  },
};
