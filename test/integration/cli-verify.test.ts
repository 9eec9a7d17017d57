/**
 * `hako verify` against moto: a Fargate app whose roles, ECR image, secret, log groups, network, target group and
 * Cloud Map namespace exist (✓, exit 0), then the same app with each of them broken (✗, exit 1). The proxy shows
 * that verify writes nothing and how many calls each check costs.
 */
import { expect } from 'chai';
import { CreateRepositoryCommand, ECRClient, PutImageCommand } from '@aws-sdk/client-ecr';
import { CreateRoleCommand, IAMClient } from '@aws-sdk/client-iam';
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreatePrivateDnsNamespaceCommand, ListNamespacesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CloudWatchLogsClient, CreateLogGroupCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CreateSecurityGroupCommand, CreateVpcCommand, EC2Client } from '@aws-sdk/client-ec2';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { useMoto } from './harness/moto.js';
import { defaultNetwork, motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';

const WEB = fixture('integration', 'verify-web.jsonnet');
const TRUST = (service: string) =>
  JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: service }, Action: 'sts:AssumeRole' }] });
const MANIFEST = JSON.stringify({ schemaVersion: 2, mediaType: 'application/vnd.docker.distribution.manifest.v2+json', config: { mediaType: 'application/vnd.docker.container.image.v1+json', size: 1, digest: 'sha256:' + 'a'.repeat(64) }, layers: [] });

