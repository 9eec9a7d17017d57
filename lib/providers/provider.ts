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
export type ProviderPlugin<Config = Record<string, unknown>> = PluginRegistration<Config, EnvProvider, ProviderContext>;
