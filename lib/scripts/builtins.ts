/**
 * The built-in script types as validation needs them — each type's config schema — without their code: a script's
 * registration (plan, apply, hooks, and through them most of lib/scripts) is loaded only when a definition uses it
 * (`loadBuiltinScript`), so `show-definition` and apps without an `alb` or `route53` script do not load those.
 * lib/scripts/registry.ts lists the same registrations, loaded at once, and builtin-types.ts the same names; a unit
 * test keeps the three in step.
 */
import type { z } from 'zod';
import { configSchema as albConfigSchema } from './alb/config.js';
import { logGroupConfigSchema } from './log-group/config.js';
import { nginxFrontConfigSchema } from './nginx-front/config.js';
import { route53ConfigSchema } from './route53/config.js';
import type { ScriptPlugin } from './script.js';

interface BuiltinScript {
  readonly configSchema: z.ZodType;
  readonly load: () => Promise<ScriptPlugin>;
}

const BUILTIN_SCRIPTS: ReadonlyMap<string, BuiltinScript> = new Map<string, BuiltinScript>([
  ['alb', { configSchema: albConfigSchema, load: async () => (await import('./alb/index.js')).albScript as unknown as ScriptPlugin }],
  ['nginx_front', { configSchema: nginxFrontConfigSchema, load: async () => (await import('./nginx-front/index.js')).nginxFrontScript as unknown as ScriptPlugin }],
  ['route53', { configSchema: route53ConfigSchema, load: async () => (await import('./route53/index.js')).route53Script as unknown as ScriptPlugin }],
  [
    'create_aws_cloud_watch_logs_log_group',
    { configSchema: logGroupConfigSchema, load: async () => (await import('./log-group/index.js')).logGroupScript as unknown as ScriptPlugin },
  ],
]);

/** Config schemas of the built-in script types, by type. */
export function builtinScriptSchemas(): Map<string, z.ZodType> {
  return new Map([...BUILTIN_SCRIPTS].map(([type, s]) => [type, s.configSchema]));
}

/** The registration of a built-in script type, loading its code; undefined for other types. */
export async function loadBuiltinScript(type: string): Promise<ScriptPlugin | undefined> {
  return BUILTIN_SCRIPTS.get(type)?.load();
}
