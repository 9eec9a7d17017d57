/**
 * The JSON Schema of application definitions (`hako schema`), generated from the very zod schema that validates
 * them, so editors and hako never disagree. Unknown keys stay allowed: hako only warns about them.
 */
import { z } from 'zod';
import { definitionSchema } from './schema/definition.js';

/** JSON Schema (draft 2020-12) of a hako application definition, with descriptions for editor completion. */
export function definitionJsonSchema(): Record<string, unknown> {
  // io 'input': what a user writes (nullable optionals, numbers or strings where both are accepted).
  const generated = z.toJSONSchema(definitionSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    title: 'hako application definition',
    ...rest,
  };
}
