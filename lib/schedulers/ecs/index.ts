/**
 * The built-in ECS scheduler's registration: the same shape as a third-party scheduler plugin's, resolved through
 * the same registry (../registry.ts). Its config is the definition's `scheduler` object, which normalisation has
 * already validated with `ecsSchedulerSchema` (it is part of hako's definition surface, with its cross-checks).
 */
import type { EcsScheduler } from '../../definition/model.js';
import { validateEcsRegistration } from '../builtins.js';
import { ecsSchedulerSchema } from '../../definition/schema/scheduler-ecs.js';
import type { SchedulerPlugin } from '../scheduler.js';
import { createEcsScheduler } from './scheduler.js';

export const ecsScheduler: SchedulerPlugin<EcsScheduler> = {
  type: 'ecs',
  configSchema: ecsSchedulerSchema as unknown as SchedulerPlugin<EcsScheduler>['configSchema'],
  create: (_config, context) => createEcsScheduler(context),
  // App id, container and env names, the 64 KiB task definition: what ECS refuses at RegisterTaskDefinition.
  validate: validateEcsRegistration,
  // Loaded on use: only `hako init` needs it.
  init: async (options, context) => (await import('./init/index.js')).initEcs(options, context.aws()),
};
