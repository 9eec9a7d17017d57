/**
 * Checks that relate one part of the definition to another (containers to containers, mounts to volumes, options
 * to options). They read the raw value defensively so that they still run when the shape has errors: the user
 * gets every problem in one go.
 */
import type { DefinitionIssue } from '../../errors.js';
import { linkTarget } from '../containers.js';
import { REQUIRED_POLICY_KEYS } from './autoscaling.js';
import { checkDeploymentController } from './codedeploy.js';
import { findDependencyCycles } from './dependency-cycles.js';
import { checkFargate } from './fargate.js';
import { describeValue, error, formatPath, warning } from './issues.js';

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function arr(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function present(o: Obj | undefined, key: string): boolean {
  return o !== undefined && o[key] !== undefined && o[key] !== null;
}

/** Which key holds the sidecars: `sidecars` wins over the legacy `additional_containers` (hako §2.7). */
export function sidecarsKey(definition: Obj): 'sidecars' | 'additional_containers' {
  return present(definition, 'sidecars') || !present(definition, 'additional_containers') ? 'sidecars' : 'additional_containers';
}

interface RawContainer {
  name: string;
  path: string;
  value: Obj;
}

function rawContainers(definition: Obj): RawContainer[] {
  const list: RawContainer[] = [];
  const app = obj(definition['app']);
  if (app) list.push({ name: 'app', path: 'app', value: app });
  const key = sidecarsKey(definition);
  for (const [name, value] of Object.entries(obj(definition[key]) ?? {})) {
    const c = obj(value);
    if (c) list.push({ name, path: formatPath([key, name]), value: c });
  }
  return list;
}

function checkReferences(c: RawContainer, names: ReadonlySet<string>, key: string, out: DefinitionIssue[]): void {
  const report = (path: string, target: unknown, verb: string) => {
    if (typeof target !== 'string') return;
    if (target === c.name) out.push(error(path, `a container cannot ${verb} itself`));
    else if (!names.has(target)) out.push(error(path, `container "${target}" is not defined in ${key}`));
  };
  arr(c.value['links']).forEach((link, i) => {
    if (typeof link === 'string') report(`${c.path}.links[${i}]`, linkTarget(link), 'link to');
  });
  arr(c.value['depends_on']).forEach((d, i) =>
    report(`${c.path}.depends_on[${i}].container_name`, obj(d)?.['container_name'], 'depend on'),
  );
  arr(c.value['volumes_from']).forEach((v, i) =>
    report(`${c.path}.volumes_from[${i}].source_container`, obj(v)?.['source_container'], 'take volumes from'),
  );
}

function checkContainer(c: RawContainer, context: { volumes: ReadonlySet<string>; awsvpc: boolean }, out: DefinitionIssue[]): void {
  arr(c.value['mount_points']).forEach((m, i) => {
    const volume = obj(m)?.['source_volume'];
    if (typeof volume === 'string' && !context.volumes.has(volume)) {
      out.push(error(`${c.path}.mount_points[${i}].source_volume`, `volume "${volume}" is not defined in volumes`));
    }
  });
  if (context.awsvpc) {
    arr(c.value['port_mappings']).forEach((p, i) => {
      const pm = obj(p);
      const host = pm?.['host_port'];
      const container = pm?.['container_port'];
      if (typeof host === 'number' && typeof container === 'number' && host !== container) {
        out.push(
          error(
            `${c.path}.port_mappings[${i}].host_port`,
            `must equal container_port (${container}) when network_mode is awsvpc, got ${describeValue(host)}`,
          ),
        );
      }
    });
  }
  const command = obj(c.value['health_check'])?.['command'];
  const kind = Array.isArray(command) ? command[0] : undefined;
  if (typeof kind === 'string' && !['CMD', 'CMD-SHELL', 'NONE'].includes(kind)) {
    out.push(error(`${c.path}.health_check.command[0]`, `expected one of "CMD", "CMD-SHELL", "NONE", got ${describeValue(kind)}`));
  }
  const memory = c.value['memory'];
  const reservation = c.value['memory_reservation'];
  if (typeof memory === 'number' && typeof reservation === 'number' && reservation > memory) {
    out.push(error(`${c.path}.memory_reservation`, `must not exceed memory (${memory}), got number ${reservation}`));
  }
}

function checkSidecarImage(c: RawContainer, out: DefinitionIssue[]): void {
  const hasImageTag = present(c.value, 'image_tag');
  if (!hasImageTag && !present(c.value, 'image')) out.push(error(`${c.path}.image_tag`, 'required (or image)'));
  if (hasImageTag && present(c.value, 'image')) out.push(warning(`${c.path}.image`, 'ignored because image_tag is set'));
}

function checkScheduler(scheduler: Obj, containerNames: ReadonlySet<string>, out: DefinitionIssue[]): void {
  if (present(scheduler, 'elb') && present(scheduler, 'elb_v2')) {
    out.push(error('scheduler.elb_v2', 'cannot specify both elb and elb_v2'));
  }
  const breaker = obj(obj(scheduler['deployment_configuration'])?.['deployment_circuit_breaker']);
  if (breaker?.['rollback'] === true) {
    out.push(
      error(
        'scheduler.deployment_configuration.deployment_circuit_breaker.rollback',
        'rollback option of deployment_circuit_breaker is not supported because hako handles rollback instead of the circuit breaker',
      ),
    );
  }
  if (present(scheduler, 'autoscaling_topic_for_oneshot') && !present(scheduler, 'autoscaling_group_for_oneshot')) {
    out.push(
      error(
        'scheduler.autoscaling_topic_for_oneshot',
        'autoscaling_group_for_oneshot must be set when autoscaling_topic_for_oneshot is set',
      ),
    );
  }
  const autoscaling = obj(scheduler['autoscaling']);
  if (autoscaling) {
    arr(autoscaling['policies']).forEach((p, i) => {
      const policy = obj(p);
      if (!policy) return;
      const type = policy['policy_type'] ?? 'StepScaling';
      if (type !== 'StepScaling' && type !== 'TargetTrackingScaling') return;
      for (const key of REQUIRED_POLICY_KEYS[type]) {
        if (!present(policy, key)) out.push(error(`scheduler.autoscaling.policies[${i}].${key}`, `required for ${type} policies`));
      }
    });
    const min = autoscaling['min_capacity'];
    const max = autoscaling['max_capacity'];
    if (typeof min === 'number' && typeof max === 'number' && min > max) {
      out.push(error('scheduler.autoscaling.min_capacity', `must not exceed max_capacity (${max}), got number ${min}`));
    }
  }
  for (const key of ['elb', 'elb_v2'] as const) {
    const lb = obj(scheduler[key]);
    if (!lb) continue;
    const name = lb['container_name'] ?? 'front';
    if (typeof name === 'string' && !containerNames.has(name)) {
      const defaulted = present(lb, 'container_name') ? '' : ' (container_name defaults to "front")';
      out.push(error(`scheduler.${key}.container_name`, `container "${name}" is not defined${defaulted}`));
    }
  }
  arr(scheduler['load_balancers']).forEach((e, i) => {
    const name = obj(e)?.['container_name'];
    if (typeof name === 'string' && !containerNames.has(name)) {
      out.push(error(`scheduler.load_balancers[${i}].container_name`, `container "${name}" is not defined`));
    }
  });
  arr(scheduler['service_discovery']).forEach((e, i) => {
    const name = obj(e)?.['container_name'];
    if (typeof name === 'string' && !containerNames.has(name)) {
      out.push(error(`scheduler.service_discovery[${i}].container_name`, `container "${name}" is not defined`));
    }
  });
}

/** Every cross-reference problem in the raw definition. Container references are checked for every defined container. */
export function crossCheck(raw: unknown): DefinitionIssue[] {
  const definition = obj(raw);
  if (!definition) return [];
  const out: DefinitionIssue[] = [];
  const key = sidecarsKey(definition);
  if (present(definition, 'sidecars') && present(definition, 'additional_containers')) {
    out.push(warning('additional_containers', 'ignored because sidecars is also set'));
  }
  const containers = rawContainers(definition);
  const names = new Set(containers.map((c) => c.name));
  if (!obj(definition['app'])) names.add('app');
  const volumes = new Set(Object.keys(obj(definition['volumes']) ?? {}));
  const scheduler = obj(definition['scheduler']) ?? {};
  const awsvpc = scheduler['network_mode'] === 'awsvpc';
  // A sidecar named "app" is reported below and left out: it is not the app container.
  const usable = containers.filter((c) => c.name !== 'app' || c.path === 'app');
  for (const c of containers) {
    if (c.name === 'app' && c.path !== 'app') {
      out.push(error(c.path, 'the name "app" is reserved for the app container'));
      continue;
    }
    if (c.path !== 'app') checkSidecarImage(c, out);
    checkReferences(c, names, key, out);
    checkContainer(c, { volumes, awsvpc }, out);
  }
  out.push(...findDependencyCycles(usable));
  if (scheduler['type'] === 'ecs') {
    checkScheduler(scheduler, names, out);
    out.push(...checkFargate(scheduler));
    out.push(...checkDeploymentController(definition, scheduler));
  }
  return out;
}

