/**
 * `scheduler.type` values that name a built-in scheduler, never a module or package to import. A module of its own:
 * the plugin loader needs the names on every command's path, and importing them from ./builtins.ts would build the
 * schedulers' config schemas there too, before the Jsonnet evaluation they are meant to overlap (lib/actions/load-app.ts).
 */
export const BUILTIN_SCHEDULER_TYPES: readonly string[] = ['ecs', 'kubernetes'];
