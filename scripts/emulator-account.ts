/**
 * What a platform team has already set up in an account before anyone runs hako: the ECS clusters, the bucket
 * for front-proxy configs, the DNS zone, a security group in the default VPC. The demo and the integration tests
 * create these in the local emulator; hako itself never creates clusters, buckets or zones.
 */
import { CreateSecurityGroupCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import { CreateClusterCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateHostedZoneCommand, Route53Client } from '@aws-sdk/client-route-53';
import { CreateBucketCommand, S3Client, type BucketLocationConstraint } from '@aws-sdk/client-s3';

export interface EmulatorAccount {
  /** Environment the example definitions read through the `env` provider (lib/network.libsonnet). */
  readonly env: { HAKO_VPC_ID: string; HAKO_SUBNETS: string; HAKO_SECURITY_GROUPS: string };
  readonly hostedZoneId: string;
}

export const DEMO_REGION = 'ap-northeast-1';
export const DEMO_CLUSTERS = ['hako-demo', 'hako-training'];
export const DEMO_BUCKET = 'hako-demo-front-config';
export const DEMO_ZONE = 'demo.hako.test';

export async function prepareEmulatorAccount(endpoint: string, region = DEMO_REGION): Promise<EmulatorAccount> {
  // The SDK warns on Node 20 about its future Node 22 requirement; hako's own clients silence it the same way.
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
  const config = { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' }, forcePathStyle: true };
  const ecs = new ECSClient(config);
  const ec2 = new EC2Client(config);
  const s3 = new S3Client(config);
  const route53 = new Route53Client(config);
  try {
    for (const clusterName of DEMO_CLUSTERS) await ecs.send(new CreateClusterCommand({ clusterName }));
    await s3.send(new CreateBucketCommand({ Bucket: DEMO_BUCKET, CreateBucketConfiguration: { LocationConstraint: region as BucketLocationConstraint } }));
    const zone = await route53.send(new CreateHostedZoneCommand({ Name: DEMO_ZONE, CallerReference: `hako-demo-${Date.now()}` }));
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    if (!vpcId) throw new Error(`the emulator has no default VPC in ${region}`);
    const subnets = await ec2.send(new DescribeSubnetsCommand({ Filters: [{ Name: 'vpc-id', Values: [vpcId] }, { Name: 'default-for-az', Values: ['true'] }] }));
    const subnetIds = (subnets.Subnets ?? []).flatMap((s) => (s.SubnetId ? [s.SubnetId] : [])).sort();
    const sg = await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'hako-demo-web', Description: 'hako demo web', VpcId: vpcId }));
    return {
      env: { HAKO_VPC_ID: vpcId, HAKO_SUBNETS: subnetIds.slice(0, 2).join(','), HAKO_SECURITY_GROUPS: sg.GroupId ?? '' },
      hostedZoneId: (zone.HostedZone?.Id ?? '').replace('/hostedzone/', ''),
    };
  } finally {
    for (const c of [ecs, ec2, s3, route53]) c.destroy();
  }
}
