/**
 * Bundles the CLI into dist/bundle/ (run by `npm run build` after tsc). Every module Node loads costs a resolution,
 * a file read and a compile of its own, which for hako's ~230 modules cost more than running them. Three builds:
 *
 * - cli.cjs: all of hako and its small dependencies in one file, dynamic imports included (esbuild evaluates those
 *   modules when they are first imported, as before). One file costs less than the dozens of chunks esbuild's code
 *   splitting made (show-definition 238 -> 218 ms CPU, a no-op deploy 368 -> 330 ms here), because code reached
 *   from several commands went into chunks of its own. A CommonJS script rather than a module, so that Node 20 can
 *   compile it from a code cache (lib/cli/bundle-loader.ts: a no-op deploy 381 -> 345 ms CPU).
 * - Islands, imported with `import()` only and loaded on first use: the AWS SDK, from its ES module builds, one file
 *   per client (aws-sdk-client-ecs.cjs, with chunks shared between clients), and yargs (yargs.js, an ES module:
 *   lib/cli/yargs-cli.ts, for help, completion and usage errors). Loaded from node_modules instead, a deploy's SDK
 *   was ~200 CommonJS files, each also scanned for its exports: a quarter of a no-op deploy's CPU. The SDK files are
 *   split as ES modules and each then rewritten as a CommonJS script, which the loader compiles with a code cache
 *   (a no-op deploy 308 -> 247 ms CPU). Each client's file keeps only the client and the commands hako's ports send
 *   (lib/aws/sdk-packages.ts), not the service's whole API (a no-op deploy 222 -> 202 ms CPU). A static `import` of an island, or of the native Jsonnet addon or the
 *   Kubernetes client (left in node_modules), would load it with every command: the build fails on one.
 * - main.cjs: lib/cli/entry.ts, which answers `--version` before cli.cjs is loaded, starts a one-definition
 *   command's Jsonnet evaluation while cli.cjs loads (lib/definition/evaluate/head-start.ts), and loads cli.cjs
 *   and the SDK scripts (lib/cli/bundle-loader.ts). CommonJS, as bin/hako is (bin/package.json): until a command
 *   needs yargs, a plugin or the Kubernetes client, Node's ES module loader is never set up.
 *
 * Minified (names kept: lib/errors.ts recognises error classes by name) with source maps (`--debug`).
 * dist/bundle-manifest.json records the packages in each file (bench-startup checks that show-definition loads no
 * SDK or Kubernetes client code).
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sdkExports } from '../lib/aws/sdk-packages.js';
import { commands } from '../lib/cli/commands/index.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = path.join(root, 'dist', 'bundle');

/** Packages bundled into files of their own, loaded on first `import()`. */
const ISLAND = /^(@aws-sdk\/[\w.-]+|yargs)$/;
const SDK = /^@aws-sdk\//;
/** Left in node_modules: a native addon, and a client too big to load unless asked for (lib/kube). */
const EXTERNAL = ['@hanazuki/node-jsonnet', '@kubernetes/client-node'];

