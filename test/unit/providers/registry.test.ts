import { expect } from 'chai';
import { z } from 'zod';
import { ProviderError } from '../../../lib/errors.js';
import { builtinProviders } from '../../../lib/providers/builtins.js';
import type { EnvProvider, ProviderPlugin } from '../../../lib/providers/provider.js';
import { ProviderRegistry } from '../../../lib/providers/registry.js';
import { fakeContext } from './fake-context.js';

/** A provider that records every call it receives. */
function countingPlugin(withKeys: boolean) {
  const calls = { created: 0, ask: [] as string[][], askKeys: [] as string[][] };
  const values: Record<string, string> = { A: 'a', B: 'b' };
  const plugin: ProviderPlugin = {
    type: 'counting',
    configSchema: z.strictObject({ scope: z.string().optional(), tier: z.string().optional() }),
    create: () => {
      calls.created += 1;
      const provider: EnvProvider = {
        async ask(names) {
          calls.ask.push([...names]);
          return Object.fromEntries(names.filter((n) => n in values).map((n) => [n, values[n]!]));
        },
      };
      if (withKeys) {
        provider.askKeys = async (names) => {
          calls.askKeys.push([...names]);
          return names.filter((n) => n in values);
        };
      }
      return provider;
    },
  };
  return { plugin, calls };
}

describe('ProviderRegistry', () => {
  it('lists the built-in providers', () => {
    const types = new ProviderRegistry(builtinProviders()).types();
    expect(types.slice(0, 3)).to.deep.equal(['file', 'yaml', 'env']);
    expect(new ProviderRegistry(builtinProviders()).get('yaml')?.type).to.equal('yaml');
  });

  it('creates one instance per type and options, whatever the key order', () => {
    const { plugin, calls } = countingPlugin(true);
    const registry = new ProviderRegistry([plugin]);
    const ctx = fakeContext('/defs');
    const first = registry.instance('counting', { scope: 'x', tier: 't' }, ctx);
    expect(registry.instance('counting', { tier: 't', scope: 'x' }, ctx)).to.equal(first);
    expect(registry.instance('counting', { scope: 'y' }, ctx)).not.to.equal(first);
    expect(calls.created).to.equal(2);
  });

  it('asks each name at most once, remembering absent names too', async () => {
    const { plugin, calls } = countingPlugin(true);
    const provider = new ProviderRegistry([plugin]).instance('counting', {}, fakeContext('/'));
    expect(await provider.ask(['A', 'Z'])).to.deep.equal({ A: 'a' });
    expect(await provider.ask(['A', 'B', 'Z'])).to.deep.equal({ A: 'a', B: 'b' });
    expect(calls.ask).to.deep.equal([['A', 'Z'], ['B']]);
    // Existence is known from the answers: no key listing needed for those names.
    expect(await provider.askKeys!(['A', 'B', 'Z', 'C'])).to.deep.equal(['A', 'B']);
    expect(calls.askKeys).to.deep.equal([['C']]);
  });

  it('has no askKeys when the provider cannot list keys', () => {
    const { plugin } = countingPlugin(false);
    const provider = new ProviderRegistry([plugin]).instance('counting', {}, fakeContext('/'));
    expect(provider.askKeys).to.equal(undefined);
  });

  it('rejects an unknown type, suggesting the nearest', () => {
    const registry = new ProviderRegistry(builtinProviders());
    try {
      registry.instance('fiel', { path: 'x' }, fakeContext('/'));
      expect.fail('should have thrown');
    } catch (e) {
      expect(e).to.be.instanceOf(ProviderError);
      expect((e as ProviderError).message).to.contain("Unknown env provider type 'fiel'");
      expect((e as ProviderError).hint).to.contain("Did you mean 'file'?");
    }
  });

  it('rejects registering a type twice', () => {
    const { plugin } = countingPlugin(true);
    expect(() => new ProviderRegistry([plugin, plugin])).to.throw(ProviderError, 'registered twice');
  });
});

describe('ProviderRegistry: configuration providers', () => {
  function configurationPlugin(sensitive?: readonly string[]): { plugin: ProviderPlugin; sensitiveAsked: string[][] } {
    const sensitiveAsked: string[][] = [];
    const plugin: ProviderPlugin = {
      type: 'config',
      values: 'configuration',
      configSchema: z.strictObject({}),
      create: () => ({
        async ask(names) {
          return Object.fromEntries(names.filter((n) => n !== 'MISSING').map((n) => [n, `value-of-${n}`]));
        },
        ...(sensitive === undefined
          ? {}
          : {
              askSensitive: async (names: readonly string[]) => {
                sensitiveAsked.push([...names]);
                return names.filter((n) => sensitive.includes(n));
              },
            }),
      }),
    };
    return { plugin, sensitiveAsked };
  }

  it('reveals (for masking) only the values askSensitive names, asking each name once', async () => {
    const { plugin, sensitiveAsked } = configurationPlugin(['SECRET']);
    const registry = new ProviderRegistry([plugin]);
    const provider = registry.instance('config', {}, fakeContext('/'));
    await provider.ask(['PLAIN', 'SECRET', 'MISSING']);
    await provider.ask(['SECRET']);
    expect(await provider.askSensitive!(['PLAIN', 'SECRET'])).to.deep.equal(['SECRET']);
    expect([...registry.revealedValues()]).to.deep.equal([['value-of-SECRET', 'SECRET']]);
    expect(sensitiveAsked).to.deep.equal([['PLAIN', 'SECRET']]);
  });

  it('reveals nothing from a configuration provider without askSensitive, and everything from a secrets provider', async () => {
    const registry = new ProviderRegistry([configurationPlugin().plugin, { ...configurationPlugin().plugin, type: 'secret', values: 'secrets' }]);
    await registry.instance('config', {}, fakeContext('/')).ask(['A']);
    expect(registry.revealedValues().size).to.equal(0);
    await registry.instance('secret', {}, fakeContext('/')).ask(['B']);
    expect([...registry.revealedValues()]).to.deep.equal([['value-of-B', 'B']]);
  });
});
