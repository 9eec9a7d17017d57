/**
 * The one registration shape shared by the three plugin families (env providers, scripts, schedulers).
 * Built-ins are registered in each family's registry; a `type` that is not built in is resolved as a module path
 * relative to the definition file, or a package name, whose default export (or `plugin` export) has this shape.
 */
import type { z } from 'zod';

export interface PluginRegistration<Config, Instance, Context> {
  /** The name used in definitions: `scripts[].type`, `$providers[].type`, `scheduler.type`, `provide.<type>`. */
  readonly type: string;
  /** Validates the plugin's part of the definition; issues are reported with their paths like any other. */
  readonly configSchema: z.ZodType<Config>;
  /** Builds the plugin instance for one run. Must not call AWS: that happens in the instance's methods. */
  create(config: Config, context: Context): Instance;
}
