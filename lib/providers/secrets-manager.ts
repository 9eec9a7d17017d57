/**
 * `secretsmanager` env provider. Two shapes:
 * - `{ secret_id: 'myapp/env' }`: the secret is a JSON object; name `X` is its key `X` (non-string values are
 *   turned into text: numbers and booleans as written, objects as JSON).
 * - no `secret_id`: name `X` is itself a secret id (name or ARN) and its value the whole SecretString.
 * `region` defaults to the region of an ARN secret id, else the run's default region.
 *
 * One GetSecretValue per secret per run (cached). Reading keys needs the value too (Secrets Manager has no
 * key-only read of a secret's JSON), so `askKeys` reads it and keeps it for a later `ask`. Values never reach
 * errors or logs: JSON parse errors are not passed on as causes because V8 quotes the input in them.
 */
import * as z from 'zod';
import { AwsApiError, ProviderError } from '../errors.js';
import { parseArn } from '../aws/arn.js';
import { isAwsError } from '../aws/aws-error.js';
import type { EnvProvider, ProviderContext, ProviderPlugin } from './provider.js';

export const secretsManagerProviderConfig = z.strictObject({
  secret_id: z.string().min(1).optional(),
  region: z.string().min(1).optional(),
});
export type SecretsManagerProviderConfig = z.infer<typeof secretsManagerProviderConfig>;

const TYPE = 'secretsmanager';

class SecretsManagerProvider implements EnvProvider {
  readonly #config: SecretsManagerProviderConfig;
  readonly #context: ProviderContext;
  /** SecretString by secret id; `null` = no such secret. */
  readonly #secrets = new Map<string, Promise<string | null>>();
  #json: Promise<Map<string, string>> | undefined;

  constructor(config: SecretsManagerProviderConfig, context: ProviderContext) {
    this.#config = config;
    this.#context = context;
  }

  async ask(names: readonly string[]): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    if (this.#config.secret_id !== undefined) {
      const entries = await this.#jsonEntries(this.#config.secret_id);
      for (const name of names) {
        const value = entries.get(name);
        if (value !== undefined) result[name] = value;
      }
      return result;
    }
    const values = await Promise.all(names.map((name) => this.#secret(name)));
    names.forEach((name, i) => {
      const value = values[i];
      if (typeof value === 'string') result[name] = value;
    });
    return result;
  }

  async askKeys(names: readonly string[]): Promise<string[]> {
    const known = await this.ask(names);
    return names.filter((n) => Object.hasOwn(known, n));
  }

  #jsonEntries(secretId: string): Promise<Map<string, string>> {
    this.#json ??= this.#secret(secretId).then((text) => {
      if (text === null) {
        throw new ProviderError(TYPE, `${TYPE} provider: secret ${secretId} not found`, {
          hint: 'Check secret_id and region in the provider options.',
        });
      }
      return jsonEntries(secretId, text);
    });
    return this.#json;
  }

  #secret(secretId: string): Promise<string | null> {
    let pending = this.#secrets.get(secretId);
    if (pending === undefined) {
      pending = this.#fetch(secretId);
      this.#secrets.set(secretId, pending);
    }
    return pending;
  }

  async #fetch(secretId: string): Promise<string | null> {
    const region = this.#config.region ?? (parseArn(secretId)?.region || undefined);
    const client = await this.#context.aws().secretsManager(region);
    try {
      const out = await client.getSecretValue({ SecretId: secretId });
      if (out.SecretString === undefined) {
        throw new ProviderError(TYPE, `${TYPE} provider: secret ${secretId} has no SecretString (binary secrets are not supported)`);
      }
      return out.SecretString;
    } catch (err) {
      if (isAwsError(err, 'ResourceNotFoundException')) return null;
      if (err instanceof AwsApiError) {
        throw new ProviderError(TYPE, `${TYPE} provider: cannot read secret ${secretId}: ${err.message}`, {
          cause: err,
          ...(err.hint === undefined ? {} : { hint: err.hint }),
        });
      }
      throw err;
    }
  }
}

function jsonEntries(secretId: string, text: string): Map<string, string> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    parsed = undefined;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new ProviderError(TYPE, `${TYPE} provider: secret ${secretId} is not a JSON object`, {
      hint: 'With secret_id, the secret must hold key/value pairs; omit secret_id to use whole secrets by name.',
    });
  }
  const entries = new Map<string, string>();
  for (const [key, value] of Object.entries(parsed)) {
    entries.set(key, typeof value === 'string' ? value : value === null ? '' : typeof value === 'object' ? JSON.stringify(value) : String(value));
  }
  return entries;
}

/** The `secretsmanager` provider: AWS Secrets Manager secrets, whole or by JSON key. */
export const secretsManagerProvider: ProviderPlugin<SecretsManagerProviderConfig> = {
  type: TYPE,
  configSchema: secretsManagerProviderConfig,
  create: (config, context) => new SecretsManagerProvider(config, context),
};
