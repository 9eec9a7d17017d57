/**
 * The JSON Schema of application definitions (`hako schema`), generated from the very zod schema that validates
 * them, so editors and hako never disagree. Unknown keys stay allowed: hako only warns about them.
 */
import * as z from 'zod';
import { kubernetesSchedulerJsonShape } from '../schedulers/kubernetes/config.js';
import { definitionSchema } from './schema/definition.js';

/**
 * Optional fields come out as `anyOf: [<schema>, {type: null}]` with the description inside the first branch;
 * editors show a property's own description, so it is copied up.
 */
function hoistDescriptions(node: unknown): void {
  if (Array.isArray(node)) {
    node.forEach(hoistDescriptions);
    return;
  }
  if (typeof node !== 'object' || node === null) return;
  const n = node as Record<string, unknown>;
  Object.values(n).forEach(hoistDescriptions);
  const branches = n['anyOf'];
  if (n['description'] === undefined && Array.isArray(branches)) {
    const described = branches.find((b) => typeof (b as Record<string, unknown>)?.['description'] === 'string');
    if (described) n['description'] = (described as Record<string, unknown>)['description'];
  }
}

/**
 * `scheduler` describes ECS's keys; with the `type` of another built-in scheduler (kubernetes) that scheduler's keys
 * apply as well (`if`/`then`, which editors follow for completion and checks). Plugins' keys are theirs to document.
 */
function withBuiltinSchedulers(generated: Record<string, unknown>): void {
  const properties = generated['properties'] as Record<string, Record<string, unknown>> | undefined;
  const scheduler = properties?.['scheduler'];
  if (scheduler === undefined) return;
  // What each shows is the keys users set.
  const documented = new Map<string, z.ZodType>([['kubernetes', kubernetesSchedulerJsonShape]]);
  scheduler['allOf'] = [...documented].map(([type, schema]) => {
    const { $schema: _ignored, ...then } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
    return { if: { properties: { type: { const: type } }, required: ['type'] }, then };
  });
}

/** JSON Schema (draft 2020-12) of a hako application definition, with descriptions for editor completion. */
export function definitionJsonSchema(): Record<string, unknown> {
  // io 'input': what a user writes (nullable optionals, numbers or strings where both are accepted).
  const generated = z.toJSONSchema(definitionSchema, { target: 'draft-2020-12', io: 'input', unrepresentable: 'any' });
  withBuiltinSchedulers(generated);
  hoistDescriptions(generated);
  const { $schema, ...rest } = generated as Record<string, unknown>;
  return {
    $schema: $schema ?? 'https://json-schema.org/draft/2020-12/schema',
    title: 'hako application definition',
    ...rest,
  };
}
