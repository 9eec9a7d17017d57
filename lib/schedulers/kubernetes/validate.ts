/**
 * What the kubernetes scheduler checks before anything talks to a cluster: names Kubernetes would refuse, and every
 * key of the shared app model that has no Kubernetes equivalent. Such a key is an error naming it (with its path in
 * the definition), never silently dropped: a definition that deploys must mean the same thing on either scheduler.
 * Pure.
 */
import type { AnyAppModel, Container } from '../../definition/model.js';
import type { DefinitionIssue } from '../../errors.js';
import { DNS_1035_LABEL, DNS_LABEL, type KubernetesConfig } from './config.js';
import { isScratchDockerVolume, numericUser } from './manifests.js';

function issue(path: string | undefined, message: string): DefinitionIssue {
  return path === undefined ? { message, severity: 'error' } : { path, message, severity: 'error' };
}

/** `app` or `sidecars.<name>`: where a container's keys live in the definition. */
function containerPath(c: Container): string {
  return c.name === 'app' ? 'app' : /^[A-Za-z_$][A-Za-z0-9_$-]*$/.test(c.name) ? `sidecars.${c.name}` : `sidecars[${JSON.stringify(c.name)}]`;
}

/** Container keys Kubernetes has nothing for, when set, with what to do instead. */
const UNMAPPED: readonly { key: keyof Container; set: (c: Container) => boolean; why: string }[] = [
  { key: 'links', set: (c) => c.links.length > 0, why: "a pod's containers share one network: reach the other container at localhost:<port>" },
  { key: 'volumes_from', set: (c) => c.volumes_from.length > 0, why: 'share a volume by mounting it in both containers (mount_points)' },
  { key: 'docker_labels', set: (c) => Object.keys(c.docker_labels).length > 0, why: 'use scheduler.labels or scheduler.pod_annotations' },
  { key: 'log_configuration', set: (c) => c.log_configuration !== undefined, why: 'Kubernetes keeps what containers write to stdout and stderr; ship logs from the nodes' },
  { key: 'secrets', set: (c) => c.secrets !== undefined, why: 'use env with $providers (hako resolves the values) instead of ECS secrets' },
  { key: 'depends_on', set: (c) => c.depends_on !== undefined, why: "a pod's containers start together; hako does not map ECS start conditions to init containers" },
  { key: 'extra_hosts', set: (c) => c.extra_hosts !== undefined, why: 'hostAliases are per pod, not per container; not mapped' },
  { key: 'ulimits', set: (c) => c.ulimits !== undefined, why: 'Kubernetes sets no per-container ulimits' },
  { key: 'docker_security_options', set: (c) => c.docker_security_options !== undefined, why: 'Docker security options are not a Kubernetes setting' },
  { key: 'system_controls', set: (c) => c.system_controls !== undefined, why: 'sysctls are per pod in Kubernetes; not mapped' },
  { key: 'repository_credentials', set: (c) => c.repository_credentials !== undefined, why: 'use imagePullSecrets on the ServiceAccount (scheduler.service_account_name)' },
  { key: 'resource_requirements', set: (c) => c.resource_requirements !== undefined, why: 'GPUs are extended resources in Kubernetes; not mapped' },
  { key: 'firelens_configuration', set: (c) => c.firelens_configuration !== undefined, why: 'FireLens is an ECS log router' },
  { key: 'essential', set: (c) => !c.essential, why: 'Kubernetes restarts any container of a pod that stops: every container is essential' },
];

