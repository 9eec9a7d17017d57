/**
 * `node --import ./dist/scripts/trace-modules.js …` records every module the process loads into $HAKO_TRACE_FILE,
 * as URLs: ES modules as the loader resolves them (trace-modules-hooks.ts), CommonJS ones from require's cache as
 * the process exits (resolution hooks do not see require() on Node 20, and bin/hako, the bundle's entry and the
 * Jsonnet addon are CommonJS). Used by bench-startup to prove that show-definition loads no AWS SDK code.
 */
import { appendFileSync } from 'node:fs';
import { createRequire, register } from 'node:module';
import { pathToFileURL } from 'node:url';

register('./trace-modules-hooks.js', import.meta.url);

const requireCache = createRequire(import.meta.url).cache;
process.on('exit', () => {
  const file = process.env.HAKO_TRACE_FILE;
  if (!file) return;
  const loaded = Object.keys(requireCache).map((f) => pathToFileURL(f).href);
  if (loaded.length > 0) appendFileSync(file, loaded.join('\n') + '\n');
});
