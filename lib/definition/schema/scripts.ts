/** `scripts[]` entries (reference §3.9): only `type` is ours; the other keys are validated by the plugin. */
import * as z from 'zod';
import { markOpen } from './common.js';

export const scriptEntrySchema = markOpen(
  z
    .looseObject({
      type: z
        .string()
        .min(1)
        .describe('Script plugin: nginx_front, create_aws_cloud_watch_logs_log_group, alb, route53, or a module path'),
    })
    .describe('A script hooked into deploy/oneshot/remove; its other keys are the plugin\'s options'),
);

export const scriptsSchema = z.array(scriptEntrySchema).describe('Scripts, run in this order');