function checkContainer(c: Container, problems: DefinitionIssue[]): void {
  const at = containerPath(c);
  if (c.name.length > 63 || !DNS_LABEL.test(c.name)) {
    problems.push(issue(at, `"${c.name}" is not a valid Kubernetes container name (lowercase letters, digits and "-", at most 63)`));
  }
  for (const u of UNMAPPED) if (u.set(c)) problems.push(issue(`${at}.${u.key}`, `not supported by the kubernetes scheduler: ${u.why}`));
  c.port_mappings.forEach((p, i) => {
    if (p.host_port !== undefined) {
      problems.push(issue(`${at}.port_mappings[${i}].host_port`, 'not supported by the kubernetes scheduler: pods have their own IP; expose ports with scheduler.service'));
    }
  });
  if (c.user !== undefined && numericUser(c.user) === undefined) {
    problems.push(issue(`${at}.user`, `"${c.user}" is not a numeric uid[:gid]: Kubernetes runs containers as numeric ids (runAsUser/runAsGroup)`));
  }
  const lp = c.linux_parameters;
  for (const key of ['devices', 'init_process_enabled', 'shared_memory_size', 'tmpfs'] as const) {
    if (lp?.[key] !== undefined) problems.push(issue(`${at}.linux_parameters.${key}`, 'not supported by the kubernetes scheduler (only capabilities are mapped)'));
  }
  const hc = c.health_check;
  if (hc !== undefined && !['CMD', 'CMD-SHELL', 'NONE'].includes(hc.command[0] ?? '')) {
    problems.push(issue(`${at}.health_check.command`, 'must start with CMD, CMD-SHELL or NONE to become a Kubernetes probe'));
  }
}

function checkPortsAcrossContainers(model: AnyAppModel, problems: DefinitionIssue[]): void {
  const seen = new Map<string, string>();
  for (const c of model.containers) {
    c.port_mappings.forEach((p, i) => {
      const key = `${p.container_port}/${p.protocol}`;
      const other = seen.get(key);
      if (other !== undefined && other !== c.name) {
        problems.push(issue(`${containerPath(c)}.port_mappings[${i}].container_port`, `${key} is also a port of container ${other}: the containers of a pod share one network`));
      } else seen.set(key, c.name);
    });
  }
}

export function validateKubernetesModel(model: AnyAppModel, config: KubernetesConfig): DefinitionIssue[] {
  const problems: DefinitionIssue[] = [];
  const id = model.id;
  // The app id (the file name) names the Deployment, the Service and the label on every pod.
  const idRule = config.service === undefined ? DNS_LABEL : DNS_1035_LABEL;
  if (id.length > 63 || !idRule.test(id)) {
    const what = config.service === undefined ? 'a DNS label' : 'a DNS label starting with a letter (it names the Service)';
    problems.push(issue(undefined, `the app id "${id}" (the definition's file name) is not a valid Kubernetes name: expected ${what}, at most 63 lowercase letters, digits and "-"`));
  }
  for (const c of model.containers) checkContainer(c, problems);
  checkPortsAcrossContainers(model, problems);
  for (const v of model.volumes) {
    const at = `volumes.${v.name}`;
    if (v.name.length > 63 || !DNS_LABEL.test(v.name)) problems.push(issue(at, `"${v.name}" is not a valid Kubernetes volume name (lowercase letters, digits and "-")`));
    if (v.efs_volume_configuration !== undefined) {
      problems.push(issue(`${at}.efs_volume_configuration`, 'not supported by the kubernetes scheduler: mount EFS through a PersistentVolumeClaim made elsewhere'));
    }
    if (v.docker_volume_configuration !== undefined && !isScratchDockerVolume(v.docker_volume_configuration)) {
      problems.push(issue(`${at}.docker_volume_configuration`, 'only a task-scoped local volume (an emptyDir) maps to Kubernetes: shared, autoprovisioned or driver volumes do not'));
    }
  }
  const ports = new Set(model.containers.flatMap((c) => c.port_mappings.map((p) => `${p.container_port}/${p.protocol.toUpperCase()}`)));
  config.service?.ports.forEach((p, i) => {
    if (!ports.has(`${p.targetPort}/${p.protocol}`)) {
      problems.push(issue(`scheduler.service.ports[${i}]`, `no container has ${p.targetPort}/${p.protocol.toLowerCase()} in its port_mappings for the Service to send traffic to`));
    }
  });
  model.scripts.forEach((s, i) => {
    problems.push(issue(`scripts[${i}]`, `script "${s.type}" does not run with the kubernetes scheduler: hako's scripts manage AWS resources around an ECS service`));
  });
  return problems;
}
