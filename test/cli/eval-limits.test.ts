/**
 * Evaluation stays bounded and interruptible: an endless Jsonnet loop, a provider that never answers, a YAML alias
 * bomb. libjsonnet runs on the thread pool and cannot be cancelled, so a runaway evaluation ends the process by
 * a signal (SIGINT after Ctrl-C, SIGKILL after --eval-timeout); one waiting on a provider ends normally.
 */
import { expect } from 'chai';
import { spawn, type ChildProcess } from 'node:child_process';
import { runHako } from '../helpers/cli.js';
import { fixture, hakoBin, repoRoot } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
const LOOP = fixture('eval', 'endless-loop.jsonnet');
const HANGING = fixture('eval', 'hanging-provider.jsonnet');
const HANGING_PLUGIN = fixture('eval', 'hanging-provider.mjs');

interface Running {
  child: ChildProcess;
  output(): { stdout: string; stderr: string };
  /** Resolves when the stream has printed `text`. */
  printed(text: string): Promise<void>;
  closed: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

function start(args: string[]): Running {
  const child = spawn(process.execPath, [hakoBin, ...args], { cwd: repoRoot, env: { ...process.env, NO_COLOR: '1', ...NO_AWS }, stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  const waiters: { text: string; resolve: () => void }[] = [];
  const check = () => waiters.filter((w) => stderr.includes(w.text) || stdout.includes(w.text)).forEach((w) => w.resolve());
  child.stdout!.setEncoding('utf8').on('data', (d: string) => ((stdout += d), check()));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => ((stderr += d), check()));
  return {
    child,
    output: () => ({ stdout, stderr }),
    printed: (text) => new Promise((resolve) => (waiters.push({ text, resolve }), check())),
    closed: new Promise((resolve) => child.on('close', (code, signal) => resolve({ code, signal, at: Date.now() }))),
  };
}

/** The status a shell reports: the exit code, or 128 + the signal number. */
function shellStatus(r: { code: number | null; signal: NodeJS.Signals | null }): number | null {
  if (r.signal === 'SIGINT') return 130;
  if (r.signal === 'SIGKILL') return 137;
  return r.code;
}

describe('CLI: evaluation limits', function () {
  this.timeout(60_000);

  it('Ctrl-C during an endless Jsonnet loop ends deploy within a second with status 130', async () => {
    const run = start(['deploy', LOOP]);
    // Give the evaluation time to start (no output precedes it).
    await new Promise((r) => setTimeout(r, 2000));
    const sent = Date.now();
    run.child.kill('SIGINT');
    const end = await run.closed;
    expect(end.at - sent, 'time to exit after SIGINT (ms)').to.be.below(1000);
    expect(shellStatus(end)).to.equal(130);
    expect(run.output().stderr).to.include('Interrupted while evaluating');
  });

  it('--eval-timeout bounds an endless loop: the error, then the process ends (SIGKILL: libjsonnet cannot be stopped)', async () => {
    const started = Date.now();
    const r = start(['show-definition', '--eval-timeout', '1', LOOP]);
    const end = await r.closed;
    expect(end.at - started).to.be.below(10_000);
    expect(shellStatus(end)).to.equal(137);
    expect(r.output().stderr).to.include('endless-loop.jsonnet did not finish evaluating within 1 s (--eval-timeout)');
    expect(r.output().stderr).to.include('SIGKILL');
  });

  it('a command line refused before evaluating still ends when the head start of its endless definition cannot', async () => {
    // bin/hako started evaluating the definition before the CLI knew the flag is wrong (head-start.ts); the usage
    // error is printed, and the evaluation that nobody adopted, still computing, must not keep the process alive:
    // libjsonnet cannot be stopped, so the process ends by SIGKILL (137) rather than with the usage error's 2.
    const started = Date.now();
    const r = start(['show-definition', '--no-such-flag', LOOP]);
    const end = await r.closed;
    expect(end.at - started).to.be.below(10_000);
    expect(r.output().stderr).to.include('Unknown argument: no-such-flag');
    expect(shellStatus(end)).to.equal(137);
  });

  it('Ctrl-C while a provider call hangs ends deploy normally with exit code 130', async () => {
    const run = start(['deploy', '--plugin', HANGING_PLUGIN, HANGING]);
    await run.printed('hanging provider: asked');
    const sent = Date.now();
    run.child.kill('SIGINT');
    const end = await run.closed;
    expect(end.at - sent).to.be.below(1000);
    expect(end).to.include({ code: 130, signal: null });
  });

  it('--eval-timeout bounds a provider call that never answers: exit 1 with the reason', async () => {
    const r = await runHako(['show-definition', '--expand', '--eval-timeout', '1', '--plugin', HANGING_PLUGIN, HANGING], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('did not finish evaluating within 1 s (--eval-timeout)');
    expect(r.stderr).to.include('A provider did not answer in time');
  });

  it('a YAML alias bomb is refused at once, at the alias, instead of expanding 10^9 values', async () => {
    const started = Date.now();
    const r = await runHako(['deploy', fixture('invalid', 'yaml-alias-bomb.yml')], { env: NO_AWS });
    expect(Date.now() - started).to.be.below(10_000);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/yaml-alias-bomb\.yml:\d+:\d+: aliases expand to more than 100000 values/);
  });

  it('--eval-timeout must be a positive number of seconds', async () => {
    // A definition that ends: with the endless one, the usage error ends the process by SIGKILL (the case above).
    const r = await runHako(['show-definition', '--eval-timeout', '0', fixture('eval', 'ecs.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--eval-timeout must be a positive number of seconds');
  });
});
