/**
 * The built-in script types by name only: lib/plugin-loader.ts needs to know which `scripts[].type` are built in
 * before the definition is validated, and this must not load their schemas (lib/scripts/builtins.ts) or code.
 */
export const BUILTIN_SCRIPT_TYPES: ReadonlySet<string> = new Set(['alb', 'nginx_front', 'route53', 'create_aws_cloud_watch_logs_log_group']);

export function isBuiltinScript(type: string): boolean {
  return BUILTIN_SCRIPT_TYPES.has(type);
}
