/**
 * Command-line conventions users bring from other tools: unknown flags named with a suggestion, nothing after
 * `--` read as hako's own option, colour decided per stream, `--output json` meaning JSON for everything printed,
 * shell completion, and examples in every command's help. The echo scheduler plugin (test/fixtures/cli) stands in
 * for ECS so that none of this needs AWS.
 */
import { expect } from 'chai';
import { PassThrough } from 'node:stream';
import path from 'node:path';
import { main } from '../../lib/cli/main.js';
import { runHako } from '../helpers/cli.js';
import { definitionsDir, fixture } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
const ECHO = fixture('cli', 'echo-scheduler.jsonnet');
const HELLO = path.join(definitionsDir, 'hello.jsonnet');
const ESC = '\x1b[';

/** A writable stream that records what is written and claims to be a terminal or not. */
function stream(isTTY: boolean): NodeJS.WriteStream & { text(): string } {
  const s = new PassThrough() as unknown as NodeJS.WriteStream & { text(): string };
  let text = '';
  s.on('data', (d: Buffer) => (text += d.toString()));
  Object.assign(s, { isTTY, columns: 100, text: () => text });
  return s;
}

describe('CLI conventions', () => {
  describe('unknown flags', () => {
    it('names a misspelt flag before FILE and suggests the option meant', async () => {
      const r = await runHako(['deploy', '--dryrun', HELLO], { env: NO_AWS });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('Unknown argument: dryrun, did you mean --dry-run?');
      expect(r.stderr).not.to.include('Not enough non-option arguments');
    });

    it('suggests for a flag after FILE too, and names an unknown command', async () => {
      const r = await runHako(['diff', HELLO, '--tga', 'v1'], { env: NO_AWS });
      expect(r.code).to.equal(2);
      expect(r.stderr).to.include('Unknown argument: tga, did you mean --tag?');
      const c = await runHako(['deplyo', HELLO]);
      expect(c.code).to.equal(2);
      expect(c.stderr).to.include('Unknown command: deplyo. Did you mean deploy?');
    });
  });

  describe('arguments after --', () => {
    it("belong to oneshot's command: -v there does not turn on hako's debug output", async () => {
      const r = await runHako(['oneshot', ECHO, '--', 'node', '-v', '--debug', '--output', 'json', '--no-color'], { env: NO_AWS });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stdout).to.include('command: ["node","-v","--debug","--output","json","--no-color"]');
      expect(r.stdout + r.stderr).not.to.include('a debug line');
      expect(r.stdout.trimStart().startsWith('{')).to.equal(false);
    });

    it('-v before -- still is hako\'s', async () => {
      const r = await runHako(['oneshot', ECHO, '-v', '--', 'node', '-v'], { env: NO_AWS });
      expect(r.code, r.stderr).to.equal(0);
      expect(r.stderr).to.include('a debug line');
    });
  });

  describe('colour', () => {
    it('is decided per stream: a plan piped to a file has no escape codes while warnings on the terminal do', async () => {
      const stdout = stream(false);
      const stderr = stream(true);
      const code = await main(['diff', ECHO], { stdout, stderr, env: { TERM: 'xterm' } });
      expect(code).to.equal(16);
      expect(stdout.text()).to.include('~ Echo echo-scheduler');
      expect(stdout.text()).not.to.include(ESC);
      expect(stderr.text()).to.include('unknown_top_level_key');
      expect(stderr.text()).to.include(ESC);
    });

    it('colours the plan on a terminal stdout and not the warnings on a piped stderr', async () => {
      const stdout = stream(true);
      const stderr = stream(false);
      expect(await main(['diff', ECHO], { stdout, stderr, env: { TERM: 'xterm' } })).to.equal(16);
      expect(stdout.text()).to.include(ESC);
      expect(stderr.text()).not.to.include(ESC);
    });

    it('--color forces colour into a pipe, over NO_COLOR; --no-color wins over FORCE_COLOR', async () => {
      const forced = await runHako(['diff', '--color', ECHO], { env: { ...NO_AWS, NO_COLOR: '1' } });
      expect(forced.code).to.equal(16);
      expect(forced.stdout).to.include(ESC);
      const off = await runHako(['diff', '--no-color', ECHO], { env: { ...NO_AWS, NO_COLOR: '', FORCE_COLOR: '1' } });
      expect(off.stdout + off.stderr).not.to.include(ESC);
      const env = await runHako(['diff', ECHO], { env: { ...NO_AWS, NO_COLOR: '', FORCE_COLOR: '1' } });
      expect(env.stdout).to.include(ESC);
    });
  });

  describe('--output json', () => {
    it('diff prints the plan as one JSON document (steps without payload, summary) and messages as JSON lines on stderr', async () => {
      const r = await runHako(['diff', '--output', 'json', ECHO], { env: NO_AWS });
      expect(r.code).to.equal(16);
      const plan = JSON.parse(r.stdout) as { steps: Record<string, unknown>[]; summary: { changes: boolean; counts: Record<string, number>; text: string } };
      expect(plan.steps).to.have.length(1);
      expect(plan.steps[0]).to.deep.include({ owner: 'echo', kind: 'echo-app', action: 'update', before: { image: 'busybox:1.35' }, after: { image: 'busybox:1.36' } });
      expect(plan.steps[0]).not.to.have.property('payload');
      expect(r.stdout).not.to.include('payload-must-not-print');
      expect(plan.summary).to.deep.equal({
        changes: true,
        counts: { register: 0, create: 0, update: 1, delete: 0, noop: 0 },
        text: 'Plan: 0 to register, 0 to create, 1 to update',
      });
      const lines = r.stderr.trim().split('\n').map((l) => JSON.parse(l) as { level: string; code: string });
      expect(lines.map((l) => l.code)).to.include('definition.warning');
    });

    it('deploy --dry-run prints the same JSON plan', async () => {
      const r = await runHako(['deploy', '-n', '--output', 'json', ECHO], { env: NO_AWS });
      expect(r.code, r.stderr).to.equal(0);
      expect((JSON.parse(r.stdout) as { summary: { changes: boolean } }).summary.changes).to.equal(true);
    });

    it('errors are one JSON object on stderr with code, message, hint and the issues with their paths', async () => {
      const r = await runHako(['show-definition', '--output', 'json', fixture('invalid', 'memory-as-string.jsonnet')], { env: NO_AWS });
      expect(r.code).to.equal(1);
      expect(r.stdout).to.equal('');
      const error = JSON.parse(r.stderr) as { code: string; message: string; exitCode: number; hint: string; issues: { path: string; message: string }[] };
      expect(error).to.include({ code: 'DEFINITION', exitCode: 1 });
      expect(error.message).to.include('memory-as-string.jsonnet');
      expect(error.hint).to.include('hako schema');
      expect(error.issues.map((i) => i.path)).to.include('sidecars.front.memory');
      const usage = await runHako(['deploy', '--output', 'json', '--dryrun', HELLO]);
      expect(usage.code).to.equal(2);
      expect(JSON.parse(usage.stderr)).to.include({ code: 'USAGE', message: 'Unknown argument: dryrun, did you mean --dry-run?' });
    });
  });

  describe('completion', () => {
    it('prints a bash completion script that asks bin/hako, and zsh when $SHELL is zsh', async () => {
      const bash = await runHako(['completion'], { env: { SHELL: '/bin/bash' } });
      expect(bash.code).to.equal(0);
      expect(bash.stdout).to.include('hako --get-yargs-completions');
      expect(bash.stdout).to.include('complete -o bashdefault -o default -F _hako_yargs_completions hako');
      const zsh = await runHako(['completion'], { env: { SHELL: '/usr/bin/zsh' } });
      expect(zsh.stdout).to.match(/^#compdef hako/);
    });

    it('completes commands and a command\'s options', async () => {
      const commands = await runHako(['--get-yargs-completions', 'hako', 'sh'], { env: { SHELL: '/bin/bash' } });
      expect(commands.stdout.split('\n')).to.include.members(['show-definition', 'deploy', 'status']);
      const options = await runHako(['--get-yargs-completions', 'hako', 'deploy', '--dr'], { env: { SHELL: '/bin/bash' } });
      expect(options.stdout.split('\n')).to.include.members(['--dry-run', '--tag', '--region', '--profile']);
    });
  });

  it('every command has examples in its --help, and the global options include --region and --profile', async () => {
    for (const verb of ['deploy', 'diff', 'rollback', 'oneshot', 'show-definition', 'status', 'stop', 'remove', 'schema']) {
      const r = await runHako([verb, '--help']);
      expect(r.code, verb).to.equal(0);
      expect(r.stdout, verb).to.include('Examples:');
      expect(r.stdout, verb).to.include(`hako ${verb} `);
      expect(r.stdout, verb).to.include('--region');
      expect(r.stdout, verb).to.include('--profile');
    }
  });
});
