/**
 * lib/cli/quick-argv.ts reads plain command lines without yargs. yargs is the parser of record: for every command
 * line the quick reader accepts, yargs (the CLI's own parser, lib/cli/yargs-cli.ts) must hand the command the very
 * same arguments. Checked over a fixed list and over command lines generated from each command's own options
 * (QUICK_ARGV_RUNS per command, default 250; QUICK_ARGV_STATS=1 prints how many the reader took).
 */
import { expect } from 'chai';
import type { CliCommand } from '../../../lib/cli/commands/command.js';
import { commands } from '../../../lib/cli/commands/index.js';
import { withDefinitionOptions } from '../../../lib/cli/options.js';
import { GLOBAL_OPTIONS } from '../../../lib/cli/global-options.js';
import { quickParse, type QuickOptionSpec } from '../../../lib/cli/quick-argv.js';
import { yargsCli } from '../../../lib/cli/yargs-cli.js';

/** A command with a variadic positional (as multi-file commands have), to cover that form too. */
const manyFiles: CliCommand = {
  command: 'many <files..>',
  describe: 'test only',
  builder: (y) =>
    y
      .positional('files', { type: 'string', array: true, describe: 'Definitions' })
      .option('parallel', { alias: 'p', type: 'number', default: 4, describe: 'How many at once' })
      .option('jpath', { alias: 'J', type: 'string', describe: 'Library path' }),
  run: async () => 0,
};
const all: readonly CliCommand[] = [...commands, manyFiles];

type Parsed = { ok: true; command: string; args: Record<string, unknown> } | { ok: false; error: string };

async function viaYargs(argv: readonly string[]): Promise<Parsed> {
  let got: { command: string; args: Record<string, unknown> } | undefined;
  try {
    const parser = await yargsCli({
      argv,
      commands: all,
      columns: 100,
      middleware: () => {},
      run: async (command, args) => {
        got = { command: command.command, args };
      },
    });
    await parser.parseAsync();
  } catch (error) {
    return { ok: false, error: String(error) };
  }
  return got === undefined ? { ok: false, error: 'no command ran' } : { ok: true, ...got };
}

/** yargs' argument object, keys sorted (their order means nothing to a command). */
function sorted(args: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(args).sort(([a], [b]) => a.localeCompare(b)));
}

async function expectSameAsYargs(argv: readonly string[]): Promise<boolean> {
  const quick = quickParse(argv, all, GLOBAL_OPTIONS);
  if (quick === undefined) return false;
  const yargs = await viaYargs(argv);
  expect(yargs, JSON.stringify(argv)).to.deep.include({ ok: true });
  if (!yargs.ok) return true;
  expect(quick.command.command, JSON.stringify(argv)).to.equal(yargs.command);
  expect(sorted(quick.args), JSON.stringify(argv)).to.deep.equal(sorted(yargs.args));
  return true;
}

