/**
 * Third-party plugins. A `type` that is not built in is a module path (relative to the definition file when it
 * starts with `.` or `/`) or a package name resolved from the definition's directory. The module exports the same
 * registration shape as the built-ins, as its default export or as `plugin`. Anything else is a PluginError that
 * names the plugin and the definition.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { EvaluatedDefinition } from './definition/evaluate.js';
import { PluginError } from './errors.js';
import type { PluginRegistration } from './plugin.js';
import { letPluginsResolveHako } from './plugin-resolution.js';
import type { ProviderPlugin } from './providers/provider.js';
import type { ProviderRegistry } from './providers/registry.js';
import { BUILTIN_SCHEDULER_TYPES } from './schedulers/builtin-types.js';
import type { SchedulerPlugin } from './schedulers/scheduler.js';
import { isBuiltinScript } from './scripts/builtin-types.js';
import type { ScriptPlugin } from './scripts/script.js';

export type PluginKind = 'script' | 'provider' | 'scheduler';

function isPathSpec(spec: string): boolean {
  return spec.startsWith('.') || path.isAbsolute(spec);
}

/** Where a plugin spec points: an absolute file path for paths, the resolved entry for packages. */
export function resolvePluginSpec(spec: string, fromDir: string, context: string): string {
  if (isPathSpec(spec)) return path.resolve(fromDir, spec);
  try {
    return createRequire(path.join(fromDir, '__hako_resolve__.js')).resolve(spec);
  } catch (cause) {
    // `--plugin plugins/vault.mjs` reads as a path to anyone but Node: take it as one when such a file exists.
    const asFile = path.resolve(fromDir, spec);
    if (/\.[cm]?js$/.test(spec) && existsSync(asFile)) return asFile;
    throw new PluginError(spec, `Cannot find plugin "${spec}" (${context})`, {
      cause,
      hint: `Install the package next to the definition (npm install ${spec}) or give a path starting with ./`,
    });
  }
}

function looksLikeRegistration(value: unknown): value is PluginRegistration<unknown, unknown, unknown> {
  if (typeof value !== 'object' || value === null) return false;
  const v = value as Record<string, unknown>;
  const schema = v.configSchema as { safeParse?: unknown } | undefined;
  return typeof v.type === 'string' && typeof v.create === 'function' && typeof schema?.safeParse === 'function';
}

/** Imports a plugin module and checks its shape. `context` says where it was named, for error messages. */
export async function importPlugin(spec: string, fromDir: string, kind: PluginKind, context: string): Promise<PluginRegistration<unknown, unknown, unknown>> {
  const resolved = resolvePluginSpec(spec, fromDir, context);
  let mod: Record<string, unknown>;
  try {
    letPluginsResolveHako();
    mod = (await import(pathToFileURL(resolved).href)) as Record<string, unknown>;
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message : String(cause);
    throw new PluginError(spec, `Cannot load ${kind} plugin "${spec}" (${context}): ${reason}`, { cause });
  }
  const candidate = looksLikeRegistration(mod.default) ? mod.default : mod.plugin;
  if (!looksLikeRegistration(candidate)) {
    throw new PluginError(spec, `${kind} plugin "${spec}" (${context}) does not export a plugin registration`, {
      hint: 'Export default { type, configSchema (a zod schema), create(config, context) } — see the README section "Writing a plugin".',
    });
  }
  return candidate;
}

/** Env provider plugins named with --plugin / HAKO_PLUGINS (for Jsonnet's `std.native('provide.<type>')`). */
export async function loadProviderPlugins(specs: readonly string[], fromDir: string): Promise<ProviderPlugin[]> {
  const out: ProviderPlugin[] = [];
  for (const spec of specs) {
    out.push((await importPlugin(spec, fromDir, 'provider', '--plugin')) as unknown as ProviderPlugin);
  }
  return out;
}

