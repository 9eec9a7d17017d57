/**
 * "terraform apply" for the Terraform variant of the training scenario (definitions/terraform/), against the local
 * emulator: makes what definitions/terraform/main.tf declares — the cluster, a security group in the default VPC,
 * the ALB, the two target groups and the two listeners — and writes a state with their real ids.
 *
 * The committed definitions/terraform/terraform.tfstate is the template: its ids are placeholders in the shape
 * Terraform writes. `fillTrainingState` finds each placeholder at its Terraform address and puts the real id in
 * its place wherever it occurs (a listener's `load_balancer_arn`, a target group's `vpc_id`…), so the state hako
 * reads has exactly the committed addresses and shape. A placeholder it does not know is an error: the template and
 * this file cannot drift apart silently. The integration test and scripts/bench-terraform.ts use it.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { CreateSecurityGroupCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { repoRoot } from './moto.js';

export const TRAINING_TF_DIR = path.join(repoRoot, 'definitions', 'terraform');
export const TRAINING_TF_TEMPLATE = path.join(TRAINING_TF_DIR, 'terraform.tfstate');

/** The apps of the variant: their Terraform key (aws_lb_target_group.<app>), container port and listener port. */
export const TRAINING_TF_APPS = [
  { app: 'nodejs', containerPort: 3000, listenerPort: 80 },
  { app: 'golang', containerPort: 8080, listenerPort: 8080 },
] as const;
export type TrainingApp = (typeof TRAINING_TF_APPS)[number]['app'];

/** What Terraform made, with the ids the emulator gave it. */
export interface TrainingInfrastructure {
  readonly region: string;
  readonly vpcId: string;
  readonly subnetIds: readonly string[];
  readonly securityGroupId: string;
  readonly cluster: { readonly name: string; readonly arn: string };
  readonly loadBalancer: { readonly arn: string; readonly dnsName: string };
  readonly targetGroups: Readonly<Record<TrainingApp, string>>;
  readonly listeners: Readonly<Record<TrainingApp, string>>;
}

function required<T>(value: T | undefined, what: string): T {
  if (value === undefined) throw new Error(`the emulator returned no ${what}`);
  return value;
}

/** Makes main.tf's resources in the emulator at `endpoint` (a fresh account: nothing of these names exists). */
export async function applyTrainingTerraform(endpoint: string, region = 'ap-northeast-1'): Promise<TrainingInfrastructure> {
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const ec2 = new EC2Client(config);
  const ecs = new ECSClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  try {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    const vpcId = required(vpcs.Vpcs?.[0]?.VpcId, `default VPC in ${region}`);
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default-for-az', Values: ['true'] }] }),
    );
    const subnetIds = (subnets.Subnets ?? []).flatMap((s) => (s.SubnetId ? [s.SubnetId] : [])).sort();
    const sg = await ec2.send(
      new CreateSecurityGroupCommand({ GroupName: 'hako-training-tf-web', Description: 'hako training (Terraform variant): ALB and tasks', VpcId: vpcId }),
    );
    const securityGroupId = required(sg.GroupId, 'security group id');
    const cluster = (await ecs.send(new CreateClusterCommand({ clusterName: 'hako-training-tf' }))).cluster;
    const lb = (
      await elb.send(new CreateLoadBalancerCommand({ Name: 'hako-training-tf', Type: 'application', Subnets: subnetIds, SecurityGroups: [securityGroupId] }))
    ).LoadBalancers?.[0];
    const lbArn = required(lb?.LoadBalancerArn, 'load balancer ARN');
    const targetGroups = {} as Record<TrainingApp, string>;
    const listeners = {} as Record<TrainingApp, string>;
    for (const { app, containerPort, listenerPort } of TRAINING_TF_APPS) {
      const tg = await elb.send(
        new CreateTargetGroupCommand({ Name: `tf-${app}`, Port: containerPort, Protocol: 'HTTP', TargetType: 'ip', VpcId: vpcId }),
      );
      targetGroups[app] = required(tg.TargetGroups?.[0]?.TargetGroupArn, `target group tf-${app}`);
      const listener = await elb.send(
        new CreateListenerCommand({
          LoadBalancerArn: lbArn,
          Port: listenerPort,
          Protocol: 'HTTP',
          DefaultActions: [{ Type: 'forward', TargetGroupArn: targetGroups[app] }],
        }),
      );
      listeners[app] = required(listener.Listeners?.[0]?.ListenerArn, `listener on port ${listenerPort}`);
    }
    return {
      region,
      vpcId,
      subnetIds,
      securityGroupId,
      cluster: { name: required(cluster?.clusterName, 'cluster name'), arn: required(cluster?.clusterArn, 'cluster ARN') },
      loadBalancer: { arn: lbArn, dnsName: required(lb?.DNSName, 'load balancer DNS name') },
      targetGroups,
      listeners,
    };
  } finally {
    for (const c of [ec2, ecs, elb]) c.destroy();
  }
}

