/** FILE... and the options of commands that take many definitions (--parallel, --fail-fast). */
import type { Argv } from 'yargs';
import { UsageError } from '../../errors.js';
import { withDefinitionOptions, type DefinitionArgs } from '../options.js';

/**
 * Apps at once by default. The CPU work of an app (evaluating its Jsonnet, planning) is a few tens of
 * milliseconds, its AWS calls a few round trips: four keeps a two-core machine busy without a long queue of
 * half-done apps, and keeps a run's first burst of calls inside the account's API buckets.
 */
export const DEFAULT_PARALLEL = 4;

export interface FleetArgs extends Omit<DefinitionArgs, 'file'> {
  /** Every FILE argument (files and directories). */
  file: string[];
  parallel: number;
  'fail-fast'?: boolean;
}

/** `withDefinitionOptions` with FILE repeatable (files and directories) and --parallel, --fail-fast. */
export function withFleetOptions<T>(y: Argv<T>): Argv<T & FleetArgs> {
  return withDefinitionOptions(y)
    .positional('file', {
      type: 'string',
      array: true,
      describe: 'Definitions (.jsonnet, .json, .yml, .yaml), or directories of them (not their sub-directories)',
    })
    .option('parallel', { type: 'number', default: DEFAULT_PARALLEL, describe: 'With several definitions: apps run at once' })
    .option('fail-fast', { type: 'boolean', describe: 'With several definitions: after a failure, start no other app' }) as unknown as Argv<T & FleetArgs>;
}

/** `--parallel` as a positive whole number. */
export function parallelOf(args: { parallel?: unknown }): number {
  const n = args.parallel === undefined ? DEFAULT_PARALLEL : Number(args.parallel);
  if (!Number.isInteger(n) || n < 1) throw new UsageError(`--parallel must be a whole number of apps, 1 or more, got "${String(args.parallel)}"`);
  return n;
}

/** FILE arguments as a list (one FILE arrives as a string from code that calls a command directly). */
export function filesOf(args: { file?: string | readonly string[] }): string[] {
  return args.file === undefined ? [] : ([] as string[]).concat(args.file).map(String);
}
