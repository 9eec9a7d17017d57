#!/usr/bin/env node
// postinstall: apply scripts/jsonnet/*.patch to the libjsonnet sources that @hanazuki/node-jsonnet vendors and
// rebuild its addon (incrementally: the addon was just built from these sources by its own install script).
//
// Why a patch and not another Jsonnet engine: the package is fixed by the project, and libjsonnet v0.20.0 parses
// std.jsonnet once per file and once more per evaluation (see the patch header), which was most of the time of a
// `hako show-definition`, and most of a run over many definitions (each evaluated by itself). Plain JavaScript (not TypeScript under dist/) because it runs before `prepare` builds.
//
// It never fails the install: when the patch does not apply (another node-jsonnet version, sources already
// changed) or the rebuild fails, it restores the original sources, says so on stderr, and hako works as before,
// only slower. test/unit/definition/jsonnet-patch.test.ts is what notices in CI.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { applyPatch, parsePatch } from 'diff';

const here = path.dirname(fileURLToPath(import.meta.url));
const patchDir = path.join(here, 'jsonnet');

function say(message) {
  process.stderr.write(`hako postinstall: ${message}\n`);
}

function packageDir(require, name) {
  // node-jsonnet's "exports" hides its package.json; its main is lib/index.js.
  return path.dirname(path.dirname(require.resolve(name)));
}

/** Where @hanazuki/node-jsonnet is installed, as seen from hako's package. Throws when it is not installed. */
export function nodeJsonnetDir() {
  return packageDir(createRequire(import.meta.url), '@hanazuki/node-jsonnet');
}

/** Whether every patch under scripts/jsonnet is applied to the node-jsonnet sources in `pkgDir`. */
export function isPatched(pkgDir = nodeJsonnetDir()) {
  return patchNames().every((name) => alreadyApplied(pkgDir, readFileSync(path.join(patchDir, name), 'utf8')));
}

function patchNames() {
  return readdirSync(patchDir)
    .filter((n) => n.endsWith('.patch'))
    .sort();
}

/** Patched contents per file, or a reason the patch cannot be applied. Writes nothing. */
export function planPatch(pkgDir, patchText) {
  const plans = [];
  for (const filePatch of parsePatch(patchText)) {
    const relative = filePatch.newFileName.replace(/^b\//, '');
    const file = path.join(pkgDir, relative);
    if (!existsSync(file)) return { reason: `${relative} is missing` };
    const original = readFileSync(file, 'utf8');
    const patched = applyPatch(original, filePatch);
    if (patched === false) return { reason: `${relative} does not match the patch's context` };
    plans.push({ file, original, patched });
  }
  return { plans };
}

/** Whether every file of the patch already holds its patched text (re-install, `npm rebuild`). */
function alreadyApplied(pkgDir, patchText) {
  return parsePatch(patchText).every((filePatch) => {
    const file = path.join(pkgDir, filePatch.newFileName.replace(/^b\//, ''));
    if (!existsSync(file)) return false;
    const text = readFileSync(file, 'utf8');
    return filePatch.hunks.every((hunk) =>
      text.includes(
        hunk.lines
          .filter((line) => !line.startsWith('-') && !line.startsWith('\\'))
          .map((line) => line.slice(1))
          .join('\n'),
      ),
    );
  });
}

function rebuild(pkgDir) {
  const cmakeJsDir = path.dirname(createRequire(path.join(pkgDir, 'package.json')).resolve('cmake-js/package.json'));
  const bin = path.join(cmakeJsDir, JSON.parse(readFileSync(path.join(cmakeJsDir, 'package.json'), 'utf8')).bin['cmake-js']);
  // The same command as node-jsonnet's own install script; npm_config_nodedir in the environment carries over.
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: pkgDir, stdio: ['ignore', 'pipe', 'pipe'] });
  if (result.status !== 0) {
    return `${result.stdout}${result.stderr}`.trim().split('\n').slice(-15).join('\n') || `exit ${result.status}`;
  }
  return undefined;
}

function main() {
  let pkgDir;
  try {
    pkgDir = nodeJsonnetDir();
  } catch {
    say('@hanazuki/node-jsonnet is not installed; nothing to patch');
    return;
  }
  if (!existsSync(path.join(pkgDir, 'build'))) {
    // Installed with --ignore-scripts: there is no addon to rebuild, and patching sources alone would be a lie.
    say(`${pkgDir} has no build directory (install scripts skipped?); libjsonnet left unpatched`);
    return;
  }
  for (const name of patchNames()) {
    const patchText = readFileSync(path.join(patchDir, name), 'utf8');
    if (alreadyApplied(pkgDir, patchText)) continue;
    const plan = planPatch(pkgDir, patchText);
    if (!plan.plans) {
      // E.g. sources an older hako patched differently: a fresh copy of node-jsonnet takes the current patch.
      say(`${name} not applied (${plan.reason}); Jsonnet evaluation works, only slower. To apply it, reinstall: rm -rf ${pkgDir} && npm install`);
      continue;
    }
    for (const { file, patched } of plan.plans) writeFileSync(file, patched);
    const failure = rebuild(pkgDir);
    if (failure !== undefined) {
      for (const { file, original } of plan.plans) writeFileSync(file, original);
      say(`rebuilding node-jsonnet with ${name} failed; sources restored, addon as installed:\n${failure}`);
      const again = rebuild(pkgDir);
      if (again !== undefined) say(`rebuilding the unpatched addon failed too:\n${again}`);
    }
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
