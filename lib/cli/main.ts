/**
 * The CLI: yargs wiring, one IoHost, and the one place errors are caught and turned into exit codes.
 * Commands live in ./commands; each returns the process exit code.
 */
import yargs, { type Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { HAKO_VERSION } from '../version.js';
import { configureAws } from './aws.js';
import { CliIoHost } from './cli-io-host.js';
import { wantsColor } from './color.js';
import { commands } from './commands/index.js';
import type { CommandContext } from './commands/command.js';
import { earlyOptions, ownArgs } from './early-options.js';
import { runawayEvaluations } from '../definition/evaluate/runaway.js';
import { renderError } from './render/error.js';
import { endStuckProcess } from './signals.js';
import { knownOptions, unknownFlags, unknownFlagsMessage } from './unknown-options.js';

export interface MainStreams {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

export async function main(argv: readonly string[], streams: MainStreams = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const { env } = streams;
  // Rendering settings are needed before yargs has parsed anything (usage errors must render too).
  const early = earlyOptions(argv, env);
  const colorStdout = wantsColor(early.color, env, streams.stdout);
  const colorStderr = wantsColor(early.color, env, streams.stderr);
  const io = new CliIoHost({ output: early.output, verbose: early.verbose, colorStdout, colorStderr, stdout: streams.stdout, stderr: streams.stderr });
  const context: CommandContext = { io, env, output: early.output, exitCode: 0 };
  configureAws({ io });

  let parser: Argv = yargs([...argv])
    .scriptName('hako')
    .usage('hako <command> [options]\n\nDeploy applications to Amazon ECS from Jsonnet, YAML or JSON definitions.')
    .version(HAKO_VERSION)
    .alias('version', 'V')
    .help('help')
    .alias('help', 'h')
    .option('debug', { type: 'boolean', describe: 'Show stack traces and debug messages (also HAKO_DEBUG=1)', global: true })
    .option('color', { type: 'boolean', describe: 'Colour output: --color forces it, --no-color turns it off (default: per stream, when it is a terminal; NO_COLOR, FORCE_COLOR)', global: true })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'Debug messages (each AWS call, deployment details)', global: true })
    .option('output', { choices: ['text', 'json'], describe: 'json: the result as one JSON document on stdout, messages and errors as JSON lines on stderr', global: true })
    .option('region', { type: 'string', describe: 'AWS region when the definition has no scheduler.region (wins over AWS_REGION, AWS_DEFAULT_REGION and the profile)', global: true })
    .option('profile', { type: 'string', describe: 'AWS shared config profile (wins over AWS_PROFILE)', global: true })
    .middleware((args) => {
      configureAws({ io, region: stringOption(args['region']), profile: stringOption(args['profile']) });
    })
    .strict()
    .demandCommand(1, 'Give a command: hako <command> --help shows its options.')
    .recommendCommands()
    .completion('completion', 'Print a shell completion script (bash; zsh when $SHELL is zsh): hako completion >> ~/.bashrc')
    .wrap(Math.min(120, streams.stdout.columns ?? 100))
    .epilog('Exit codes: 0 success, 1 error, 2 usage, 16 `diff` found differences, 130 interrupted. Docs: README.md')
    .fail((message, error) => {
      // yargs reports its own parse problems as strings; errors thrown by handlers arrive as `error`.
      if (error) throw error;
      // An unknown flag is the mistake to name, whatever yargs noticed first (a flag that swallowed FILE as its
      // value reads to yargs as a missing FILE).
      const options = (parser as unknown as YargsInternals).getOptions();
      const known = knownOptions(Object.keys(options.key), options.alias);
      const unknown = unknownFlags(ownArgs(argv), known);
      let text = unknown.length > 0 ? unknownFlagsMessage(unknown, known) : (message ?? 'Invalid usage');
      // recommendCommands() says only "Did you mean deploy?": name what was typed.
      const typed = ownArgs(argv).find((a) => !a.startsWith('-'));
      if (unknown.length === 0 && text.startsWith('Did you mean') && typed !== undefined) text = `Unknown command: ${typed}. ${text}`;
      throw new UsageError(text, { hint: 'Run with --help to see the options.' });
    });
  for (const command of commands) {
    parser = parser.command({
      command: command.command,
      describe: command.describe,
      builder: command.builder,
      handler: async (args: Record<string, unknown>) => {
        context.exitCode = await command.run(args, context);
      },
    });
  }

  try {
    await parser.parseAsync();
    return context.exitCode;
  } catch (error) {
    const rendered = renderError(error, { color: colorStderr, debug: early.debug, cwd: process.cwd(), output: early.output });
    streams.stderr.write(rendered.text);
    // A Jsonnet evaluation given up while computing would keep the process alive for ever.
    if (runawayEvaluations() > 0) endStuckProcess(rendered.exitCode);
    return rendered.exitCode;
  }
}

/** yargs has `getOptions()` (the options of the command being parsed), but its published types do not declare it. */
interface YargsInternals {
  getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> };
}

function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
