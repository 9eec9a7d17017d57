/**
 * The few settings that decide how anything is rendered, read from argv before yargs parses it: a usage error
 * must already render with the right colour and format. Only hako's own arguments count — everything after `--`
 * belongs to the command `oneshot` runs (`hako oneshot app.jsonnet -- node -v` is not hako's `-v`).
 */
import type { OutputFormat } from './cli-io-host.js';

export interface EarlyOptions {
  readonly debug: boolean;
  readonly verbose: boolean;
  readonly output: OutputFormat;
  /** `--color` → true, `--no-color` → false (the last one given wins), neither → undefined. */
  readonly color: boolean | undefined;
}

/** The arguments before a `--` separator. */
export function ownArgs(argv: readonly string[]): readonly string[] {
  const end = argv.indexOf('--');
  return end < 0 ? argv : argv.slice(0, end);
}

/** The value of `--name value` or `--name=value` (the last one given), if any. */
export function optionValue(args: readonly string[], name: string): string | undefined {
  let value: string | undefined;
  args.forEach((a, i) => {
    if (a === `--${name}`) value = args[i + 1];
    else if (a.startsWith(`--${name}=`)) value = a.slice(name.length + 3);
  });
  return value;
}

const BOOLEAN_WORDS: Readonly<Record<string, boolean>> = { true: true, false: false, '1': true, '0': false };

/** The last of `--name`, `--name=true|false`, `--no-name`; undefined when none is given. */
export function booleanFlag(args: readonly string[], name: string): boolean | undefined {
  let value: boolean | undefined;
  for (const a of args) {
    if (a === `--${name}`) value = true;
    else if (a === `--no-${name}`) value = false;
    else if (a.startsWith(`--${name}=`)) value = BOOLEAN_WORDS[a.slice(name.length + 3)] ?? value;
  }
  return value;
}

/** `-v` also counts inside a bundle of short flags (`-vn`). */
function hasShortFlag(args: readonly string[], letter: string): boolean {
  return args.some((a) => /^-[A-Za-z]+$/.test(a) && a.includes(letter));
}

export function earlyOptions(argv: readonly string[], env: NodeJS.ProcessEnv): EarlyOptions {
  const args = ownArgs(argv);
  const debug = booleanFlag(args, 'debug') ?? env.HAKO_DEBUG === '1';
  return {
    debug,
    verbose: debug || (booleanFlag(args, 'verbose') ?? hasShortFlag(args, 'v')),
    output: optionValue(args, 'output') === 'json' ? 'json' : 'text',
    color: booleanFlag(args, 'color'),
  };
}