describe('integration: hako verify', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let good: Record<string, string>;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...aws.env(), AWS_PROFILE: undefined };
    const config = motoClientConfig(moto);
    const iam = new IAMClient(config);
    const ecr = new ECRClient(config);
    const elbv2 = new ElasticLoadBalancingV2Client(config);
    const sd = new ServiceDiscoveryClient(config);
    const ssm = new SSMClient(config);
    const logs = new CloudWatchLogsClient(config);
    try {
      const { vpcId, subnetIds } = await defaultNetwork(moto);
      await iam.send(new CreateRoleCommand({ RoleName: 'verify-web', AssumeRolePolicyDocument: TRUST('ecs-tasks.amazonaws.com') }));
      await iam.send(new CreateRoleCommand({ RoleName: 'ecsTaskExecutionRole', AssumeRolePolicyDocument: TRUST('ecs-tasks.amazonaws.com') }));
      await iam.send(new CreateRoleCommand({ RoleName: 'ec2-only', AssumeRolePolicyDocument: TRUST('ec2.amazonaws.com') }));
      await ecr.send(new CreateRepositoryCommand({ repositoryName: 'verify-web' }));
      await ecr.send(new PutImageCommand({ repositoryName: 'verify-web', imageManifest: MANIFEST, imageTag: 'v1' }));
      const ip = await elbv2.send(new CreateTargetGroupCommand({ Name: 'verify-ip', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'ip' }));
      const instance = await elbv2.send(new CreateTargetGroupCommand({ Name: 'verify-instance', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'instance' }));
      await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'verify.local', Vpc: vpcId }));
      const namespace = (await sd.send(new ListNamespacesCommand({}))).Namespaces!.find((n) => n.Name === 'verify.local')!.Id!;
      await ssm.send(new PutParameterCommand({ Name: '/verify-web/db', Value: 'never printed', Type: 'SecureString' }));
      await logs.send(new CreateLogGroupCommand({ logGroupName: '/hako/verify-agent' }));
      good = {
        subnets: subnetIds.slice(0, 2).join(','),
        security_groups: account.env.HAKO_SECURITY_GROUPS,
        task_role: 'verify-web',
        target_group: ip.TargetGroups![0]!.TargetGroupArn!,
        instance_target_group: instance.TargetGroups![0]!.TargetGroupArn!,
        namespace,
        tag: 'v1',
        secret: '/verify-web/db',
        agent_group: '/hako/verify-agent',
        log_script: 'yes',
      };
    } finally {
      for (const c of [iam, ecr, elbv2, sd, ssm, logs]) c.destroy();
    }
  });

  function extStr(values: Record<string, string>): string[] {
    return Object.entries(values).flatMap(([k, v]) => ['--ext-str', `${k}=${v}`]);
  }
  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env, cwd: repoRoot });

  it('prints a checklist of ✓ and – and exits 0 when everything exists; reads only', async () => {
    aws.clearCalls();
    const r = await hako('verify', WEB, ...extStr(good));
    expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(0);
    const lines = r.stdout.split('\n');
    const line = (start: string) => lines.find((l) => l.startsWith(start)) ?? `(no line starting ${start})\n${r.stdout}`;
    expect(line('✓ cluster hako-demo')).to.contain('ACTIVE');
    expect(line('✓ task role arn:aws:iam::123456789012:role/verify-web')).to.contain('trusts ecs-tasks.amazonaws.com');
    expect(line('✓ execution role')).to.contain('trusts ecs-tasks.amazonaws.com');
    expect(line('✓ image 123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/verify-web:v1 (app)')).to.contain('in ECR');
    expect(line('– image busybox:1.36 (agent)')).to.contain('not an ECR image: not checked');
    expect(line('✓ secrets (1 value_from reference)')).to.contain('every one exists');
    expect(line('✓ log group /hako/verify-web')).to.contain('created on deploy by the create_aws_cloud_watch_logs_log_group script');
    expect(line('✓ subnets')).to.contain('all in vpc-');
    expect(line(`✓ target group ${good.target_group}`)).to.contain('target type ip');
    expect(line(`✓ Cloud Map namespace ${good.namespace}`)).to.contain('verify.local');
    expect(r.stdout).to.not.contain('never printed');
    expect(aws.mutatingCalls(), formatCalls(aws.calls())).to.deep.equal([]);
    // One call per check (two for the network: subnets and security groups); roles and secrets once each.
    const counts = new Map<string, number>();
    for (const c of aws.calls()) counts.set(callName(c), (counts.get(callName(c)) ?? 0) + 1);
    expect(Object.fromEntries(counts)).to.deep.equal({
      'ECS DescribeClusters': 1,
      'IAM GetRole': 2,
      'ECR DescribeImages': 1,
      'SSM GetParameters': 1,
      'EC2 DescribeSubnets': 1,
      'EC2 DescribeSecurityGroups': 1,
      'ELBv2 DescribeTargetGroups': 1,
      'ServiceDiscovery GetNamespace': 1,
    });
  });

  it('names every broken reference with ✗ and exits 1; --output json has the same checks', async () => {
    const ec2 = new EC2Client(motoClientConfig(moto));
    let otherSg: string;
    try {
      const vpc = await ec2.send(new CreateVpcCommand({ CidrBlock: '10.9.0.0/16' }));
      otherSg = (await ec2.send(new CreateSecurityGroupCommand({ GroupName: 'elsewhere', Description: 'other VPC', VpcId: vpc.Vpc!.VpcId! }))).GroupId!;
    } finally {
      ec2.destroy();
    }
    const broken = {
      ...good,
      security_groups: otherSg,
      task_role: 'ec2-only',
      target_group: good.instance_target_group!,
      namespace: 'ns-doesnotexist000',
      tag: 'v2',
      secret: '/verify-web/missing',
      agent_group: '/hako/missing',
      log_script: 'no',
    };
    aws.clearCalls();
    const r = await hako('verify', WEB, ...extStr(broken));
    expect(r.code, `${r.stdout}\n${r.stderr}`).to.equal(1);
    const failedLines = r.stdout.split('\n').filter((l) => l.startsWith('✗'));
    expect(failedLines.join('\n'), r.stdout).to.satisfy((t: string) =>
      [
        'task role arn:aws:iam::123456789012:role/ec2-only: exists but does not trust ecs-tasks.amazonaws.com',
        'verify-web:v2 (app): no image tagged v2 in verify-web',
        'secrets (1 value_from reference): Invalid ARNs for secrets: ["/verify-web/missing"]',
        'log group /hako/verify-web in ap-northeast-1 (app): not found',
        'log group /hako/missing in ap-northeast-1 (agent): not found',
        'they are in different VPCs',
        'target type instance: network mode awsvpc registers targets of type ip',
        'Cloud Map namespace ns-doesnotexist000: not found',
      ].every((s) => t.includes(s)),
    );
    expect(aws.mutatingCalls()).to.deep.equal([]);

    const json = await hako('verify', WEB, '--output', 'json', ...extStr(broken));
    expect(json.code).to.equal(1);
    const report = JSON.parse(json.stdout.slice(json.stdout.indexOf('{\n'))) as { ok: boolean; checks: { title: string; status: string; detail?: string }[] };
    expect(report.ok).to.equal(false);
    expect(report.checks.filter((c) => c.status === 'failed')).to.have.length(failedLines.length);
  });
});
