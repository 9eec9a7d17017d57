/** `scheduler` with `type: ecs` (reference §3.2). */
import * as z from 'zod';
import { autoscalingSchema, serviceDiscoverySchema } from './autoscaling.js';
import { codeDeploySchema, deploymentControllerSchema } from './codedeploy.js';
import { builtOnUse, nonNegativeInt, opt, positiveInt, stringList, tagMap } from './common.js';
import { classicElbSchema, elbV2Schema, loadBalancerBindingSchema } from './load-balancers.js';

/** Task cpu/memory: ECS reports strings ('1024', '1 vCPU'); a number is accepted and becomes a string. */
const taskSize = z.union([z.string().min(1), positiveInt]);

export const ecsSchedulerSchema = z
  .looseObject({
    type: z.string().min(1).describe('ecs, kubernetes, or the type of a scheduler plugin'),
    region: opt(z.string().min(1)).describe('AWS region of every resource (default: the AWS SDK default region)'),
    cluster: opt(z.string().min(1)).describe('ECS cluster name or ARN (default "default")'),
    desired_count: opt(nonNegativeInt).describe('Number of tasks; required by deploy unless scheduling_strategy is DAEMON'),
    role: opt(z.string().min(1)).describe('IAM role for the service (CreateService only)'),
    task_role_arn: opt(z.string().min(1)),
    execution_role_arn: opt(z.string().min(1)),
    network_mode: opt(z.enum(['bridge', 'host', 'awsvpc', 'none'])),
    pid_mode: opt(z.enum(['host', 'task'])),
    cpu: opt(taskSize).describe("Task-level CPU, e.g. '1024' or '1 vCPU'"),
    memory: opt(taskSize).describe("Task-level memory, e.g. '2048' or '2 GB'"),
    ephemeral_storage: opt(
      builtOnUse(() =>
        z.looseObject({
          size_in_gi_b: z.union([z.number().int().min(21).max(200), z.string().regex(/^\d+$/, 'expected a whole number of GiB')]),
        }),
      ),
    ),
    requires_compatibilities: opt(z.array(z.enum(['EC2', 'FARGATE', 'EXTERNAL']))),
    runtime_platform: opt(
      builtOnUse(() =>
        z.looseObject({
          cpu_architecture: opt(z.enum(['X86_64', 'ARM64'])),
          operating_system_family: opt(z.string().min(1)),
        }),
      ),
    ),
    launch_type: opt(z.enum(['EC2', 'FARGATE', 'EXTERNAL'])),
    capacity_provider_strategy: opt(
      builtOnUse(() =>
        z.array(
          z.looseObject({
            capacity_provider: z.string().min(1),
            weight: opt(z.number().int().min(0).max(1000)),
            base: opt(z.number().int().min(0).max(100000)),
          }),
        ),
      ),
    ),
    platform_version: opt(z.string().min(1)),
    network_configuration: opt(
      z.looseObject({
        awsvpc_configuration: opt(
          z.looseObject({
            subnets: z.array(z.string().min(1)).min(1),
            security_groups: opt(stringList),
            assign_public_ip: opt(z.enum(['ENABLED', 'DISABLED'])),
          }),
        ),
      }),
    ).describe('Only awsvpc_configuration is read'),
    deployment_configuration: opt(
      z.looseObject({
        maximum_percent: opt(nonNegativeInt),
        minimum_healthy_percent: opt(nonNegativeInt),
        deployment_circuit_breaker: opt(
          z.looseObject({
            enable: z.boolean(),
            rollback: opt(z.boolean()).describe('Must be false: hako rolls back itself'),
          }),
        ),
      }),
    ),
    placement_constraints: opt(
      builtOnUse(() =>
        z.array(z.looseObject({ type: z.enum(['distinctInstance', 'memberOf']), expression: opt(z.string().min(1)) })),
      ),
    ),
    placement_strategy: opt(
      builtOnUse(() =>
        z.array(z.looseObject({ type: z.enum(['random', 'spread', 'binpack']), field: opt(z.string().min(1)) })),
      ),
    ),
    scheduling_strategy: opt(z.enum(['REPLICA', 'DAEMON'])),
    deployment_controller: opt(deploymentControllerSchema),
    codedeploy: opt(codeDeploySchema),
    health_check_grace_period_seconds: opt(nonNegativeInt).describe('Default 0 behind a load balancer'),
    dynamic_port_mapping: opt(z.boolean()).describe('Dynamic front host port (default true unless elb is set)'),
    elb: opt(classicElbSchema),
    elb_v2: opt(elbV2Schema),
    load_balancers: opt(z.array(loadBalancerBindingSchema)).describe(
      'Target groups made elsewhere (Terraform…) that the service registers into; hako never changes or deletes them',
    ),
    autoscaling: opt(autoscalingSchema),
    service_discovery: opt(serviceDiscoverySchema),
    tags: opt(tagMap).describe('Tags of the task definition, propagated to tasks'),
    enable_execute_command: opt(z.boolean()).describe('Allow ECS Exec (default false)'),
    autoscaling_group_for_oneshot: opt(z.string().min(1)),
    autoscaling_topic_for_oneshot: opt(z.string().min(1)),
    oneshot_notification_prefix: opt(z.string().regex(/^s3:\/\/[^/]+/, 'expected s3://bucket/prefix')),
  })
  .describe('Where and how the application runs');

export type EcsSchedulerInput = z.output<typeof ecsSchedulerSchema>;

/** What a non-ecs scheduler must have: the rest belongs to the scheduler plugin. */
export const schedulerHeadSchema = z.looseObject({ type: z.string().min(1) });
