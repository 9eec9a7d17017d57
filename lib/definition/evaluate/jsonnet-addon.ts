/**
 * The native Jsonnet addon (@hanazuki/node-jsonnet), loaded on first use.
 *
 * Through require(), not import(): the package is CommonJS, and its ES module wrapper costs an ES module loader
 * set-up, a resolution and a scan of the CommonJS file for its exports (~4 ms of a show-definition's start-up, on
 * the path to the evaluation). Both bundles (the entry's head start and cli.cjs) get the same module from Node's
 * require cache, so they share one JsonnetError class.
 */
import { createRequire } from 'node:module';

type JsonnetAddon = typeof import('@hanazuki/node-jsonnet');

let addon: JsonnetAddon | undefined;

export function jsonnetAddon(): JsonnetAddon {
  addon ??= createRequire(import.meta.url)('@hanazuki/node-jsonnet') as JsonnetAddon;
  return addon;
}
