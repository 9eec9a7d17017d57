/**
 * Unknown flags, found before yargs' own checks: `hako deploy --dryrun app.jsonnet` makes yargs read `app.jsonnet`
 * as the value of `--dryrun` and complain that FILE is missing ("Not enough non-option arguments"), hiding the
 * real mistake. We look at the arguments ourselves and name the flag, with the option that was probably meant.
 */
import { distance } from 'fastest-levenshtein';

/** An option a command accepts: its names (long and short, without dashes). */
export interface KnownOptions {
  readonly names: ReadonlySet<string>;
  /** Long names only, for suggestions. */
  readonly long: readonly string[];
}

/** yargs' camel-case expansion accepts `--dryRun` for `--dry-run`. */
function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}

export function knownOptions(keys: readonly string[], aliases: Readonly<Record<string, readonly string[]>>): KnownOptions {
  const names = new Set<string>();
  for (const key of [...keys, ...Object.values(aliases).flat()]) {
    names.add(key);
    names.add(camel(key));
  }
  return { names, long: keys.filter((k) => k.length > 1) };
}

/** Flags in `args` (hako's own arguments: before `--`) that no option of the command accepts, as written. */
export function unknownFlags(args: readonly string[], known: KnownOptions): string[] {
  const unknown: string[] = [];
  for (const arg of args) {
    if (arg === '-' || !arg.startsWith('-') || /^-\d/.test(arg)) continue;
    if (arg.startsWith('--')) {
      const name = arg.slice(2).split('=')[0]!;
      const bare = name.startsWith('no-') ? name.slice(3) : name;
      if (!known.names.has(name) && !known.names.has(bare)) unknown.push(name);
    } else {
      for (const letter of arg.slice(1).split('=')[0]!) if (!known.names.has(letter)) unknown.push(letter);
    }
  }
  return [...new Set(unknown)];
}

/** The known long option closest to `name`, when it is close enough to be a typo. */
export function suggestOption(name: string, known: KnownOptions): string | undefined {
  const plain = name.toLowerCase();
  let best: { option: string; d: number } | undefined;
  for (const option of known.long) {
    const d = Math.min(distance(plain, option), distance(plain, option.replace(/-/g, '')));
    if (best === undefined || d < best.d) best = { option, d };
  }
  if (!best) return undefined;
  // Two edits catch a swapped pair of letters (`--tga`); longer names allow more.
  const limit = Math.max(2, Math.floor(best.option.length / 3));
  return best.d <= limit ? best.option : undefined;
}

/** `Unknown argument: dryrun, did you mean --dry-run?` (several: `Unknown arguments: a, b`). */
export function unknownFlagsMessage(flags: readonly string[], known: KnownOptions): string {
  const suggestions = flags
    .map((f) => ({ flag: f, option: suggestOption(f, known) }))
    .filter((s): s is { flag: string; option: string } => s.option !== undefined);
  const head = `Unknown argument${flags.length === 1 ? '' : 's'}: ${flags.join(', ')}`;
  if (suggestions.length === 0) return head;
  if (flags.length === 1) return `${head}, did you mean --${suggestions[0]!.option}?`;
  return `${head} (did you mean ${suggestions.map((s) => `--${s.option} for ${s.flag}`).join(', ')}?)`;
}
