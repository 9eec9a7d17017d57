/**
 * Finds keys the schema does not know, at every object level, by walking the value alongside the zod schema.
 * The schema itself lets unknown keys through (hako ignored them, and definitions that load in hako must still
 * load); this walk is what turns them into warnings, or errors under `--strict`.
 */
import { distance } from 'fastest-levenshtein';
import * as z from 'zod';
import type { DefinitionIssue } from '../../errors.js';
import { isIgnored, isOpen } from './common.js';
import { formatPath, joinPath } from './issues.js';

type Def = { type: string; [k: string]: unknown };

function defOf(schema: z.ZodType): Def {
  return (schema as unknown as { _zod: { def: Def } })._zod.def;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The nearest known key, when it is close enough to be a plausible typo. */
export function suggestKey(key: string, known: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const candidate of known) {
    const d = distance(key.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) {
      best = candidate;
      bestDistance = d;
    }
  }
  const allowed = Math.max(2, Math.floor(key.length / 3));
  if (best !== undefined && bestDistance <= allowed) return best;
  // `image_name` for `image`: a known key plus a suffix, when exactly one known key fits.
  const lower = key.toLowerCase();
  const prefixed = known.filter((k) => lower.startsWith(`${k.toLowerCase()}_`) || lower.startsWith(`${k.toLowerCase()}-`));
  return prefixed.length === 1 ? prefixed[0] : undefined;
}

interface Found {
  segments: (string | number)[];
  key: string;
  known: string[];
}

function walk(schema: z.ZodType, value: unknown, path: (string | number)[], out: Found[]): void {
  if (value === undefined || value === null) return;
  const def = defOf(schema);
  switch (def.type) {
    case 'optional':
    case 'nullable':
    case 'default':
    case 'prefault':
    case 'nonoptional':
    case 'readonly':
    case 'catch':
      walk(def['innerType'] as z.ZodType, value, path, out);
      return;
    case 'pipe':
      walk(def['in'] as z.ZodType, value, path, out);
      return;
    case 'lazy':
      walk((def['getter'] as () => z.ZodType)(), value, path, out);
      return;
    case 'array':
      if (Array.isArray(value)) value.forEach((v, i) => walk(def['element'] as z.ZodType, v, [...path, i], out));
      return;
    case 'record':
      if (isPlainObject(value)) for (const [k, v] of Object.entries(value)) walk(def['valueType'] as z.ZodType, v, [...path, k], out);
      return;
    case 'union': {
      // Walk the branch the value satisfies; when none does, its type errors are reported already.
      const match = (def['options'] as z.ZodType[]).find((o) => o.safeParse(value, { jitless: true }).success);
      if (match) walk(match, value, path, out);
      return;
    }
    case 'intersection':
      return;
    case 'object': {
      if (!isPlainObject(value)) return;
      const shape = def['shape'] as Record<string, z.ZodType>;
      const catchall = def['catchall'] as z.ZodType | undefined;
      const catchallType = catchall ? defOf(catchall).type : undefined;
      for (const [k, v] of Object.entries(value)) {
        const field = shape[k];
        if (field) walk(field, v, [...path, k], out);
        else if (isOpen(schema)) continue;
        // A typed catchall (env values) makes every key known.
        else if (catchall && !['unknown', 'any', 'never'].includes(catchallType ?? '')) walk(catchall, v, [...path, k], out);
        else {
          const known = Object.keys(shape).filter((name) => !isIgnored(shape[name] as z.ZodType));
          out.push({ segments: [...path, k], key: k, known });
        }
      }
      return;
    }
    default:
      return;
  }
}

/**
 * Unknown keys in `value` according to `schema`, as issues with the nearest known key suggested: warnings, or
 * errors with `strict`. This holds for plugin schemas too, strict ones included (zod's own `unrecognized_keys`
 * issues are dropped in favour of these): hako ignored unknown keys, so definitions that carry some still load.
 * `prefix` is prepended to every path (`scripts[1]` when checking a script's config).
 */
export function findUnknownKeys(schema: z.ZodType, value: unknown, options: { prefix?: string; strict?: boolean } = {}): DefinitionIssue[] {
  const found: Found[] = [];
  walk(schema, value, [], found);
  return found.map(({ segments, key, known }) => {
    const suggestion = suggestKey(key, known);
    return {
      path: joinPath(options.prefix ?? '', formatPath(segments)),
      message: suggestion ? `unknown key, did you mean ${suggestion}?` : 'unknown key',
      severity: options.strict ? 'error' : 'warning',
    };
  });
}

/**
 * A deep copy of `value` without the keys `schema` does not know, so that a plugin with a strict schema receives
 * only what it understands (the dropped keys were reported as unknown).
 */
export function withoutUnknownKeys<T>(schema: z.ZodType, value: T): T {
  const found: Found[] = [];
  walk(schema, value, [], found);
  const copy = structuredClone(value);
  for (const { segments } of found) {
    let at: unknown = copy;
    for (const seg of segments.slice(0, -1)) at = (at as Record<string | number, unknown>)[seg];
    delete (at as Record<string | number, unknown>)[segments[segments.length - 1] as string | number];
  }
  return copy;
}
