/** `scheduler.autoscaling` (reference §3.5) and `scheduler.service_discovery` (§3.6). */
import * as z from 'zod';
import { builtOnUse, nonNegativeInt, opt, portNumber } from './common.js';

export const autoscalingPolicySchema = builtOnUse(() =>
  z.looseObject({
    policy_type: opt(z.enum(['StepScaling', 'TargetTrackingScaling'])).describe('Default StepScaling'),
    name: opt(z.string().min(1)).describe('TargetTrackingScaling: policy name (required)'),
    alarms: opt(z.array(z.string().min(1)).min(1)).describe('StepScaling: CloudWatch alarm names (required)'),
    cooldown: opt(nonNegativeInt),
    adjustment_type: opt(z.enum(['ChangeInCapacity', 'ExactCapacity', 'PercentChangeInCapacity'])),
    scaling_adjustment: opt(z.number().int()),
    metric_aggregation_type: opt(z.enum(['Average', 'Minimum', 'Maximum'])),
    metric_interval_lower_bound: opt(z.number()),
    metric_interval_upper_bound: opt(z.number()),
    target_value: opt(z.number()).describe('TargetTrackingScaling: target metric value (required)'),
    predefined_metric_type: opt(
      z.enum(['ECSServiceAverageCPUUtilization', 'ECSServiceAverageMemoryUtilization', 'ALBRequestCountPerTarget']),
    ),
    scale_out_cooldown: opt(nonNegativeInt),
    scale_in_cooldown: opt(nonNegativeInt),
    disable_scale_in: opt(z.boolean()),
  }),
);

/** Keys each policy type needs (hako: `scheduler.autoscaling.policies.<key> must be set`). */
export const REQUIRED_POLICY_KEYS = {
  StepScaling: ['alarms', 'cooldown', 'adjustment_type', 'scaling_adjustment', 'metric_aggregation_type'],
  TargetTrackingScaling: ['name', 'target_value', 'predefined_metric_type'],
} as const;

export const autoscalingSchema = builtOnUse(() =>
  z
    .looseObject({
      role_arn: z.string().min(1).describe('Role for Application Auto Scaling'),
      min_capacity: nonNegativeInt,
      max_capacity: nonNegativeInt,
      policies: z.array(autoscalingPolicySchema),
    })
    .describe('Service auto scaling'),
);

export const serviceDiscoveryEntrySchema = builtOnUse(() =>
  z.looseObject({
    container_name: opt(z.string().min(1)),
    container_port: opt(portNumber),
    port: opt(portNumber),
    service: z.looseObject({
      name: z.string().min(1),
      namespace_id: z.string().min(1),
      description: opt(z.string()),
      dns_config: z.looseObject({
        dns_records: z
          .array(z.looseObject({ type: z.enum(['A', 'AAAA', 'SRV', 'CNAME']), ttl: nonNegativeInt }))
          .min(1),
        routing_policy: opt(z.enum(['MULTIVALUE', 'WEIGHTED'])).describe('Default MULTIVALUE'),
        namespace_id: opt(z.string().min(1)),
      }),
      health_check_custom_config: opt(z.looseObject({ failure_threshold: z.number().int().min(1).max(10) })),
    }),
  }),
);

export const serviceDiscoverySchema = builtOnUse(() =>
  z
    .array(serviceDiscoveryEntrySchema)
    .describe('Cloud Map services the ECS service registers into'),
);

export type AutoscalingInput = z.output<typeof autoscalingSchema>;
export type ServiceDiscoveryInput = z.output<typeof serviceDiscoveryEntrySchema>;
