/**
 * The `alb` script's configuration (also what `scheduler.elb_v2` becomes) and its resolution into settings with
 * every default filled in. Keys keep hako's elb_v2 names; `rules` is ours (routing on a shared listener).
 */
import { createHash } from 'node:crypto';
import * as z from 'zod';

const AWS_NAME_MAX = 32;
const awsName = z
  .string()
  .min(1)
  .max(AWS_NAME_MAX, { error: `must be at most ${AWS_NAME_MAX} characters (an AWS limit)` })
  .regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?$/, {
    error: 'may contain only letters, digits and hyphens, and must not begin or end with a hyphen',
  });

const lbType = z.enum(['application', 'network']);
const port = z.number().int().min(1).max(65535);
const stringList = z.union([z.string().min(1), z.array(z.string().min(1)).min(1)]);
// Jsonnet and YAML users write attribute values as numbers and booleans too; AWS wants strings.
const attributeValue = z.union([z.string(), z.number(), z.boolean()]);

const listenerSchema = z
  .strictObject({
    port,
    protocol: z.enum(['HTTP', 'HTTPS', 'TCP', 'TLS', 'UDP', 'TCP_UDP']),
    certificate_arn: z.string().min(1).optional(),
    ssl_policy: z.string().min(1).optional(),
  })
  .superRefine((l, ctx) => {
    if ((l.protocol === 'HTTPS' || l.protocol === 'TLS') && l.certificate_arn === undefined) {
      ctx.addIssue({
        code: 'custom',
        path: ['certificate_arn'],
        message: `a ${l.protocol} listener needs certificate_arn (the ARN of an ACM certificate)`,
      });
    }
  });

const ruleSchema = z
  .strictObject({
    listener_port: port,
    priority: z.number().int().min(1).max(50000),
    host_header: stringList.optional(),
    path_pattern: stringList.optional(),
  })
  .superRefine((r, ctx) => {
    if (r.host_header === undefined && r.path_pattern === undefined) {
      ctx.addIssue({ code: 'custom', path: [], message: 'a rule needs host_header or path_pattern (or both)' });
    }
  });

/** The zod schema of an `alb` scripts[] entry (keys other than `type: alb`). */
export const configSchema = z
  .strictObject({
    load_balancer_name: awsName.optional(),
    load_balancer_type: lbType.optional(),
    /** hako's `elb_v2.type`, kept as an alias of load_balancer_type. */
    type: lbType.optional(),
    scheme: z.enum(['internet-facing', 'internal']).optional(),
    subnets: z.array(z.string().min(1)).min(1).optional(),
    security_groups: z.array(z.string().min(1)).optional(),
    vpc_id: z.string().min(1).optional(),
    listeners: z.array(listenerSchema).optional(),
    rules: z.array(ruleSchema).optional(),
    target_group_name: awsName.optional(),
    health_check_path: z.string().startsWith('/', { error: 'must start with /' }).optional(),
    matcher: z
      .strictObject({
        http_code: z.union([z.string().min(1), z.number().int()]).optional(),
        grpc_code: z.union([z.string().min(1), z.number().int()]).optional(),
      })
      .optional(),
    protocol_version: z.enum(['HTTP1', 'HTTP2', 'GRPC']).optional(),
    target_type: z.enum(['instance', 'ip', 'lambda', 'alb']).optional(),
    container_name: z.string().min(1).optional(),
    container_port: port.optional(),
    load_balancer_attributes: z.record(z.string(), attributeValue).optional(),
    target_group_attributes: z.record(z.string(), attributeValue).optional(),
    tags: z.record(z.string(), z.string()).optional(),
  })
  .superRefine((c, ctx) => {
    if (c.type !== undefined && c.load_balancer_type !== undefined && c.type !== c.load_balancer_type) {
      ctx.addIssue({
        code: 'custom',
        path: ['type'],
        message: `conflicts with load_balancer_type '${c.load_balancer_type}' (type is its hako alias; set one)`,
      });
    }
    const network = (c.load_balancer_type ?? c.type) === 'network';
    const seenPorts = new Set<number>();
    c.listeners?.forEach((l, i) => {
      if (seenPorts.has(l.port)) {
        ctx.addIssue({ code: 'custom', path: ['listeners', i, 'port'], message: `port ${l.port} is declared twice` });
      }
      seenPorts.add(l.port);
      const fits = network ? !['HTTP', 'HTTPS'].includes(l.protocol) : ['HTTP', 'HTTPS'].includes(l.protocol);
      if (!fits) {
        ctx.addIssue({
          code: 'custom',
          path: ['listeners', i, 'protocol'],
          message: network
            ? `${l.protocol} is not a network load balancer protocol (TCP, TLS, UDP, TCP_UDP)`
            : `${l.protocol} is not an application load balancer protocol (HTTP, HTTPS)`,
        });
      }
    });
    const seenRules = new Set<string>();
    c.rules?.forEach((r, i) => {
      if (network) {
        ctx.addIssue({ code: 'custom', path: ['rules', i], message: 'network load balancers have no listener rules' });
      }
      const key = `${r.listener_port}:${r.priority}`;
      if (seenRules.has(key)) {
        ctx.addIssue({
          code: 'custom',
          path: ['rules', i, 'priority'],
          message: `priority ${r.priority} on listener port ${r.listener_port} is declared twice`,
        });
      }
      seenRules.add(key);
    });
  });

