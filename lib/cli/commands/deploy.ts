import { awsFor } from '../aws.js';
import { planResult, type AppContext, type AppOutcome } from '../fleet/app-task.js';
import { withFleetOptions } from '../fleet/options.js';
import { runDefinitions } from '../fleet/run-definitions.js';
import { definitionSource, parsePositiveSeconds, type DefinitionArgs } from '../options.js';
import type { CliCommand } from './command.js';

interface Args extends DefinitionArgs {
  force?: boolean;
  tag?: string;
  'dry-run'?: boolean;
  wait: boolean;
  timeout: number;
}

async function deployOne(args: Args, app: AppContext): Promise<AppOutcome> {
  const timeoutMs = parsePositiveSeconds(args.timeout, '--timeout') * 1000;
  const { deploy } = await import('../../actions/deploy.js');
  const result = await deploy({
    source: definitionSource(args, app.env, app.signal),
    io: app.io,
    awsFor,
    tag: args.tag,
    force: args.force ?? false,
    dryRun: args['dry-run'] ?? false,
    noWait: !args.wait,
    timeoutMs,
    signal: app.signal,
    locks: app.locks,
  });
  const revision = result.revision === undefined ? {} : { revision: result.revision };
  if (args['dry-run']) return { exitCode: 0, result: result.changed ? 'changes' : 'no changes', ...revision, ...(await planResult(result.displayPlan, app.color)) };
  return { exitCode: 0, result: !result.changed ? 'unchanged' : args.wait ? 'deployed' : 'started', ...revision };
}

export const deployCommand: CliCommand = {
  command: 'deploy <file..>',
  describe: 'Deploy the application: run its scripts, register the task definition if it changed, update the service and wait',
  builder: (y) =>
    withFleetOptions(y)
      .option('force', { alias: 'f', type: 'boolean', describe: 'Register and deploy even when nothing changed' })
      .option('tag', { alias: 't', type: 'string', describe: 'Image tag for the app container (overrides app.tag)' })
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show the plan and check secrets; change nothing' })
      .option('wait', { type: 'boolean', default: true, describe: 'Wait for the rollout (--no-wait returns once the service is updated)' })
      .option('timeout', { type: 'number', default: 1200, describe: 'Give up waiting (and roll back) after this many seconds' })
      .example('hako deploy app.jsonnet', 'Deploy and wait for the rollout (rolls back by itself if it fails)')
      .example('hako deploy -n app.jsonnet', 'Show what would change and check provider values; change nothing')
      .example('hako deploy -t v42 --timeout 600 app.jsonnet', 'Deploy image tag v42, give up after 10 minutes')
      .example('hako deploy --parallel 8 apps/', "Deploy every definition in apps/, eight at a time; apps sharing a load balancer take turns"),
  run: (args, context) => runDefinitions(args, context, { name: 'deploy', signals: true, task: deployOne }),
};
