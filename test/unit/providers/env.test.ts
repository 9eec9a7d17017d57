import { expect } from 'chai';
import { ProviderError } from '../../../lib/errors.js';
import { envProvider } from '../../../lib/providers/env.js';
import type { ProviderPlugin } from '../../../lib/providers/provider.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fakeContext } from './fake-context.js';

describe('env env provider', () => {
  const environment = { TOKEN: 'plain', APP_TOKEN: 'prefixed', APP_EMPTY: '' };
  const registry = () => new ProviderRegistry([envProvider as ProviderPlugin]);
  const context = () => fakeContext('/', environment);

  it('answers from the run environment', async () => {
    const provider = registry().instance('env', {}, context());
    expect(await provider.ask(['TOKEN', 'MISSING'])).to.deep.equal({ TOKEN: 'plain' });
  });

  it('maps a name through the prefix, and an empty value exists', async () => {
    const provider = registry().instance('env', { prefix: 'APP_' }, context());
    expect(await provider.ask(['TOKEN', 'EMPTY', 'MISSING'])).to.deep.equal({ TOKEN: 'prefixed', EMPTY: '' });
    expect(await provider.askKeys!(['TOKEN', 'EMPTY', 'MISSING'])).to.deep.equal(['TOKEN', 'EMPTY']);
  });

  it('rejects unknown options', () => {
    expect(() => registry().instance('env', { prefx: 'A' }, context())).to.throw(ProviderError, "unknown option 'prefx'");
  });

  it('reads the context environment, not process.env', async () => {
    process.env.HAKO_ENV_PROVIDER_TEST = 'from-process';
    try {
      const provider = registry().instance('env', { prefix: 'HAKO_' }, fakeContext('/', { HAKO_OTHER: 'x' }));
      expect(await provider.ask(['ENV_PROVIDER_TEST', 'OTHER'])).to.deep.equal({ OTHER: 'x' });
    } finally {
      delete process.env.HAKO_ENV_PROVIDER_TEST;
    }
  });

  it('does not answer inherited object properties', async () => {
    const provider = registry().instance('env', {}, context());
    expect(await provider.ask(['constructor', 'toString'])).to.deep.equal({});
  });
});
