/**
 * Merges scripts' contributions into the model. Pure: scripts return what they add (a front container's env,
 * links and ports; the service's target group binding) and this is the only place that combines them, in
 * `scripts[]` order, so the result is predictable and shows up in `show-definition` and `diff` alike.
 */
import type { AppModel, AppModelData, ContainerModel, ScriptContribution } from '../definition/model.js';
import { HakoError } from '../errors.js';

function mergeContainer(container: ContainerModel, add: NonNullable<ScriptContribution['containers']>[string]): ContainerModel {
  const env = [...container.env];
  for (const v of add.env ?? []) {
    const i = env.findIndex((e) => e.name === v.name);
    if (i >= 0) env[i] = v;
    else env.push(v);
  }
  const links = [...container.links, ...(add.links ?? []).filter((l) => !container.links.includes(l))];
  const ports = [...container.port_mappings];
  for (const p of add.port_mappings ?? []) {
    if (!ports.some((q) => q.container_port === p.container_port && q.protocol === p.protocol)) ports.push(p);
  }
  return { ...container, env, links, port_mappings: ports };
}

export function applyContributions(model: AppModel, contributions: readonly { readonly script: string; readonly contribution: ScriptContribution }[]): AppModel {
  // structuredClone gives a mutable copy to build on; the result is handed out read-only again.
  const next = structuredClone(model) as AppModelData;
  for (const { script, contribution } of contributions) {
    for (const [name, add] of Object.entries(contribution.containers ?? {})) {
      const i = next.containers.findIndex((c) => c.name === name);
      if (i < 0) {
        throw new HakoError(`Script ${script} adds to container "${name}", which is not defined`, 'SCRIPT_CONTRIBUTION', 1, {
          hint: `Define sidecars.${name} in the definition, or remove the ${script} script.`,
        });
      }
      next.containers[i] = mergeContainer(next.containers[i]!, add);
    }
    for (const binding of contribution.load_balancers ?? []) {
      if (!next.load_balancers.some((b) => b.target_group_name === binding.target_group_name)) next.load_balancers.push(binding);
    }
    if (contribution.health_check_grace_period_seconds !== undefined && next.scheduler.health_check_grace_period_seconds === undefined) {
      next.scheduler.health_check_grace_period_seconds = contribution.health_check_grace_period_seconds;
    }
  }
  return next;
}
