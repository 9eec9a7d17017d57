/**
 * The yargs parser of the CLI: every command line lib/cli/quick-argv.ts does not read itself (help, version,
 * completion, usage errors, anything unusual) is parsed, validated and reported here. Loaded only then.
 */
import type { Argv, Options } from 'yargs';
import { UsageError } from '../errors.js';
import { HAKO_VERSION } from '../version.js';
import type { CliCommand } from './commands/command.js';
import { ownArgs } from './early-options.js';
import { GLOBAL_OPTIONS } from './global-options.js';
import { knownOptions, unknownFlags, unknownFlagsMessage } from './unknown-options.js';

export interface YargsCliOptions {
  readonly argv: readonly string[];
  readonly commands: readonly CliCommand[];
  /** Terminal width of stdout, for the help text. */
  readonly columns: number | undefined;
  /** Runs before any command with the parsed arguments (the global options' effects). */
  readonly middleware: (args: Record<string, unknown>) => void;
  /** Runs the command yargs chose. */
  readonly run: (command: CliCommand, args: Record<string, unknown>) => Promise<void>;
}

export async function yargsCli(options: YargsCliOptions): Promise<Argv> {
  const { argv } = options;
  // import(), not import: the CLI bundle keeps yargs in a file of its own, loaded only here (scripts/bundle.ts).
  const { default: yargs } = await import('yargs');
  let parser: Argv = yargs([...argv])
    .scriptName('hako')
    .usage('hako <command> [options]\n\nDeploy applications to Amazon ECS from Jsonnet, YAML or JSON definitions.')
    .version(HAKO_VERSION)
    .alias('version', 'V')
    .help('help')
    .alias('help', 'h');
  for (const [name, spec] of Object.entries(GLOBAL_OPTIONS)) parser = parser.option(name, spec as Options);
  parser = parser
    .middleware((args) => options.middleware(args))
    .strict()
    .demandCommand(1, 'Give a command: hako <command> --help shows its options.')
    .recommendCommands()
    .completion('completion', 'Print a shell completion script (bash; zsh when $SHELL is zsh): hako completion >> ~/.bashrc')
    .wrap(Math.min(120, options.columns ?? 100))
    .epilog('Exit codes: 0 success, 1 error, 2 usage, 16 `diff` found differences, 130 interrupted. Docs: README.md')
    .fail((message, error) => {
      // yargs reports its own parse problems as strings; errors thrown by handlers arrive as `error`.
      if (error) throw error;
      // An unknown flag is the mistake to name, whatever yargs noticed first (a flag that swallowed FILE as its
      // value reads to yargs as a missing FILE).
      const parsed = (parser as unknown as YargsInternals).getOptions();
      const known = knownOptions(Object.keys(parsed.key), parsed.alias);
      const unknown = unknownFlags(ownArgs(argv), known);
      let text = unknown.length > 0 ? unknownFlagsMessage(unknown, known) : (message ?? 'Invalid usage');
      // recommendCommands() says only "Did you mean deploy?": name what was typed.
      const typed = ownArgs(argv).find((a) => !a.startsWith('-'));
      if (unknown.length === 0 && text.startsWith('Did you mean') && typed !== undefined) text = `Unknown command: ${typed}. ${text}`;
      throw new UsageError(text, { hint: 'Run with --help to see the options.' });
    });
  for (const command of options.commands) {
    parser = parser.command({
      command: command.command,
      describe: command.describe,
      builder: command.builder,
      handler: (args: Record<string, unknown>) => options.run(command, args),
    });
  }
  return parser;
}

/** yargs has `getOptions()` (the options of the command being parsed), but its published types do not declare it. */
interface YargsInternals {
  getOptions(): { key: Record<string, unknown>; alias: Record<string, string[]> };
}
