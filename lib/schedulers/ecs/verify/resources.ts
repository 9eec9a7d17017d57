/**
 * The ECS service's surroundings: the cluster and its capacity providers, the awsvpc subnets and security groups
 * (which must all be in one VPC), the target groups it binds (of a type the network mode can register), the
 * Cloud Map namespaces, and the awslogs groups. Each check makes the one or two calls it needs.
 */
import type { Ec2Api, EcsApi, Elbv2Api, LogsApi, ServiceDiscoveryApi } from '../../../aws/ports.js';
import { isAwsError } from '../../../aws/aws-error.js';
import type { EcsScheduler } from '../../../definition/model.js';
import { failed, ok, skipped, type CheckResult, type VerifyCheck } from '../../../verify/checks.js';

export function clusterCheck(s: EcsScheduler, ecs: () => Promise<EcsApi>): VerifyCheck {
  const wanted = (s.capacity_provider_strategy ?? []).map((c) => c.capacity_provider);
  return {
    title: `cluster ${s.cluster}${wanted.length > 0 ? ` with capacity providers ${wanted.join(', ')}` : ''}`,
    async run(): Promise<CheckResult> {
      const out = await (await ecs()).describeClusters({ clusters: [s.cluster] });
      const cluster = out.clusters?.[0];
      if (cluster === undefined || cluster.status === 'INACTIVE') return failed('no such cluster');
      if (cluster.status !== 'ACTIVE') return failed(`it is ${cluster.status}`);
      const have = cluster.capacityProviders ?? [];
      const missing = wanted.filter((p) => !have.includes(p));
      if (missing.length > 0) return failed(`capacity provider${missing.length > 1 ? 's' : ''} ${missing.join(', ')} not associated with it (it has: ${have.join(', ') || 'none'})`);
      return ok(`ACTIVE${have.length > 0 ? `, capacity providers ${have.join(', ')}` : ''}`);
    },
  };
}

/** Subnets and security groups exist and share one VPC (ECS rejects the service otherwise, at CreateService). */
export function networkCheck(s: EcsScheduler, ec2: () => Promise<Ec2Api>): VerifyCheck {
  const vpc = s.network_configuration?.awsvpc_configuration;
  if (s.network_mode !== 'awsvpc' || vpc === undefined) {
    return { title: 'subnets and security groups', run: async () => skipped(`network mode ${s.network_mode ?? 'bridge'}: the task uses the instance's network`) };
  }
  const subnets = [...vpc.subnets];
  const groups = [...(vpc.security_groups ?? [])];
  return {
    title: `subnets ${subnets.join(', ')}${groups.length > 0 ? ` and security groups ${groups.join(', ')}` : ''}`,
    async run(): Promise<CheckResult> {
      const api = await ec2();
      const vpcs = new Map<string, string>();
      try {
        const found = (await api.describeSubnets({ SubnetIds: subnets })).Subnets ?? [];
        for (const sn of found) vpcs.set(sn.SubnetId ?? '', sn.VpcId ?? '');
      } catch (e) {
        if (isAwsError(e, 'InvalidSubnetID.NotFound', 'InvalidSubnetID.Malformed')) return failed(e.message.replace(/^.*?failed: /, ''));
        throw e;
      }
      if (groups.length > 0) {
        try {
          const found = (await api.describeSecurityGroups({ GroupIds: groups })).SecurityGroups ?? [];
          for (const g of found) vpcs.set(g.GroupId ?? '', g.VpcId ?? '');
        } catch (e) {
          if (isAwsError(e, 'InvalidGroup.NotFound', 'InvalidGroupId.Malformed')) return failed(e.message.replace(/^.*?failed: /, ''));
          throw e;
        }
      }
      const missing = [...subnets, ...groups].filter((id) => !vpcs.has(id));
      if (missing.length > 0) return failed(`not found: ${missing.join(', ')}`);
      const distinct = [...new Set(vpcs.values())];
      if (distinct.length > 1) {
        return failed(`they are in different VPCs: ${[...vpcs].map(([id, v]) => `${id} in ${v}`).join(', ')}`);
      }
      return ok(`all in ${distinct[0]}`);
    },
  };
}

/** The target type ECS registers tasks as: their IP under awsvpc, the instance (and a port) otherwise. */
function expectedTargetType(networkMode: string | undefined): string {
  return networkMode === 'awsvpc' ? 'ip' : 'instance';
}

export function targetGroupsCheck(arns: readonly string[], networkMode: string | undefined, elbv2: () => Promise<Elbv2Api>): VerifyCheck {
  return {
    title: `target group${arns.length > 1 ? 's' : ''} ${arns.join(', ')}`,
    async run(): Promise<CheckResult> {
      let groups;
      try {
        groups = (await (await elbv2()).describeTargetGroups({ TargetGroupArns: [...arns] })).TargetGroups ?? [];
      } catch (e) {
        if (isAwsError(e, 'TargetGroupNotFound', 'TargetGroupNotFoundException')) return failed('not found');
        throw e;
      }
      const missing = arns.filter((a) => !groups.some((g) => g.TargetGroupArn === a));
      if (missing.length > 0) return failed(`not found: ${missing.join(', ')}`);
      const want = expectedTargetType(networkMode);
      const wrong = groups.filter((g) => (g.TargetType ?? 'instance') !== want);
      if (wrong.length > 0) {
        return failed(`${wrong.map((g) => `${g.TargetGroupName} has target type ${g.TargetType}`).join('; ')}: network mode ${networkMode ?? 'bridge'} registers targets of type ${want}`);
      }
      return ok(`exist, target type ${want}`);
    },
  };
}

export function namespaceCheck(id: string, sd: () => Promise<ServiceDiscoveryApi>): VerifyCheck {
  return {
    title: `Cloud Map namespace ${id}`,
    async run(): Promise<CheckResult> {
      try {
        const ns = (await (await sd()).getNamespace({ Id: id })).Namespace;
        return ok(`${ns?.Name ?? id} (${ns?.Type ?? 'unknown type'})`);
      } catch (e) {
        if (isAwsError(e, 'NamespaceNotFound', 'NamespaceNotFoundException')) return failed('not found');
        throw e;
      }
    },
  };
}

export interface LogGroupUse {
  readonly region: string;
  readonly group: string;
  readonly containers: readonly string[];
  /** `awslogs-create-group: true`: ECS creates it when the task starts. */
  readonly createdByEcs: boolean;
}

export function logGroupCheck(use: LogGroupUse, providedBy: string | undefined, logs: (region: string) => Promise<LogsApi>): VerifyCheck {
  const title = `log group ${use.group} in ${use.region} (${use.containers.join(', ')})`;
  if (providedBy !== undefined) return { title, run: async () => ok(`created on deploy by the ${providedBy} script`) };
  if (use.createdByEcs) return { title, run: async () => ok('created by ECS when a task starts (awslogs-create-group)') };
  return {
    title,
    async run(): Promise<CheckResult> {
      const api = await logs(use.region);
      let nextToken: string | undefined;
      do {
        const page = await api.describeLogGroups({ logGroupNamePrefix: use.group, nextToken });
        if (page.logGroups?.some((g) => g.logGroupName === use.group)) return ok('exists');
        nextToken = page.nextToken;
      } while (nextToken);
      return failed('not found, and no script creates it (add create_aws_cloud_watch_logs_log_group, or awslogs-create-group: "true")');
    },
  };
}
