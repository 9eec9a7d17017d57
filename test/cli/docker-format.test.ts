/**
 * `hako show-definition --format docker` through the real CLI: the printed lines are valid shell (`sh -n`), and
 * `sh` reads back exactly the model's values, whatever they contain. No AWS is reached.
 */
import { expect } from 'chai';
import { execFileSync } from 'node:child_process';
import { runHako } from '../helpers/cli.js';
import { fixture } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
const QUOTING = fixture('render', 'quoting.jsonnet');

/** Splits the printed text into commands (a line starting with `docker` starts one) and each into its words. */
function commands(text: string): string[][] {
  execFileSync('sh', ['-n'], { input: text });
  const starts = text.split(/\n(?=docker )/);
  return starts.map((command) => {
    // `sh` itself undoes the quoting and continuations: the command's words become printf's arguments.
    const out = execFileSync('sh', ['-c', `printf '%s\\0' ${command}`], { encoding: 'utf8' });
    return out.split('\0').slice(0, -1);
  });
}

function envOf(words: readonly string[]): string[] {
  return words.filter((_, i) => words[i - 1] === '--env');
}

describe('CLI: show-definition --format docker', () => {
  it('prints shell-quoted docker lines that sh reads back as the model, provider values as placeholders', async () => {
    const r = await runHako(['show-definition', '--format', 'docker', QUOTING], { env: NO_AWS });
    expect(r.code, r.stderr).to.equal(0);
    expect(r.stdout).to.not.contain('s3cr3t');
    const [volume, app, worker] = commands(r.stdout);
    expect(volume).to.deep.equal(['docker', 'volume', 'create', 'cache']);
    expect(envOf(app!)).to.deep.equal([
      'DOLLAR=$HOME ${PATH} $(id) `id`',
      'NEWLINE=line one\nline two',
      'QUOTES=it\'s "quoted"',
      'SPACES=two words',
      'TOKEN=${TOKEN}',
    ]);
    expect(app!.slice(-4)).to.deep.equal(['example/app:v1', 'sh', '-c', 'echo "$SPACES" > /tmp/out; cat /tmp/out']);
    expect(worker).to.deep.equal(['docker', 'run', '--name', 'worker', '--cpu-shares', '0', '--memory', '64M', '--volume', 'cache:/cache dir', 'example/worker:v1']);
  });

  it('--expand prints the provider value, quoted like any other', async () => {
    const r = await runHako(['show-definition', '--format', 'docker', '--expand', QUOTING], { env: NO_AWS });
    expect(r.code, r.stderr).to.equal(0);
    expect(envOf(commands(r.stdout)[1]!)).to.include('TOKEN=s3cr3t value $x');
  });

  it('refuses --raw with --format docker as a usage error', async () => {
    const r = await runHako(['show-definition', '--format', 'docker', '--raw', QUOTING], { env: NO_AWS });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.contain('--raw');
  });
});