interface StateResource {
  readonly mode: string;
  readonly type: string;
  readonly name: string;
  readonly instances: { readonly attributes: Record<string, unknown> }[];
}

/** The attribute at `mode.type.name` (data resources as `data.TYPE.NAME`) of the template's only instance. */
function attribute(resources: readonly StateResource[], address: string, key: string): unknown {
  const parts = address.split('.');
  const [mode, type, name] = parts[0] === 'data' ? ['data', parts[1], parts[2]] : ['managed', parts[0], parts[1]];
  const found = resources.find((r) => r.mode === mode && r.type === type && r.name === name);
  const value = found?.instances[0]?.attributes[key];
  if (value === undefined) throw new Error(`the state template has no ${address}.${key}`);
  return value;
}

function text(value: unknown, where: string): string {
  if (typeof value !== 'string') throw new Error(`${where} is not a string in the state template`);
  return value;
}

/** A placeholder in the committed template: a long run of zeros where the real id goes. */
const PLACEHOLDER = /0{10}/;

/** The committed template with the real ids of `infra` in place of its placeholders. */
export function fillTrainingState(template: string, infra: TrainingInfrastructure): string {
  const state = JSON.parse(template) as { resources: StateResource[] };
  const r = state.resources;
  // ARNs are replaced only where they are the whole value (a load balancer's ARN starts its listeners' ARNs);
  // EC2 ids also inside values (a VPC's ARN ends with its id).
  const exact = new Map<string, string>();
  const inside = new Map<string, string>();
  const pair = (map: Map<string, string>, address: string, key: string, real: string): void => {
    map.set(text(attribute(r, address, key), `${address}.${key}`), real);
  };
  pair(inside, 'data.aws_vpc.default', 'id', infra.vpcId);
  const subnetPlaceholders = attribute(r, 'data.aws_subnets.default', 'ids') as unknown[];
  if (subnetPlaceholders.length !== infra.subnetIds.length) {
    throw new Error(`the state template lists ${subnetPlaceholders.length} default subnets, the emulator has ${infra.subnetIds.length}`);
  }
  subnetPlaceholders.forEach((p, i) => inside.set(text(p, 'data.aws_subnets.default.ids'), infra.subnetIds[i]!));
  pair(inside, 'aws_security_group.web', 'id', infra.securityGroupId);
  pair(exact, 'aws_ecs_cluster.training', 'arn', infra.cluster.arn);
  pair(exact, 'aws_ecs_cluster.training', 'name', infra.cluster.name);
  pair(exact, 'aws_lb.training', 'arn', infra.loadBalancer.arn);
  pair(exact, 'aws_lb.training', 'dns_name', infra.loadBalancer.dnsName);
  for (const { app } of TRAINING_TF_APPS) {
    pair(exact, `aws_lb_target_group.${app}`, 'arn', infra.targetGroups[app]);
    pair(exact, `aws_lb_listener.${app}`, 'arn', infra.listeners[app]);
  }

  const fill = (value: unknown): unknown => {
    if (typeof value === 'string') {
      let out = exact.get(value);
      if (out === undefined) {
        out = value;
        for (const [placeholder, real] of inside) out = out.split(placeholder).join(real);
      }
      if (PLACEHOLDER.test(out)) throw new Error(`the state template has a placeholder nobody fills: ${value}`);
      return out;
    }
    if (Array.isArray(value)) return value.map(fill);
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fill(v)]));
    return value;
  };
  return `${JSON.stringify(fill(state), null, 2)}\n`;
}

/** The committed template, filled. */
export function trainingState(infra: TrainingInfrastructure): string {
  return fillTrainingState(readFileSync(TRAINING_TF_TEMPLATE, 'utf8'), infra);
}
