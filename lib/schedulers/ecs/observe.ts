/**
 * Reads the live ECS state a deploy plan needs. Read-only: only Describe/List calls.
 *
 * A no-op deploy costs two calls (DescribeServices + DescribeTaskDefinition with its tags included); hako makes
 * three (it asks ListTagsForResource separately). ListTagsForResource is only the fallback for an endpoint that
 * ignores `include: ['TAGS']`.
 */
import type { ecs, EcsApi } from '../../aws/ports.js';
import type { AppModel } from '../../definition/model.js';
import { AwsApiError } from '../../errors.js';

/** Live state relevant to deploying an app's service. */
export interface EcsObserved {
  /** The service named after the app; absent when missing or INACTIVE (deleted). */
  readonly service?: ecs.Service;
  /** The latest ACTIVE revision of the family; absent when the family has none. */
  readonly taskDefinition?: ecs.TaskDefinition;
  readonly taskDefinitionTags: readonly ecs.Tag[];
  /** Number of API calls made (for tests and `--verbose`). */
  readonly calls: number;
}

/** An ECS ClientException, whether the port passes the SDK error through or wraps it in our AwsApiError. */
function isClientException(e: unknown): boolean {
  if (e instanceof AwsApiError) return e.awsCode === 'ClientException';
  return typeof e === 'object' && e !== null && (e as { name?: unknown }).name === 'ClientException';
}

/** The app's service in its cluster, or undefined when it does not exist (or was deleted). */
export async function describeAppService(api: EcsApi, cluster: string, serviceName: string): Promise<ecs.Service | undefined> {
  const out = await api.describeServices({ cluster, services: [serviceName] });
  const service = out.services?.[0];
  return service === undefined || service.status === 'INACTIVE' ? undefined : service;
}

/** The latest ACTIVE revision of `family` with its tags; undefined when ECS knows no such family (hako: any ClientException). */
export async function describeLatestTaskDefinition(
  api: EcsApi,
  family: string,
): Promise<{ taskDefinition: ecs.TaskDefinition; tags: ecs.Tag[]; calls: number } | undefined> {
  let out: ecs.DescribeTaskDefinitionCommandOutput;
  try {
    out = await api.describeTaskDefinition({ taskDefinition: family, include: ['TAGS'] });
  } catch (e) {
    if (isClientException(e)) return undefined;
    throw e;
  }
  const taskDefinition = out.taskDefinition;
  if (taskDefinition === undefined) return undefined;
  if (out.tags !== undefined || taskDefinition.taskDefinitionArn === undefined) {
    return { taskDefinition, tags: out.tags ?? [], calls: 1 };
  }
  const listed = await api.listTagsForResource({ resourceArn: taskDefinition.taskDefinitionArn });
  return { taskDefinition, tags: listed.tags ?? [], calls: 2 };
}

/** Observes the app's service and the latest task definition of `family` (usually the app id). */
export async function observeEcs(api: EcsApi, model: AppModel, family: string): Promise<EcsObserved> {
  const [service, td] = await Promise.all([
    describeAppService(api, model.scheduler.cluster, model.id),
    describeLatestTaskDefinition(api, family),
  ]);
  const observed: { -readonly [K in keyof EcsObserved]: EcsObserved[K] } = {
    taskDefinitionTags: td?.tags ?? [],
    calls: 1 + (td?.calls ?? 1),
  };
  if (service !== undefined) observed.service = service;
  if (td !== undefined) observed.taskDefinition = td.taskDefinition;
  return observed;
}
