/**
 * `hako init` for ECS: read a live service, its task definition and what hangs off it (Cloud Map services, the
 * scalable target and its policies), and write the definition that describes it. Only Describe/Get calls.
 *
 * The contract is that `hako diff` on the written file right away reports no changes. Where that cannot hold
 * (hako needs the app container named `app`; the task definition family is the app id), a note says why.
 */
import type { appAutoScaling, AwsClients, ecs, serviceDiscovery } from '../../../aws/ports.js';
import { isAwsError } from '../../../aws/aws-error.js';
import { parseArn } from '../../../aws/arn.js';
import { HakoError } from '../../../errors.js';
import type { SchedulerInitOptions, SchedulerInitResult } from '../../scheduler.js';
import { SCALABLE_DIMENSION, scalableResourceId, SERVICE_NAMESPACE } from '../autoscaling/plan.js';
import { describeAppService, describeLatestTaskDefinition } from '../observe.js';
import { chooseApp, containerDefinition, Notes, volumesDefinition } from './containers.js';
import { schedulerDefinition, type LiveApp } from './scheduler-settings.js';

async function describeSdServices(aws: AwsClients, service: ecs.Service): Promise<Map<string, serviceDiscovery.Service>> {
  const found = new Map<string, serviceDiscovery.Service>();
  const registries = service.serviceRegistries ?? [];
  if (registries.length === 0) return found;
  const api = await aws.serviceDiscovery();
  await Promise.all(
    registries.map(async (r) => {
      const id = r.registryArn?.split('/').pop();
      if (!r.registryArn || !id) return;
      try {
        const out = await api.getService({ Id: id });
        if (out.Service) found.set(r.registryArn, out.Service);
      } catch (e) {
        if (!isAwsError(e)) throw e;
      }
    }),
  );
  return found;
}

async function describeAutoscaling(
  aws: AwsClients,
  cluster: string,
  serviceName: string,
): Promise<{ target?: appAutoScaling.ScalableTarget; policies: appAutoScaling.ScalingPolicy[] }> {
  const api = await aws.applicationAutoScaling();
  const resourceId = scalableResourceId(cluster, serviceName);
  const targets = await api.describeScalableTargets({ ServiceNamespace: SERVICE_NAMESPACE, ResourceIds: [resourceId], ScalableDimension: SCALABLE_DIMENSION });
  const target = targets.ScalableTargets?.[0];
  if (target === undefined) return { policies: [] };
  const policies: appAutoScaling.ScalingPolicy[] = [];
  let next: string | undefined;
  do {
    const page = await api.describeScalingPolicies({ ServiceNamespace: SERVICE_NAMESPACE, ResourceId: resourceId, ScalableDimension: SCALABLE_DIMENSION, NextToken: next });
    policies.push(...(page.ScalingPolicies ?? []));
    next = page.NextToken;
  } while (next);
  return { target, policies };
}

export async function initEcs(options: SchedulerInitOptions, aws: AwsClients): Promise<SchedulerInitResult> {
  const notes = new Notes();
  const ecsApi = await aws.ecs();
  const service = await describeAppService(ecsApi, options.cluster, options.service);
  if (service === undefined) {
    throw new HakoError(`Service ${options.service} not found in cluster ${options.cluster}`, 'SERVICE_NOT_FOUND', 1, {
      hint: 'Check --cluster, --service and --region (or AWS_REGION).',
    });
  }
  const out = await ecsApi.describeTaskDefinition({ taskDefinition: service.taskDefinition ?? '', include: ['TAGS'] });
  const taskDefinition = out.taskDefinition;
  if (taskDefinition === undefined) throw new HakoError(`Task definition ${service.taskDefinition} could not be described`, 'ECS_TASK_DEFINITION_NOT_FOUND');
  const family = taskDefinition.family ?? '';
  if (family !== options.appId) {
    notes.warn(`the task definition family is ${family}; hako registers the family of the app id (${options.appId}), so the first deploy starts that family and diff shows its first revision`, 'scheduler');
  } else {
    // diff compares with the family's latest ACTIVE revision: if the service runs an older one, that shows.
    const latest = await describeLatestTaskDefinition(ecsApi, family);
    const latestArn = latest?.taskDefinition.taskDefinitionArn;
    if (latestArn !== undefined && latestArn !== taskDefinition.taskDefinitionArn) {
      notes.warn(`the service runs ${taskDefinition.taskDefinitionArn} but the family's latest revision is ${latestArn}: diff compares with the latest`, 'scheduler');
    }
  }
  const [sdServices, scaling] = await Promise.all([describeSdServices(aws, service), describeAutoscaling(aws, options.cluster, options.service)]);

  const containers = taskDefinition.containerDefinitions ?? [];
  const choice = chooseApp(containers);
  if (choice === undefined) throw new HakoError(`Task definition ${taskDefinition.taskDefinitionArn} has no containers`, 'ECS_NO_CONTAINERS');
  const appName = choice.container.name ?? '';
  const rename = appName === 'app' ? undefined : { from: appName, to: 'app' };
  notes.info(`the app container is ${appName} (${choice.why})${rename ? '; hako names it app' : ''}`, 'app');
  if (rename) {
    notes.warn(`hako's app container is always named app: the first deploy registers ${appName} as app, so diff shows the container renamed`, 'app');
    if (containers.some((c) => c.name === 'app')) throw new HakoError('internal: a container named app was not chosen as the app', 'INTERNAL');
  }
  const ctx = { networkMode: taskDefinition.networkMode, notes, ...(rename ? { rename } : {}) };
  const sidecars = Object.fromEntries(
    containers.filter((c) => c !== choice.container).map((c) => [c.name ?? '', containerDefinition(c, false, ctx)]),
  );
  const region = options.region ?? (service.serviceArn ? parseArn(service.serviceArn)?.region : undefined);
  const live: LiveApp = {
    cluster: options.cluster,
    ...(region ? { region } : {}),
    service,
    taskDefinition,
    taskDefinitionTags: out.tags ?? [],
    sdServices,
    ...(scaling.target ? { scalableTarget: scaling.target } : {}),
    scalingPolicies: scaling.policies,
  };
  const scheduler = schedulerDefinition(live, notes);
  if (rename) renameBindings(scheduler, rename);
  const volumes = volumesDefinition(taskDefinition.volumes ?? [], notes);
  const definition: Record<string, unknown> = {
    scheduler,
    app: containerDefinition(choice.container, true, ctx),
    ...(Object.keys(sidecars).length > 0 ? { sidecars } : {}),
    ...(Object.keys(volumes).length > 0 ? { volumes } : {}),
  };
  return { definition, notes: notes.list };
}

/** Load balancer and Cloud Map bindings name containers too. */
function renameBindings(scheduler: Record<string, unknown>, rename: { from: string; to: string }): void {
  for (const key of ['load_balancers', 'service_discovery'] as const) {
    const list = scheduler[key] as { container_name?: string }[] | undefined;
    for (const b of list ?? []) if (b.container_name === rename.from) b.container_name = rename.to;
  }
}
