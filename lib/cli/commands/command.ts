import type { Argv } from 'yargs';
import type { CliIoHost, OutputFormat } from '../cli-io-host.js';

export interface CommandContext {
  readonly io: CliIoHost;
  readonly env: NodeJS.ProcessEnv;
  /** `--output`: text, or one JSON document on stdout (messages as JSON lines on stderr). */
  readonly output: OutputFormat;
  exitCode: number;
}

/** One CLI verb: its yargs spec and the function that runs it and returns the exit code. */
export interface CliCommand {
  readonly command: string;
  readonly describe: string;
  // yargs' builder types are too generic to express per command; each builder returns its own Argv.
  readonly builder: (y: Argv) => Argv<any>; // eslint-disable-line @typescript-eslint/no-explicit-any
  readonly run: (args: any, context: CommandContext) => Promise<number>; // eslint-disable-line @typescript-eslint/no-explicit-any
}
