/**
 * The env providers hako knows without any plugin module. Adding one is an import and an array entry.
 */
import type { ProviderPlugin } from './provider.js';
import { fileProvider } from './file.js';
import { yamlProvider } from './yaml.js';
import { envProvider } from './env.js';
import { ssmProvider } from './ssm.js';
import { secretsManagerProvider } from './secrets-manager.js';
import { createTfstateProviderPlugin } from './tfstate/plugin.js';

/** A fresh list each call, so callers may append their own plugins; the tfstate plugin's state cache is per call. */
export function builtinProviders(): ProviderPlugin[] {
  return [fileProvider, yamlProvider, envProvider, ssmProvider, secretsManagerProvider, createTfstateProviderPlugin()] as ProviderPlugin[];
}
