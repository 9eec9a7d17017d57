import { UsageError } from '../../errors.js';
import { awsFor } from '../aws.js';
import { definitionSource, many, withDefinitionOptions, type DefinitionArgs } from '../options.js';
import { printPlan } from '../render/plan-output.js';
import { abortOnSignals } from '../signals.js';
import { withAbortSignal } from '../../util/abort-scope.js';
import type { CliCommand } from './command.js';

interface Args extends DefinitionArgs {
  command: string[];
  '--'?: string[];
  tag?: string;
  env?: string | string[];
  container?: string | string[];
  'app-cpu'?: number;
  'app-memory'?: number;
  'app-memory-reservation'?: number;
  wait: boolean;
  logs: boolean;
  'dry-run'?: boolean;
}

/**
 * `oneshot` runs one task of one app: several definitions (or a directory of them) are a usage error, rather than
 * the second file becoming the command to run.
 */
async function refuseSeveralDefinitions(args: Args): Promise<void> {
  const { stat } = await import('node:fs/promises');
  const isDirectory = async (p: string): Promise<boolean> => (await stat(p).catch(() => undefined))?.isDirectory() ?? false;
  const hint = 'Put the command after --: hako oneshot app.jsonnet -- COMMAND...';
  if (await isDirectory(args.file)) {
    throw new UsageError(`oneshot runs one definition; ${args.file} is a directory`, { hint: 'Name one definition file.' });
  }
  const next = args.command?.[0];
  if (next !== undefined && (/\.(jsonnet|json|ya?ml)$/i.test(next) || (await isDirectory(next)))) {
    throw new UsageError(`oneshot runs one definition; got ${args.file} and ${next}`, { hint: `Run it once per definition. ${hint}` });
  }
}

function nonNegativeInteger(value: number | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (!Number.isInteger(value) || value < 0) throw new UsageError(`${flag} must be a non-negative integer, got "${String(value)}"`);
  return value;
}

export const oneshotCommand: CliCommand = {
  command: 'oneshot <file> [command..]',
  describe: 'Run the app container once with COMMAND (put it after --) and exit with its exit code',
  builder: (y) =>
    withDefinitionOptions(y)
      .parserConfiguration({ 'populate--': true, 'halt-at-non-option': false })
      .positional('command', { type: 'string', array: true, describe: 'Command for the app container' })
      .option('tag', { alias: 't', type: 'string', describe: 'Image tag for the app container' })
      .option('env', { alias: 'e', type: 'string', describe: 'Environment variable for the app container: NAME=VAL (repeatable)' })
      .option('container', { alias: 'c', type: 'string', describe: 'Also start this sidecar (repeatable)' })
      .option('app-cpu', { type: 'number', describe: 'Override the app container cpu' })
      .option('app-memory', { type: 'number', describe: 'Override the app container memory (MiB)' })
      .option('app-memory-reservation', { type: 'number', describe: 'Override the app container memory reservation (MiB)' })
      .option('wait', { type: 'boolean', default: true, describe: '--no-wait prints {"cluster":…,"task_arn":…} and exits 0' })
      .option('logs', { type: 'boolean', default: true, describe: "Print the containers' CloudWatch log lines while the task runs (--no-logs: don't)" })
      .option('dry-run', { alias: 'n', type: 'boolean', describe: 'Show the plan; run nothing' })
      .example('hako oneshot app.jsonnet -- rake db:migrate', 'Run a migration with the app image')
      .example('hako oneshot -t v42 -e RAILS_ENV=staging app.jsonnet -- rails runner "p 1"', 'Another tag, one more env variable')
      .example('hako oneshot --no-wait app.jsonnet -- ./batch | jq -r .task_arn', 'Start the task and print only its JSON'),
  async run(args: Args, { io, env: processEnv }) {
    await refuseSeveralDefinitions(args);
    const command = [...(args.command ?? []), ...(args['--'] ?? [])].map(String);
    if (command.length === 0) throw new UsageError('oneshot needs a COMMAND to run: hako oneshot FILE -- COMMAND...');
    const env = many(args.env).map((item) => {
      const i = item.indexOf('=');
      return i < 0 ? { name: item } : { name: item.slice(0, i), value: item.slice(i + 1) };
    });
    // The task's JSON is the whole of stdout, so `| jq` works without --output json.
    if (!args.wait) io.reserveStdoutForResult();
    const signals = abortOnSignals();
    try {
      const { oneshot } = await import('../../actions/oneshot.js');
      const outcome = await withAbortSignal(signals.signal, () => oneshot({
        source: definitionSource(args, processEnv, signals.signal),
        io,
        awsFor,
        command,
        tag: args.tag,
        containers: many(args.container),
        env,
        overrides: {
          cpu: nonNegativeInteger(args['app-cpu'], '--app-cpu'),
          memory: nonNegativeInteger(args['app-memory'], '--app-memory'),
          memoryReservation: nonNegativeInteger(args['app-memory-reservation'], '--app-memory-reservation'),
        },
        noWait: !args.wait,
        logs: args.logs,
        dryRun: args['dry-run'] ?? false,
        signal: signals.signal,
      }));
      if (outcome.dryRun) {
        await printPlan(io, outcome.displayPlan, { docker: outcome.dockerLines });
        return 0;
      }
      if (outcome.data) io.result(JSON.stringify(outcome.data));
      return outcome.exitCode;
    } finally {
      signals.dispose();
    }
  },
};
