import { awsFor } from '../aws.js';
import { definitionSource, parsePositiveSeconds, withDefinitionOptions, type DefinitionArgs } from '../options.js';
import { printPlan } from '../render/plan-output.js';
import { abortOnSignals } from '../signals.js';
import type { CliCommand } from './command.js';

interface Args extends DefinitionArgs {
  force?: boolean;
  tag?: string;
  'dry-run'?: boolean;
  wait: boolean;
  timeout: number;
}

export const deployCommand: CliCommand = {
  command: 'deploy <file>',
  describe: 'Deploy the application: run its scripts, register the task definition if it changed, update the service and wait',
  builder: (y) =>
    withDefinitionOptions(y)
      .option('force', { alias: 'f', type: 'boolean', describe: 'Register and deploy even when nothing changed' })
      .option('tag', { alias: 't', type: 'string', describe: 'Image tag for the app container (overrides app.tag)' })
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show the plan and check secrets; change nothing' })
      .option('wait', { type: 'boolean', default: true, describe: 'Wait for the rollout (--no-wait returns once the service is updated)' })
      .option('timeout', { type: 'number', default: 1200, describe: 'Give up waiting (and roll back) after this many seconds' })
      .example('hako deploy app.jsonnet', 'Deploy and wait for the rollout (rolls back by itself if it fails)')
      .example('hako deploy -n app.jsonnet', 'Show what would change and check provider values; change nothing')
      .example('hako deploy -t v42 --timeout 600 app.jsonnet', 'Deploy image tag v42, give up after 10 minutes'),
  async run(args: Args, { io, env }) {
    const timeoutMs = parsePositiveSeconds(args.timeout, '--timeout') * 1000;
    const signals = abortOnSignals();
    try {
      const { deploy } = await import('../../actions/deploy.js');
      const result = await deploy({
        source: definitionSource(args, env, signals.signal),
        io,
        awsFor,
        tag: args.tag,
        force: args.force ?? false,
        dryRun: args['dry-run'] ?? false,
        noWait: !args.wait,
        timeoutMs,
        signal: signals.signal,
      });
      if (args['dry-run']) await printPlan(io, result.displayPlan);
      return 0;
    } finally {
      signals.dispose();
    }
  },
};
