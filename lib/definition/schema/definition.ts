/** The whole application definition (reference §3.1): the one schema that validates and generates JSON Schema. */
import * as z from 'zod';
import { appContainerSchema, sidecarContainerSchema } from './container.js';
import { markOpen } from './common.js';
import { ecsSchedulerSchema, schedulerHeadSchema } from './scheduler-ecs.js';
import { scriptsSchema } from './scripts.js';
import { volumesSchema } from './volumes.js';

const sidecarsSchema = z.record(z.string(), sidecarContainerSchema);

export const definitionSchema = z
  .looseObject({
    app_id: z
      .string()
      .min(1)
      .nullish()
      .describe(
        'Application id: the ECS service name and task definition family. Default: the file name without its extension (std.extVar("appId") is always that)',
      ),
    scheduler: ecsSchedulerSchema,
    app: appContainerSchema,
    sidecars: sidecarsSchema.nullish().describe('Containers started alongside app, by name'),
    additional_containers: sidecarsSchema.nullish().describe('Legacy name of sidecars (ignored when sidecars is set)'),
    volumes: volumesSchema.nullish(),
    scripts: scriptsSchema.nullish(),
  })
  .describe('hako application definition');

/** Used when `scheduler.type` is not `ecs`: the scheduler's keys are its plugin's to validate. */
export const definitionWithPluginSchedulerSchema = definitionSchema.extend({
  scheduler: markOpen(schedulerHeadSchema),
});

export type DefinitionInput = z.output<typeof definitionSchema>;
