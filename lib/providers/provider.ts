/**
 * Env provider contract (hako's EnvProvider): answers variable names with values. Used by Jsonnet's
 * `std.native('provide.<type>')(optionsJson, name)` and by container `env` `#{VAR}` expansion via `$providers`.
 */
import type { PluginRegistration } from '../plugin.js';
import type { AwsClients } from '../aws/ports.js';
import type { IoHost } from '../io/io-host.js';
import type { Environment } from '../definition/environment.js';

export interface EnvProvider {
  /** Values for the names this provider knows; unknown names are simply absent from the result. */
  ask(names: readonly string[]): Promise<Record<string, string>>;
  /**
   * The subset of `names` that exist, without reading secret values (used by dry-runs). Absent when the provider
   * cannot list keys; validation then stops at this provider, as in hako.
   */
  askKeys?(names: readonly string[]): Promise<string[]>;
  /**
   * For providers of configuration (`values: 'configuration'`): the subset of `names` whose values are secrets
   * after all, such as Terraform outputs marked `sensitive`. Those are handled like every secret provider's values.
   */
  askSensitive?(names: readonly string[]): Promise<string[]>;
  /**
   * Why `name` has no value, for the error the definition gets (the tfstate provider names the missing part of the
   * address and the closest ones that exist). Absent: a generic "Could not lookup" message.
   */
  explainMissing?(name: string): Promise<{ message: string; hint?: string }>;
}

export interface ProviderContext {
  /** Directory of the definition file: relative `path` options resolve against it. */
  readonly rootPath: string;
  /** Lazily built AWS ports (for ssm / secretsmanager providers). Calling nothing here loads no SDK code. */
  readonly aws: () => AwsClients;
  readonly io: IoHost;
  /**
   * The environment this definition is evaluated in: the real environment with `--envfile` files laid over it
   * (lib/definition/environment.ts). Providers read this, never `process.env`, so each app sees its own.
   */
  readonly env: Environment;
}

/** `config` is the provider's options: the Jsonnet options object or the `$providers` entry minus `type`. */
export type ProviderPlugin<Config = Record<string, unknown>> = PluginRegistration<Config, EnvProvider, ProviderContext> & {
  /**
   * What the provider's values are.
   * - 'secrets' (the default): read only when a command needs the values (show-definition --expand, diff, deploy,
   *   oneshot), `${NAME}` placeholders otherwise, and masked in every rendered plan.
   * - 'configuration' (tfstate): values that describe infrastructure, not secrets — a cluster name or a subnet id
   *   from them shapes what even `status` or `remove` act on. Jsonnet's `provide.<type>` reads them in every mode
   *   and plans print them, except the names the instance's `askSensitive` reports, which are handled as secrets.
   */
  readonly values?: 'secrets' | 'configuration';
};
