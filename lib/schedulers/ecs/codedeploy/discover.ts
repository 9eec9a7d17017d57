/**
 * Which CodeDeploy application and deployment group deploy the service, and what they are doing. Read-only.
 *
 * The rule: a deployment group deploys the service when its `ecsServices` name this service in this cluster.
 * `scheduler.codedeploy.application` and `.deployment_group` narrow the search (both given: one call); without
 * them every application is searched, like ecspresso does. Unlike ecspresso, which takes the first match, more
 * than one match is an error naming them all: deploying through the wrong group is not something to guess at.
 */
import type { CodeDeployApi, codeDeploy } from '../../../aws/ports.js';
import type { CodeDeployConfig } from '../../../definition/model.js';
import { HakoError } from '../../../errors.js';
import { awsErrorCode } from '../../../util/backoff.js';
import type { DeploymentGroupRef } from './steps.js';

export interface FoundDeploymentGroup extends DeploymentGroupRef {
  readonly info: codeDeploy.DeploymentGroupInfo;
  /** True when the definition named both the application and the group (nothing was searched). */
  readonly named: boolean;
}

export interface ServiceRef {
  readonly cluster: string;
  readonly service: string;
}

/** A cluster's name, whether the definition gives a name or an ARN. */
export function clusterName(cluster: string): string {
  const i = cluster.indexOf(':cluster/');
  return i >= 0 ? cluster.slice(i + ':cluster/'.length) : cluster;
}

function deploysService(info: codeDeploy.DeploymentGroupInfo, ref: ServiceRef): boolean {
  return (info.ecsServices ?? []).some((s) => s.serviceName === ref.service && clusterName(s.clusterName ?? '') === clusterName(ref.cluster));
}

function isMissing(e: unknown): boolean {
  return /^(ApplicationDoesNotExist|DeploymentGroupDoesNotExist)Exception$/.test(awsErrorCode(e) ?? '');
}

async function listApplications(api: CodeDeployApi): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await api.listApplications(nextToken ? { nextToken } : {});
    names.push(...(out.applications ?? []));
    // Some endpoints answer an empty string for "no more pages".
    nextToken = out.nextToken || undefined;
  } while (nextToken);
  return names;
}

async function listGroups(api: CodeDeployApi, application: string): Promise<string[]> {
  const names: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await api.listDeploymentGroups({ applicationName: application, ...(nextToken ? { nextToken } : {}) });
    names.push(...(out.deploymentGroups ?? []));
    nextToken = out.nextToken || undefined;
  } while (nextToken);
  return names;
}

/** The group, or undefined when it (or its application) does not exist. */
export async function getDeploymentGroup(api: CodeDeployApi, application: string, group: string): Promise<codeDeploy.DeploymentGroupInfo | undefined> {
  try {
    return (await api.getDeploymentGroup({ applicationName: application, deploymentGroupName: group })).deploymentGroupInfo;
  } catch (e) {
    if (isMissing(e)) return undefined;
    throw e;
  }
}

function describeServices(info: codeDeploy.DeploymentGroupInfo): string {
  const list = (info.ecsServices ?? []).map((s) => `${s.serviceName} in cluster ${s.clusterName}`);
  return list.length === 0 ? 'no ECS service' : list.join(', ');
}

/** Every ECS deployment group that deploys the service, searched as narrowly as the definition allows. */
async function search(api: CodeDeployApi, config: CodeDeployConfig | undefined, ref: ServiceRef): Promise<FoundDeploymentGroup[]> {
  const applications = config?.application !== undefined ? [config.application] : await listApplications(api);
  const found: FoundDeploymentGroup[] = [];
  for (const application of applications) {
    let groups: string[];
    if (config?.deployment_group !== undefined) groups = [config.deployment_group];
    else {
      try {
        groups = await listGroups(api, application);
      } catch (e) {
        if (isMissing(e)) continue;
        throw e;
      }
    }
    for (const deploymentGroup of groups) {
      const info = await getDeploymentGroup(api, application, deploymentGroup);
      if (info === undefined || (info.computePlatform !== undefined && info.computePlatform !== 'ECS')) continue;
      if (deploysService(info, ref)) found.push({ application, deploymentGroup, info, named: false });
    }
  }
  return found;
}

