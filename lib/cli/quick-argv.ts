/**
 * A narrow argv reader in front of yargs. Loading yargs and building its parser costs about a fifth of
 * `hako show-definition`'s start-up, and yargs renders the running command's whole help text as it calls the
 * handler (kept in case the handler fails and wants it; we never do): another tenth. Plain invocations —
 * `hako deploy -n --tag v2 app.jsonnet` — need none of that.
 *
 * yargs stays the parser of record. This reader accepts only what it reads exactly as yargs would: the command
 * first, then long and one-letter flags the command (or hako) declares, each at most once (string options may
 * repeat, becoming a list as in yargs), values that need no coercion, and the command's positionals. It returns
 * the very argument object yargs would hand to the handler (test/unit/cli/quick-argv.test.ts compares the two over
 * generated command lines). Anything else — `--help`, `--version`, `completion`, unknown or misspelt flags, `--`,
 * `--flag=value` for booleans, values that look like flags, missing or extra positionals, a builder using more of
 * yargs than `.positional`/`.option`/`.example` — is declined, and yargs parses, validates and reports it as before.
 */
import type { CliCommand } from './commands/command.js';

/** The part of a yargs option declaration this reader understands; other keys make it decline the command. */
export interface QuickOptionSpec {
  readonly type?: 'boolean' | 'string' | 'number';
  readonly alias?: string | readonly string[];
  readonly default?: unknown;
  readonly choices?: readonly unknown[];
  readonly demandOption?: boolean | string;
  readonly describe?: string;
  readonly global?: boolean;
}

const OPTION_KEYS = new Set(['type', 'alias', 'default', 'choices', 'demandOption', 'describe', 'global']);
const POSITIONAL_KEYS = new Set(['type', 'describe', 'demandOption', 'array']);

interface Positional {
  readonly name: string;
  readonly required: boolean;
  readonly variadic: boolean;
}

interface Shape {
  readonly name: string;
  readonly positionals: readonly Positional[];
  readonly options: ReadonlyMap<string, QuickOptionSpec>;
}

export interface QuickParse {
  readonly command: CliCommand;
  /** What yargs would pass to the command's handler. */
  readonly args: Record<string, unknown>;
}

/** yargs-parser's camel-case expansion: `dry-run` is also `dryRun`. */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

function aliasesOf(spec: QuickOptionSpec): readonly string[] {
  return spec.alias === undefined ? [] : typeof spec.alias === 'string' ? [spec.alias] : spec.alias;
}

function understood(spec: unknown, keys: ReadonlySet<string>): boolean {
  return typeof spec === 'object' && spec !== null && Object.keys(spec).every((k) => keys.has(k));
}

/** `deploy <file>`, `oneshot <file> [command..]` → the name and its positionals; undefined for forms we skip. */
function parseCommandString(command: string): { name: string; positionals: Positional[] } | undefined {
  const [name, ...rest] = command.trim().split(/\s+/);
  if (name === undefined || !/^[a-z][a-z0-9-]*$/.test(name)) return undefined;
  const positionals: Positional[] = [];
  for (const token of rest) {
    const m = /^([<[])([A-Za-z][\w-]*)(\.\.)?([>\]])$/.exec(token);
    if (!m || (m[1] === '<') !== (m[4] === '>')) return undefined;
    positionals.push({ name: m[2]!, required: m[1] === '<', variadic: m[3] !== undefined });
  }
  // Only the last positional may be variadic; an optional one may not precede a required one.
  if (positionals.slice(0, -1).some((p) => p.variadic)) return undefined;
  if (positionals.some((p, i) => !p.required && positionals.slice(i + 1).some((q) => q.required))) return undefined;
  return { name, positionals };
}

const shapes = new WeakMap<CliCommand, Shape | null>();

/** Runs the command's yargs builder against a recorder to learn its positionals and options. */
function shapeOf(command: CliCommand): Shape | undefined {
  let shape = shapes.get(command);
  if (shape === undefined) {
    shape = recordShape(command) ?? null;
    shapes.set(command, shape);
  }
  return shape ?? undefined;
}

function recordShape(command: CliCommand): Shape | undefined {
  const parsed = parseCommandString(command.command);
  if (!parsed) return undefined;
  const calls: [string, unknown[]][] = [];
  // Every method records its call and returns the recorder, as yargs' chainable builder methods return the parser.
  const recorder: unknown = new Proxy({}, { get: (_target, method) => (...args: unknown[]) => (calls.push([String(method), args]), recorder) });
  try {
    command.builder(recorder as Parameters<CliCommand['builder']>[0]);
  } catch {
    return undefined;
  }
  const options = new Map<string, QuickOptionSpec>();
  const positionalSpecs = new Map<string, Record<string, unknown>>();
  for (const [method, args] of calls) {
    if (method === 'example') continue;
    const [name, spec] = args;
    if (typeof name !== 'string' || args.length !== 2) return undefined;
    if (method === 'option') {
      if (!understood(spec, OPTION_KEYS) || options.has(name)) return undefined;
      options.set(name, spec as QuickOptionSpec);
    } else if (method === 'positional') {
      if (!understood(spec, POSITIONAL_KEYS)) return undefined;
      positionalSpecs.set(name, spec as Record<string, unknown>);
    } else {
      return undefined;
    }
  }
  // A positional without `type: 'string'` would be coerced by yargs (`007` → 7): leave those to yargs.
  for (const p of parsed.positionals) {
    const spec = positionalSpecs.get(p.name);
    if (spec?.type !== 'string' || (spec.array === true) !== p.variadic) return undefined;
  }
  if (positionalSpecs.size !== parsed.positionals.length) return undefined;
  return { name: parsed.name, positionals: parsed.positionals, options };
}

