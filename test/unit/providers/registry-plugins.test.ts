/** Third-party providers in the registry: registered under the definition's spec; their own failures are ProviderErrors. */
import { expect } from 'chai';
import { z } from 'zod';
import { ProviderError } from '../../../lib/errors.js';
import type { ProviderPlugin } from '../../../lib/providers/provider.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fakeContext } from './fake-context.js';

const staticPlugin: ProviderPlugin = {
  type: 'static',
  configSchema: z.strictObject({ value: z.string() }),
  create: (config) => ({ ask: async (names) => Object.fromEntries(names.map((n) => [n, String(config['value'])])) }),
};

describe('ProviderRegistry with plugins', () => {
  it('registers a plugin under the given spec rather than its own type', async () => {
    const registry = new ProviderRegistry([]);
    registry.register('./static.mjs', staticPlugin);
    expect(registry.types()).to.deep.equal(['./static.mjs']);
    const provider = registry.instance('./static.mjs', { value: 'v' }, fakeContext('/defs'));
    expect(await provider.ask(['A'])).to.deep.equal({ A: 'v' });
  });

  it('refuses to register a taken type', () => {
    const registry = new ProviderRegistry([staticPlugin]);
    expect(() => registry.register('static', staticPlugin)).to.throw(ProviderError, /registered twice/);
  });

  it("turns a plugin's throwing create into a ProviderError naming it", () => {
    const registry = new ProviderRegistry([]);
    registry.register('./broken.mjs', { ...staticPlugin, create: () => { throw new Error('sealed'); } });
    expect(() => registry.instance('./broken.mjs', { value: 'v' }, fakeContext('/defs'))).to.throw(ProviderError, './broken.mjs provider failed to start: sealed');
  });

  it("turns a plugin's throwing ask into a ProviderError naming it", async () => {
    const registry = new ProviderRegistry([]);
    registry.register('./flaky.mjs', { ...staticPlugin, create: () => ({ ask: () => Promise.reject(new Error('timeout')) }) });
    const provider = registry.instance('./flaky.mjs', { value: 'v' }, fakeContext('/defs'));
    let caught: unknown;
    try {
      await provider.ask(['A']);
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(ProviderError);
    expect((caught as Error).message).to.equal('./flaky.mjs provider failed in ask: timeout');
  });
});
