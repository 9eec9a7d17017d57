/**
 * The CLI: argv to a command (lib/cli/quick-argv.ts, else yargs: lib/cli/yargs-cli.ts), one IoHost, and the one
 * place errors are caught and turned into exit codes.
 * Commands live in ./commands; each returns the process exit code.
 */
import { configureAws } from './aws.js';
import { CliIoHost } from './cli-io-host.js';
import { wantsColor } from './color.js';
import { commands } from './commands/index.js';
import type { CliCommand, CommandContext } from './commands/command.js';
import { earlyOptions } from './early-options.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { quickParse } from './quick-argv.js';
import { runawayEvaluations } from '../definition/evaluate/runaway.js';
import { renderError } from './render/error.js';
import { endStuckProcess } from './signals.js';

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

  // The global options' one effect, run before any command: yargs runs it as middleware.
  const middleware = (args: Record<string, unknown>): void => {
    configureAws({ io, region: stringOption(args['region']), profile: stringOption(args['profile']) });
  };
  const run = async (command: CliCommand, args: Record<string, unknown>): Promise<void> => {
    context.exitCode = await command.run(args, context);
  };

  try {
    // Plain command lines skip yargs (lib/cli/quick-argv.ts says why and when); yargs parses all the others.
    const quick = quickParse(argv, commands, GLOBAL_OPTIONS);
    if (quick !== undefined) {
      middleware(quick.args);
      await run(quick.command, quick.args);
    } else {
      const { yargsCli } = await import('./yargs-cli.js');
      await (await yargsCli({ argv, commands, columns: streams.stdout.columns, middleware, run })).parseAsync();
    }
    return context.exitCode;
  } catch (error) {
    const rendered = renderError(error, { color: colorStderr, debug: early.debug, cwd: process.cwd(), output: early.output });
    streams.stderr.write(rendered.text);
    // A Jsonnet evaluation given up while computing would keep the process alive for ever.
    if (runawayEvaluations() > 0) endStuckProcess(rendered.exitCode);
    return rendered.exitCode;
  }
}

function stringOption(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