/**
 * Whether a `type` names a third-party plugin worth importing: a path always; a bare word only when it resolves
 * as a package, so a mistyped built-in name is reported by the family's own "unknown type" error, with its path.
 */
function isLoadableSpec(type: string, fromDir: string, context: string): boolean {
  if (isPathSpec(type)) return true;
  if (!/^(@[\w.-]+\/)?[\w.-]+$/.test(type)) return false;
  try {
    resolvePluginSpec(type, fromDir, context);
    return true;
  } catch {
    return false;
  }
}

/**
 * The scheduler plugin a definition names (`scheduler.type` other than a built-in's), by its spec. Empty for the
 * built-in schedulers (a package named `kubernetes` next to the definition is not imported in their place) and for
 * a type that is neither a path nor an installed package (validation then reports it with its path).
 */
export async function loadSchedulerPlugins(evaluated: EvaluatedDefinition): Promise<Map<string, SchedulerPlugin>> {
  const plugins = new Map<string, SchedulerPlugin>();
  const raw = evaluated.raw;
  const scheduler = typeof raw === 'object' && raw !== null ? (raw as { scheduler?: unknown }).scheduler : undefined;
  const type = typeof scheduler === 'object' && scheduler !== null ? (scheduler as { type?: unknown }).type : undefined;
  if (typeof type !== 'string' || type === '' || BUILTIN_SCHEDULER_TYPES.includes(type)) return plugins;
  const context = `scheduler.type in ${evaluated.file}`;
  if (!isLoadableSpec(type, evaluated.rootPath, context)) return plugins;
  plugins.set(type, (await importPlugin(type, evaluated.rootPath, 'scheduler', context)) as unknown as SchedulerPlugin);
  return plugins;
}

/**
 * Registers the env provider plugins that containers' `$providers` name by path or package, under that spec, so
 * env expansion finds them like built-ins. `entries` are each provider's type with the path it was written at.
 */
export async function registerEnvProviderPlugins(
  registry: ProviderRegistry,
  entries: readonly { readonly type: string; readonly path: string }[],
  rootPath: string,
  file: string,
): Promise<void> {
  for (const { type, path: where } of entries) {
    if (registry.get(type)) continue;
    const context = `${where} in ${file}`;
    if (!isLoadableSpec(type, rootPath, context)) continue;
    registry.register(type, (await importPlugin(type, rootPath, 'provider', context)) as unknown as ProviderPlugin);
  }
}

/** `scripts[].type` of an evaluated definition, as written (before validation). */
export function scriptTypes(raw: unknown): string[] {
  if (typeof raw !== 'object' || raw === null) return [];
  const scripts = (raw as { scripts?: unknown }).scripts;
  if (!Array.isArray(scripts)) return [];
  return scripts
    .map((s: unknown) => (typeof s === 'object' && s !== null ? (s as { type?: unknown }).type : undefined))
    .filter((t): t is string => typeof t === 'string');
}

/**
 * Every third-party script plugin the definition names (`scripts[].type` that is a path or a package; a built-in
 * type wins over a package of that name). Types that are neither built in nor loadable are left for normalisation
 * to report with their path. Built-in scripts are loaded by type (lib/scripts/builtins.ts).
 */
export async function loadScriptPlugins(evaluated: EvaluatedDefinition): Promise<Map<string, ScriptPlugin>> {
  const plugins = new Map<string, ScriptPlugin>();
  for (const type of new Set(scriptTypes(evaluated.raw))) {
    if (isBuiltinScript(type) || plugins.has(type)) continue;
    if (!isLoadableSpec(type, evaluated.rootPath, evaluated.file)) continue;
    const plugin = (await importPlugin(type, evaluated.rootPath, 'script', `scripts[].type in ${evaluated.file}`)) as unknown as ScriptPlugin;
    // The definition names the plugin by its spec; the plugin's own `type` is informational.
    plugins.set(type, plugin);
  }
  return plugins;
}
