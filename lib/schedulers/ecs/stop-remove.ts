/**
 * `hako stop` (scale the service to zero) and `hako remove` (scale to zero, then delete it). A service that does
 * not exist is not an error: the plan is a single no-op that says so; so is stopping a service already at zero.
 */
import type { ecs } from '../../aws/ports.js';
import type { Plan, Step } from '../../plan/plan.js';
import { ECS_STEP_OWNER } from './steps.js';
import type { ServiceTarget } from './status.js';

export const STOP_REMOVE_STEP_KINDS = ['service-missing', 'service-stopped', 'stop-service', 'delete-service'] as const;
export type StopRemoveStepKind = (typeof STOP_REMOVE_STEP_KINDS)[number];

export interface ServiceMissingPayload {
  serviceName: string;
}

/** Scale to zero (`stop`, and the first half of `remove`). */
export interface StopServicePayload {
  cluster: string;
  service: string;
  /** Log `<arn> is stopped` once done: false when a delete follows. */
  announce: boolean;
}

export interface DeleteServicePayload {
  cluster: string;
  service: string;
}

function missing(id: string): Plan {
  const step: Step<ServiceMissingPayload> = {
    owner: ECS_STEP_OWNER,
    kind: 'service-missing',
    action: 'noop',
    resource: `service ${id}`,
    title: `Service ${id} doesn't exist`,
    payload: { serviceName: id },
  };
  return { steps: [step] };
}

function refs(service: ecs.Service, model: ServiceTarget): { cluster: string; service: string; name: string } {
  return {
    cluster: service.clusterArn ?? model.scheduler.cluster,
    service: service.serviceArn ?? service.serviceName ?? model.id,
    name: service.serviceName ?? model.id,
  };
}

function scaleToZero(service: ecs.Service, model: ServiceTarget, announce: boolean): Step<StopServicePayload> {
  const r = refs(service, model);
  return {
    owner: ECS_STEP_OWNER,
    kind: 'stop-service',
    action: 'update',
    resource: `service ${r.name}`,
    title: `Set desired count of service ${r.name} to 0`,
    before: { desired_count: service.desiredCount ?? 0 },
    after: { desired_count: 0 },
    payload: { cluster: r.cluster, service: r.service, announce },
  };
}

/**
 * Plans `hako stop` from the live service (undefined when it does not exist). A service whose desired count is
 * already 0 is left alone: a second stop changes nothing, and says so (hako sent UpdateService again).
 */
export function planStop(service: ecs.Service | undefined, model: ServiceTarget): Plan {
  if (!service) return missing(model.id);
  if (service.desiredCount === 0 && service.schedulingStrategy !== 'DAEMON') {
    const r = refs(service, model);
    const step: Step<ServiceMissingPayload> = {
      owner: ECS_STEP_OWNER,
      kind: 'service-stopped',
      action: 'noop',
      resource: `service ${r.name}`,
      title: `Service ${r.name} is already stopped (desired count 0)`,
      payload: { serviceName: r.name },
    };
    return { steps: [step] };
  }
  return { steps: [scaleToZero(service, model, true)] };
}

/** The id of the remove plan's delete step: what steps that need the service gone depend on. */
export function deleteServiceStepId(name: string): string {
  return `${ECS_STEP_OWNER}:delete-service:${name}`;
}

/** Plans `hako remove`. DAEMON services have no desired count to lower, so they are deleted directly. */
export function planRemove(service: ecs.Service | undefined, model: ServiceTarget): Plan {
  if (!service) return missing(model.id);
  const r = refs(service, model);
  const steps: Step[] = [];
  const scale = { ...scaleToZero(service, model, false), id: `${ECS_STEP_OWNER}:stop-service:${r.name}` };
  if (service.schedulingStrategy !== 'DAEMON') steps.push(scale);
  const del: Step<DeleteServicePayload> = {
    id: deleteServiceStepId(r.name),
    // ECS refuses to delete a service that still runs tasks (without `force`): not before it is scaled down.
    ...(service.schedulingStrategy !== 'DAEMON' ? { dependsOn: [scale.id] } : {}),
    owner: ECS_STEP_OWNER,
    kind: 'delete-service',
    action: 'delete',
    resource: `service ${r.name}`,
    title: `Delete service ${r.name}`,
    before: { service: r.name, desired_count: service.desiredCount ?? 0 },
    payload: { cluster: r.cluster, service: r.service },
  };
  steps.push(del);
  return { steps };
}
