import { expect } from 'chai';
import { ProviderError } from '../../../lib/errors.js';
import { createEnvProviderPlugin } from '../../../lib/providers/env.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fakeContext } from './fake-context.js';

describe('env env provider', () => {
  const environment: NodeJS.ProcessEnv = { TOKEN: 'plain', APP_TOKEN: 'prefixed', APP_EMPTY: '' };
  const registry = () => new ProviderRegistry([createEnvProviderPlugin(() => environment)]);

  it('answers from the environment', async () => {
    const provider = registry().instance('env', {}, fakeContext('/'));
    expect(await provider.ask(['TOKEN', 'MISSING'])).to.deep.equal({ TOKEN: 'plain' });
  });

  it('maps a name through the prefix, and an empty value exists', async () => {
    const provider = registry().instance('env', { prefix: 'APP_' }, fakeContext('/'));
    expect(await provider.ask(['TOKEN', 'EMPTY', 'MISSING'])).to.deep.equal({ TOKEN: 'prefixed', EMPTY: '' });
    expect(await provider.askKeys!(['TOKEN', 'EMPTY', 'MISSING'])).to.deep.equal(['TOKEN', 'EMPTY']);
  });

  it('rejects unknown options', () => {
    expect(() => registry().instance('env', { prefx: 'A' }, fakeContext('/'))).to.throw(ProviderError, "unknown option 'prefx'");
  });

  it('reads process.env by default', async () => {
    process.env.HAKO_ENV_PROVIDER_TEST = 'from-process';
    try {
      const provider = new ProviderRegistry([createEnvProviderPlugin()]).instance('env', { prefix: 'HAKO_' }, fakeContext('/'));
      expect(await provider.ask(['ENV_PROVIDER_TEST'])).to.deep.equal({ ENV_PROVIDER_TEST: 'from-process' });
    } finally {
      delete process.env.HAKO_ENV_PROVIDER_TEST;
    }
  });
});
