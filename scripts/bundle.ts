/**
 * Bundles the CLI into dist/bundle/ (run by `npm run build` after tsc). Loading ~230 small ES modules costs more
 * than running them: one bundle cuts `hako show-definition` start-up by about a fifth. Code split at the dynamic
 * imports, so each command still loads only what it uses; the AWS SDK and the Kubernetes client stay outside the
 * bundle (imported lazily from node_modules, never by show-definition), and so does the native Jsonnet addon.
 */
import { build } from 'esbuild';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

// Chunk names are content hashes: without a clean start, chunks of earlier builds pile up beside the current ones.
rmSync(path.join(root, 'dist', 'bundle'), { recursive: true, force: true });

await build({
  entryPoints: { main: path.join(root, 'dist', 'lib', 'cli', 'main.js') },
  outdir: path.join(root, 'dist', 'bundle'),
  bundle: true,
  splitting: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  // Error classes are recognised by name across module copies (lib/errors.ts): keep class names intact.
  keepNames: true,
  external: ['@hanazuki/node-jsonnet', '@aws-sdk/*', '@kubernetes/client-node'],
  // Some bundled CommonJS dependencies call require() for Node built-ins; ESM output has no require of its own.
  banner: { js: "import { createRequire as __hakoCreateRequire } from 'node:module'; const require = __hakoCreateRequire(import.meta.url);" },
  logLevel: 'warning',
});