export type AlbConfig = z.infer<typeof configSchema>;

export type LoadBalancerType = 'application' | 'network';

export interface ListenerSettings {
  readonly port: number;
  readonly protocol: string;
  readonly certificateArn?: string;
  readonly sslPolicy?: string;
}

export interface RuleSettings {
  readonly listenerPort: number;
  readonly priority: number;
  /** Sorted: AWS does not keep the order, so neither does the comparison. */
  readonly hostHeader: readonly string[];
  readonly pathPattern: readonly string[];
}

/** The configuration with every default resolved: what observe, plan and apply work from. */
export interface AlbSettings {
  readonly appId: string;
  readonly loadBalancerName: string;
  readonly loadBalancerType: LoadBalancerType;
  readonly scheme?: string;
  readonly subnets?: readonly string[];
  readonly securityGroups?: readonly string[];
  readonly vpcId?: string;
  readonly listeners: readonly ListenerSettings[];
  readonly rules: readonly RuleSettings[];
  readonly targetGroupName: string;
  readonly healthCheckPath?: string;
  readonly matcher?: { readonly httpCode?: string; readonly grpcCode?: string };
  /** ALB only (default HTTP1); absent for NLB. */
  readonly protocolVersion?: string;
  readonly targetType?: string;
  readonly containerName: string;
  readonly containerPort: number;
  readonly loadBalancerAttributes?: Readonly<Record<string, string>>;
  readonly targetGroupAttributes?: Readonly<Record<string, string>>;
  readonly tags: Readonly<Record<string, string>>;
}

/**
 * `hako-<appId>`, kept within AWS's 32 characters for load balancer and target group names: a longer name is cut
 * and ends with a hash of the whole, so two long app ids sharing a prefix still get different names.
 */
export function defaultResourceName(appId: string): string {
  const name = `hako-${appId}`;
  if (name.length <= AWS_NAME_MAX) return name;
  const hash = createHash('sha256').update(name).digest('hex').slice(0, 7);
  const prefix = name.slice(0, AWS_NAME_MAX - hash.length - 1).replace(/[^A-Za-z0-9]+$/, '');
  return `${prefix}-${hash}`;
}

function toList(v: string | readonly string[] | undefined): string[] {
  if (v === undefined) return [];
  return typeof v === 'string' ? [v] : [...v].sort();
}

function stringMap(m: Record<string, string | number | boolean> | undefined): Record<string, string> | undefined {
  if (m === undefined) return undefined;
  return Object.fromEntries(Object.entries(m).map(([k, v]) => [k, String(v)]));
}

/** Fills the defaults. `networkMode` is the scheduler's: awsvpc tasks can only be registered as `ip` targets. */
export function resolveSettings(config: AlbConfig, appId: string, networkMode?: string): AlbSettings {
  const loadBalancerType: LoadBalancerType = config.load_balancer_type ?? config.type ?? 'application';
  const targetType = config.target_type ?? (networkMode === 'awsvpc' ? 'ip' : undefined);
  const matcher =
    config.matcher === undefined
      ? undefined
      : {
          ...(config.matcher.http_code === undefined ? {} : { httpCode: String(config.matcher.http_code) }),
          ...(config.matcher.grpc_code === undefined ? {} : { grpcCode: String(config.matcher.grpc_code) }),
        };
  const lbAttributes = stringMap(config.load_balancer_attributes);
  const tgAttributes = stringMap(config.target_group_attributes);
  return {
    appId,
    loadBalancerName: config.load_balancer_name ?? defaultResourceName(appId),
    loadBalancerType,
    ...(config.scheme === undefined ? {} : { scheme: config.scheme }),
    ...(config.subnets === undefined ? {} : { subnets: [...config.subnets].sort() }),
    ...(config.security_groups === undefined ? {} : { securityGroups: [...config.security_groups].sort() }),
    ...(config.vpc_id === undefined ? {} : { vpcId: config.vpc_id }),
    listeners: (config.listeners ?? []).map((l) => ({
      port: l.port,
      protocol: l.protocol,
      ...(l.certificate_arn === undefined ? {} : { certificateArn: l.certificate_arn }),
      ...(l.ssl_policy === undefined ? {} : { sslPolicy: l.ssl_policy }),
    })),
    rules: (config.rules ?? []).map((r) => ({
      listenerPort: r.listener_port,
      priority: r.priority,
      hostHeader: toList(r.host_header),
      pathPattern: toList(r.path_pattern),
    })),
    targetGroupName: config.target_group_name ?? defaultResourceName(appId),
    ...(config.health_check_path === undefined ? {} : { healthCheckPath: config.health_check_path }),
    ...(matcher === undefined ? {} : { matcher }),
    ...(loadBalancerType === 'application' ? { protocolVersion: config.protocol_version ?? 'HTTP1' } : {}),
    ...(targetType === undefined ? {} : { targetType }),
    containerName: config.container_name ?? 'front',
    containerPort: config.container_port ?? 80,
    ...(lbAttributes === undefined ? {} : { loadBalancerAttributes: lbAttributes }),
    ...(tgAttributes === undefined ? {} : { targetGroupAttributes: tgAttributes }),
    tags: { ...(config.tags ?? {}) },
  };
}
