/**
 * `hako status` on Kubernetes: the Deployment (replica counts and conditions), the Service, the ReplicaSets with
 * their revisions and images, the pods, and the latest events about any of them. Observation, then a pure render.
 */
import type { AnyAppModel } from '../../definition/model.js';
import type { KubeApi, KubeObjects } from '../../kube/ports.js';
import type { StatusSection } from '../scheduler.js';
import type { KubernetesConfig } from './config.js';
import { isOwned, ownedSelector } from './labels.js';
import { replicaSetsOf, revisionOf } from './ops.js';
import { eventTime } from './wait.js';

export interface KubernetesStatus {
  context: string;
  server: string;
  namespace: string;
  deployment: {
    name: string;
    revision?: number;
    replicas: number;
    updated: number;
    ready: number;
    available: number;
    conditions: { type: string; status: string; reason?: string; message?: string }[];
  };
  service?: { name: string; type: string; clusterIP?: string; ports: string[] };
  replicaSets: { name: string; revision?: number; current: boolean; replicas: number; ready: number; images: Record<string, string> }[];
  pods: { name: string; phase: string; ready: string; restarts: number; node?: string; started?: string; waiting?: string }[];
  events: { time: string; type: string; reason: string; object: string; message: string }[];
  sections?: StatusSection[];
}

const EVENT_LIMIT = 10;

export async function observeKubernetesStatus(kube: KubeApi, model: AnyAppModel, config: KubernetesConfig): Promise<KubernetesStatus | undefined> {
  const { namespace } = config;
  const deployment = await kube.get('Deployment', namespace, model.id);
  if (deployment === undefined || !isOwned(deployment, model.id)) return undefined;
  const [service, replicaSets, pods, events] = await Promise.all([
    kube.get('Service', namespace, model.id),
    replicaSetsOf(kube, deployment, namespace),
    kube.list('Pod', namespace, { labelSelector: ownedSelector(model.id, 'service') }),
    kube.list('Event', namespace),
  ]);
  const revision = revisionOf(deployment);
  const names = new Set<string>([
    `Deployment/${model.id}`,
    ...(service !== undefined ? [`Service/${model.id}`] : []),
    ...replicaSets.map((rs) => `ReplicaSet/${rs.metadata?.name ?? ''}`),
    ...pods.items.map((p) => `Pod/${p.metadata?.name ?? ''}`),
  ]);
  const s = deployment.status ?? {};
  return {
    context: kube.context,
    server: kube.server,
    namespace,
    deployment: {
      name: model.id,
      ...(revision === undefined ? {} : { revision }),
      replicas: deployment.spec?.replicas ?? 1,
      updated: s.updatedReplicas ?? 0,
      ready: s.readyReplicas ?? 0,
      available: s.availableReplicas ?? 0,
      conditions: (s.conditions ?? []).map((c) => ({ type: c.type, status: c.status, ...(c.reason ? { reason: c.reason } : {}), ...(c.message ? { message: c.message } : {}) })),
    },
    ...(service !== undefined && isOwned(service, model.id) ? { service: serviceView(service) } : {}),
    replicaSets: replicaSets.map((rs) => ({
      name: rs.metadata?.name ?? '',
      ...(revisionOf(rs) === undefined ? {} : { revision: revisionOf(rs)! }),
      current: revisionOf(rs) === revision,
      replicas: rs.status?.replicas ?? 0,
      ready: rs.status?.readyReplicas ?? 0,
      images: Object.fromEntries((rs.spec?.template?.spec?.containers ?? []).map((c) => [c.name, c.image ?? ''])),
    })),
    pods: pods.items.map(podView).sort((a, b) => a.name.localeCompare(b.name)),
    events: events.items
      .filter((e) => names.has(`${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`))
      .sort((a, b) => eventTime(a).localeCompare(eventTime(b)))
      .slice(-EVENT_LIMIT)
      .map((e) => ({
        time: eventTime(e),
        type: e.type ?? '',
        reason: e.reason ?? '',
        object: `${e.involvedObject.kind ?? ''}/${e.involvedObject.name ?? ''}`,
        message: (e.message ?? '').trim(),
      })),
  };
}

