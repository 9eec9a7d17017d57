/**
 * Turns zod issues into DefinitionIssues in hako's `<path>: <message>` style. Messages show the offending value
 * because the usual mistake is a value of the wrong type that looks right (`memory: "32"`).
 */
import type { z } from 'zod';
import type { DefinitionIssue } from '../../errors.js';

type PathSegment = PropertyKey;

/** `scheduler.elb_v2.listeners[0].port`; keys that are not plain identifiers are quoted: `env["a.b"]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = '';
  for (const seg of path) {
    if (typeof seg === 'number') out += `[${seg}]`;
    else {
      const key = String(seg);
      if (/^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(key)) out += out === '' ? key : `.${key}`;
      else out += `[${JSON.stringify(key)}]`;
    }
  }
  return out;
}

/** Joins a prefix path and a relative one (`scripts[2]` + `listeners[0].port`). */
export function joinPath(prefix: string, rest: string): string {
  if (prefix === '') return rest;
  if (rest === '') return prefix;
  return rest.startsWith('[') ? `${prefix}${rest}` : `${prefix}.${rest}`;
}

/** How a value is shown in a message: strings quoted, other scalars with their type. */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'string': {
      const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
      return JSON.stringify(shown);
    }
    case 'number':
      return `number ${value}`;
    case 'boolean':
      return `boolean ${value}`;
    case 'object':
      return 'an object';
    default:
      return typeof value;
  }
}

const TYPE_NAMES: Record<string, string> = {
  string: 'a string',
  number: 'a number',
  int: 'an integer',
  boolean: 'a boolean (true or false)',
  object: 'an object',
  array: 'an array',
  record: 'an object',
  null: 'null',
};

function typeName(expected: string): string {
  return TYPE_NAMES[expected] ?? expected;
}

function listValues(values: readonly unknown[]): string {
  return values.map((v) => JSON.stringify(v)).join(', ');
}

function bound(issue: { minimum?: unknown; maximum?: unknown; inclusive?: boolean; origin?: string }, small: boolean) {
  const limit = Number(small ? issue.minimum : issue.maximum);
  if (issue.origin === 'array') return small ? (limit <= 1 ? 'must not be empty' : `must have at least ${limit} items`) : `must have at most ${limit} items`;
  if (issue.origin === 'string') return small ? (limit <= 1 ? 'must not be empty' : `must be at least ${limit} characters`) : `must be at most ${limit} characters`;
  const op = small ? (issue.inclusive === false ? '>' : '>=') : issue.inclusive === false ? '<' : '<=';
  return `must be ${op} ${limit}`;
}

/** Flattens one zod issue into `(relativePath, message)` pairs; unions report their closest branch. */
function explain(issue: z.core.$ZodIssue, path: readonly PathSegment[]): { path: readonly PathSegment[]; message: string }[] {
  const fullPath = [...path, ...issue.path];
  const input = (issue as { input?: unknown }).input;
  const got = `got ${describeValue(input)}`;
  switch (issue.code) {
    case 'invalid_type':
      if (input === undefined) return [{ path: fullPath, message: 'required' }];
      return [{ path: fullPath, message: `expected ${typeName(issue.expected)}, ${got}` }];
    case 'invalid_value':
      if (input === undefined) return [{ path: fullPath, message: 'required' }];
      return [
        {
          path: fullPath,
          message:
            issue.values.length === 1
              ? `expected ${JSON.stringify(issue.values[0])}, ${got}`
              : `expected one of ${listValues(issue.values)}, ${got}`,
        },
      ];
    case 'too_small':
      // "must not be empty" says it all; a number needs the value shown.
      if (issue.origin === 'array' || issue.origin === 'string') return [{ path: fullPath, message: bound(issue, true) }];
      return [{ path: fullPath, message: `${bound(issue, true)}, ${got}` }];
    case 'too_big':
      return [{ path: fullPath, message: `${bound(issue, false)}, ${got}` }];
    case 'unrecognized_keys':
      // Reported by the unknown-key walk, which can suggest the key that was meant.
      return [];
    case 'invalid_union': {
      if (input === undefined) return [{ path: fullPath, message: 'required' }];
      // A branch whose issues are deeper than a type mismatch matched the shape: its issues are the useful ones.
      const deep = issue.errors.find((branch) => branch.some((b) => b.code !== 'invalid_type' || b.path.length > 0));
      if (deep) return deep.flatMap((b) => explain(b, fullPath));
      const expected = issue.errors.flatMap((branch) =>
        branch.map((b) => (b.code === 'invalid_type' ? typeName(b.expected) : '')).filter((s) => s !== ''),
      );
      if (expected.length === 0) return [{ path: fullPath, message: `invalid value, ${got}` }];
      return [{ path: fullPath, message: `expected ${[...new Set(expected)].join(' or ')}, ${got}` }];
    }
    case 'invalid_format':
    case 'not_multiple_of':
      return [{ path: fullPath, message: `${issue.message}, ${got}` }];
    case 'invalid_key':
    case 'invalid_element':
      return issue.issues.flatMap((i) => explain(i, [...fullPath]));
    default:
      return [{ path: fullPath, message: issue.message }];
  }
}

/** Converts zod issues to definition issues, their paths prefixed with `prefix` (e.g. `scripts[2]`). */
export function zodIssuesToDefinitionIssues(
  issues: readonly z.core.$ZodIssue[],
  prefix: string,
  severity: 'error' | 'warning' = 'error',
): DefinitionIssue[] {
  return issues.flatMap((issue) =>
    explain(issue, []).map((e) => ({ path: joinPath(prefix, formatPath(e.path)), message: e.message, severity })),
  );
}

/** Small constructor so cross-checks read as `error('app.links[0]', '...')`. */
export function error(path: string | undefined, message: string): DefinitionIssue {
  return path === undefined ? { message, severity: 'error' } : { path, message, severity: 'error' };
}

export function warning(path: string | undefined, message: string): DefinitionIssue {
  return path === undefined ? { message, severity: 'warning' } : { path, message, severity: 'warning' };
}
