/**
 * The bundle's code cache (lib/cli/bundle-loader.ts): the first run of a build writes V8's cache for cli.cjs (one
 * per command) and each SDK script it loads into $XDG_CACHE_HOME/hako/v8, the next two add to them what they
 * compiled, later runs read them and leave them alone; a cache that does not fit is replaced, and a folder others
 * could write into is never used. Output is the same whichever way the CLI was compiled.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { appendFileSync, chmodSync, cpSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, symlinkSync, utimesSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runHako } from '../helpers/cli.js';
import { definitionsDir, repoRoot } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x' };
const args = ['show-definition', path.join(definitionsDir, 'hello.jsonnet')];

describe('CLI: code cache of the bundle', function () {
  this.timeout(60_000);
  let home: string;
  let cacheDir: string;
  const env = (): NodeJS.ProcessEnv => ({ ...NO_AWS, XDG_CACHE_HOME: home, NODE_DISABLE_COMPILE_CACHE: undefined });
  const entries = (): string[] => {
    try {
      return readdirSync(cacheDir);
    } catch {
      return [];
    }
  };

  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'hako-cache-'));
    cacheDir = path.join(home, 'hako', 'v8');
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('is written by the first run, added to by the next two, then read and left alone; the output never changes', async () => {
    const baseline = await runHako(args, { env: { ...NO_AWS, NODE_DISABLE_COMPILE_CACHE: '1', XDG_CACHE_HOME: home } });
    expect(baseline.code).to.equal(0);
    expect(entries(), 'NODE_DISABLE_COMPILE_CACHE=1 writes nothing').to.deep.equal([]);

    const outputs: string[] = [];
    const generations: number[] = [];
    let file = '';
    for (let run = 1; run <= 4; run++) {
      const r = await runHako(args, { env: env() });
      expect(r.code).to.equal(0);
      outputs.push(r.stdout);
      const written = entries();
      expect(written).to.have.length(1);
      file = path.join(cacheDir, written[0]!);
      const data = readFileSync(file);
      // The first byte is the generation: the runs that wrote the cache so far.
      generations.push(data[0]!);
      expect(data.length).to.be.greaterThan(10_000);
    }
    expect(generations).to.deep.equal([1, 2, 3, 3]);
    expect(statSync(cacheDir).mode & 0o777).to.equal(0o700);
    expect(statSync(file).mode & 0o777).to.equal(0o600);
    const before = readFileSync(file);
    expect((await runHako(args, { env: env() })).code).to.equal(0);
    // Accepted at the last generation: the run had nothing to write.
    expect(readFileSync(file).equals(before)).to.equal(true);
    expect(outputs).to.deep.equal(Array<string>(4).fill(baseline.stdout));
  });

  it("is named by the SHA-256 of cli.cjs that the build recorded, so that another build's cache is never offered", async function () {
    const bundle = path.join(repoRoot, 'dist', 'bundle', 'cli.cjs');
    if (!existsSync(bundle)) this.skip();
    expect((await runHako(args, { env: env() })).code).to.equal(0);
    const digest = createHash('sha256').update(readFileSync(bundle)).digest('hex').slice(0, 32);
    expect(entries()).to.deep.equal([`cli-${process.version}-${process.arch}-${digest}--show-definition.bin`]);
  });

  it('keeps one per command, since each compiles functions the others do not; other first words share one', async () => {
    expect((await runHako(args, { env: env() })).code).to.equal(0);
    expect((await runHako(['schema'], { env: env() })).code).to.equal(0);
    expect((await runHako(['no-such-command'], { env: env() })).code).to.equal(2);
    expect((await runHako(['--help'], { env: env() })).code).to.equal(0);
    const names = entries()
      .filter((f) => f.startsWith('cli-'))
      .map((f) => /--([a-z-]+)\.bin$/.exec(f)?.[1])
      .sort();
    expect(names).to.deep.equal(['other', 'schema', 'show-definition']);
    // Each made by its own command: the show-definition one holds more of the CLI than the usage error's.
    const size = (command: string): number => statSync(path.join(cacheDir, entries().find((f) => f.endsWith(`--${command}.bin`))!)).size;
    expect(size('show-definition')).to.be.greaterThan(size('other'));
  });

  it('is not used for a cli.cjs changed since the build (another size): that bundle runs, compiled afresh', function () {
    const built = path.join(repoRoot, 'dist', 'bundle');
    if (!existsSync(built)) this.skip();
    // A copy of the installed layout whose cli.cjs gained a line after the build.
    const root = mkdtempSync(path.join(os.tmpdir(), 'hako-edited-'));
    try {
      cpSync(path.join(repoRoot, 'bin'), path.join(root, 'bin'), { recursive: true });
      cpSync(built, path.join(root, 'dist', 'bundle'), { recursive: true });
      cpSync(path.join(repoRoot, 'package.json'), path.join(root, 'package.json'));
      symlinkSync(path.join(repoRoot, 'node_modules'), path.join(root, 'node_modules'));
      appendFileSync(path.join(root, 'dist', 'bundle', 'cli.cjs'), '\nglobalThis.__hakoEditedBundle = true;\n');
      const r = spawnSync(process.execPath, [path.join(root, 'bin', 'hako'), ...args], { env: { ...process.env, ...env(), NO_COLOR: '1' }, encoding: 'utf8' });
      expect(r.status, r.stderr).to.equal(0);
      expect(r.stdout).to.include('"id": "hello"');
      expect(entries(), 'nothing cached for a bundle the build did not write').to.deep.equal([]);
    } finally {
      rmSync(root, { recursive: true, force: true });
    }
  });

  it('keeps one for each SDK script a command loads, in a folder of the build; failed runs add to them without counting', async function () {
    if (!existsSync(path.join(repoRoot, 'dist', 'bundle', 'aws-sdk-client-ssm.cjs'))) this.skip();
    // --expand reads an SSM parameter: the SSM client loads and sends (to a port where nothing listens, which fails).
    const definition = path.join(home, 'ssm.jsonnet');
    writeFileSync(
      definition,
      "{ scheduler: { type: 'ecs', region: 'ap-northeast-1', cluster: 'c', desired_count: 1 }, app: { image: 'busybox', memory: 64, env: { X: std.native('provide.ssm')('{}', '/p') } } }\n",
    );
    const run = () => runHako(['show-definition', '--expand', definition], { env: { ...env(), AWS_MAX_ATTEMPTS: '1' } });
    const first = await run();
    expect(first.code, first.stderr).to.equal(1);
    const folders = entries().filter((f) => f.startsWith('sdk-'));
    expect(folders).to.have.length(1);
    expect(folders[0]).to.match(new RegExp(`^sdk-${process.version}-${process.arch}-[0-9a-f]{32}$`));
    const folder = path.join(cacheDir, folders[0]!);
    expect(statSync(folder).mode & 0o777).to.equal(0o700);
    const caches = readdirSync(folder).sort();
    expect(caches).to.include('aws-sdk-client-ssm.cjs.bin');
    expect(caches.filter((f) => f.startsWith('chunk-')), 'the chunks it shares with other clients').to.not.be.empty;
    expect(caches.some((f) => f.startsWith('aws-sdk-client-ecs')), 'only what the command loaded').to.equal(false);
    const generation = (f: string): number => readFileSync(path.join(folder, f))[0]!;
    expect(caches.map(generation)).to.deep.equal(caches.map(() => 1));

    // Every run fails (the request did: none of the answer handling ran), so each adds what it compiled and none
    // counts: the caches are written anew (a new file renamed in place) and stay at the first generation, for the
    // first run that succeeds to add to.
    for (let n = 2; n <= 4; n++) {
      const inodes = caches.map((f) => statSync(path.join(folder, f)).ino);
      const again = await run();
      expect(again.code).to.equal(1);
      expect(again.stderr).to.equal(first.stderr);
      caches.forEach((f, i) => expect(statSync(path.join(folder, f)).ino, `${f} written again by run ${n}`).to.not.equal(inodes[i]));
    }
    expect(readdirSync(folder).sort()).to.deep.equal(caches);
    expect(caches.map(generation)).to.deep.equal(caches.map(() => 1));
  });

  it('counts only runs that succeed: failed ones add what they compiled but keep it at the first generation', async () => {
    const invalid = path.join(home, 'invalid.jsonnet');
    writeFileSync(invalid, "{ scheduler: { type: 'ecs', region: 'ap-northeast-1', cluster: 'c', desired_count: -1 }, app: { image: 'busybox', memory: 64 } }\n");
    const generationAfter = async (argv: string[], code: number): Promise<number> => {
      const r = await runHako(argv, { env: env() });
      expect(r.code, r.stderr).to.equal(code);
      const written = entries();
      expect(written).to.have.length(1);
      return readFileSync(path.join(cacheDir, written[0]!))[0]!;
    };
    // A user's first runs, stopped by a definition error, then the runs that succeed.
    const invalidArgs = ['show-definition', invalid];
    expect([await generationAfter(invalidArgs, 1), await generationAfter(invalidArgs, 1)]).to.deep.equal([1, 1]);
    expect([await generationAfter(args, 0), await generationAfter(args, 0), await generationAfter(args, 0)]).to.deep.equal([2, 3, 3]);
    // Complete now: a failure after that leaves it alone.
    const file = path.join(cacheDir, entries()[0]!);
    const before = readFileSync(file);
    expect(await generationAfter(invalidArgs, 1)).to.equal(3);
    expect(readFileSync(file).equals(before)).to.equal(true);
  });

  it('replaces a cache V8 rejects, and the run still succeeds', async () => {
    expect((await runHako(args, { env: env() })).code).to.equal(0);
    const file = path.join(cacheDir, entries()[0]!);
    writeFileSync(file, Buffer.alloc(4096, 7));
    const r = await runHako(args, { env: env() });
    expect(r.code).to.equal(0);
    expect(r.stdout).to.include('"id": "hello"');
    expect(readFileSync(file).equals(Buffer.alloc(4096, 7)), 'rewritten').to.equal(false);
  });

  it("keeps the caches of the four builds written last, all of each one's commands (old builds go)", async () => {
    mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
    const old = ['a', 'b', 'c', 'd', 'e'].flatMap((n, i) =>
      ['deploy', 'diff'].map((command, j) => {
        const file = path.join(cacheDir, `cli-v0-x-${n}--${command}.bin`);
        writeFileSync(file, 'x');
        // Build e's diff cache is older than build d's: a build is as recent as its newest cache.
        const at = n === 'e' && command === 'diff' ? 1_000_000 : 1_000_000 + 10 * i + j;
        utimesSync(file, at, at);
        return path.basename(file);
      }),
    );
    expect((await runHako(args, { env: env() })).code).to.equal(0);
    const left = entries();
    // This build's cache and every cache of the three most recent other builds.
    expect(left).to.have.length(7);
    expect(left.filter((f) => old.includes(f)).sort()).to.deep.equal([
      'cli-v0-x-c--deploy.bin',
      'cli-v0-x-c--diff.bin',
      'cli-v0-x-d--deploy.bin',
      'cli-v0-x-d--diff.bin',
      'cli-v0-x-e--deploy.bin',
      'cli-v0-x-e--diff.bin',
    ]);
  });

  it('never uses a folder that others may write into', async () => {
    mkdirSync(cacheDir, { recursive: true });
    chmodSync(cacheDir, 0o777);
    const r = await runHako(args, { env: env() });
    expect(r.code).to.equal(0);
    expect(entries()).to.deep.equal([]);
  });
});
