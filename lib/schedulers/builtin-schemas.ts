/**
 * The built-in schedulers' names and the config schemas of those validated like plugins, without their code:
 * normalisation (every command, show-definition included) needs the schemas, and loading a scheduler's
 * implementation there would cost start-up time for nothing. `ecs` is validated by the definition schema itself.
 */
import type { z } from 'zod';
import { kubernetesSchedulerJsonShape, kubernetesSchedulerSchema } from './kubernetes/config.js';

/** `scheduler.type` values that name a built-in scheduler, never a module or package to import. */
export const BUILTIN_SCHEDULER_TYPES: readonly string[] = ['ecs', 'kubernetes'];

/** Config schemas of the built-in schedulers other than ECS, by type. */
export function builtinSchedulerSchemas(): ReadonlyMap<string, z.ZodType> {
  return new Map<string, z.ZodType>([['kubernetes', kubernetesSchedulerSchema]]);
}

/** What the JSON Schema (`hako schema`) shows for each of them: the keys users set. */
export function builtinSchedulerDocumentation(): ReadonlyMap<string, z.ZodType> {
  return new Map<string, z.ZodType>([['kubernetes', kubernetesSchedulerJsonShape]]);
}
