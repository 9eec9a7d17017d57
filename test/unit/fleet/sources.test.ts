import { expect } from 'chai';
import { mkdtempSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { UsageError } from '../../../lib/errors.js';
import { expandDefinitionArgs, isDefinitionFileName, labelled } from '../../../lib/fleet/sources.js';

describe('fleet: definitions from FILE and directory arguments', () => {
  it("a directory gives its definitions sorted by name: not .libsonnet, hako.schema.json, hidden files or sub-directories", async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-sources-'));
    for (const name of ['web.jsonnet', 'api.yml', 'batch.yaml', 'cron.json', 'lib.libsonnet', 'hako.schema.json', '.draft.jsonnet', 'notes.txt']) {
      writeFileSync(path.join(dir, name), '{}');
    }
    mkdirSync(path.join(dir, 'prod'));
    writeFileSync(path.join(dir, 'prod', 'web.jsonnet'), '{}');
    mkdirSync(path.join(dir, 'sub.jsonnet'));
    symlinkSync(path.join(dir, 'web.jsonnet'), path.join(dir, 'alias.jsonnet'));
    const found = await expandDefinitionArgs([dir]);
    expect(found.map((e) => path.basename(e.file))).to.deep.equal(['alias.jsonnet', 'api.yml', 'batch.yaml', 'cron.json', 'web.jsonnet']);
    expect(found.map((e) => e.label)).to.deep.equal(['alias', 'api', 'batch', 'cron', 'web']);
  });

  it('keeps files in the order given, runs a file named twice once, keeps a missing file (it fails alone)', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-sources-'));
    writeFileSync(path.join(dir, 'b.jsonnet'), '{}');
    writeFileSync(path.join(dir, 'a.jsonnet'), '{}');
    const found = await expandDefinitionArgs([path.join(dir, 'b.jsonnet'), dir, path.join(dir, 'missing.jsonnet')]);
    expect(found.map((e) => path.basename(e.file))).to.deep.equal(['b.jsonnet', 'a.jsonnet', 'missing.jsonnet']);
  });

  it('a directory without definitions is a usage error', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-sources-'));
    writeFileSync(path.join(dir, 'x.libsonnet'), '{}');
    try {
      await expandDefinitionArgs([dir]);
      expect.fail('expected a usage error');
    } catch (e) {
      expect(e).to.be.instanceOf(UsageError);
      expect((e as Error).message).to.include('holds no definitions');
    }
  });

  it('labels are app ids, or paths when two files give the same app id', () => {
    expect(labelled(['prod/web.jsonnet', 'staging/web.jsonnet', 'prod/api.yml']).map((e) => e.label)).to.deep.equal(['prod/web', 'staging/web', 'api']);
    expect(labelled(['web.jsonnet', 'web.yml']).map((e) => e.label)).to.deep.equal(['web.jsonnet', 'web.yml']);
    expect(isDefinitionFileName('App.JSONNET')).to.equal(true);
  });
});
