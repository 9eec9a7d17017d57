/**
 * Bundles the CLI into dist/bundle/ (run by `npm run build` after tsc). Every module Node loads costs a resolution,
 * a file read and a compile of its own, which for hako's ~230 modules cost more than running them. Three builds:
 *
 * - cli.js: all of hako and its small dependencies in one file, dynamic imports included (esbuild evaluates those
 *   modules when they are first imported, as before). One file costs less than the dozens of chunks esbuild's code
 *   splitting made (show-definition 238 -> 218 ms CPU, a no-op deploy 368 -> 330 ms here), because code reached
 *   from several commands went into chunks of its own.
 * - Islands, imported with `import()` only and loaded on first use: the AWS SDK, from its ES module builds, one file
 *   per client (aws-sdk-client-ecs.js, with chunks shared between clients), and yargs (lib/cli/yargs-cli.ts: help,
 *   completion and usage errors). Loaded from node_modules instead, a deploy's SDK was ~200 CommonJS files, each
 *   also scanned for its exports: a quarter of a no-op deploy's CPU. A static `import` of an island, or of the
 *   native Jsonnet addon or the Kubernetes client (left in node_modules), would load it with every command: the
 *   build fails on one.
 * - main.js: lib/cli/entry.ts, which answers `--version` before cli.js is loaded, and starts a one-definition command's
 *   Jsonnet evaluation while cli.js loads (lib/definition/evaluate/head-start.ts).
 *
 * Minified (names kept: lib/errors.ts recognises error classes by name) with source maps (`--debug`).
 * dist/bundle-manifest.json records the packages in each file (bench-startup checks that show-definition loads no
 * SDK or Kubernetes client code).
 */
import { build, type BuildOptions, type Metafile } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = path.join(root, 'dist', 'bundle');

/** Packages bundled into files of their own, loaded on first `import()`. */
const ISLAND = /^(@aws-sdk\/[\w.-]+|yargs)$/;
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

// An island or external imported statically would be hoisted to the top of cli.js and load with every command.
const lazyOnly = (p: string): boolean => EXTERNAL.includes(p) || /^\.\/(aws-sdk-|yargs\.js$)/.test(p);
const eager = Object.entries(cli.metafile.inputs).flatMap(([file, input]) =>
  input.imports.filter((i) => i.external && i.kind !== 'dynamic-import' && lazyOnly(i.path)).map((i) => `${file} imports ${i.path}`),
);
if (eager.length > 0) throw new Error(`import() these, so that they load only when used:\n  ${eager.join('\n  ')}`);

const entry = await build({
  ...common,
  entryPoints: { main: path.join(root, 'dist', 'lib', 'cli', 'entry.js') },
  // The head start (lib/definition/evaluate/head-start.ts) loads the Jsonnet addon from here: the same module as
  // cli.js's, so that both see one JsonnetError class.
  external: EXTERNAL,
  plugins: [
    {
      name: 'cli',
      setup(b) {
        b.onResolve({ filter: /^\.\/main\.js$/ }, (args) =>
          args.importer.endsWith(`${path.sep}cli${path.sep}entry.js`) ? { path: './cli.js', external: true } : undefined,
        );
      },
    },
  ],
});

const islandBuild = await build({
  ...common,
  entryPoints: Object.fromEntries([...islands].map((s) => [islandFile(s), s])),
  splitting: true,
  external: EXTERNAL,
});

const manifest: Record<string, string[]> = {};
for (const metafile of [cli.metafile, entry.metafile, islandBuild.metafile] satisfies Metafile[]) {
  for (const [file, output] of Object.entries(metafile.outputs)) {
    if (file.endsWith('.map')) continue;
    const packages = new Set<string>();
    for (const input of Object.keys(output.inputs)) packages.add(/node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? 'hako');
    manifest[path.basename(file)] = [...packages].sort();
  }
}
writeFileSync(path.join(root, 'dist', 'bundle-manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