/**
 * The deployment group that deploys the service. Throws a HakoError saying what to set when there is none, when the
 * named one deploys something else, or when several match.
 */
export async function findDeploymentGroup(api: CodeDeployApi, config: CodeDeployConfig | undefined, ref: ServiceRef): Promise<FoundDeploymentGroup> {
  const what = `service ${ref.service} in cluster ${clusterName(ref.cluster)}`;
  if (config?.application !== undefined && config.deployment_group !== undefined) {
    const info = await getDeploymentGroup(api, config.application, config.deployment_group);
    const name = `${config.application}/${config.deployment_group}`;
    if (info === undefined) {
      throw new HakoError(`CodeDeploy deployment group ${name} does not exist`, 'CODEDEPLOY_GROUP_NOT_FOUND', 1, {
        hint: 'Create it (e.g. aws_codedeploy_deployment_group in Terraform) or correct scheduler.codedeploy.application / deployment_group.',
      });
    }
    if (!deploysService(info, ref)) {
      throw new HakoError(`CodeDeploy deployment group ${name} deploys ${describeServices(info)}, not ${what}`, 'CODEDEPLOY_GROUP_MISMATCH', 1, {
        hint: "Name the group whose ECS service is this one in scheduler.codedeploy, or fix the group's ecs_service.",
      });
    }
    return { application: config.application, deploymentGroup: config.deployment_group, info, named: true };
  }
  const found = await search(api, config, ref);
  if (found.length === 1) return found[0]!;
  const scope = config?.application !== undefined ? ` of application ${config.application}` : config?.deployment_group !== undefined ? ` named ${config.deployment_group}` : '';
  if (found.length === 0) {
    throw new HakoError(`No CodeDeploy deployment group${scope} deploys ${what}`, 'CODEDEPLOY_GROUP_NOT_FOUND', 1, {
      hint: 'Create a deployment group (compute platform ECS, blue/green) whose ECS service is this one, or name it in scheduler.codedeploy.application and deployment_group.',
    });
  }
  throw new HakoError(
    `${found.length} CodeDeploy deployment groups deploy ${what}: ${found.map((g) => `${g.application}/${g.deploymentGroup}`).join(', ')}`,
    'CODEDEPLOY_GROUP_AMBIGUOUS',
    1,
    { hint: 'Name the one to use in scheduler.codedeploy.application and deployment_group.' },
  );
}

/** Statuses of a deployment that has not finished. */
export const IN_FLIGHT_STATUSES = ['Created', 'Queued', 'InProgress', 'Baking', 'Ready'] as const;
export const FINISHED_STATUSES: ReadonlySet<string> = new Set(['Succeeded', 'Failed', 'Stopped']);

/** The group's deployments that have not finished, described (newest first). */
export async function inFlightDeployments(api: CodeDeployApi, group: DeploymentGroupRef): Promise<codeDeploy.DeploymentInfo[]> {
  const ids: string[] = [];
  let nextToken: string | undefined;
  do {
    const out = await api.listDeployments({
      applicationName: group.application,
      deploymentGroupName: group.deploymentGroup,
      includeOnlyStatuses: [...IN_FLIGHT_STATUSES],
      ...(nextToken ? { nextToken } : {}),
    });
    ids.push(...(out.deployments ?? []));
    nextToken = out.nextToken || undefined;
  } while (nextToken);
  const infos: codeDeploy.DeploymentInfo[] = [];
  for (const deploymentId of ids) {
    const info = (await api.getDeployment({ deploymentId })).deploymentInfo;
    // The list and the description are two reads: a deployment may have finished in between.
    if (info !== undefined && !FINISHED_STATUSES.has(info.status ?? '')) infos.push(info);
  }
  return infos.sort((a, b) => (b.createTime?.getTime() ?? 0) - (a.createTime?.getTime() ?? 0));
}
