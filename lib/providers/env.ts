/**
 * `env` env provider (not in hako): values from the environment hako runs in, e.g. CI secrets.
 * `{type: 'env', prefix: 'APP_'}` answers `#{TOKEN}` with `$APP_TOKEN`.
 */
import { z } from 'zod';
import type { EnvProvider, ProviderPlugin } from './provider.js';

export const envProviderConfig = z.strictObject({
  prefix: z.string().default(''),
});
export type EnvProviderConfig = z.infer<typeof envProviderConfig>;

/** Builds the plugin over an environment source; the built-in one reads `process.env` at ask time. */
export function createEnvProviderPlugin(source: () => NodeJS.ProcessEnv = () => process.env): ProviderPlugin<EnvProviderConfig> {
  return {
    type: 'env',
    configSchema: envProviderConfig,
    create: (config): EnvProvider => {
      const lookup = (name: string): string | undefined => source()[`${config.prefix}${name}`];
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
}

export const envProvider = createEnvProviderPlugin();
