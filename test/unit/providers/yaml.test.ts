import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProviderError } from '../../../lib/errors.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { flattenYaml, yamlProvider } from '../../../lib/providers/yaml.js';
import { fixture } from '../../helpers/paths.js';
import { fakeContext } from './fake-context.js';

describe('yaml env provider', () => {
  const registry = () => new ProviderRegistry([yamlProvider]);
  const context = () => fakeContext(fixture('eval'));

  it('flattens env.yml with the default separators (hako spec)', async () => {
    const provider = registry().instance('yaml', { path: 'env.yml' }, context());
    const names = ['username', 'host', 'app.db.host', 'app.db.port', 'app.cache.host', 'app.cache.port', 'app.db'];
    expect(await provider.ask(names)).to.deep.equal({
      username: 'eagletmt',
      host: 'app-001,app-002',
      'app.db.host': 'db-001',
      'app.db.port': '3306',
      'app.cache.host': 'cache-001',
      'app.cache.port': '11211',
    });
  });

  it('uses key_sep and ary_sep', async () => {
    const provider = registry().instance('yaml', { path: 'env.yml', key_sep: '_', ary_sep: '/' }, context());
    expect(await provider.ask(['host', 'app_db_host', 'app_cache_port', 'app.db.host'])).to.deep.equal({
      host: 'app-001/app-002',
      app_db_host: 'db-001',
      app_cache_port: '11211',
    });
  });

  it('lists keys without values', async () => {
    const provider = registry().instance('yaml', { path: 'env.yml' }, context());
    expect(await provider.askKeys!(['app.db.host', 'app.db.user'])).to.deep.equal(['app.db.host']);
  });

  it('stringifies scalars like hako: null is empty, nested arrays flatten', () => {
    const flat = flattenYaml({ t: true, n: null, f: 1.5, a: [1, [2, [3]]] }, '.', ',');
    expect(Object.fromEntries(flat)).to.deep.equal({ t: 'true', n: '', f: '1.5', a: '1,2,3' });
  });

  it('requires a mapping root', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hako-yaml-provider-'));
    try {
      await writeFile(path.join(dir, 'list.yml'), '- a\n- b\n');
      const provider = registry().instance('yaml', { path: 'list.yml' }, fakeContext(dir));
      let caught: unknown;
      await provider.ask(['a']).catch((e: unknown) => (caught = e));
      expect(caught).to.be.instanceOf(ProviderError);
      expect((caught as Error).message).to.equal('Env yaml root must be Hash');
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('requires path', () => {
    expect(() => registry().instance('yaml', { key_sep: '_' }, context())).to.throw(ProviderError, 'path must be set');
  });

  it('reports a missing file with its absolute path', async () => {
    const provider = registry().instance('yaml', { path: 'nope.yml' }, context());
    let caught: unknown;
    await provider.ask(['a']).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(ProviderError);
    expect((caught as Error).message).to.contain(path.join(fixture('eval'), 'nope.yml'));
  });
});
