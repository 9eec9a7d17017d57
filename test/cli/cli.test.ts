/**
 * The CLI as users run it: bin/hako in a child process. Definitions-only commands need no AWS, so these run
 * without the emulator; AWS_ENDPOINT_URL points at a closed port to prove nothing tries to call AWS.
 */
import { expect } from 'chai';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { runHako } from '../helpers/cli.js';
import { definitionsDir, fixture, repoRoot } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

describe('CLI', () => {
  it('prints its version and exits 0', async () => {
    const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { version: string };
    const r = await runHako(['--version']);
    expect(r.code).to.equal(0);
    expect(r.stdout.trim()).to.equal(pkg.version);
  });

  it('lists every command in --help', async () => {
    const r = await runHako(['--help']);
    expect(r.code).to.equal(0);
    for (const verb of ['deploy', 'diff', 'rollback', 'oneshot', 'show-definition', 'status', 'stop', 'remove', 'schema']) {
      expect(r.stdout).to.match(new RegExp(`hako ${verb}`));
    }
  });

  it('shows per-command help with the definition options', async () => {
    const r = await runHako(['deploy', '--help']);
    expect(r.code).to.equal(0);
    for (const flag of ['--tag', '--force', '--dry-run', '--timeout', '--jpath', '--ext-str', '--ext-code', '--strict']) {
      expect(r.stdout).to.include(flag);
    }
  });

  it('exits 2 on an unknown option, naming it, without a stack trace', async () => {
    const r = await runHako(['show-definition', path.join(definitionsDir, 'hello.jsonnet'), '--bogus']);
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('bogus');
    expect(r.stderr).not.to.match(STACK_LINE);
  });

  it('exits 2 without a command', async () => {
    const r = await runHako([]);
    expect(r.code).to.equal(2);
  });

  it('rejects a non-positive --timeout as a usage error before reading anything', async () => {
    const r = await runHako(['deploy', '--timeout', 'abc', path.join(definitionsDir, 'hello.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--timeout');
  });

  describe('show-definition of every example definition', () => {
    const files = readdirSync(definitionsDir, { recursive: true })
      .map(String)
      .filter((f) => /\.(jsonnet|ya?ml)$/.test(f) && !f.includes('node_modules'));

    it('finds the examples', () => {
      expect(files).to.include.members([
        'hello.jsonnet',
        'hello-fargate.jsonnet',
        'nodejs.jsonnet',
        'golang.jsonnet',
        path.join('terraform', 'nodejs.jsonnet'),
        path.join('terraform', 'golang.jsonnet'),
      ]);
    });

    // The Terraform variant reads the shared env file, as its users run it (base.env names the committed state).
    const wiring = (file: string): string[] =>
      file.startsWith(`terraform${path.sep}`) ? ['--envfile', path.join(definitionsDir, 'terraform', 'base.env')] : [];

    for (const file of files) {
      it(`${file} validates and prints the canonical model`, async () => {
        const r = await runHako(['show-definition', '--strict', ...wiring(file), path.join(definitionsDir, file)], { env: NO_AWS, cwd: repoRoot });
        expect(r.stderr, r.stderr).to.equal('');
        expect(r.code).to.equal(0);
        const model = JSON.parse(r.stdout) as { id: string; containers: { name: string; image: string }[] };
        expect(model.id).to.equal(path.basename(file).replace(/\.[^.]+$/, ''));
        expect(model.containers[0]!.name).to.equal('app');
      });
    }
  });

  it('show-definition keeps provider values as placeholders unless --expand', async () => {
    const file = path.join(definitionsDir, 'hello.jsonnet');
    const plain = await runHako(['show-definition', file], { env: NO_AWS });
    expect(plain.code).to.equal(0);
    expect(plain.stdout).to.include('${username}-san, hello');
    expect(plain.stdout).not.to.include('eagletmt');
    const expanded = await runHako(['show-definition', '--expand', file], { env: NO_AWS });
    expect(expanded.code).to.equal(0);
    expect(expanded.stdout).to.include('eagletmt-san, hello');
  });

  it('adopts the evaluation bin/hako started early, with the same output as one started afresh', async () => {
    // lib/definition/evaluate/head-start.ts: with placeholders the head start answers provide.file itself; with
    // --expand the call waits for the real provider. -J rules the head start out: that run is the fresh baseline.
    const file = path.join(definitionsDir, 'hello.jsonnet');
    for (const extra of [[], ['--expand']]) {
      const early = await runHako(['show-definition', '-v', ...extra, file], { env: NO_AWS });
      const fresh = await runHako(['show-definition', '-v', '-J', definitionsDir, ...extra, file], { env: NO_AWS });
      expect(early.stderr, extra.join(' ')).to.include('Evaluation: adopted the head start');
      expect(fresh.stderr, extra.join(' ')).to.include('Evaluation: started afresh');
      expect([early.code, fresh.code]).to.deep.equal([0, 0]);
      expect(early.stdout, extra.join(' ')).to.equal(fresh.stdout);
    }
  });

  it('show-definition --raw prints the evaluated document and --format yaml prints YAML', async () => {
    const file = path.join(definitionsDir, 'hello.jsonnet');
    const raw = await runHako(['show-definition', '--raw', file], { env: NO_AWS });
    expect(raw.code).to.equal(0);
    const doc = JSON.parse(raw.stdout) as Record<string, unknown>;
    expect(doc).to.have.keys(['app', 'scheduler', 'scripts', 'sidecars']);
    const yaml = await runHako(['show-definition', '--format', 'yaml', file], { env: NO_AWS });
    expect(yaml.code).to.equal(0);
    expect(yaml.stdout).to.match(/^id: hello$/m);
  });

  it('--tag overrides the app image tag', async () => {
    const r = await runHako(['show-definition', '--tag', 'v42', path.join(definitionsDir, 'hello.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(0);
    const model = JSON.parse(r.stdout) as { containers: { name: string; image: string }[] };
    expect(model.containers[0]!.image).to.equal('ryotarai/hello-sinatra:v42');
  });

  it('--ext-str and --jpath reach the Jsonnet evaluator', async () => {
    const r = await runHako(['show-definition', '-J', fixture('cli', 'lib'), '--ext-str', 'image=busybox', '--ext-code', 'count=3', fixture('cli', 'ext.jsonnet')], { env: NO_AWS });
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    const model = JSON.parse(r.stdout) as { scheduler: { desired_count: number }; containers: { image: string }[] };
    expect(model.scheduler.desired_count).to.equal(3);
    expect(model.containers[0]!.image).to.equal('busybox:latest');
  });

  it('schema prints the JSON Schema, and the committed copy is up to date', async () => {
    const r = await runHako(['schema']);
    expect(r.code).to.equal(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown> };
    expect(schema.properties).to.include.keys(['scheduler', 'app', 'sidecars', 'volumes', 'scripts']);
    const committed = readFileSync(path.join(definitionsDir, 'hako.schema.json'), 'utf8');
    expect(JSON.parse(committed), 'definitions/hako.schema.json is stale: run `npm run schema`').to.deep.equal(JSON.parse(r.stdout));
  });

  describe('bad-input corpus (test/fixtures/invalid)', () => {
    const dir = fixture('invalid');
    const expected = JSON.parse(readFileSync(path.join(dir, 'expected.json'), 'utf8')) as Record<string, string | string[]>;
    const files = Object.keys(expected);

    it('has at least 30 definitions, each with an expectation', () => {
      expect(files.length).to.be.at.least(30);
      const onDisk = readdirSync(dir).filter((f) => /\.(jsonnet|json|ya?ml)$/.test(f) && f !== 'expected.json');
      expect(onDisk.sort()).to.deep.equal([...files].sort());
    });

    for (const file of files) {
      it(`${file}: exit 1, names the problem, no stack trace`, async () => {
        const r = await runHako(['show-definition', '--strict', path.join(dir, file)], { env: NO_AWS });
        expect(r.code, r.stderr).to.equal(1);
        expect(r.stdout).to.equal('');
        expect(r.stderr).to.include(file);
        for (const want of ([] as string[]).concat(expected[file]!)) expect(r.stderr).to.include(want);
        expect(r.stderr).not.to.match(STACK_LINE);
        expect(r.stderr).not.to.include('Internal error');
      });
    }
  });

  it('--debug adds the stack trace to an error', async () => {
    const r = await runHako(['show-definition', '--debug', path.join(definitionsDir, 'does-not-exist.jsonnet')], { env: NO_AWS });
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(STACK_LINE);
  });
});
