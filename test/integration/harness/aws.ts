/**
 * Real SDK clients pointed at the test moto, for arranging state and reading it back. Test code may use the SDK
 * directly; lib/ may not.
 */
import { CreateSecurityGroupCommand, DescribeSubnetsCommand, DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import type { MotoHandle } from './moto.js';

// The SDK's "future releases need Node 22" notice would otherwise land in the middle of test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

/** Client config for any SDK v3 client: `new ECSClient(motoClientConfig(moto))`. */
export function motoClientConfig(moto: MotoHandle, region = moto.region()) {
  return {
    endpoint: moto.endpoint(),
    region,
    credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' },
    // Harmless for other services; S3 needs it to keep the bucket out of the host name.
    forcePathStyle: true,
  };
}

export interface DefaultNetwork {
  readonly vpcId: string;
  /** moto's default subnets (one per availability zone), sorted for stable test output. */
  readonly subnetIds: string[];
}

/** moto's default VPC and its default subnets: awsvpc services and ALBs need ids that moto's EC2 knows. */
export async function defaultNetwork(moto: MotoHandle, region = moto.region()): Promise<DefaultNetwork> {
  const ec2 = new EC2Client(motoClientConfig(moto, region));
  try {
    const vpcs = await ec2.send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    const vpcId = vpcs.Vpcs?.[0]?.VpcId;
    if (vpcId === undefined) throw new Error(`moto has no default VPC in ${region}`);
    const subnets = await ec2.send(
      new DescribeSubnetsCommand({
        Filters: [
          { Name: 'vpc-id', Values: [vpcId] },
          { Name: 'default-for-az', Values: ['true'] },
        ],
      }),
    );
    const subnetIds = (subnets.Subnets ?? []).flatMap((s) => (s.SubnetId ? [s.SubnetId] : [])).sort();
    return { vpcId, subnetIds };
  } finally {
    ec2.destroy();
  }
}

/** Creates a security group in the default VPC and returns its id. */
export async function createSecurityGroup(moto: MotoHandle, name: string, region = moto.region()): Promise<string> {
  const { vpcId } = await defaultNetwork(moto, region);
  const ec2 = new EC2Client(motoClientConfig(moto, region));
  try {
    const out = await ec2.send(new CreateSecurityGroupCommand({ GroupName: name, Description: `hako test ${name}`, VpcId: vpcId }));
    if (out.GroupId === undefined) throw new Error('CreateSecurityGroup returned no GroupId');
    return out.GroupId;
  } finally {
    ec2.destroy();
  }
}
