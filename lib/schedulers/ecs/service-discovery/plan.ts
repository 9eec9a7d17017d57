/**
 * Cloud Map service discovery for the ECS service (`scheduler.service_discovery`, reference §3.6, §3.10.4, §4.16):
 * observe the namespaces and services the definition names, then plan (purely) which Cloud Map services to create
 * or update, and which registries the ECS service should carry. The steps run before the ECS steps, so a registry
 * whose service is created in the same apply refers to the create step's output (lib/plan/outputs.ts).
 */
import type { ServiceDiscoveryApi, serviceDiscovery } from '../../../aws/ports.js';
import type { DeepReadonly, ServiceDiscoveryEntry as SdEntryData } from '../../../definition/model.js';
import { DuplicateResourcesError, HakoError } from '../../../errors.js';
import { outputRef } from '../../../plan/outputs.js';
import { deepEqual, describeDifference, differences, pruneEmpty, sortUnordered } from '../../../plan/normalise-for-diff.js';
import type { OwnedStep } from '../../../plan/plan.js';
import { awsErrorCode } from '../../../util/backoff.js';
import type { DeferredServiceRegistry } from '../steps.js';

/** A `scheduler.service_discovery` entry as the (read-only) model holds it. */
export type ServiceDiscoveryEntry = DeepReadonly<SdEntryData>;

/** The output key of the ARN of Cloud Map service `name` in `namespaceId`. */
export function sdServiceArnKey(namespaceId: string, name: string): string {
  return `ecs:service-discovery:${namespaceId}/${name}:arn`;
}

/** `Step.owner` of every step planned here. */
export const SD_STEP_OWNER = 'service-discovery';

export const SD_STEP_KINDS = ['create-sd-service', 'update-sd-service', 'sd-service-unchanged', 'delete-sd-service'] as const;
export type SdStepKind = (typeof SD_STEP_KINDS)[number];

/** Create a Cloud Map service (action `create`). */
export interface CreateSdServicePayload {
  readonly input: serviceDiscovery.CreateServiceCommandInput;
}

/** Update a Cloud Map service's description and DNS records (action `update`); the applier waits for the operation. */
export interface UpdateSdServicePayload {
  readonly id: string;
  readonly name: string;
  readonly input: serviceDiscovery.UpdateServiceCommandInput;
}

/** The live Cloud Map service already matches (action `noop`). */
export interface SdServiceUnchangedPayload {
  readonly id: string;
  readonly name: string;
  readonly arn: string;
}

/** Delete a Cloud Map service the removed ECS service pointed at (action `delete`). */
export interface DeleteSdServicePayload {
  readonly id: string;
  readonly name: string;
}

export interface SdPayloads {
  'create-sd-service': CreateSdServicePayload;
  'update-sd-service': UpdateSdServicePayload;
  'sd-service-unchanged': SdServiceUnchangedPayload;
  'delete-sd-service': DeleteSdServicePayload;
}

/** A step planned here, narrowed by kind. */
export type SdStep<K extends SdStepKind = SdStepKind> = OwnedStep<typeof SD_STEP_OWNER, SdPayloads, K>;

/** One `service_discovery` entry with what Cloud Map holds for it. */
export interface SdObservedEntry {
  readonly entry: ServiceDiscoveryEntry;
  readonly namespace: { readonly id: string; readonly name: string };
  /** The service named `entry.service.name` in the namespace; absent when it does not exist yet. */
  readonly service?: serviceDiscovery.Service;
}

/** What the deploy planner produces: steps, warnings to show, and the registries for the ECS service. */
export interface SdPlan {
  readonly steps: readonly SdStep[];
  /** hako's "Ignoring updated …" warnings (settings Cloud Map cannot update). */
  readonly warnings: readonly string[];
  /** In entry order; `registryArn` is a ref for services created by this plan's apply. */
  readonly registries: readonly DeferredServiceRegistry[];
}

export const ROUTING_POLICY_WARNING =
  "Ignoring updated service_discovery.dns_config.routing_policy in the configuration, because AWS doesn't allow updating it for now.";
export const HEALTH_CHECK_WARNING =
  "Ignoring updated service_discovery.health_check_custom_config in the configuration, because AWS doesn't allow updating it for now.";

function isNotFound(e: unknown, code: string): boolean {
  return awsErrorCode(e) === code;
}

/**
 * The Cloud Map service named `name` in the namespace, or undefined. ListServices' summaries do not say which
 * namespace a service is in, and some endpoints (moto) ignore the NAMESPACE_ID filter, so each name match is
 * confirmed with GetService.
 */
