/**
 * The built-in schedulers as every command needs them before it runs — each type's up-front checks, its
 * registration's `validate` — without their code: the ECS scheduler itself (plan, apply, wait, status, and through
 * them most of lib/schedulers/ecs) is loaded by the commands that use it (lib/schedulers/registry.ts), not by
 * `show-definition`. A unit test checks that the registrations use these very functions.
 */
import { isEcsApp, type AnyAppModel } from '../definition/model.js';
import type { DefinitionIssue } from '../errors.js';
import { validateEcsModel } from './ecs/validate.js';

/** The ECS registration's `validate`: app id, container and env names, the 64 KiB task definition. */
export function validateEcsRegistration(model: AnyAppModel): DefinitionIssue[] {
  return isEcsApp(model) ? validateEcsModel(model) : [];
}

const BUILTIN_CHECKS: ReadonlyMap<string, { readonly validate?: (model: AnyAppModel) => DefinitionIssue[] }> = new Map([
  ['ecs', { validate: validateEcsRegistration }],
]);

/** Whether `type` names a built-in scheduler (`scheduler.type`). */
export function isBuiltinScheduler(type: string): boolean {
  return BUILTIN_CHECKS.has(type);
}

/** A built-in scheduler's up-front checks (undefined when it has none or `type` is not built in). */
export function builtinSchedulerValidate(type: string): ((model: AnyAppModel) => DefinitionIssue[]) | undefined {
  return BUILTIN_CHECKS.get(type)?.validate;
}
