/**
 * `scheduler.elb`, the classic load balancer (reference §3.3, §4.13): its settings as the planner uses them, the
 * ECS service's binding to it, and the checks of what AWS or ECS would reject late — made on the model, before any
 * AWS call, so a definition that cannot work fails with a path instead of halfway through a deploy.
 */
import type { AppModel } from '../../../definition/model.js';
import type { DefinitionIssue } from '../../../errors.js';
import { serviceBindings } from '../load-balancers.js';
import { boundPortMapping } from '../static-host-port.js';

/**
 * The tag naming the app that created a classic load balancer: only that app's `remove` deletes it. The same tag
 * the alb script writes on the load balancers it creates (the scheduler does not import scripts, so the name is
 * repeated here), so ownership reads the same whichever made the load balancer.
 */
export const CREATED_BY_TAG = 'hako:created-by';

export const CLASSIC_PROTOCOLS = ['HTTP', 'HTTPS', 'TCP', 'SSL'] as const;

export interface ClassicListener {
  /** Upper-cased: AWS reads the protocol case-insensitively and answers upper-case. */
  readonly protocol: string;
  readonly loadBalancerPort: number;
  readonly sslCertificateId?: string;
}

/** `scheduler.elb` with hako's defaults applied. */
export interface ClassicElbSettings {
  readonly appId: string;
  /** `load_balancer_name`, default `hako-<app id>`. */
  readonly name: string;
  /** Absent when the definition gives none (then the load balancer must exist already). */
  readonly listeners?: readonly ClassicListener[];
  readonly subnets?: readonly string[];
  readonly securityGroups?: readonly string[];
  readonly scheme?: string;
  readonly tags: Readonly<Record<string, string>>;
  /** Absent: hako leaves the attribute alone. */
  readonly crossZone?: boolean;
  readonly containerName: string;
  readonly containerPort: number;
}

/** The settings, or undefined when the app has no classic load balancer. */
export function classicElbSettings(model: AppModel): ClassicElbSettings | undefined {
  const elb = model.scheduler.elb;
  if (elb === undefined) return undefined;
  return {
    appId: model.id,
    name: elb.load_balancer_name ?? `hako-${model.id}`,
    ...(elb.listeners === undefined
      ? {}
      : {
          listeners: elb.listeners.map((l) => ({
            protocol: l.protocol.toUpperCase(),
            loadBalancerPort: l.load_balancer_port,
            ...(l.ssl_certificate_id === undefined ? {} : { sslCertificateId: l.ssl_certificate_id }),
          })),
        }),
    ...(elb.subnets === undefined ? {} : { subnets: elb.subnets }),
    ...(elb.security_groups === undefined ? {} : { securityGroups: elb.security_groups }),
    ...(elb.scheme === undefined ? {} : { scheme: elb.scheme }),
    tags: elb.tags ?? {},
    ...(elb.cross_zone_load_balancing === undefined ? {} : { crossZone: elb.cross_zone_load_balancing }),
    containerName: elb.container_name,
    containerPort: elb.container_port,
  };
}

/** AWS: at most 32 characters, letters, digits and hyphens, not starting or ending with a hyphen. */
const NAME = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,30}[A-Za-z0-9])?$/;

function error(path: string, message: string): DefinitionIssue {
  return { severity: 'error', path, message };
}

function checkListeners(s: ClassicElbSettings, issues: DefinitionIssue[]): void {
  if (s.listeners === undefined) return;
  if (s.listeners.length === 0) issues.push(error('scheduler.elb.listeners', 'a classic load balancer needs at least one listener'));
  const ports = new Set<number>();
  s.listeners.forEach((l, i) => {
    const at = `scheduler.elb.listeners[${i}]`;
    if (!(CLASSIC_PROTOCOLS as readonly string[]).includes(l.protocol)) {
      issues.push(error(`${at}.protocol`, `expected one of ${CLASSIC_PROTOCOLS.join(', ')}, got "${l.protocol}"`));
    }
    if ((l.protocol === 'HTTPS' || l.protocol === 'SSL') && l.sslCertificateId === undefined) {
      issues.push(error(`${at}.ssl_certificate_id`, `required for an ${l.protocol} listener (the ARN of its certificate)`));
    }
    if (ports.has(l.loadBalancerPort)) issues.push(error(`${at}.load_balancer_port`, `port ${l.loadBalancerPort} has another listener already`));
    ports.add(l.loadBalancerPort);
  });
}

/**
 * What AWS (CreateLoadBalancer) and ECS (CreateService) would reject about `scheduler.elb`, checked on the model
 * with the scripts' contributions (nginx_front gives `front` its port 80). Pure.
 */
export function checkClassicElb(model: AppModel): DefinitionIssue[] {
  const s = classicElbSettings(model);
  if (s === undefined) return [];
  const issues: DefinitionIssue[] = [];
  if (!NAME.test(s.name)) {
    const how = model.scheduler.elb?.load_balancer_name === undefined ? ` (the default, hako-<app id>); set scheduler.elb.load_balancer_name` : '';
    issues.push(
      error('scheduler.elb.load_balancer_name', `"${s.name}" is not a valid classic load balancer name: 1–32 letters, digits or hyphens, not starting or ending with a hyphen${how}`),
    );
  }
  checkListeners(s, issues);
  if (s.scheme !== undefined && s.scheme !== 'internet-facing' && s.scheme !== 'internal') {
    issues.push(error('scheduler.elb.scheme', `expected internet-facing or internal, got "${s.scheme}"`));
  }
  for (const key of Object.keys(s.tags)) {
    if (key === CREATED_BY_TAG) issues.push(error(`scheduler.elb.tags["${key}"]`, 'hako sets this tag itself: it records which app created the load balancer'));
    else if (key.toLowerCase().startsWith('aws:')) issues.push(error(`scheduler.elb.tags["${key}"]`, 'the aws: prefix is reserved by AWS'));
  }

  const mode = model.scheduler.network_mode;
  if (mode === 'awsvpc' || model.scheduler.launch_type === 'FARGATE') {
    issues.push(
      error(
        'scheduler.elb',
        'ECS registers awsvpc (and so Fargate) tasks only with target groups, not with a classic load balancer: use scheduler.load_balancers or an alb script',
      ),
    );
  } else if (mode === 'none') {
    issues.push(error('scheduler.elb', 'network_mode none has no ports for a load balancer to reach'));
  } else if (model.scheduler.dynamic_port_mapping && mode !== 'host') {
    issues.push(
      error('scheduler.dynamic_port_mapping', 'a classic load balancer forwards to one fixed instance port: leave dynamic_port_mapping unset (false with elb)'),
    );
  }
  // ECS binds a service to one classic load balancer, or to target groups — never both.
  if (serviceBindings(model).length > 0) {
    issues.push(error('scheduler.elb', 'a service is bound either to a classic load balancer or to target groups (scheduler.load_balancers, an alb script), not both'));
  }

  const container = model.containers.find((c) => c.name === s.containerName);
  // An undefined container is reported by the schema's cross-checks already.
  if (container !== undefined && boundPortMapping(model, s) === undefined) {
    const ports = container.port_mappings.map((p) => p.container_port);
    issues.push(
      error(
        'scheduler.elb.container_port',
        `container "${s.containerName}" has no port mapping for ${s.containerPort} (its container ports: ${ports.join(', ') || 'none'}${s.containerName === 'front' ? '; the nginx_front script maps 80' : ''})`,
      ),
    );
  }
  return issues;
}
