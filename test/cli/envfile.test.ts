/**
 * `--envfile` through the real CLI: files laid over the real environment, read by std.native('must_env'/'env')
 * and the `env` provider; malformed files fail with file:line and exit 1. No AWS is needed (show-definition).
 */
import { expect } from 'chai';
import { runHako } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
const APP = fixture('envfile', 'app.jsonnet');

interface Model {
  scheduler: { cluster: string; region: string };
  containers: { env: { name: string; value: string }[] }[];
}

function appEnv(stdout: string): Record<string, string> {
  const model = JSON.parse(stdout) as Model;
  return Object.fromEntries(model.containers[0]!.env.map((e) => [e.name, e.value]));
}

describe('CLI: --envfile', () => {
  it('feeds must_env, env and the env provider; the provider value stays a placeholder without --expand', async () => {
    const args = ['show-definition', '--envfile', fixture('envfile', 'base.env'), '--envfile', fixture('envfile', 'staging.env'), APP];
    const plain = await runHako(args, { env: NO_AWS });
    expect(plain.stderr).to.equal('');
    expect(plain.code).to.equal(0);
    const model = JSON.parse(plain.stdout) as Model;
    expect(model.scheduler.cluster).to.equal('hako-staging');
    expect(model.scheduler.region).to.equal('ap-northeast-1');
    expect(appEnv(plain.stdout)).to.deep.equal({ STAGE: 'staging', TOKEN: '${TOKEN}' });

    const expanded = await runHako([...args, '--expand'], { env: NO_AWS });
    expect(expanded.code, expanded.stderr).to.equal(0);
    expect(appEnv(expanded.stdout)).to.deep.equal({ STAGE: 'staging', TOKEN: 's3cr3t-token' });
  });

  it('a file wins over the real environment, a later file over an earlier one', async () => {
    const r = await runHako(['show-definition', '--envfile', fixture('envfile', 'base.env'), '--envfile', fixture('envfile', 'prod.env'), APP], {
      env: { ...NO_AWS, STAGE: 'from-shell' },
    });
    expect(r.code, r.stderr).to.equal(0);
    expect(appEnv(r.stdout).STAGE).to.equal('prod');
    const shellOnly = await runHako(['show-definition', APP], { env: { ...NO_AWS, STAGE: 'from-shell' } });
    expect(shellOnly.code, shellOnly.stderr).to.equal(0);
    expect(appEnv(shellOnly.stdout).STAGE).to.equal('from-shell');
  });

  it('names every malformed line as file:line:column and exits 1 without a stack trace', async () => {
    const r = await runHako(['show-definition', '--envfile', 'test/fixtures/envfile/broken.env', APP], { env: NO_AWS, cwd: repoRoot });
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.include('Invalid env file test/fixtures/envfile/broken.env (3 problems)');
    expect(r.stderr).to.include('test/fixtures/envfile/broken.env:2:1: expected KEY=value');
    expect(r.stderr).to.include('test/fixtures/envfile/broken.env:3:1: invalid variable name "1BAD"');
    expect(r.stderr).not.to.match(STACK_LINE);
  });

  it('names a missing env file and exits 1', async () => {
    const r = await runHako(['diff', '--envfile', 'nope.env', APP], { env: NO_AWS, cwd: repoRoot });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.include('Cannot read env file nope.env: no such file');
    expect(r.stderr).not.to.match(STACK_LINE);
  });

  it('must_env of an unset variable names it at its call site and exits 1', async () => {
    const r = await runHako(['show-definition', APP], { env: { ...NO_AWS, STAGE: undefined } });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/app\.jsonnet:\d+:\d+: must_env: environment variable STAGE is not set/);
    expect(r.stderr).not.to.match(STACK_LINE);
  });

  for (const verb of ['deploy', 'diff', 'oneshot', 'show-definition', 'status', 'rollback', 'stop', 'remove']) {
    it(`${verb} --help lists --envfile`, async () => {
      const r = await runHako([verb, '--help']);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('--envfile');
    });
  }
});