export async function findSdService(
  api: ServiceDiscoveryApi,
  namespaceId: string,
  name: string,
): Promise<serviceDiscovery.Service | undefined> {
  const matches: serviceDiscovery.Service[] = [];
  let nextToken: string | undefined;
  do {
    const page = await api.listServices({
      Filters: [{ Name: 'NAMESPACE_ID', Values: [namespaceId], Condition: 'EQ' }],
      ...(nextToken === undefined ? {} : { NextToken: nextToken }),
    });
    for (const summary of page.Services ?? []) {
      if (summary.Name !== name || summary.Id === undefined) continue;
      const got = await api.getService({ Id: summary.Id });
      const service = got.Service;
      if (service !== undefined && (service.NamespaceId === undefined || service.NamespaceId === namespaceId)) matches.push(service);
    }
    nextToken = page.NextToken;
  } while (nextToken);
  // Cloud Map keeps names unique per namespace, but an endpoint that does not (or a lost create repeated by an
  // older client) can leave two: creating or picking one more would only add to the mess.
  if (matches.length > 1) {
    const resource = `service discovery service ${name} in namespace ${namespaceId}`;
    throw new DuplicateResourcesError(`Found ${matches.length} copies of ${resource}`, [{ resource, arns: matches.map((m) => m.Arn ?? m.Id ?? '?') }], {
      hint: 'Keep the one the ECS service registers into (`hako status` lists it), delete the others (aws servicediscovery delete-service --id …), then run hako again.',
    });
  }
  return matches[0];
}

/** The namespace an entry names, which must exist and be a private DNS namespace (ECS registers only there). */
async function observeNamespace(api: ServiceDiscoveryApi, id: string): Promise<{ id: string; name: string }> {
  let namespace: serviceDiscovery.Namespace | undefined;
  try {
    namespace = (await api.getNamespace({ Id: id })).Namespace;
  } catch (e) {
    if (isNotFound(e, 'NamespaceNotFound')) namespace = undefined;
    else throw e;
  }
  if (namespace === undefined) {
    throw new HakoError(`Service discovery namespace ${id} not found`, 'SERVICE_DISCOVERY_NAMESPACE_NOT_FOUND', 1, {
      hint: 'Check scheduler.service_discovery[].service.namespace_id',
    });
  }
  const name = namespace.Name ?? id;
  if (namespace.Type !== 'DNS_PRIVATE') {
    throw new HakoError(
      `ECS only supports registering a service into a private DNS namespace: ${name} (${id})`,
      'SERVICE_DISCOVERY_NAMESPACE_NOT_PRIVATE',
    );
  }
  return { id, name };
}

/** Reads each entry's namespace (once per namespace) and its service. Read-only. */
export async function observeServiceDiscovery(
  api: ServiceDiscoveryApi,
  entries: readonly ServiceDiscoveryEntry[],
): Promise<SdObservedEntry[]> {
  const namespaces = new Map<string, Promise<{ id: string; name: string }>>();
  const observed: SdObservedEntry[] = [];
  for (const entry of entries) {
    const nsId = entry.service.namespace_id;
    let ns = namespaces.get(nsId);
    if (ns === undefined) {
      ns = observeNamespace(api, nsId);
      namespaces.set(nsId, ns);
    }
    const namespace = await ns;
    const service = await findSdService(api, nsId, entry.service.name);
    observed.push(service === undefined ? { entry, namespace } : { entry, namespace, service });
  }
  return observed;
}

/** The comparable shape of a Cloud Map service (§3.10.4): description and the DNS records as a multiset. */
export function sdServiceShape(description: string | undefined, records: readonly { type?: string; ttl?: number }[]): {
  description?: string;
  dns_records: { type?: string; ttl?: number }[];
} {
  return {
    ...(description === undefined ? {} : { description }),
    dns_records: sortUnordered(records.map((r) => ({ type: r.type, ttl: r.ttl }))),
  };
}

function desiredShape(entry: ServiceDiscoveryEntry) {
  return sdServiceShape(entry.service.description, entry.service.dns_config.dns_records);
}

function liveShape(service: serviceDiscovery.Service) {
  const records = (service.DnsConfig?.DnsRecords ?? []).map((r) => ({ type: r.Type, ttl: r.TTL }));
  // Cloud Map omits an unset description; an empty one means the same.
  return sdServiceShape(service.Description === '' ? undefined : service.Description, records);
}

/** Does the live service differ from the entry in what UpdateService can change? (hako's comparator, §3.10.4.) */
export function sdServiceChanged(entry: ServiceDiscoveryEntry, service: serviceDiscovery.Service): boolean {
  return !deepEqual(liveShape(service), desiredShape(entry));
}

function dnsRecords(entry: ServiceDiscoveryEntry): serviceDiscovery.DnsRecord[] {
  return entry.service.dns_config.dns_records.map((r) => ({ Type: r.type, TTL: r.ttl }));
}

/** The CreateService request for an entry (§4.16), absent settings left out. */
export function buildCreateSdService(entry: ServiceDiscoveryEntry): serviceDiscovery.CreateServiceCommandInput {
  const s = entry.service;
  return {
    Name: s.name,
    NamespaceId: s.namespace_id,
    ...(s.description === undefined ? {} : { Description: s.description }),
    DnsConfig: {
      ...(s.dns_config.namespace_id === undefined ? {} : { NamespaceId: s.dns_config.namespace_id }),
      RoutingPolicy: s.dns_config.routing_policy,
      DnsRecords: dnsRecords(entry),
    },
    ...(s.health_check_custom_config === undefined
      ? {}
      : { HealthCheckCustomConfig: { FailureThreshold: s.health_check_custom_config.failure_threshold } }),
  };
}