const islandFile = (specifier: string): string => specifier.replace(/^@/, '').replace(/\//g, '-');

const common = {
  outdir,
  bundle: true,
  format: 'esm' as const,
  platform: 'node' as const,
  target: 'node20',
  sourcemap: true,
  minify: true,
  // Error classes are recognised by name across module copies (lib/errors.ts): keep class names intact.
  keepNames: true,
  // The SDK's ES module builds (`module`), which esbuild can split between clients and shake.
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call require() for Node built-ins; ESM output has no require of its own.
  banner: { js: "import { createRequire as __hakoCreateRequire } from 'node:module'; const require = __hakoCreateRequire(import.meta.url);" },
  metafile: true as const,
  logLevel: 'warning' as const,
} satisfies BuildOptions;

// esbuild names chunks by content hash and never deletes old ones: start from an empty folder, so that the
// package ships only this build's files.
rmSync(outdir, { recursive: true, force: true });

const islands = new Set<string>();
const cli = await build({
  ...common,
  // A CommonJS script, which Node 20 can compile with a code cache (lib/cli/bundle-loader.ts). Node's require() and
  // the built-ins are real; `import.meta` and `import()` are the loader's stand-ins (below).
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: {},
  define: { 'import.meta.url': '__hakoImportMetaUrl', 'import.meta.resolve': '__hakoImportMetaResolve' },
  entryPoints: { cli: path.join(root, 'dist', 'lib', 'cli', 'main.js') },
  external: EXTERNAL,
  plugins: [
    {
      name: 'islands',
      setup(b) {
        b.onResolve({ filter: /^(@aws-sdk\/|yargs$)/ }, (args) => {
          if (!ISLAND.test(args.path)) return undefined;
          islands.add(args.path);
          return { path: `./${islandFile(args.path)}.js`, external: true };
        });
      },
    },
  ],
});

// `import()` in a script compiled from a code cache fails on Node 20: every dynamic import left in the bundle (of
// an island, an external, a plugin) calls the loader's `__himp` instead, a name as long as `import`, so that the
// source map's columns still hold. Each is one esbuild kept: their count must be the metafile's.
const cliFile = path.join(outdir, 'cli.cjs');
const dynamicImport = /(?<![\w$.])import\(/g;
const cliText = readFileSync(cliFile, 'utf8');
// The metafile lists the imports of a literal specifier only (a plugin's path is computed).
const literal = cliText.match(/(?<![\w$.])import\("/g)?.length ?? 0;
const kept = Object.values(cli.metafile.inputs).reduce((n, input) => n + input.imports.filter((i) => i.kind === 'dynamic-import' && i.external).length, 0);
if (literal !== kept) throw new Error(`cli.cjs has ${literal} import(" where esbuild kept ${kept} dynamic imports: check the rewrite`);
writeFileSync(cliFile, cliText.replace(dynamicImport, '__himp('));

// An island or external imported statically would be hoisted to the top of cli.cjs and load with every command.
const lazyOnly = (p: string): boolean => EXTERNAL.includes(p) || /^\.\/(aws-sdk-|yargs\.js$)/.test(p);
const eager = Object.entries(cli.metafile.inputs).flatMap(([file, input]) =>
  input.imports.filter((i) => i.external && i.kind !== 'dynamic-import' && lazyOnly(i.path)).map((i) => `${file} imports ${i.path}`),
);
if (eager.length > 0) throw new Error(`import() these, so that they load only when used:\n  ${eager.join('\n  ')}`);

// yargs: an ES module island (help, completion and usage errors only).
const islandBuild = await build({
  ...common,
  entryPoints: Object.fromEntries([...islands].filter((s) => !SDK.test(s)).map((s) => [islandFile(s), s])),
  splitting: true,
  external: EXTERNAL,
});

// The SDK islands: built as ES modules, since esbuild splits only those (the clients share most of their code), then
// each file rewritten as a CommonJS script (`.cjs`), which the loader compiles with a code cache as it does cli.cjs:
// Node 20 compiles ES modules afresh on every run, ~30-50 ms of a deploy's CPU. `import()` becomes `require()`
// (a script compiled from a cache cannot import), and a chunk's `require("./chunk-….cjs")` is the loader's, which
// runs that script likewise. No banner: in a script `require` is real.
const staging = path.join(root, 'dist', 'bundle-sdk-esm');
rmSync(staging, { recursive: true, force: true });
const { banner: _banner, ...esm } = common;
// Each client's entry is a module of our own that re-exports only what hako uses from its package (the SDK is
// free of side effects: esbuild drops the rest). A package the CLI imports and the list lacks is a build error.
const used = sdkExports();
const sdkPackages = [...islands].filter((s) => SDK.test(s));
const unlisted = sdkPackages.filter((p) => !used.has(p));
if (unlisted.length > 0) throw new Error(`lib/aws/sdk-packages.ts lists no exports for ${unlisted.join(', ')}`);
const sdkBuild = await build({
  ...esm,
  outdir: staging,
  entryPoints: Object.fromEntries(sdkPackages.map((s) => [islandFile(s), s])),
  splitting: true,
  external: EXTERNAL,
  plugins: [
    {
      name: 'sdk-exports',
      setup(b) {
        b.onResolve({ filter: SDK }, (args) => (args.kind === 'entry-point' ? { path: args.path, namespace: 'sdk-exports' } : undefined));
        b.onLoad({ filter: /.*/, namespace: 'sdk-exports' }, (args) => ({
          contents: `export { ${used.get(args.path)!.join(', ')} } from ${JSON.stringify(args.path)};`,
          resolveDir: root,
        }));
      },
    },
  ],
});
const sdkScripts: Record<string, number> = {};
const sdkDigest = createHash('sha256');
for (const file of readdirSync(staging).filter((f) => f.endsWith('.js')).sort()) {
  const script = file.replace(/\.js$/, '.cjs');
  await build({
    entryPoints: [path.join(staging, file)],
    outfile: path.join(outdir, script),
    bundle: false,
    format: 'cjs',
    platform: 'node',
    target: 'node20',
    supported: { 'dynamic-import': false },
    // Already minified, with names kept: only the whitespace the rewrite adds goes.
    minifyWhitespace: true,
    sourcemap: true,
    logLevel: 'warning',
  });
  // The chunks it needs are .cjs files now (also for Node's own require(), which loads them with --debug).
  const text = readFileSync(path.join(outdir, script), 'utf8').replace(/require\("\.\/([\w.-]+)\.js"\)/g, 'require("./$1.cjs")');
  if (/(?<![\w$.])import\(/.test(text)) throw new Error(`${script} kept an import(): it could not run from a code cache`);
  writeFileSync(path.join(outdir, script), text);
  sdkScripts[script] = Buffer.byteLength(text);
  sdkDigest.update(`${script}\0`).update(text);
}
rmSync(staging, { recursive: true, force: true });

// What the loader checks before it offers a code cache for cli.cjs and the SDK scripts (lib/cli/bundle-loader.ts).
const cliBytes = readFileSync(cliFile);
const cliBundle = { sha256: createHash('sha256').update(cliBytes).digest('hex'), size: cliBytes.length };
const sdkBundle = { sha256: sdkDigest.digest('hex'), sizes: sdkScripts };
// The loader keeps a cli.cjs cache per command: the names, as the CLI registers them (`deploy <file..>` → deploy).
const commandNames = commands.map((c) => c.command.split(' ')[0]!);

const entry = await build({
  ...common,
  // CommonJS like bin/hako: a process whose code is all CommonJS never sets up Node's ES module loader (~4 ms).
  format: 'cjs',
  outExtension: { '.js': '.cjs' },
  banner: { js: 'var __hakoEntryUrl = require("node:url").pathToFileURL(__filename).href;' },
  define: {
    'import.meta.url': '__hakoEntryUrl',
    __HAKO_CLI_BUNDLE__: JSON.stringify(cliBundle),
    __HAKO_SDK_SCRIPTS__: JSON.stringify(sdkBundle),
    __HAKO_COMMANDS__: JSON.stringify(commandNames),
  },
  entryPoints: { main: path.join(root, 'dist', 'lib', 'cli', 'entry.js') },
  // The head start (lib/definition/evaluate/head-start.ts) loads the Jsonnet addon from here: the same module as
  // cli.cjs's, so that both see one JsonnetError class.
  external: EXTERNAL,
  plugins: [
    {
      name: 'cli',
      setup(b) {
        // The entry loads cli.cjs through the code-cache loader, not lib/cli/main.ts through import().
        b.onResolve({ filter: /^\.\/load-cli\.js$/ }, (args) =>
          args.importer.endsWith(`${path.sep}cli${path.sep}entry.js`) ? { path: path.join(root, 'dist', 'lib', 'cli', 'bundle-loader.js') } : undefined,
        );
      },
    },
  ],
});


const manifest: Record<string, string[]> = {};
const shipped = (metafile: Metafile, file: string): string => (metafile === sdkBuild.metafile ? path.basename(file).replace(/\.js$/, '.cjs') : path.basename(file));
for (const metafile of [cli.metafile, entry.metafile, islandBuild.metafile, sdkBuild.metafile] satisfies Metafile[]) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    const packages = new Set<string>();
    for (const input of Object.keys(output.inputs)) packages.add(/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'hako');
    manifest[shipped(metafile, file)] = [...packages].sort();
  }
}
writeFileSync(path.join(root, 'dist', 'bundle-manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
