/**
 * Building blocks shared by the definition schema. Every optional field accepts `null` as "absent": Jsonnet
 * users write `role: if prod then 'x' else null`, and hako passed nil to AWS, which means "omit".
 */
import * as z from 'zod';

/** Optional and nullable; normalisation treats `null` exactly like an absent key. */
export function opt<T extends z.ZodType>(schema: T) {
  return schema.nullish();
}

/**
 * A part of the definition most definitions leave out (autoscaling, load balancers, volumes…), built on first use
 * rather than as the module loads. zod spends ~15 µs building each node of a schema, and every command that reads
 * a definition builds the definition schema before it validates. Validation, issues, unknown-key warnings and the
 * JSON Schema are those of the schema `build` returns (a test compares the generated JSON Schema).
 *
 * zod's lazy schema answers the questions the schemas around it ask as they set up (is it optional? its pattern?
 * its discriminator values?) by building what it wraps: `opt(z.lazy(…))` inside an object would build it at the
 * first parse whether or not the key is there. Every part given here is an object, an array or a record, neither
 * optional nor a pattern: those answers are given up front as "none", and checked when the part is built. Its
 * discriminator values are answered "none" unchecked: only a discriminated union asks, and zod refuses an option
 * without them as the union is built, so a part put in one fails loudly. Built once: the unknown-key walk calls a
 * lazy schema's getter itself.
 */
const CHECKED_ANSWERS = ['optin', 'optout', 'pattern'] as const;
const LAZY_ANSWERS = [...CHECKED_ANSWERS, 'propValues'] as const;

export function builtOnUse<T extends z.ZodType>(build: () => T): z.ZodLazy<T> {
  let built: T | undefined;
  const lazy = z.lazy(() => {
    if (built === undefined) {
      const schema = build();
      const internals = schema._zod as unknown as Record<(typeof CHECKED_ANSWERS)[number], unknown>;
      const answered = CHECKED_ANSWERS.filter((key) => internals[key] !== undefined);
      if (answered.length > 0) {
        throw new Error(`builtOnUse: the part built has ${answered.join(', ')}; build it up front instead`);
      }
      built = schema;
    }
    return built;
  });
  for (const key of LAZY_ANSWERS) {
    Object.defineProperty(lazy._zod, key, { configurable: true, writable: true, value: undefined });
  }
  return lazy;
}

export const nonNegativeInt = z.number().int().min(0);
export const positiveInt = z.number().int().positive();
export const portNumber = z.number().int().min(0).max(65535);
export const stringList = z.array(z.string());
export const stringMap = z.record(z.string(), z.string());
/** AWS tags: hako stringified the values, so numbers and booleans are accepted and become strings. */
export const tagMap = z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]));

/**
 * Objects whose extra keys belong to someone else (a provider's options, a script's config): the unknown-key
 * walker leaves their keys alone. A WeakSet keeps the marker out of the generated JSON Schema.
 */
const openObjects = new WeakSet<z.ZodType>();

export function markOpen<T extends z.ZodType>(schema: T): T {
  openObjects.add(schema);
  return schema;
}

export function isOpen(schema: z.ZodType): boolean {
  return openObjects.has(schema);
}

const ignoredFields = new WeakSet<z.ZodType>();

/** A key hako accepted and ignored; kept known so that existing definitions do not warn, never suggested. */
export function ignored(why: string): z.ZodType {
  const schema = z.unknown().optional().describe(`Ignored (accepted for hako compatibility): ${why}`);
  ignoredFields.add(schema);
  return schema;
}

export function isIgnored(schema: z.ZodType): boolean {
  return ignoredFields.has(schema);
}

/** A deep copy without object keys whose value is null: hako sent nil as "omit", so null means absent. */
export function dropNulls<T>(value: T): T {
  if (Array.isArray(value)) return value.map((v) => dropNulls(v)) as T;
  if (typeof value === 'object' && value !== null) {
    return Object.fromEntries(
      Object.entries(value)
        .filter(([, v]) => v !== null && v !== undefined)
        .map(([k, v]) => [k, dropNulls(v)]),
    ) as T;
  }
  return value;
}
