/**
 * `ssm` env provider: answers name `X` with the SSM Parameter Store parameter `<prefix>X`, decrypting
 * SecureStrings. Options: `prefix` (e.g. `/myapp/`, or a parameter ARN prefix) and `region` (default: the region
 * of an ARN prefix, else the run's default region).
 *
 * SSM has no key-only read: GetParameters is the only batch lookup, so `askKeys` uses it too. It asks without
 * decryption (so a dry run needs no kms:Decrypt) and throws the values away. Values never reach errors or logs.
 */
import * as z from 'zod';
import { AwsApiError, ProviderError } from '../errors.js';
import { chunk, parseArn, SSM_GET_PARAMETERS_MAX } from '../aws/arn.js';
import type { EnvProvider, ProviderContext, ProviderPlugin } from './provider.js';

export const ssmProviderConfig = z.strictObject({
  prefix: z.string().optional(),
  region: z.string().min(1).optional(),
});
export type SsmProviderConfig = z.infer<typeof ssmProviderConfig>;

class SsmProvider implements EnvProvider {
  readonly #prefix: string;
  readonly #region: string | undefined;
  readonly #context: ProviderContext;
  /** Decrypted values by variable name; `null` = the parameter does not exist. */
  readonly #values = new Map<string, string | null>();
  /** Existence learnt by askKeys without reading values. */
  readonly #exists = new Map<string, boolean>();

  constructor(config: SsmProviderConfig, context: ProviderContext) {
    this.#prefix = config.prefix ?? '';
    this.#region = config.region ?? (parseArn(this.#prefix)?.region || undefined);
    this.#context = context;
  }

  async ask(names: readonly string[]): Promise<Record<string, string>> {
    await this.#fetch(unique(names).filter((n) => !this.#values.has(n)), true);
    const result: Record<string, string> = {};
    for (const name of names) {
      const value = this.#values.get(name);
      if (typeof value === 'string') result[name] = value;
    }
    return result;
  }

  async askKeys(names: readonly string[]): Promise<string[]> {
    await this.#fetch(unique(names).filter((n) => !this.#values.has(n) && !this.#exists.has(n)), false);
    return names.filter((n) => typeof this.#values.get(n) === 'string' || this.#exists.get(n) === true);
  }

  async #fetch(names: readonly string[], withDecryption: boolean): Promise<void> {
    if (names.length === 0) return;
    const ssm = await this.#context.aws().ssm(this.#region);
    for (const batch of chunk(names, SSM_GET_PARAMETERS_MAX)) {
      const byParameter = new Map(batch.map((name) => [this.#prefix + name, name]));
      let parameters;
      try {
        ({ Parameters: parameters } = await ssm.getParameters({ Names: [...byParameter.keys()], WithDecryption: withDecryption }));
      } catch (err) {
        throw providerError(err, this.#region);
      }
      const found = new Set<string>();
      for (const parameter of parameters ?? []) {
        // The response names a parameter as it was asked for (name or ARN); both forms are in the map.
        const name = byParameter.get(parameter.Name ?? '') ?? byParameter.get(parameter.ARN ?? '');
        if (name === undefined) continue;
        found.add(name);
        if (withDecryption) this.#values.set(name, parameter.Value ?? '');
      }
      for (const name of batch) {
        if (withDecryption) {
          if (!found.has(name)) this.#values.set(name, null);
        } else {
          this.#exists.set(name, found.has(name));
        }
      }
    }
  }
}

function unique(names: readonly string[]): string[] {
  return [...new Set(names)];
}

function providerError(err: unknown, region: string | undefined): unknown {
  if (!(err instanceof AwsApiError)) return err;
  const where = region === undefined ? '' : ` in ${region}`;
  return new ProviderError('ssm', `ssm provider: cannot read parameters${where}: ${err.message}`, {
    cause: err,
    ...(err.hint === undefined ? {} : { hint: err.hint }),
  });
}

/** The `ssm` provider: SSM Parameter Store parameters, SecureStrings decrypted. */
export const ssmProvider: ProviderPlugin<SsmProviderConfig> = {
  type: 'ssm',
  configSchema: ssmProviderConfig,
  create: (config, context) => new SsmProvider(config, context),
};
