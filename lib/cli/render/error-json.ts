import { DefinitionError, HakoError } from '../../errors.js';

/**
 * An error as one JSON object on stderr for `--output json`: `code` (HAKO's error code, or `INTERNAL`), `message`,
 * `exitCode`, `hint`, and for definition errors `file` and `issues` (each with its `path` or `file`/`line`/`column`).
 * AWS errors add `service`, `operation` and `awsCode`.
 */
export function errorToJson(error: unknown, debug: boolean): Record<string, unknown> {
  if (!(error instanceof HakoError)) {
    const message = error instanceof Error ? error.message : String(error);
    return {
      level: 'error',
      code: 'INTERNAL',
      message: `Internal error: ${message}`,
      exitCode: 1,
      hint: 'This is a bug in hako. Rerun with --debug for a stack trace and report it.',
      ...(debug && error instanceof Error ? { stack: error.stack } : {}),
    };
  }
  const fields: Record<string, unknown> = { level: 'error', code: error.code, message: error.message, exitCode: error.exitCode };
  if (error.hint !== undefined) fields.hint = error.hint;
  if (error instanceof DefinitionError) {
    fields.file = error.file;
    fields.issues = error.issues.map((i) => ({ ...i }));
  }
  for (const key of ['service', 'operation', 'awsCode', 'plugin', 'provider', 'failure'] as const) {
    const value = (error as unknown as Record<string, unknown>)[key];
    if (typeof value === 'string') fields[key] = value;
  }
  const cause = error.cause instanceof Error && !(error.cause instanceof HakoError) ? error.cause.message : undefined;
  if (cause !== undefined && !error.message.includes(cause)) fields.cause = cause;
  if (debug) fields.stack = error.stack;
  return fields;
}
