/**
 * Service discovery for `remove` and `status` (reference §4.10, §4.11): both start from the registries the live
 * ECS service carries, not from the definition, so they find what was actually attached.
 */
import type { ecs, ServiceDiscoveryApi } from '../../../aws/ports.js';
import type { Plan } from '../../../plan/plan.js';
import { awsErrorCode } from '../../../util/backoff.js';
import { SD_STEP_OWNER, type SdStep } from './plan.js';

/** The Cloud Map service id in a registry ARN (`arn:aws:servicediscovery:…:service/srv-…`). */
export function sdServiceIdFromArn(arn: string): string {
  const i = arn.indexOf('service/');
  return i >= 0 ? arn.slice(i + 'service/'.length) : arn;
}

function registryArnsOf(service: ecs.Service | undefined): string[] {
  const arns = (service?.serviceRegistries ?? []).map((r) => r.registryArn).filter((a): a is string => !!a);
  return [...new Set(arns)];
}

/** A Cloud Map service found behind a registry. */
export interface SdServiceFound {
  readonly id: string;
  readonly name: string;
  readonly namespaceId?: string;
}

export interface SdRemovalObserved {
  readonly found: readonly SdServiceFound[];
  /** Ids of registries whose Cloud Map service no longer exists (skipped, as hako does). */
  readonly missing: readonly string[];
}

async function getSdService(api: ServiceDiscoveryApi, id: string): Promise<SdServiceFound | undefined> {
  try {
    const service = (await api.getService({ Id: id })).Service;
    if (service === undefined) return undefined;
    return { id, name: service.Name ?? id, ...(service.NamespaceId === undefined ? {} : { namespaceId: service.NamespaceId }) };
  } catch (e) {
    if (awsErrorCode(e) === 'ServiceNotFound') return undefined;
    throw e;
  }
}

/** Looks up the Cloud Map service behind each registry of the live ECS service. Read-only. */
export async function observeSdRemoval(api: ServiceDiscoveryApi, service: ecs.Service | undefined): Promise<SdRemovalObserved> {
  const found: SdServiceFound[] = [];
  const missing: string[] = [];
  for (const arn of registryArnsOf(service)) {
    const id = sdServiceIdFromArn(arn);
    const got = await getSdService(api, id);
    if (got === undefined) missing.push(id);
    else found.push(got);
  }
  return { found, missing };
}

/** True when the live service has registries, i.e. `remove` needs the Cloud Map port at all. */
export function hasServiceRegistries(service: ecs.Service | undefined): boolean {
  return registryArnsOf(service).length > 0;
}

/** One delete step per Cloud Map service found; applied after the ECS service is deleted. Pure. */
export function planSdRemoval(observed: SdRemovalObserved): Plan {
  const steps: SdStep<'delete-sd-service'>[] = observed.found.map((s) => ({
    owner: SD_STEP_OWNER,
    kind: 'delete-sd-service',
    action: 'delete',
    resource: `service discovery service ${s.name}`,
    title: `Delete service discovery service ${s.name} (${s.id})`,
    before: { name: s.name, id: s.id, ...(s.namespaceId === undefined ? {} : { namespace_id: s.namespaceId }) },
    payload: { id: s.id, name: s.name },
  }));
  return { steps };
}

/** One registry in `hako status`. */
export interface SdStatusEntry {
  readonly id: string;
  readonly name: string;
  /** The namespace's name (its id when it could not be read). */
  readonly namespace: string;
  readonly instanceCount: number;
  readonly instances: readonly { readonly id: string; readonly attributes: Readonly<Record<string, string>> }[];
}

/**
 * Reads the Cloud Map service, namespace and instances behind each registry ARN (as the live ECS service lists
 * them). Registries whose service is gone are left out.
 */
export async function observeSdStatus(api: ServiceDiscoveryApi, registryArns: readonly string[]): Promise<SdStatusEntry[]> {
  const entries: SdStatusEntry[] = [];
  const namespaceNames = new Map<string, string>();
  for (const arn of new Set(registryArns)) {
    const found = await getSdService(api, sdServiceIdFromArn(arn));
    if (found === undefined) continue;
    let namespace = found.namespaceId ?? '';
    if (found.namespaceId !== undefined) {
      const known = namespaceNames.get(found.namespaceId);
      if (known !== undefined) namespace = known;
      else {
        try {
          namespace = (await api.getNamespace({ Id: found.namespaceId })).Namespace?.Name ?? found.namespaceId;
        } catch (e) {
          if (awsErrorCode(e) !== 'NamespaceNotFound') throw e;
        }
        namespaceNames.set(found.namespaceId, namespace);
      }
    }
    const instances: { id: string; attributes: Record<string, string> }[] = [];
    let nextToken: string | undefined;
    do {
      const page = await api.listInstances({ ServiceId: found.id, ...(nextToken === undefined ? {} : { NextToken: nextToken }) });
      for (const i of page.Instances ?? []) instances.push({ id: i.Id ?? '', attributes: { ...(i.Attributes ?? {}) } });
      nextToken = page.NextToken;
    } while (nextToken);
    entries.push({ id: found.id, name: found.name, namespace, instanceCount: instances.length, instances });
  }
  return entries;
}

/** hako's status lines for the registries: `  <service>.<namespace> instance_count=<n>`, then one line per instance. */
export function renderSdStatus(entries: readonly SdStatusEntry[]): string[] {
  const lines: string[] = [];
  for (const e of entries) {
    lines.push(`  ${e.name}.${e.namespace} instance_count=${e.instanceCount}`);
    for (const i of e.instances) {
      const attrs = Object.entries(i.attributes).map(([k, v]) => `${k}=${v}`).join(', ');
      lines.push(`    ${i.id}${attrs ? ` ${attrs}` : ''}`);
    }
  }
  return lines;
}
