/**
 * Many definitions in one run, through the real CLI, without AWS: the fleet-test scheduler plugin
 * (test/fixtures/fleet) applies in a set time, names a shared lock from its config, fails on demand, and logs every
 * plan and apply with its time, so the tests see which apps overlapped.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { main } from '../../lib/cli/main.js';
import { runHako } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
const A = fixture('fleet', 'a.jsonnet');
const B = fixture('fleet', 'b.jsonnet');
const C = fixture('fleet', 'c.jsonnet');
const BROKEN = fixture('fleet', 'broken.jsonnet');
const LINT = fixture('fleet', 'lint');

interface Logged {
  app: string;
  event: 'plan' | 'applied';
  at: number;
}

function logFile(): string {
  return path.join(mkdtempSync(path.join(os.tmpdir(), 'hako-fleet-')), 'log.jsonl');
}

function readLog(file: string): Logged[] {
  return readFileSync(file, 'utf8')
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Logged);
}

function at(log: readonly Logged[], app: string, event: Logged['event']): number {
  const entry = log.find((l) => l.app === app && l.event === event);
  if (entry === undefined) throw new Error(`no ${event} of ${app} in ${JSON.stringify(log)}`);
  return entry.at;
}

/** A writable stream that records what is written and claims to be a terminal or not. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  Object.assign(s, { isTTY, columns: 100, rows: 30, text: () => text });
  return s;
}

describe('CLI: many definitions in one run', function () {
  this.timeout(60_000);

  it('deploys every app, prefixing each line with its app; apps sharing a lock plan only after the other applied', async () => {
    const log = logFile();
    const r = await runHako(['deploy', A, B, C], { env: { ...NO_AWS, HAKO_TEST_LOG: log } });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.match(/^\[a\] +Applied Deploy a$/m);
    expect(r.stdout).to.match(/^\[c\] +✓ deployed c:7 in /m);
    // The summary table: app, result, revision, time.
    expect(r.stdout).to.match(/^APP +RESULT +REVISION +TIME$/m);
    expect(r.stdout).to.match(/^b +deployed +b:7 +\d/m);
    expect(r.stdout).to.include('3 apps: 3 deployed');
    const events = readLog(log);
    // a and b share `shared-lb`: b (named after a) planned after a's apply. c shares nothing and ran meanwhile.
    expect(at(events, 'b', 'plan')).to.be.at.least(at(events, 'a', 'applied'));
    expect(at(events, 'c', 'plan')).to.be.below(at(events, 'a', 'applied'));
  });

  it('a failing app fails the run (exit 1) while the others still finish; --fail-fast starts no other app', async () => {
    const r = await runHako(['deploy', '--parallel', '1', BROKEN, A, C], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/^\[broken\] +Error: .*broken cannot be applied/m);
    expect(r.stdout).to.match(/^broken +failed +- /m);
    expect(r.stdout).to.match(/^a +deployed /m);
    expect(r.stdout).to.match(/^c +deployed /m);

    const fast = await runHako(['deploy', '--parallel', '1', '--fail-fast', BROKEN, A, C], { env: NO_AWS });
    expect(fast.code).to.equal(1);
    expect(fast.stdout).to.match(/^a +skipped +- +-$/m);
    expect(fast.stdout).to.match(/^c +skipped /m);
    expect(fast.stdout).to.include('3 apps: 1 failed, 2 skipped');
    expect(fast.stdout).not.to.include('Applied Deploy a');
  });

  it('diff exits 16 when any app differs and none failed, 1 when one failed; each plan under its app', async () => {
    const r = await runHako(['diff', A, C], { env: NO_AWS });
    expect(r.code, r.stderr).to.equal(16);
    expect(r.stdout).to.include(`==> a (${A}) <==`);
    expect(r.stdout).to.include('~ Deploy c');
    const failed = await runHako(['diff', A, fixture('fleet', 'missing.jsonnet')], { env: NO_AWS });
    expect(failed.code).to.equal(1);
    expect(failed.stderr).to.match(/^\[missing\] +Error: No such file: .*missing\.jsonnet/m);
  });

  it('status of many: a report per app; an app without a service fails the run', async () => {
    const r = await runHako(['status', A, BROKEN], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.include('a: running');
    expect(r.stdout).to.include('broken: Unavailable');
    expect(r.stdout).to.match(/^broken +unavailable /m);
  });

  it('--output json: one document on stdout with a result per app; every message line on stderr names its app', async () => {
    const r = await runHako(['deploy', '--output', 'json', A, C], { env: NO_AWS });
    expect(r.code, r.stderr).to.equal(0);
    const doc = JSON.parse(r.stdout) as { command: string; apps: { app: string; file: string; result: string; revision: string; exitCode: number }[]; summary: { exitCode: number } };
    expect(doc.command).to.equal('deploy');
    expect(doc.apps.map((a) => [a.app, a.result, a.revision, a.exitCode])).to.deep.equal([
      ['a', 'deployed', 'a:7', 0],
      ['c', 'deployed', 'c:7', 0],
    ]);
    expect(doc.apps[0]?.file).to.equal(A);
    expect(doc.summary.exitCode).to.equal(0);
    const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { app?: string; code: string });
    expect(lines.length).to.be.greaterThan(0);
    expect(lines.every((l) => l.app === 'a' || l.app === 'c'), r.stderr).to.equal(true);
    expect(lines.filter((l) => l.code === 'fleet.app.finished').map((l) => l.app)).to.have.members(['a', 'c']);
    const diff = await runHako(['diff', '--output', 'json', A, C], { env: NO_AWS });
    const plans = JSON.parse(diff.stdout) as { apps: { output: { summary: { changes: boolean } } }[] };
    expect(plans.apps.map((a) => a.output.summary.changes)).to.deep.equal([true, true]);
  });

  it('show-definition of a directory lints every file: every problem of every file, the valid ones as one document, exit 1', async () => {
    const r = await runHako(['show-definition', LINT], { env: NO_AWS });
    expect(r.code).to.equal(1);
    // stdout is one document keyed by app, of the valid definitions only (shared.libsonnet is no definition).
    const doc = JSON.parse(r.stdout) as Record<string, { id: string }>;
    expect(Object.keys(doc)).to.deep.equal(['good']);
    expect(doc.good?.id).to.equal('good');
    expect(r.stderr).to.match(/^\[bad-memory\] .*app\.memory: expected a number, got "64"/m);
    expect(r.stderr).to.match(/^\[bad-memory\] .*sidecars\.redis\.cpu: /m);
    expect(r.stderr).to.match(/^\[syntax\] .*syntax\.jsonnet:2:/m);
    expect(r.stderr).to.match(/^bad-memory +invalid /m);
    expect(r.stderr).to.include('3 apps: 2 invalid, 1 valid');
    const yaml = await runHako(['show-definition', '--format', 'yaml', path.join(LINT, 'good.jsonnet'), A], { env: NO_AWS });
    expect(yaml.code, yaml.stderr).to.equal(0);
    expect(yaml.stdout).to.match(/^good:\n {2}id: good$/m);
    expect(yaml.stdout).to.match(/^a:\n {2}id: a$/m);
  });

  it('a fleet of one is the command as it always was: no prefixes, no summary', async () => {
    const r = await runHako(['deploy', A], { env: NO_AWS });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.include('Applied Deploy a');
    expect(r.stdout).not.to.include('[a]');
    expect(r.stdout).not.to.include('APP');
    // A directory holding one definition, or a file named twice, is a fleet of one too.
    const twice = await runHako(['show-definition', A, A], { env: NO_AWS });
    expect(JSON.parse(twice.stdout)).to.have.property('id', 'a');
  });

  it('oneshot runs one definition: a second one, or a directory, is a usage error', async () => {
    const r = await runHako(['oneshot', A, C, '--', 'echo', 'hi'], { env: NO_AWS });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('oneshot runs one definition; got ');
    expect(r.stderr).to.include('c.jsonnet');
    const dir = await runHako(['oneshot', LINT, '--', 'echo'], { env: NO_AWS });
    expect(dir.code).to.equal(2);
    expect(dir.stderr).to.include('is a directory');
  });

  it('--parallel must be a whole number of apps', async () => {
    const r = await runHako(['deploy', '--parallel', '0', A, C], { env: NO_AWS });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--parallel must be a whole number of apps');
  });

  it('on a terminal, a live table of the apps in flight is redrawn in place on stderr and taken off at the end', async () => {
    const stdout = stream(true);
    const stderr = stream(true);
    // slow.jsonnet applies for 1.6 s: the table (drawn from 0.4 s on, and every second) shows it applying.
    const code = await main(['deploy', '--no-color', fixture('fleet', 'slow.jsonnet'), C], { stdout, stderr, env: { ...process.env, ...NO_AWS } });
    expect(code).to.equal(0);
    const err = stderr.text();
    expect(err).to.match(/hako deploy: \d\/2 done · \d running · \d queued/);
    expect(err).to.match(/(^|\x1b\[J)slow +Applying Deploy slow +running 0\/1 +\d+s$/m);
    // Redrawn in place: cursor up and clear to the end of the screen.
    expect(err).to.include('\r\x1b[J');
    expect(err.endsWith('\r\x1b[J')).to.equal(true);
    expect(stdout.text()).to.include('2 apps: 2 deployed');
  });
});
