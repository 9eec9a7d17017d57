/**
 * The package as npm ships it: what `npm pack` includes, and the packed CLI run from a global-install layout with a
 * plugin outside any project that imports hako by its package name (and zod), as the README tells plugin authors.
 * The layout is the tarball extracted under <prefix>/lib/node_modules/<name> with this repository's node_modules
 * beside it (building the Jsonnet addon again would take minutes); HAKO_TEST_GLOBAL_INSTALL=1 also runs a real
 * `npm install -g --prefix` of the tarball.
 */
import { expect } from 'chai';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../helpers/paths.js';

const pkg = JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { name: string; version: string; engines: { node: string } };
const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', NO_COLOR: '1' };

const PLUGIN = `import { z, HakoError } from '${pkg.name}';
import { z as zod } from 'zod';
export default {
  type: 'notice',
  configSchema: z.strictObject({ channel: zod.string().startsWith('#') }),
  create() {
    if (!(new HakoError('check') instanceof HakoError)) throw new Error('HakoError is not itself');
    return {};
  },
};
`;
const DEFINITION = `{
  scheduler: { type: 'ecs', region: 'ap-northeast-1', cluster: 'c', desired_count: 1 },
  app: { image: 'busybox', cpu: 32, memory: 64 },
  scripts: [{ type: './notice.mjs', channel: '#deploys' }],
}
`;

interface PackedFile {
  path: string;
}

function npm(args: string[], cwd: string): string {
  return execFileSync('npm', args, { cwd, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 });
}

describe('the npm package', function () {
  this.timeout(600_000);
  let tmp: string;
  let tarball: string;
  let files: string[];

  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hako-pack-'));
    // --ignore-scripts: pack what `npm run build` already made, without rebuilding dist under the running tests.
    const report = JSON.parse(npm(['pack', '--json', '--ignore-scripts', '--pack-destination', tmp], repoRoot)) as { filename: string; files: PackedFile[] }[];
    tarball = path.join(tmp, report[0]!.filename);
    files = report[0]!.files.map((f) => f.path);
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  it('ships the CLI, the library and its types, and no tests, sources, maps or build state', () => {
    expect(files).to.include.members(['bin/hako', 'bin/package.json', 'dist/bundle/main.cjs', 'dist/bundle/cli.cjs', 'dist/lib/index.js', 'dist/lib/index.d.ts', 'README.md', 'LICENSE', 'package.json']);
    expect(files.filter((f) => /(^|\/)test\/|\.map$|tsbuildinfo|^lib\/|^scripts\/.*\.ts$|\.ts$/.test(f) && !f.endsWith('.d.ts'))).to.deep.equal([]);
    expect(files).to.include.members(['scripts/patch-jsonnet.mjs', 'scripts/jsonnet/stdlib-shared.patch']);
    // Nothing but the CLI bundle, the compiled library with its types, and the package's own documents: every
    // file has its reason (a count cap would only track how many modules lib/ has today).
    // scripts/patch-jsonnet.mjs and its patches: the postinstall that patches libjsonnet in the user's install.
    const allowed =
      /^(bin\/hako|bin\/package\.json|README\.md|LICENSE|package\.json|definitions\/hako\.schema\.json|scripts\/patch-jsonnet\.mjs|scripts\/jsonnet\/[\w.-]+\.patch|dist\/bundle\/[\w.-]+\.c?js|dist\/lib\/[\w/.-]+\.(js|d\.ts))$/;
    expect(files.filter((f) => !allowed.test(f))).to.deep.equal([]);
    // Each compiled module comes from a source in lib/ (no stale output of deleted sources ships).
    const stale = files
      .filter((f) => f.startsWith('dist/lib/') && f.endsWith('.js'))
      .filter((f) => !existsSync(path.join(repoRoot, f.replace(/^dist\//, '').replace(/\.js$/, '.ts'))));
    expect(stale).to.deep.equal([]);
  });

  it('runs from a global install, and a plugin outside any project imports hako by its package name', () => {
    const prefix = path.join(tmp, 'prefix');
    const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
    mkdirSync(path.dirname(installed), { recursive: true });
    execFileSync('tar', ['-xzf', tarball, '-C', tmp]);
    renameSync(path.join(tmp, 'package'), installed);
    symlinkSync(path.join(repoRoot, 'node_modules'), path.join(installed, 'node_modules'));
    const elsewhere = path.join(tmp, 'elsewhere');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'notice.mjs'), PLUGIN);
    writeFileSync(path.join(elsewhere, 'app.jsonnet'), DEFINITION);

    const bin = path.join(installed, 'bin', 'hako');
    const version = spawnSync(process.execPath, [bin, '--version'], { cwd: elsewhere, encoding: 'utf8' });
    expect(version.stdout.trim()).to.equal(pkg.version);
    const r = spawnSync(process.execPath, [bin, 'show-definition', 'app.jsonnet'], { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, ...NO_AWS } });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
    expect((JSON.parse(r.stdout) as { scripts: unknown[] }).scripts).to.deep.equal([{ type: './notice.mjs', config: { channel: '#deploys' } }]);
  });

  (process.env.HAKO_TEST_GLOBAL_INSTALL === '1' ? it : it.skip)('installs with npm install -g --prefix and runs the outside plugin (HAKO_TEST_GLOBAL_INSTALL=1)', async () => {
    const prefix = path.join(tmp, 'npm-prefix');
    npm(['install', '-g', '--prefix', prefix, tarball], tmp);
    // The package's postinstall patched the libjsonnet that its own node-jsonnet vendors (scripts/patch-jsonnet.mjs).
    const installed = path.join(prefix, 'lib', 'node_modules', pkg.name);
    const { isPatched } = (await import(pathToFileURL(path.join(installed, 'scripts', 'patch-jsonnet.mjs')).href)) as { isPatched(dir: string): boolean };
    expect(isPatched(path.join(installed, 'node_modules', '@hanazuki', 'node-jsonnet'))).to.equal(true);
    const elsewhere = path.join(tmp, 'elsewhere-npm');
    mkdirSync(elsewhere);
    writeFileSync(path.join(elsewhere, 'notice.mjs'), PLUGIN);
    writeFileSync(path.join(elsewhere, 'app.jsonnet'), DEFINITION);
    const r = spawnSync(path.join(prefix, 'bin', 'hako'), ['show-definition', 'app.jsonnet'], { cwd: elsewhere, encoding: 'utf8', env: { ...process.env, ...NO_AWS } });
    expect(r.stderr).to.equal('');
    expect(r.status).to.equal(0);
  });

  it('names the Node versions its CLI and test dependencies need (yargs 18, mocha 12)', () => {
    for (const dep of ['yargs', 'mocha']) {
      const theirs = (JSON.parse(readFileSync(path.join(repoRoot, 'node_modules', dep, 'package.json'), 'utf8')) as { engines: { node: string } }).engines.node;
      expect(theirs, dep).to.match(/^\^20\.19\.0 \|\| (\^22\.12\.0 \|\| >=23|>=22\.12\.0)$/);
    }
    expect(pkg.engines.node).to.equal('^20.19.0 || ^22.12.0 || >=23');
    const readme = readFileSync(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).to.include(`npm install -g ${pkg.name}`);
    expect(readme).to.include('20.19');
  });
});
