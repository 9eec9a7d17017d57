/**
 * The built-in schedulers as every command needs them before it runs — their names, the config schemas of those
 * validated like plugins, each type's up-front checks (its registration's `validate`) — without their code: a
 * scheduler itself (plan, apply, wait, status, and through them most of its folder) is loaded by the commands that
 * use it (lib/schedulers/registry.ts), not by `show-definition`. A unit test checks that the registrations use these
 * very schemas and functions.
 */
import type { z } from 'zod';
import { isEcsApp, type AnyAppModel } from '../definition/model.js';
import type { DefinitionIssue } from '../errors.js';
import { validateEcsModel } from './ecs/validate.js';

export { BUILTIN_SCHEDULER_TYPES } from './builtin-types.js';

const CONFIG_SCHEMAS: ReadonlyMap<string, () => Promise<z.ZodType>> = new Map([
  ['kubernetes', async () => (await import('./kubernetes/config.js')).kubernetesSchedulerSchema as z.ZodType],
]);

/**
 * Config schemas of the built-in schedulers other than ECS (which the definition schema itself validates), by type:
 * those among `types` (all when omitted), each loaded when asked for (zod builds it as its module loads).
 */
export async function builtinSchedulerSchemas(types?: Iterable<string>): Promise<ReadonlyMap<string, z.ZodType>> {
  const wanted = types === undefined ? [...CONFIG_SCHEMAS.keys()] : [...new Set(types)].filter((t) => CONFIG_SCHEMAS.has(t));
  return new Map(await Promise.all(wanted.map(async (type) => [type, await CONFIG_SCHEMAS.get(type)!()] as const)));
}

/** The ECS registration's `validate`: app id, container and env names, the 64 KiB task definition. */
export function validateEcsRegistration(model: AnyAppModel): DefinitionIssue[] {
  return isEcsApp(model) ? validateEcsModel(model) : [];
}

const BUILTIN_CHECKS: ReadonlyMap<string, { readonly validate?: (model: AnyAppModel) => DefinitionIssue[] }> = new Map([
  ['ecs', { validate: validateEcsRegistration }],
  // Its checks need the live configuration (kubeconfig, contributions): they are its instance's `validate`.
  ['kubernetes', {}],
]);

/** Whether `type` names a built-in scheduler (`scheduler.type`). */
export function isBuiltinScheduler(type: string): boolean {
  return BUILTIN_CHECKS.has(type);
}

/** A built-in scheduler's up-front checks (undefined when it has none or `type` is not built in). */
export function builtinSchedulerValidate(type: string): ((model: AnyAppModel) => DefinitionIssue[]) | undefined {
  return BUILTIN_CHECKS.get(type)?.validate;
}
