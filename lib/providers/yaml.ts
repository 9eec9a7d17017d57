/**
 * `yaml` env provider: a YAML mapping flattened into names (`app.db.host`), as hako's yaml provider does.
 */
import * as z from 'zod';
import { DefinitionError, ProviderError, formatIssue } from '../errors.js';
import { KeyValueProvider } from './key-value-provider.js';
import type { ProviderPlugin } from './provider.js';
import { readProviderFile, resolveProviderPath } from './file.js';

export const yamlProviderConfig = z.strictObject({
  path: z.string({ error: (issue) => (issue.input === undefined ? 'path must be set' : 'path must be a string') }),
  key_sep: z.string().default('.'),
  ary_sep: z.string().default(','),
});
export type YamlProviderConfig = z.infer<typeof yamlProviderConfig>;

/**
 * Flattens a YAML mapping: nested keys joined with `keySep`; arrays become one string, their (flattened) elements
 * joined with `arySep`; scalars become their string form, null the empty string.
 */
export function flattenYaml(root: unknown, keySep: string, arySep: string): Map<string, string> {
  if (root === null || typeof root !== 'object' || Array.isArray(root)) {
    throw new ProviderError('yaml', 'Env yaml root must be Hash');
  }
  const out = new Map<string, string>();
  const walk = (value: unknown, key: string): void => {
    if (Array.isArray(value)) {
      out.set(key, value.flat(Infinity).map(scalarString).join(arySep));
    } else if (value !== null && typeof value === 'object') {
      for (const [k, v] of Object.entries(value)) walk(v, `${key}${keySep}${k}`);
    } else {
      out.set(key, scalarString(value));
    }
  };
  for (const [k, v] of Object.entries(root)) walk(v, k);
  return out;
}

function scalarString(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

class YamlProvider extends KeyValueProvider {
  constructor(
    readonly file: string,
    readonly config: YamlProviderConfig,
  ) {
    super();
  }

  protected read(): Promise<Map<string, string>> {
    // The YAML parser loads with the first yaml provider read, not with every definition (start-up).
    return Promise.all([readProviderFile('yaml', this.file), import('../definition/evaluate/yaml-loader.js')]).then(([text, { parseYamlText }]) => {
      let root: unknown;
      try {
        root = parseYamlText(text, this.file);
      } catch (e) {
        if (e instanceof DefinitionError) {
          throw new ProviderError('yaml', `yaml provider: ${e.issues.map(formatIssue).join('; ')}`, { cause: e });
        }
        throw e;
      }
      return flattenYaml(root, this.config.key_sep, this.config.ary_sep);
    });
  }
}

export const yamlProvider: ProviderPlugin<YamlProviderConfig> = {
  type: 'yaml',
  configSchema: yamlProviderConfig,
  create: (config, context) => new YamlProvider(resolveProviderPath(context, config.path), config),
};
