/**
 * The CLI: yargs wiring, one IoHost, and the one place errors are caught and turned into exit codes.
 * Commands live in ./commands; each returns the process exit code.
 */
import yargs, { type Argv } from 'yargs';
import { UsageError } from '../errors.js';
import { HAKO_VERSION } from '../version.js';
import { reportAwsCallsTo } from './aws.js';
import { CliIoHost, type OutputFormat } from './cli-io-host.js';
import { commands } from './commands/index.js';
import type { CommandContext } from './commands/command.js';
import { renderError } from './render/error.js';

export interface MainStreams {
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  readonly env: NodeJS.ProcessEnv;
}

function wantsColor(argv: readonly string[], env: NodeJS.ProcessEnv, stream: NodeJS.WriteStream): boolean {
  if (argv.includes('--no-color') || env.NO_COLOR) return false;
  if (env.FORCE_COLOR && env.FORCE_COLOR !== '0') return true;
  return Boolean(stream.isTTY);
}

function peekOption(argv: readonly string[], name: string): string | undefined {
  const i = argv.findIndex((a) => a === `--${name}` || a.startsWith(`--${name}=`));
  if (i < 0) return undefined;
  const a = argv[i]!;
  return a.includes('=') ? a.slice(a.indexOf('=') + 1) : argv[i + 1];
}

export async function main(argv: readonly string[], streams: MainStreams = { stdout: process.stdout, stderr: process.stderr, env: process.env }): Promise<number> {
  const { env } = streams;
  // Rendering settings are needed before yargs has parsed anything (usage errors must render too).
  const debug = argv.includes('--debug') || env.HAKO_DEBUG === '1';
  const color = wantsColor(argv, env, streams.stderr);
  const output: OutputFormat = peekOption(argv, 'output') === 'json' ? 'json' : 'text';
  const verbose = debug || argv.includes('--verbose') || argv.includes('-v');
  const io = new CliIoHost({ output, verbose, color, stdout: streams.stdout, stderr: streams.stderr });
  const context: CommandContext = { io, env, color, exitCode: 0 };
  reportAwsCallsTo(io);

  let parser: Argv = yargs([...argv])
    .scriptName('hako')
    .usage('hako <command> [options]\n\nDeploy applications to Amazon ECS from Jsonnet, YAML or JSON definitions.')
    .version(HAKO_VERSION)
    .alias('version', 'V')
    .help('help')
    .alias('help', 'h')
    .option('debug', { type: 'boolean', describe: 'Show stack traces and debug messages (also HAKO_DEBUG=1)', global: true })
    .option('color', { type: 'boolean', describe: 'Colour output (default: when the terminal supports it; NO_COLOR disables)', global: true })
    .option('verbose', { alias: 'v', type: 'boolean', describe: 'Debug messages (each AWS call, deployment details)', global: true })
    .option('output', { choices: ['text', 'json'], describe: 'json: one JSON object per message (and JSON results where a command has one)', global: true })
    .strict()
    .demandCommand(1, 'Give a command: hako <command> --help shows its options.')
    .recommendCommands()
    .wrap(Math.min(120, streams.stdout.columns ?? 100))
    .epilog('Exit codes: 0 success, 1 error, 2 usage, 16 `diff` found differences, 130 interrupted. Docs: README.md')
    .fail((message, error) => {
      // yargs reports its own parse problems as strings; errors thrown by handlers arrive as `error`.
      if (error) throw error;
      throw new UsageError(message ?? 'Invalid usage', { hint: 'Run with --help to see the options.' });
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
    const rendered = renderError(error, { color, debug, cwd: process.cwd() });
    streams.stderr.write(rendered.text);
    return rendered.exitCode;
  }
}
