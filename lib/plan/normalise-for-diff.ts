/**
 * Generic helpers for turning live and desired resources into comparable shapes and finding where they differ.
 * Owners (the ECS scheduler, scripts) build their own shapes with these; the plan renderer diffs the results.
 * Pure.
 */

/** JSON with object keys sorted: equal values give equal strings, whatever their key order. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

/** Structural equality (key order ignored, array order kept). `undefined` members count as absent. */
export function deepEqual(a: unknown, b: unknown): boolean {
  return canonicalJson(a) === canonicalJson(b);
}

/** A sorted copy of an unordered list, so that two multisets with the same members compare (and print) equal. */
export function sortUnordered<T>(list: readonly T[] | undefined): T[] {
  return [...(list ?? [])]
    .map((item) => [canonicalJson(item), item] as const)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([, item]) => item);
}

/** A copy of a string map with its keys sorted (for stable printing). */
export function sortKeys<V>(map: Readonly<Record<string, V>> | undefined): Record<string, V> | undefined {
  if (map === undefined) return undefined;
  return Object.fromEntries(Object.entries(map).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
}

/** `undefined` when `value` (absent meaning `fallback`) is the default, else the value: defaults never show. */
export function unlessDefault<T>(value: T | undefined, fallback: T): T | undefined {
  return value === undefined || value === fallback ? undefined : value;
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Recursively drops `undefined` members, empty arrays and empty objects: for AWS an omitted list or map and an
 * empty one mean the same thing, and responses omit them freely.
 */
export function pruneEmpty<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v: unknown) => pruneEmpty(v)) as T;
  if (!isPlainObject(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) {
    const pruned = pruneEmpty(v);
    if (pruned === undefined) continue;
    if (Array.isArray(pruned) && pruned.length === 0) continue;
    if (isPlainObject(pruned) && Object.keys(pruned).length === 0) continue;
    out[k] = pruned;
  }
  return out as T;
}

/** One place where two shapes differ. */
export interface Difference {
  /** Dotted path, e.g. `containers.app.memory`. */
  readonly path: string;
  readonly before: unknown;
  readonly after: unknown;
}

/**
 * Where `before` and `after` differ: objects are walked member by member, arrays and scalars are compared whole.
 * Both should already be normalised (defaults filled or dropped, unordered lists sorted).
 */
export function differences(before: unknown, after: unknown, path = ''): Difference[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
    return keys.flatMap((k) => differences(before[k], after[k], path ? `${path}.${k}` : k));
  }
  return deepEqual(before, after) ? [] : [{ path, before, after }];
}

function brief(value: unknown): string {
  if (value === undefined) return '(none)';
  if (isPlainObject(value)) return '{…}';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** `containers.app.memory: 1024 → 64`; a whole object appearing or vanishing reads `added` / `removed`. */
export function describeDifference(d: Difference): string {
  if (d.before === undefined && isPlainObject(d.after)) return `${d.path}: added`;
  if (d.after === undefined && isPlainObject(d.before)) return `${d.path}: removed`;
  return `${d.path}: ${brief(d.before)} → ${brief(d.after)}`;
}
