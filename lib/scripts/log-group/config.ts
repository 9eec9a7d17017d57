/** The `create_aws_cloud_watch_logs_log_group` script's config (apart from index.ts, so validation loads no more). */
import * as z from 'zod';

/** The values PutRetentionPolicy accepts (CloudWatch Logs API reference). */
export const RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;

export const logGroupConfigSchema = z
  .object({
    /** Retention applied to groups this script creates, and enforced on existing ones. Absent: never expire / leave as is. */
    retention_in_days: z.literal(RETENTION_DAYS, { error: `must be one of ${RETENTION_DAYS.join(', ')}` }).optional(),
  })
  .strict();

export type LogGroupConfig = z.infer<typeof logGroupConfigSchema>;
