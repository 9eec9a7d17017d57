/**
 * `env` env provider (not in hako): values from the environment hako runs in, e.g. CI secrets.
 * `{type: 'env', prefix: 'APP_'}` answers `#{TOKEN}` with `$APP_TOKEN`. "The environment" is the run's
 * `ProviderContext.env`: the real environment plus `--envfile` files, not `process.env` read directly.
 */
import * as z from 'zod';
import type { EnvProvider, ProviderPlugin } from './provider.js';

export const envProviderConfig = z.strictObject({
  prefix: z.string().default(''),
});
export type EnvProviderConfig = z.infer<typeof envProviderConfig>;

export const envProvider: ProviderPlugin<EnvProviderConfig> = {
  type: 'env',
  configSchema: envProviderConfig,
  create: (config, context): EnvProvider => {
    const lookup = (name: string): string | undefined => {
      const key = `${config.prefix}${name}`;
      return Object.hasOwn(context.env, key) ? context.env[key] : undefined;
    };
    return {
      async ask(names) {
        const result: Record<string, string> = {};
        for (const name of names) {
          const value = lookup(name);
          if (value !== undefined) result[name] = value;
        }
        return result;
      },
      async askKeys(names) {
        return names.filter((n) => lookup(n) !== undefined);
      },
    };
  },
};