/** The UpdateService request: only the description and the DNS records can change (§4.16). */
export function buildUpdateSdService(entry: ServiceDiscoveryEntry, id: string): serviceDiscovery.UpdateServiceCommandInput {
  return {
    Id: id,
    Service: {
      ...(entry.service.description === undefined ? {} : { Description: entry.service.description }),
      DnsConfig: { DnsRecords: dnsRecords(entry) },
    },
  };
}

/** Warnings for settings that differ from the live service but that Cloud Map cannot update. */
function ignoredChanges(entry: ServiceDiscoveryEntry, service: serviceDiscovery.Service): string[] {
  const warnings: string[] = [];
  const livePolicy = service.DnsConfig?.RoutingPolicy;
  if (livePolicy !== undefined && livePolicy !== entry.service.dns_config.routing_policy) warnings.push(ROUTING_POLICY_WARNING);
  const wantThreshold = entry.service.health_check_custom_config?.failure_threshold;
  const haveThreshold = service.HealthCheckCustomConfig?.FailureThreshold;
  const wantHc = entry.service.health_check_custom_config !== undefined;
  const haveHc = service.HealthCheckCustomConfig !== undefined;
  if (wantHc !== haveHc || (wantHc && haveThreshold !== undefined && wantThreshold !== haveThreshold)) warnings.push(HEALTH_CHECK_WARNING);
  return warnings;
}

function registryRef(entry: ServiceDiscoveryEntry, registryArn: string | undefined): DeferredServiceRegistry {
  const { name, namespace_id: namespaceId } = entry.service;
  return {
    registryArn: registryArn ?? outputRef(sdServiceArnKey(namespaceId, name), `ARN of service discovery service ${name}`),
    ...(entry.container_name === undefined ? {} : { containerName: entry.container_name }),
    ...(entry.container_port === undefined ? {} : { containerPort: entry.container_port }),
    ...(entry.port === undefined ? {} : { port: entry.port }),
  };
}

/** Plans the Cloud Map side of a deploy. Pure. */
export function planServiceDiscovery(observed: readonly SdObservedEntry[]): SdPlan {
  const steps: SdStep[] = [];
  const warnings: string[] = [];
  const registries: DeferredServiceRegistry[] = [];
  for (const { entry, namespace, service } of observed) {
    const name = entry.service.name;
    const resource = `service discovery service ${name}.${namespace.name}`;
    const after = pruneEmpty({
      ...desiredShape(entry),
      routing_policy: entry.service.dns_config.routing_policy,
      health_check_custom_config: entry.service.health_check_custom_config,
    });
    if (service === undefined || service.Id === undefined || service.Arn === undefined) {
      steps.push({
        owner: SD_STEP_OWNER,
        kind: 'create-sd-service',
        action: 'create',
        resource,
        title: `Create service discovery service ${name} in namespace ${namespace.name} (${namespace.id})`,
        after,
        payload: { input: buildCreateSdService(entry) },
        outputs: { [sdServiceArnKey(namespace.id, name)]: undefined },
      });
      registries.push(registryRef(entry, undefined));
      continue;
    }
    const before = pruneEmpty({
      ...liveShape(service),
      routing_policy: service.DnsConfig?.RoutingPolicy,
      health_check_custom_config:
        service.HealthCheckCustomConfig && { failure_threshold: service.HealthCheckCustomConfig.FailureThreshold },
    });
    if (sdServiceChanged(entry, service)) {
      const reasons = differences(liveShape(service), desiredShape(entry)).map(describeDifference);
      steps.push({
        owner: SD_STEP_OWNER,
        kind: 'update-sd-service',
        action: 'update',
        resource,
        title: `Update service discovery service ${name} (${service.Id}): ${reasons.join(', ')}`,
        before,
        after,
        payload: { id: service.Id, name, input: buildUpdateSdService(entry, service.Id) },
        outputs: { [sdServiceArnKey(namespace.id, name)]: service.Arn },
      });
    } else {
      steps.push({
        owner: SD_STEP_OWNER,
        kind: 'sd-service-unchanged',
        action: 'noop',
        resource,
        title: `Service discovery service isn't changed: ${name} (${service.Id})`,
        before,
        after,
        payload: { id: service.Id, name, arn: service.Arn },
        outputs: { [sdServiceArnKey(namespace.id, name)]: service.Arn },
      });
    }
    for (const w of ignoredChanges(entry, service)) if (!warnings.includes(w)) warnings.push(w);
    registries.push(registryRef(entry, service.Arn));
  }
  return { steps, warnings, registries };
}
