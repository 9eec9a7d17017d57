/**
 * Bundles the CLI into dist/bundle/ (run by `npm run build` after tsc). Loading hundreds of small modules costs more
 * than running them: code split at the dynamic imports, so each command still loads only what it uses, and the
 * native Jsonnet addon and the Kubernetes client stay outside (loaded from node_modules, only by what needs them).
 *
 * The AWS SDK is bundled too, from its ES module builds (`module` before `main`): loaded from node_modules it is
 * ~200 CommonJS files per run, each resolved, read, compiled and scanned for its exports (a quarter of a no-op
 * deploy's CPU: 551 -> 417 ms here). Each client is its own chunk (factory.ts imports them one by one), so a deploy
 * loads only the clients it calls. Minified (names kept, lib/errors.ts recognises error classes by name): less to parse at every
 * start. dist/bundle-manifest.json records which packages each chunk holds (bench-startup checks that show-definition
 * loads no SDK or Kubernetes code).
 */
import { build } from 'esbuild';
import { rmSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const outdir = path.join(root, 'dist', 'bundle');

// esbuild names chunks by content hash and never deletes old ones: start from an empty folder, so that the
// package ships only this build's chunks.
rmSync(outdir, { recursive: true, force: true });

const result = await build({
  entryPoints: { main: path.join(root, 'dist', 'lib', 'cli', 'main.js') },
  outdir,
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  minify: true,
  // Error classes are recognised by name across module copies (lib/errors.ts): keep class names intact.
  keepNames: true,
  external: ['@hanazuki/node-jsonnet', '@kubernetes/client-node'],
  mainFields: ['module', 'main'],
  // Some bundled CommonJS dependencies call require() for Node built-ins; ESM output has no require of its own.
  banner: { js: "import { createRequire as __hakoCreateRequire } from 'node:module'; const require = __hakoCreateRequire(import.meta.url);" },
  metafile: true,
  logLevel: 'warning',
});

const manifest: Record<string, string[]> = {};
for (const [file, output] of Object.entries(result.metafile.outputs)) {
  if (file.endsWith('.map')) continue;
  const packages = new Set<string>();
  for (const input of Object.keys(output.inputs)) {
    const m = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    packages.add(m ? m[1]! : 'hako');
  }
  manifest[path.basename(file)] = [...packages].sort();
}
writeFileSync(path.join(root, 'dist', 'bundle-manifest.json'), JSON.stringify(manifest, null, 1) + '\n');
