import { expect } from 'chai';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { ProviderError } from '../../../lib/errors.js';
import { fileProvider, parseEnvFile } from '../../../lib/providers/file.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fixture } from '../../helpers/paths.js';
import { fakeContext } from './fake-context.js';

describe('file env provider', () => {
  const registry = () => new ProviderRegistry([fileProvider]);

  describe('parseEnvFile', () => {
    it('parses lines the way hako does', () => {
      const text = ['  A=1', '# comment=x', '   # indented comment=y', 'B = two ', 'no equals', '=empty-key', 'C=', 'D=x=y', 'A=3', ''].join('\n');
      expect([...parseEnvFile(text)]).to.deep.equal([
        ['A', '3'],
        ['B ', ' two '],
        ['', 'empty-key'],
        ['C', ''],
        ['D', 'x=y'],
      ]);
    });

    it('drops CRLF line endings', () => {
      expect(parseEnvFile('A=1\r\nB=2\r\n').get('A')).to.equal('1');
    });
  });

  it('answers names from hello.env relative to the root path', async () => {
    const provider = registry().instance('file', { path: 'hello.env' }, fakeContext(fixture('eval')));
    expect(await provider.ask(['username', 'password'])).to.deep.equal({ username: 'eagletmt' });
    expect(await provider.askKeys!(['username', 'password'])).to.deep.equal(['username']);
  });

  it('keeps an absolute path absolute', async () => {
    const provider = registry().instance('file', { path: fixture('eval', 'hello.env') }, fakeContext('/nonexistent'));
    expect(await provider.ask(['username'])).to.deep.equal({ username: 'eagletmt' });
  });

  it('requires path with hako\'s message', () => {
    expect(() => registry().instance('file', {}, fakeContext('/'))).to.throw(ProviderError, 'path must be set');
  });

  it('rejects an unknown option by name', () => {
    try {
      registry().instance('file', { path: 'a.env', pth: 'x' }, fakeContext('/'));
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).to.be.instanceOf(ProviderError);
      expect((e as ProviderError).provider).to.equal('file');
      expect((e as Error).message).to.contain("unknown option 'pth'");
    }
  });

  it('names the provider and the absolute path of a missing file', async () => {
    const provider = registry().instance('file', { path: 'missing.env' }, fakeContext(fixture('eval')));
    try {
      await provider.ask(['x']);
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).to.be.instanceOf(ProviderError);
      expect((e as Error).message).to.contain('file provider').and.to.contain(path.join(fixture('eval'), 'missing.env'));
    }
  });

  it('reads the file once per run even when the file changes', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'hako-file-provider-'));
    try {
      await writeFile(path.join(dir, 'a.env'), 'A=1\nB=2\n');
      const provider = registry().instance('file', { path: 'a.env' }, fakeContext(dir));
      expect(await provider.ask(['A'])).to.deep.equal({ A: '1' });
      await writeFile(path.join(dir, 'a.env'), 'A=changed\nB=changed\n');
      expect(await provider.ask(['A', 'B'])).to.deep.equal({ A: '1', B: '2' });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
