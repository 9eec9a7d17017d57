import { expect } from 'chai';
import { wantsColor } from '../../../lib/cli/color.js';
import { earlyOptions } from '../../../lib/cli/early-options.js';
import { knownOptions, suggestOption, unknownFlags, unknownFlagsMessage } from '../../../lib/cli/unknown-options.js';

describe('earlyOptions (rendering settings read before yargs)', () => {
  it("ignores everything after --: it is oneshot's command", () => {
    const o = earlyOptions(['oneshot', 'app.jsonnet', '--', 'node', '-v', '--debug', '--output', 'json', '--no-color'], {});
    expect(o).to.deep.equal({ debug: false, verbose: false, output: 'text', color: undefined });
  });

  it('reads -v (also bundled), --debug, --output json and the last of --color/--no-color', () => {
    expect(earlyOptions(['diff', '-vn', 'a.jsonnet'], {}).verbose).to.equal(true);
    expect(earlyOptions(['diff', '--output=json', '--debug'], {})).to.deep.include({ output: 'json', debug: true, verbose: true });
    expect(earlyOptions(['diff', '--color', '--no-color'], {}).color).to.equal(false);
    expect(earlyOptions(['diff', '--no-color', '--color=true'], {}).color).to.equal(true);
    expect(earlyOptions(['diff'], { HAKO_DEBUG: '1' }).debug).to.equal(true);
  });
});

describe('wantsColor', () => {
  const tty = { isTTY: true };
  const pipe = { isTTY: false };
  it('follows the stream when nothing says otherwise, but not TERM=dumb', () => {
    expect(wantsColor(undefined, {}, tty)).to.equal(true);
    expect(wantsColor(undefined, {}, pipe)).to.equal(false);
    expect(wantsColor(undefined, { TERM: 'dumb' }, tty)).to.equal(false);
  });
  it('NO_COLOR turns it off, FORCE_COLOR on (not 0/false), the flag wins over both', () => {
    expect(wantsColor(undefined, { NO_COLOR: '1' }, tty)).to.equal(false);
    expect(wantsColor(undefined, { NO_COLOR: '' }, tty)).to.equal(true);
    expect(wantsColor(undefined, { FORCE_COLOR: '1' }, pipe)).to.equal(true);
    expect(wantsColor(undefined, { FORCE_COLOR: '' }, pipe)).to.equal(true);
    expect(wantsColor(undefined, { FORCE_COLOR: '0' }, tty)).to.equal(false);
    expect(wantsColor(undefined, { FORCE_COLOR: 'false' }, tty)).to.equal(false);
    expect(wantsColor(true, { NO_COLOR: '1' }, pipe)).to.equal(true);
    expect(wantsColor(false, { FORCE_COLOR: '1' }, tty)).to.equal(false);
  });
});

describe('unknown flags', () => {
  const known = knownOptions(['help', 'version', 'debug', 'dry-run', 'tag', 'wait', 'ext-str'], { 'dry-run': ['n'], tag: ['t'] });
  it('finds flags no option accepts, accepting aliases, --no-*, camelCase and =values', () => {
    expect(unknownFlags(['deploy', '--dryrun', 'app.jsonnet', '-n', '--no-wait', '--dryRun', '--tag=1', '-t', 'x', '--extStr', 'a=1'], known)).to.deep.equal(['dryrun']);
    expect(unknownFlags(['-nq'], known)).to.deep.equal(['q']);
    expect(unknownFlags(['--timeout', '-5'], known)).to.deep.equal(['timeout']);
  });
  it('suggests the closest long option only when it is close', () => {
    expect(suggestOption('dryrun', known)).to.equal('dry-run');
    expect(suggestOption('tga', known)).to.equal('tag');
    expect(suggestOption('bogus', known)).to.equal(undefined);
    expect(unknownFlagsMessage(['dryrun'], known)).to.equal('Unknown argument: dryrun, did you mean --dry-run?');
    expect(unknownFlagsMessage(['bogus', 'tga'], known)).to.equal('Unknown arguments: bogus, tga (did you mean --tag for tga?)');
  });
});
