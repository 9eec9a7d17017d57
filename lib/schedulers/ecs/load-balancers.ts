/**
 * The target groups the ECS service is bound to: those the definition names (`scheduler.load_balancers`, made
 * elsewhere) and those scripts contribute (the `alb` script's, whose ARN may only be known after apply).
 */
import type { AppModel, LoadBalancerBinding } from '../../definition/model.js';
import type { DefinitionIssue } from '../../errors.js';
import { isOutputRef } from '../../plan/outputs.js';

type Binding = AppModel['load_balancers'][number];

function key(b: Binding): string {
  const arn = b.target_group_arn;
  const id = arn === undefined ? `name:${b.target_group_name}` : isOutputRef(arn) ? `ref:${arn.$output}` : arn;
  return `${id}|${b.container_name}|${b.container_port}`;
}

/** Every binding of the service, declared ones first, each once. */
export function serviceBindings(model: AppModel): readonly Binding[] {
  const all: Binding[] = [...(model.scheduler.load_balancers ?? []), ...model.load_balancers];
  const seen = new Set<string>();
  return all.filter((b) => {
    const k = key(b);
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/**
 * Each declared binding names a container of the task and one of its container ports: ECS would otherwise accept
 * the task definition and reject only CreateService/UpdateService, after the other steps ran. Checked on the model
 * with the scripts' contributions (a front container's port comes from nginx_front).
 */
export function checkBindings(model: AppModel): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  (model.scheduler.load_balancers ?? []).forEach((b: LoadBalancerBinding | Binding, i) => {
    const container = model.containers.find((c) => c.name === b.container_name);
    if (container === undefined) {
      issues.push({ severity: 'error', path: `scheduler.load_balancers[${i}].container_name`, message: `container "${b.container_name}" is not defined` });
      return;
    }
    const ports = container.port_mappings.map((p) => p.container_port);
    if (!ports.includes(b.container_port)) {
      const where = container.name === 'app' ? 'app' : `sidecars.${container.name}`;
      issues.push({
        severity: 'error',
        path: `scheduler.load_balancers[${i}].container_port`,
        message: `container "${b.container_name}" has no port mapping for ${b.container_port} (its container ports: ${ports.join(', ') || 'none'}; add it to ${where}.port_mappings)`,
      });
    }
  });
  return issues;
}
