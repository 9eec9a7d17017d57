/**
 * The built-in script types as validation needs them — each type's config schema — without their code: a script's
 * registration (plan, apply, hooks, and through them most of lib/scripts) is loaded only when a definition uses it
 * (`loadBuiltinScript`), so `show-definition` and apps without an `alb` or `route53` script do not load those. The
 * config schemas load by type too: zod builds a schema as its module loads (~2 ms each on the main thread, which
 * is `show-definition`'s critical path once libjsonnet has evaluated).
 * lib/scripts/registry.ts lists the same registrations, loaded at once, and builtin-types.ts the same names; a unit
 * test keeps the three in step.
 */
import type { z } from 'zod';
import type { ScriptPlugin } from './script.js';

interface BuiltinScript {
  readonly loadConfigSchema: () => Promise<z.ZodType>;
  readonly load: () => Promise<ScriptPlugin>;
}

const BUILTIN_SCRIPTS: ReadonlyMap<string, BuiltinScript> = new Map<string, BuiltinScript>([
  ['alb', { loadConfigSchema: async () => (await import('./alb/config.js')).configSchema, load: async () => (await import('./alb/index.js')).albScript as unknown as ScriptPlugin }],
  ['nginx_front', { loadConfigSchema: async () => (await import('./nginx-front/config.js')).nginxFrontConfigSchema, load: async () => (await import('./nginx-front/index.js')).nginxFrontScript as unknown as ScriptPlugin }],
  ['route53', { loadConfigSchema: async () => (await import('./route53/config.js')).route53ConfigSchema, load: async () => (await import('./route53/index.js')).route53Script as unknown as ScriptPlugin }],
  [
    'create_aws_cloud_watch_logs_log_group',
    {
      loadConfigSchema: async () => (await import('./log-group/config.js')).logGroupConfigSchema,
      load: async () => (await import('./log-group/index.js')).logGroupScript as unknown as ScriptPlugin,
    },
  ],
]);

/**
 * Config schemas of the built-in script types among `types` (every built-in type when omitted), by type. Other
 * types are left out: validation reports a type it has no schema for.
 */
export async function builtinScriptSchemas(types?: Iterable<string>): Promise<Map<string, z.ZodType>> {
  const wanted = types === undefined ? [...BUILTIN_SCRIPTS.keys()] : [...new Set(types)].filter((t) => BUILTIN_SCRIPTS.has(t));
  return new Map(await Promise.all(wanted.map(async (type) => [type, await BUILTIN_SCRIPTS.get(type)!.loadConfigSchema()] as const)));
}

/** The registration of a built-in script type, loading its code; undefined for other types. */
export async function loadBuiltinScript(type: string): Promise<ScriptPlugin | undefined> {
  return BUILTIN_SCRIPTS.get(type)?.load();
}
