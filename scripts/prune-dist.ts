/**
 * Removes compiled output whose source is gone. tsc never deletes what it emitted for a file that was moved or
 * removed, so without this a renamed module lives on in dist/ — and would ship in the package and keep stale tests
 * running. Run after `tsc`, before bundling (package.json build/prepare/test).
 */
import { existsSync, readdirSync, rmSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const dist = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const root = path.resolve(dist, '..');
const OUTPUT = /\.(d\.ts|js\.map|js)$/;

function prune(dir: string): number {
  let removed = 0;
  for (const entry of readdirSync(dir)) {
    const full = path.join(dir, entry);
    if (statSync(full).isDirectory()) {
      removed += prune(full);
      continue;
    }
    if (!OUTPUT.test(entry)) continue;
    const source = path.join(root, path.relative(dist, full)).replace(OUTPUT, '.ts');
    if (!existsSync(source)) {
      rmSync(full);
      removed += 1;
    }
  }
  return removed;
}

let removed = 0;
for (const top of ['lib', 'test', 'scripts', 'definitions']) {
  const dir = path.join(dist, top);
  if (existsSync(dir)) removed += prune(dir);
}
if (removed > 0) process.stdout.write(`prune-dist: removed ${removed} compiled file(s) whose source is gone\n`);
