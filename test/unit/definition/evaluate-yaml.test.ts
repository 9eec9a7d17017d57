import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { evaluateDefinition } from '../../../lib/definition/evaluate.js';
import { loadYamlFile } from '../../../lib/definition/evaluate/yaml-loader.js';
import { builtinProviders } from '../../../lib/providers/builtins.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fixture } from '../../helpers/paths.js';
import { fakeContext } from '../providers/fake-context.js';

const yamlFixture = (name: string) => fixture('eval', 'yaml', name);

describe('evaluateDefinition: YAML (hako spec/fixtures/yaml)', () => {
  it('loads a simple definition as YAML', async () => {
    const result = await evaluateDefinition({
      file: yamlFixture('simple.yml'),
      providerMode: 'expand',
      providers: new ProviderRegistry(builtinProviders()),
      context: fakeContext('/'),
    });
    expect(result).to.deep.include({ appId: 'simple', format: 'yaml', raw: { scheduler: { type: 'ecs' } } });
  });

  it('replaces !include scalars with the included documents', () => {
    expect(loadYamlFile(yamlFixture('include.yml'))).to.deep.equal({ scheduler: { type: 'ecs' }, app: { image: 'nginx' } });
  });

  it('resolves includes against the including file, not the working directory', () => {
    const cwd = process.cwd();
    process.chdir(path.parse(cwd).root);
    try {
      expect(loadYamlFile(yamlFixture('include.yml'))).to.deep.equal({ scheduler: { type: 'ecs' }, app: { image: 'nginx' } });
    } finally {
      process.chdir(cwd);
    }
  });

  it('follows an absolute include path as it is', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hako-yaml-include-'));
    try {
      await writeFile(path.join(dir, 'main.yml'), `app: !include ${yamlFixture('app/type.yml')}\nextra: !include sub.yml\n`);
      await writeFile(path.join(dir, 'sub.yml'), 'from: sub\n');
      expect(loadYamlFile(path.join(dir, 'main.yml'))).to.deep.equal({ app: { image: 'nginx' }, extra: { from: 'sub' } });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('merges an included mapping with << and keeps document key order (shovel.yml)', () => {
    const raw = loadYamlFile(yamlFixture('shovel.yml')) as Record<string, Record<string, unknown>>;
    expect(raw).to.deep.equal({ scheduler: { type: 'ecs', desired_count: 1 }, app: { image: 'nginx' } });
    expect(Object.keys(raw)).to.deep.equal(['scheduler', 'app']);
    expect(Object.keys(raw.scheduler!)).to.deep.equal(['type', 'desired_count']);
  });

  it('merges positionally: keys after << override the included ones (include_before.yml)', () => {
    const raw = loadYamlFile(yamlFixture('include_before.yml')) as object;
    expect(raw).to.deep.equal({ foo: 1, bar: 3, baz: 4 });
    expect(Object.keys(raw)).to.deep.equal(['foo', 'bar', 'baz']);
  });

  it('merges positionally: included keys override keys before << (include_after.yml)', () => {
    const raw = loadYamlFile(yamlFixture('include_after.yml')) as object;
    expect(raw).to.deep.equal({ bar: 2, baz: 4, foo: 1 });
    expect(Object.keys(raw)).to.deep.equal(['bar', 'baz', 'foo']);
  });

  it('merges aliases the same way, and a list of aliases with earlier ones winning', () => {
    const raw = loadYamlFile(yamlFixture('alias-merge.yml')) as Record<string, unknown>;
    expect(raw.before).to.deep.equal({ memory: 64, cpu: 32 });
    expect(raw.after).to.deep.equal({ cpu: 32, memory: 128 });
    expect(raw.list).to.deep.equal({ memory: 32, essential: false, cpu: 16 });
  });

  it('resolves scalars with YAML 1.1 rules, keeping dates as written', () => {
    expect(loadYamlFile(yamlFixture('yaml11.yml'))).to.deep.equal({
      yes_bool: true,
      off_bool: false,
      on_str: 'on',
      octal: 8,
      sexagesimal: 90,
      float: 1.5,
      nothing: null,
      date: '2024-01-02',
    });
  });
});
