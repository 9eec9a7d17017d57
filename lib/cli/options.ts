/** Options shared by every command that reads a definition, and their parsing into typed values. */
import type { Argv } from 'yargs';
import type { DefinitionSource } from '../actions/load-app.js';
import { DEFAULT_EVAL_TIMEOUT_MS } from '../definition/evaluate/interruptible.js';
import { UsageError } from '../errors.js';

export interface GlobalArgs {
  debug?: boolean;
  verbose?: boolean;
  color?: boolean;
  output?: string;
}

export interface DefinitionArgs extends GlobalArgs {
  file: string;
  // Repeatable options arrive as a string once and as an array when repeated (yargs' duplicate-arguments-array).
  // They are not declared `array: true` because yargs arrays are greedy and would swallow FILE after them.
  jpath?: string | string[];
  'ext-str'?: string | string[];
  'ext-code'?: string | string[];
  strict?: boolean;
  plugin?: string | string[];
  envfile?: string | string[];
  tfstate?: string | string[];
  'eval-timeout': number;
}

/** A repeatable option's values as a list. */
export function many(value: string | readonly string[] | undefined): string[] {
  return value === undefined ? [] : ([] as string[]).concat(value);
}

/** Adds FILE and the evaluation options (-J, --ext-str, --ext-code, --strict, --plugin, --envfile, --tfstate) to a command. */
export function withDefinitionOptions<T>(y: Argv<T>): Argv<T & DefinitionArgs> {
  return y
    .positional('file', { type: 'string', describe: 'Application definition (.jsonnet, .json, .yml, .yaml)', demandOption: true })
    .option('jpath', { alias: 'J', type: 'string', describe: 'Add a Jsonnet library search path (repeatable)' })
    .option('ext-str', { type: 'string', describe: 'Jsonnet external variable as a string: KEY=VALUE (repeatable)' })
    .option('ext-code', { type: 'string', describe: 'Jsonnet external variable as code: KEY=EXPR (repeatable)' })
    .option('strict', { type: 'boolean', describe: 'Treat unknown keys in the definition as errors' })
    .option('plugin', { type: 'string', describe: 'Load an env provider plugin module (repeatable; also HAKO_PLUGINS)' })
    .option('envfile', { type: 'string', describe: 'Load KEY=value lines into the environment the definition sees (repeatable; later files win)' })
    .option('tfstate', { type: 'string', describe: "Terraform state for std.native('tfstate'): a path or s3://bucket/key (also HAKO_TFSTATE)" })
    .option('eval-timeout', {
      type: 'number',
      default: DEFAULT_EVAL_TIMEOUT_MS / 1000,
      describe: 'Give up evaluating the definition (provider calls included) after this many seconds',
    }) as Argv<
    T & DefinitionArgs
  >;
}

/** A single-valued option given twice keeps its last value, as yargs does for declared scalars. */
function lastOf(value: string | readonly string[]): string {
  return typeof value === 'string' ? value : value[value.length - 1] ?? '';
}

/** Splits `K=V` items; a missing `=` is a usage error naming the flag. */
export function parseKeyValues(items: string | readonly string[] | undefined, flag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const item of many(items)) {
    const i = item.indexOf('=');
    if (i <= 0) throw new UsageError(`${flag} expects KEY=VALUE, got "${item}"`);
    out[item.slice(0, i)] = item.slice(i + 1);
  }
  return out;
}

/** The definition the command reads; `signal` (the command's Ctrl-C) also stops its evaluation. */
export function definitionSource(args: DefinitionArgs, env: NodeJS.ProcessEnv = process.env, signal?: AbortSignal): DefinitionSource {
  const fromEnv = (env.HAKO_PLUGINS ?? '')
    .split(/[,\s]+/)
    .map((s) => s.trim())
    .filter(Boolean);
  return {
    file: args.file,
    jpath: many(args.jpath),
    extStr: parseKeyValues(args['ext-str'], '--ext-str'),
    extCode: parseKeyValues(args['ext-code'], '--ext-code'),
    strict: args.strict ?? false,
    plugins: [...fromEnv, ...many(args.plugin)],
    env,
    envFiles: many(args.envfile),
    ...(args.tfstate === undefined ? {} : { tfstate: lastOf(args.tfstate) }),
    evalTimeoutMs: parsePositiveSeconds(args['eval-timeout'] ?? DEFAULT_EVAL_TIMEOUT_MS / 1000, '--eval-timeout') * 1000,
    ...(signal === undefined ? {} : { signal }),
  };
}

/** `--timeout` must be a positive number of seconds (hako silently turned junk into 0 and failed at once). */
export function parsePositiveSeconds(value: unknown, flag: string): number {
  const n = typeof value === 'number' ? value : Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new UsageError(`${flag} must be a positive number of seconds, got "${String(value)}"`);
  return n;
}
