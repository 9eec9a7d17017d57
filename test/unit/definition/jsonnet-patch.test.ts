/**
 * scripts/patch-jsonnet.mjs patches libjsonnet (vendored by @hanazuki/node-jsonnet) at install so std.jsonnet is
 * parsed once per process instead of once per file and per evaluation. The postinstall never fails an install, so
 * this is where a patch that stopped applying (a node-jsonnet update) shows: the installed sources must hold it. And
 * the shared std must not change what Jsonnet means: each file still sees its own std.thisFile, named arguments
 * reach std's functions, and evaluations running at once on libuv's threads each get their own answer.
 */
import { Jsonnet } from '@hanazuki/node-jsonnet';
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { parsePatch, reversePatch, applyPatch } from 'diff';
import { repoRoot } from '../../helpers/paths.js';

interface PatchModule {
  planPatch(pkgDir: string, patchText: string): { plans?: { file: string; original: string; patched: string }[]; reason?: string };
  isPatched(pkgDir?: string): boolean;
  nodeJsonnetDir(): string;
}

const patchModule = async (): Promise<PatchModule> => (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'patch-jsonnet.mjs')).href)) as PatchModule;

const pkgDir = path.dirname(path.dirname(createRequire(import.meta.url).resolve('@hanazuki/node-jsonnet')));
const patchText = readFileSync(path.join(repoRoot, 'scripts', 'jsonnet', 'stdlib-shared.patch'), 'utf8');