/** Two declarations of one option that differ only in their descriptions. */
function readsAlike(a: QuickOptionSpec, b: QuickOptionSpec): boolean {
  const parsing = ({ describe: _d, global: _g, ...rest }: QuickOptionSpec): string => JSON.stringify(rest, Object.keys(rest).sort());
  return parsing(a) === parsing(b);
}

function validSpec(spec: QuickOptionSpec): boolean {
  if (spec.choices !== undefined) return spec.type === undefined || spec.type === 'string';
  return spec.type === 'boolean' || spec.type === 'string' || spec.type === 'number';
}

/**
 * The command and the handler's arguments when `argv` is a plain invocation this reader reads exactly as yargs
 * does; undefined when yargs must parse it. `globals` are hako's global options as declared to yargs.
 */
export function quickParse(argv: readonly string[], commands: readonly CliCommand[], globals: Readonly<Record<string, QuickOptionSpec>>): QuickParse | undefined {
  const [first, ...rest] = argv;
  const command = commands.find((c) => c.command.trim().split(/\s+/)[0] === first);
  if (command === undefined) return undefined;
  const shape = shapeOf(command);
  if (shape === undefined) return undefined;

  const options = new Map<string, QuickOptionSpec>(Object.entries(globals));
  for (const [name, spec] of shape.options) {
    // A command may declare a global option again (init's --region, with its own description) when it reads alike.
    if (options.has(name) && !readsAlike(options.get(name)!, spec)) return undefined;
    options.set(name, spec);
  }
  const byName = new Map<string, string>();
  for (const [name, spec] of options) {
    if (!understood(spec, OPTION_KEYS) || !validSpec(spec)) return undefined;
    for (const n of [name, ...aliasesOf(spec)]) {
      if (byName.has(n) || shape.positionals.some((p) => p.name === n)) return undefined;
      byName.set(n, name);
    }
  }

  const given = new Map<string, unknown[]>();
  const positionals: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i]!;
    if (!token.startsWith('-')) {
      positionals.push(token);
      continue;
    }
    let flag: string;
    let inline: string | undefined;
    if (token.startsWith('--')) {
      const eq = token.indexOf('=');
      flag = eq < 0 ? token.slice(2) : token.slice(2, eq);
      inline = eq < 0 ? undefined : token.slice(eq + 1);
    } else {
      if (token.length !== 2) return undefined; // `-`, `-nv` bundles, `-tv2`
      flag = token.slice(1);
    }
    let key = byName.get(flag);
    let negated = false;
    if (key === undefined && flag.startsWith('no-') && inline === undefined && token.startsWith('--')) {
      key = byName.get(flag.slice(3));
      negated = true;
    }
    if (key === undefined) return undefined;
    const spec = options.get(key)!;
    let value: unknown;
    if (spec.type === 'boolean') {
      // `--force true` makes yargs take the word as the flag's value.
      if (inline !== undefined || given.has(key) || rest[i + 1] === 'true' || rest[i + 1] === 'false') return undefined;
      value = !negated;
    } else {
      if (negated) return undefined;
      const raw = inline ?? rest[++i];
      if (raw === undefined || raw === '' || (inline === undefined && raw.startsWith('-'))) return undefined;
      if (spec.choices !== undefined) {
        if (given.has(key) || !spec.choices.includes(raw)) return undefined;
        value = raw;
      } else if (spec.type === 'number') {
        if (given.has(key) || !/^(0|[1-9]\d*)(\.\d+)?$/.test(raw)) return undefined;
        value = Number(raw);
      } else {
        value = raw;
      }
    }
    given.set(key, [...(given.get(key) ?? []), value]);
  }

  for (const [name, spec] of shape.options) if (spec.demandOption && !given.has(name)) return undefined;
  const required = shape.positionals.filter((p) => p.required).length;
  const variadic = shape.positionals.some((p) => p.variadic);
  if (positionals.length < required || (!variadic && positionals.length > shape.positionals.length)) return undefined;

  const args: Record<string, unknown> = { _: [shape.name], $0: 'hako' };
  const set = (name: string, aliases: readonly string[], value: unknown): void => {
    for (const n of [name, ...aliases]) {
      args[n] = value;
      if (n.includes('-')) args[camel(n)] = value;
    }
  };
  for (const [name, spec] of options) {
    const values = given.get(name);
    if (values !== undefined) set(name, aliasesOf(spec), values.length === 1 ? values[0] : values);
    else if (spec.default !== undefined) set(name, aliasesOf(spec), spec.default);
  }
  shape.positionals.forEach((p, i) => {
    if (p.variadic) set(p.name, [], positionals.slice(i));
    else if (i < positionals.length) set(p.name, [], positionals[i]);
  });
  return { command, args };
}