function serviceView(service: KubeObjects['Service']): NonNullable<KubernetesStatus['service']> {
  return {
    name: service.metadata?.name ?? '',
    type: service.spec?.type ?? 'ClusterIP',
    ...(service.spec?.clusterIP ? { clusterIP: service.spec.clusterIP } : {}),
    ports: (service.spec?.ports ?? []).map((p) => `${p.port}→${String(p.targetPort ?? p.port)}/${p.protocol ?? 'TCP'}${p.nodePort ? ` (node port ${p.nodePort})` : ''}`),
  };
}

function podView(p: KubeObjects['Pod']): KubernetesStatus['pods'][number] {
  const statuses = p.status?.containerStatuses ?? [];
  const waiting = statuses.map((c) => c.state?.waiting?.reason).find((r) => r !== undefined);
  return {
    name: p.metadata?.name ?? '',
    // As kubectl shows it: a pod being deleted is still Running by its phase, but on its way out.
    phase: p.metadata?.deletionTimestamp !== undefined ? 'Terminating' : (p.status?.phase ?? 'Unknown'),
    ready: `${statuses.filter((c) => c.ready).length}/${p.spec?.containers.length ?? statuses.length}`,
    restarts: statuses.reduce((n, c) => n + (c.restartCount ?? 0), 0),
    ...(p.spec?.nodeName ? { node: p.spec.nodeName } : {}),
    ...(p.status?.startTime ? { started: p.status.startTime } : {}),
    ...(waiting === undefined ? {} : { waiting }),
  };
}

/** `2024-05-01T12:34:56Z` → `2024-05-01 12:34:56Z`, as the ECS status shows times. */
function shortTime(t: string | undefined): string {
  return t === undefined || t === '' ? '-' : t.replace('T', ' ');
}

export function renderKubernetesStatus(status: KubernetesStatus, sections: readonly StatusSection[] = []): string {
  const d = status.deployment;
  const lines = [
    `Deployment ${d.name} in namespace ${status.namespace} (context ${status.context}, ${status.server})`,
    `  revision ${d.revision ?? '?'}: ${d.replicas} desired, ${d.updated} updated, ${d.ready} ready, ${d.available} available`,
    ...d.conditions.map((c) => `  ${c.type}: ${c.status}${c.reason ? ` (${c.reason})` : ''}${c.message ? ` ${c.message}` : ''}`),
  ];
  if (status.service !== undefined) {
    const s = status.service;
    lines.push(`Service ${s.name}: ${s.type}${s.clusterIP ? ` ${s.clusterIP}` : ''}, ports ${s.ports.join(', ')}`);
  }
  for (const section of sections) {
    if (section.header !== undefined) lines.push(section.header);
    lines.push(...section.lines);
  }
  lines.push('ReplicaSets:');
  for (const rs of status.replicaSets) {
    const images = Object.entries(rs.images).map(([name, image]) => `${name}=${image}`).join(' ');
    lines.push(`  ${rs.name} revision ${rs.revision ?? '?'}${rs.current ? ' (current)' : ''}: ${rs.ready}/${rs.replicas} ready  ${images}`);
  }
  lines.push('Pods:');
  if (status.pods.length === 0) lines.push('  (none)');
  for (const p of status.pods) {
    lines.push(`  ${p.name} ${p.phase}${p.waiting ? ` (${p.waiting})` : ''} ready ${p.ready} restarts ${p.restarts}${p.node ? ` node ${p.node}` : ''} started ${shortTime(p.started)}`);
  }
  lines.push('Events:');
  if (status.events.length === 0) lines.push('  (none)');
  for (const e of status.events) lines.push(`  ${shortTime(e.time)} ${e.type} ${e.reason} ${e.object}: ${e.message}`);
  return lines.join('\n');
}
