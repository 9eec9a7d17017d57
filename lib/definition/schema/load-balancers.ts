/** `scheduler.elb` (classic, reference §3.3) and `scheduler.elb_v2` (ALB/NLB, §3.4). */
import * as z from 'zod';
import { builtOnUse, opt, portNumber, stringList, stringMap, tagMap } from './common.js';

export const classicElbSchema = builtOnUse(() =>
  z
    .looseObject({
      load_balancer_name: opt(z.string().min(1)).describe('Default hako-<app id>'),
      listeners: opt(
        z.array(
          z.looseObject({
            protocol: z.string().min(1).describe('HTTP, HTTPS, TCP or SSL'),
            load_balancer_port: portNumber,
            ssl_certificate_id: opt(z.string().min(1)),
          }),
        ),
      ).describe('Required when the load balancer is created'),
      subnets: opt(stringList),
      security_groups: opt(stringList),
      scheme: opt(z.string()).describe('e.g. internal'),
      tags: opt(tagMap),
      cross_zone_load_balancing: opt(z.boolean()),
      container_name: opt(z.string().min(1)).describe('Container receiving traffic (default front)'),
      container_port: opt(portNumber).describe('Default 80'),
    })
    .describe('Classic ELB (deprecated in favour of elb_v2)'),
);

export const elbV2Schema = builtOnUse(() =>
  z
    .looseObject({
      type: opt(z.enum(['application', 'network'])).describe('application (default) or network'),
      load_balancer_name: opt(z.string().min(1)).describe(
        'When set, the load balancer is an existing one that hako never creates, modifies or deletes',
      ),
      target_group_name: opt(z.string().min(1)).describe('When set, the target group is an existing one'),
      vpc_id: opt(z.string().min(1)).describe('VPC of the target group (required to create it)'),
      subnets: opt(stringList),
      security_groups: opt(stringList).describe('Required to create an application load balancer'),
      scheme: opt(z.enum(['internet-facing', 'internal'])),
      tags: opt(stringMap),
      listeners: opt(
        z.array(
          z.looseObject({
            port: portNumber,
            protocol: z.enum(['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP']),
            ssl_policy: opt(z.string().min(1)),
            certificate_arn: opt(z.string().min(1)),
          }),
        ),
      ),
      health_check_path: opt(z.string().min(1)),
      protocol_version: opt(z.enum(['HTTP1', 'HTTP2', 'GRPC'])).describe('Target group protocol version (default HTTP1)'),
      matcher: opt(z.looseObject({ http_code: opt(z.string()), grpc_code: opt(z.string()) })),
      target_type: opt(z.enum(['instance', 'ip', 'lambda', 'alb'])).describe('Forced to ip with network_mode awsvpc'),
      load_balancer_attributes: opt(stringMap),
      target_group_attributes: opt(stringMap),
      container_name: opt(z.string().min(1)).describe('Container receiving traffic (default front)'),
      container_port: opt(portNumber).describe('Default 80'),
    })
    .describe('Application or network load balancer (becomes an alb script entry)'),
);

/**
 * `scheduler.load_balancers[]`: ECS's own load balancer binding (snake_case) for a target group that exists already,
 * made by Terraform or another tool. The ARN's shape is checked here: ECS would only reject it at CreateService.
 */
export const loadBalancerBindingSchema = builtOnUse(() =>
  z
    .looseObject({
      target_group_arn: z
        .string()
        .regex(/^arn:[\w-]+:elasticloadbalancing:[\w-]*:\d{12}:targetgroup\/[A-Za-z0-9-]{1,32}\/[0-9a-f]+$/, 'expected a target group ARN (arn:aws:elasticloadbalancing:REGION:ACCOUNT:targetgroup/NAME/ID)'),
      container_name: z.string().min(1).describe('The container that receives the traffic'),
      container_port: portNumber.describe('Its container port (one of its port_mappings)'),
    })
    .describe('An existing target group the service registers its tasks into'),
);

export type ClassicElbInput = z.output<typeof classicElbSchema>;
