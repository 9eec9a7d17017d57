/**
 * The env providers hako knows without any plugin module. Adding one is an import and an array entry.
 */
import type { ProviderPlugin } from './provider.js';
import { fileProvider } from './file.js';
import { yamlProvider } from './yaml.js';
import { envProvider } from './env.js';
import { ssmProvider } from './ssm.js';
import { secretsManagerProvider } from './secrets-manager.js';

/** A fresh list each call, so callers may append their own plugins. */
export function builtinProviders(): ProviderPlugin[] {
  return [fileProvider, yamlProvider, envProvider, ssmProvider, secretsManagerProvider] as ProviderPlugin[];
}