describe('the libjsonnet stdlib-shared patch', () => {
  it('is applied to the installed node-jsonnet sources (postinstall ran and the patch still fits)', async () => {
    const { isPatched, nodeJsonnetDir } = await patchModule();
    expect(nodeJsonnetDir()).to.equal(pkgDir);
    // Every hunk's resulting lines are in the installed files.
    expect(isPatched()).to.equal(true);
    const analysis = readFileSync(path.join(pkgDir, 'third_party/jsonnet/core/static_analysis.cpp'), 'utf8');
    expect(analysis).to.include('ast_->analysed = true;');
    const desugarer = readFileSync(path.join(pkgDir, 'third_party/jsonnet/core/desugarer.cpp'), 'utf8');
    expect(desugarer).to.include('std::call_once(once');
  });

  it('applies to the pristine sources and yields exactly the installed ones', async () => {
    const { planPatch, isPatched } = await patchModule();
    // The pristine tree, recovered by reversing the patch on the installed (patched) files.
    const pristine = mkdtempSync(path.join(os.tmpdir(), 'hako-jsonnet-pristine-'));
    try {
      for (const filePatch of parsePatch(patchText)) {
        const relative = filePatch.newFileName!.replace(/^b\//, '');
        const original = applyPatch(readFileSync(path.join(pkgDir, relative), 'utf8'), reversePatch(filePatch));
        expect(original, relative).to.be.a('string');
        mkdirSync(path.dirname(path.join(pristine, relative)), { recursive: true });
        writeFileSync(path.join(pristine, relative), original as string);
      }
      const plan = planPatch(pristine, patchText);
      expect(plan.reason).to.equal(undefined);
      expect(plan.plans).to.have.length(3);
      for (const { file, patched } of plan.plans!) {
        expect(patched, file).to.equal(readFileSync(path.join(pkgDir, path.relative(pristine, file)), 'utf8'));
      }
      expect(isPatched(pristine)).to.equal(false);
      // Already patched sources do not match the patch's context: the script reports that instead of patching twice.
      expect(planPatch(pkgDir, patchText).reason).to.match(/does not match the patch's context/);
    } finally {
      rmSync(pristine, { recursive: true, force: true });
    }
  });

  it('keeps std.thisFile per file, std working in every imported file, and each file’s static errors', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-jsonnet-std-'));
    try {
      mkdirSync(path.join(dir, 'lib'));
      writeFileSync(path.join(dir, 'lib', 'inner.libsonnet'), `{ file: std.thisFile, up: std.asciiUpper('inner') }`);
      writeFileSync(path.join(dir, 'lib', 'outer.libsonnet'), `local inner = import 'inner.libsonnet';\n{ file: std.thisFile, inner: inner, n: std.length([1, 2, 3]) }`);
      writeFileSync(
        path.join(dir, 'main.jsonnet'),
        `local outer = import 'lib/outer.libsonnet';\n{ file: std.thisFile, outer: outer, again: (import 'lib/inner.libsonnet').file, s: std.format('%s-%d', ['a', 1]) }`,
      );
      const out = JSON.parse(await new Jsonnet().evaluateFile(path.join(dir, 'main.jsonnet'))) as unknown;
      // std.jsonnet's fields are analysed once and shared by every file: a file's own static errors still show.
      writeFileSync(path.join(dir, 'lib', 'bad.libsonnet'), `{ a: std.length(nope) }`);
      writeFileSync(path.join(dir, 'bad-import.jsonnet'), `local bad = import 'lib/bad.libsonnet';\n{ std: std.isString('x'), bad: bad }`);
      writeFileSync(path.join(dir, 'bad-self.jsonnet'), `local x = import 'lib/inner.libsonnet';\nlocal y = self.a;\n{ a: std.length([x]) }`);
      const failure = async (file: string): Promise<string> =>
        new Jsonnet().evaluateFile(path.join(dir, file)).then(
          () => 'evaluated',
          (e: Error) => e.message,
        );
      expect(await failure('bad-import.jsonnet')).to.match(/bad\.libsonnet:1:17-21: Unknown variable: nope/);
      expect(await failure('bad-self.jsonnet')).to.match(/bad-self\.jsonnet:2:11-15: Can't use self outside of an object/);
      expect(out).to.deep.equal({
        file: path.join(dir, 'main.jsonnet'),
        outer: { file: path.join(dir, 'lib', 'outer.libsonnet'), inner: { file: path.join(dir, 'lib', 'inner.libsonnet'), up: 'INNER' }, n: 3 },
        again: path.join(dir, 'lib', 'inner.libsonnet'),
        s: 'a-1',
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives evaluations running at once their own files, thisFile and named arguments to std functions', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-jsonnet-concurrent-'));
    try {
      writeFileSync(path.join(dir, 'shared.libsonnet'), `{ tag(n):: std.join(sep='-', arr=['app', std.toString(n)]), file: std.thisFile }`);
      const files = Array.from({ length: 24 }, (_, i) => {
        const file = path.join(dir, `app-${i}.jsonnet`);
        writeFileSync(
          file,
          `local shared = import 'shared.libsonnet';\n` +
            `{ file: std.thisFile, lib: shared.file, tag: shared.tag(${i}), sorted: std.sort([${i}, 1, 30], keyF=function(x) -x), ` +
            `yaml: std.manifestYamlDoc({ n: ${i} }, indent_array_in_object=true) }`,
        );
        return file;
      });
      files.push(path.join(dir, 'broken.jsonnet'));
      writeFileSync(path.join(dir, 'broken.jsonnet'), `{ a: std.length(missing) }`);
      // One Jsonnet each, all started before any ends: libuv runs them on its threads at the same time.
      const results = await Promise.all(
        files.map(async (file) => new Jsonnet().evaluateFile(file).then((out) => JSON.parse(out) as unknown, (e: Error) => e.message)),
      );
      expect(results.pop()).to.match(/broken\.jsonnet:1:17-24: Unknown variable: missing/);
      results.forEach((result, i) => {
        expect(result, `app-${i}`).to.deep.equal({
          file: path.join(dir, `app-${i}.jsonnet`),
          lib: path.join(dir, 'shared.libsonnet'),
          tag: `app-${i}`,
          sorted: [i, 1, 30].sort((a, b) => b - a),
          yaml: `"n": ${i}`,
        });
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