/** A small deterministic PRNG (mulberry32), so a failure reproduces. */
function random(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const VALUES = ['v2', 'a=b', '5', '0', '1.5', '007', '1e2', '0x10', '-1', '', 'json', 'text', 'yaml', 'docker', 'true', 'false', 'x y'];
const POSITIONALS = ['app.jsonnet', 'b.yml', '123', 'deploy', 'true'];

/** Tokens built from a command's declared options (and the global ones), plus some it does not declare. */
function tokenPool(command: CliCommand): string[] {
  const options: [string, QuickOptionSpec][] = [...Object.entries(GLOBAL_OPTIONS)];
  const recorder: unknown = new Proxy(
    {},
    {
      get: (_t, method) => (...args: unknown[]) => {
        if (method === 'option') options.push([args[0] as string, args[1] as QuickOptionSpec]);
        return recorder;
      },
    },
  );
  command.builder(recorder as Parameters<CliCommand['builder']>[0]);
  const tokens = [...POSITIONALS, '--unknown', '-x', '--', '-', '--help', '-h', '--version', '-V', '-nv'];
  for (const [name, spec] of options) {
    const names = [name, ...(spec.alias === undefined ? [] : ([] as string[]).concat(spec.alias))];
    for (const n of names) {
      const flag = n.length === 1 ? `-${n}` : `--${n}`;
      tokens.push(flag, `--no-${n}`, `--${n}=${VALUES[n.length % VALUES.length]}`);
      if (n.includes('-')) tokens.push(`--${n.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase())}`);
    }
    for (const choice of (spec.choices ?? []) as string[]) tokens.push(`--${name}=${choice}`);
  }
  return [...tokens, ...VALUES];
}

describe('quickParse (plain command lines without yargs)', () => {
  it('reads the common command lines, exactly as yargs does', async () => {
    const lines = [
      ['show-definition', 'app.jsonnet'],
      ['show-definition', '--format', 'yaml', '--strict', '-J', 'lib', '-J', 'vendor', '--ext-str', 'a=b', 'app.yml'],
      ['show-definition', '--expand', '--eval-timeout', '5', '--envfile', 'a.env', '--tfstate=s3://b/k', 'app.jsonnet', '--output', 'json'],
      ['deploy', 'app.jsonnet'],
      ['deploy', '-n', 'app.jsonnet'],
      ['deploy', '-f', '-t', 'v2', '--timeout', '600', '--no-wait', 'app.jsonnet', '-v'],
      ['deploy', '--dry-run', '--color', '--region', 'us-east-1', '--profile', 'dev', 'app.jsonnet'],
      ['diff', '--output', 'json', 'app.jsonnet', '--no-color'],
      ['rollback', '--to', '41', '-n', 'app.jsonnet'],
      ['status', 'app.jsonnet'],
      ['stop', 'app.jsonnet', '--debug'],
      ['remove', '-n', 'app.jsonnet'],
      ['verify', 'app.jsonnet'],
      ['init', '--cluster', 'prod', '--service', 'web', '-o', 'web.yml', '--force'],
      ['schema'],
      ['many', 'a.jsonnet', 'b.jsonnet', '-p', '2'],
      ['many', 'a.jsonnet'],
      // Since commands take several definitions (fleets), these are ordinary command lines too.
      ['deploy', 'a.jsonnet', 'b.jsonnet'],
      ['diff', '--parallel', '2', 'apps/', 'c.yml'],
    ];
    for (const argv of lines) expect(await expectSameAsYargs(argv), `declined ${JSON.stringify(argv)}`).to.equal(true);
  });

  it('leaves help, version, completion, --, unknown flags and missing FILE to yargs', () => {
    const declined = [
      [],
      ['--version'],
      ['-V'],
      ['--help'],
      ['deploy', '--help'],
      ['deploy', '-h'],
      ['completion'],
      ['deploy'],
      ['deploy', '--dryrun', 'app.jsonnet'],
      ['deploy', '--dryRun', 'app.jsonnet'],
      ['deploy', '-nf', 'app.jsonnet'],
      ['deploy', '--force', 'true', 'app.jsonnet'],
      ['deploy', '--force=false', 'app.jsonnet'],
      ['deploy', '--timeout', 'soon', 'app.jsonnet'],
      ['deploy', '--tag', '--force', 'app.jsonnet'],
      ['show-definition', '--format', 'xml', 'app.jsonnet'],
      ['show-definition', '--output', 'json', '--output', 'text', 'app.jsonnet'],
      ['oneshot', 'app.jsonnet', '--', 'rake', 'db:migrate'],
      ['init', '--cluster', 'prod'],
      ['-v', 'deploy', 'app.jsonnet'],
      ['deplyo', 'app.jsonnet'],
    ];
    for (const argv of declined) expect(quickParse(argv, all, GLOBAL_OPTIONS), JSON.stringify(argv)).to.equal(undefined);
  });

  it('agrees with yargs on generated command lines', async function () {
    this.timeout(120_000 + Number(process.env.QUICK_ARGV_RUNS ?? 0) * 200);
    const next = random(20261201);
    let accepted = 0;
    let tried = 0;
    for (const command of all) {
      const name = command.command.split(' ')[0]!;
      const pool = tokenPool(command);
      for (let i = 0; i < Number(process.env.QUICK_ARGV_RUNS ?? 250); i++) {
        const length = Math.floor(next() * 7);
        const argv = [name, ...Array.from({ length }, () => pool[Math.floor(next() * pool.length)]!)];
        // Most real command lines name a FILE: put one in most generated ones, anywhere.
        if (next() < 0.8) argv.splice(1 + Math.floor(next() * argv.length), 0, 'app.jsonnet');
        // yargs ends the process for these; the reader never takes them (checked above).
        if (argv.some((a) => ['--help', '-h', '--version', '-V'].includes(a) || a.startsWith('--help=') || a.startsWith('--version='))) continue;
        tried++;
        if (await expectSameAsYargs(argv)) accepted++;
      }
    }
    // The generator must exercise the reader, not only its refusals.
    if (process.env.QUICK_ARGV_STATS) console.log(`${accepted} of ${tried} accepted`);
    expect(accepted, `${accepted} of ${tried} accepted`).to.be.greaterThan(tried / 10);
  });

  it('declines a command whose builder uses more of yargs than it reads', () => {
    const configured: CliCommand = {
      command: 'odd <file>',
      describe: 'test only',
      builder: (y) => withDefinitionOptions(y).parserConfiguration({ 'populate--': true }),
      run: async () => 0,
    };
    expect(quickParse(['odd', 'app.jsonnet'], [configured], GLOBAL_OPTIONS)).to.equal(undefined);
  });
});
