/**
 * The AWS proxy the integration suite puts in front of moto (test/integration/harness/aws-proxy.ts), proved with
 * real SDK v3 clients: it names every call by service and operation as the wire shows it, rewritten answers are
 * what the SDK returns, and it keeps connections alive, forwards chunked bodies and closes cleanly.
 * Fault injection has its own file, aws-proxy-faults.test.ts.
 */
import { expect } from 'chai';
import http from 'node:http';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand } from '@aws-sdk/client-cloudwatch-logs';
import { CodeDeployClient, StopDeploymentCommand } from '@aws-sdk/client-codedeploy';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { CreateTargetGroupCommand, DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  GetChangeCommand,
  GetHostedZoneCommand,
  ListHostedZonesByNameCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
} from '@aws-sdk/client-route-53';
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListServicesCommand as ListCloudMapServicesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { useMoto } from './harness/moto.js';
import { createSecurityGroup, defaultNetwork } from './harness/aws.js';
import { AwsProxy, callName, formatCalls, useAwsProxy, type RecordedCall } from './harness/aws-proxy.js';
import { identifyAwsCall } from './harness/aws-call-identity.js';
import { useProxiedClients } from './harness/proxied-clients.js';

/** An Authorization header with the credential scope of `signingName` (moto checks no signatures). */
function signedFor(signingName: string, region = 'ap-northeast-1'): string {
  return `AWS4-HMAC-SHA256 Credential=testing/20240101/${region}/${signingName}/aws4_request, SignedHeaders=host, Signature=0`;
}

describe('integration: the AWS proxy in front of moto', function () {
  this.timeout(60_000);
  const moto = useMoto();
  const aws = useAwsProxy(moto);
  const { client, direct } = useProxiedClients(moto, aws);

  const names = (calls: readonly RecordedCall[]): string[] => calls.map(callName);
  const recording = (): string => `\nrecorded calls:\n${formatCalls(aws.calls())}`;

  it('names each call by service and operation, for every protocol the SDK clients send', async () => {
    const ecs = client(ECSClient);
    await ecs.send(new CreateClusterCommand({ clusterName: 'proxy-test' }));
    await ecs.send(new DescribeClustersCommand({ clusters: ['proxy-test'] }));

    const vpcs = await client(EC2Client).send(new DescribeVpcsCommand({ Filters: [{ Name: 'is-default', Values: ['true'] }] }));
    const elb = client(ElasticLoadBalancingV2Client);
    await elb.send(new DescribeLoadBalancersCommand({}));
    await elb.send(new CreateTargetGroupCommand({ Name: 'proxy-test', Protocol: 'HTTP', Port: 80, VpcId: vpcs.Vpcs?.[0]?.VpcId, TargetType: 'ip' }));

    const r53 = client(Route53Client);
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'proxy.test', CallerReference: 'proxy-test' }));
    const zoneId = zone.HostedZone!.Id!;
    const change = await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'www.proxy.test', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'example.com' }] } }],
        },
      }),
    );
    await r53.send(new GetChangeCommand({ Id: change.ChangeInfo!.Id! }));
    await r53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }));
    await r53.send(new ListHostedZonesByNameCommand({ DNSName: 'proxy.test' }));
    await r53.send(new GetHostedZoneCommand({ Id: zoneId }));

    const s3 = client(S3Client);
    await s3.send(new CreateBucketCommand({ Bucket: 'proxy-test', CreateBucketConfiguration: { LocationConstraint: 'ap-northeast-1' } }));
    await s3.send(new PutObjectCommand({ Bucket: 'proxy-test', Key: 'front_config/a.conf', Body: 'server {}' }));
    await s3.send(new HeadObjectCommand({ Bucket: 'proxy-test', Key: 'front_config/a.conf' }));
    await (await s3.send(new GetObjectCommand({ Bucket: 'proxy-test', Key: 'front_config/a.conf' }))).Body!.transformToString();
    await s3.send(new ListObjectsV2Command({ Bucket: 'proxy-test' }));

    const logs = client(CloudWatchLogsClient);
    await logs.send(new CreateLogGroupCommand({ logGroupName: '/proxy/test' }));
    await logs.send(new DescribeLogGroupsCommand({}));

    const cw = client(CloudWatchClient);
    await cw.send(
      new PutMetricAlarmCommand({
        AlarmName: 'proxy-test',
        MetricName: 'CPUUtilization',
        Namespace: 'AWS/ECS',
        Statistic: 'Average',
        Period: 60,
        EvaluationPeriods: 1,
        Threshold: 1,
        ComparisonOperator: 'GreaterThanThreshold',
      }),
    );
    await cw.send(new DescribeAlarmsCommand({}));

    await client(ServiceDiscoveryClient).send(new ListCloudMapServicesCommand({}));
    await client(ApplicationAutoScalingClient).send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs' }));
    const ssm = client(SSMClient);
    await ssm.send(new PutParameterCommand({ Name: '/proxy/test', Value: 'v', Type: 'String' }));
    await ssm.send(new GetParametersCommand({ Names: ['/proxy/test'] }));
    const sm = client(SecretsManagerClient);
    await sm.send(new CreateSecretCommand({ Name: 'proxy-test', SecretString: 's' }));
    await sm.send(new GetSecretValueCommand({ SecretId: 'proxy-test' }));

    const calls = aws.calls();
    expect(names(calls), recording()).to.deep.equal([
      'ECS CreateCluster',
      'ECS DescribeClusters',
      'EC2 DescribeVpcs',
      'ELBv2 DescribeLoadBalancers',
      'ELBv2 CreateTargetGroup',
      'Route53 CreateHostedZone',
      'Route53 ChangeResourceRecordSets',
      'Route53 GetChange',
      'Route53 ListResourceRecordSets',
      'Route53 ListHostedZonesByName',
      'Route53 GetHostedZone',
      'S3 CreateBucket',
      'S3 PutObject',
      'S3 HeadObject',
      'S3 GetObject',
      'S3 ListObjectsV2',
      'CloudWatchLogs CreateLogGroup',
      'CloudWatchLogs DescribeLogGroups',
      'CloudWatch PutMetricAlarm',
      'CloudWatch DescribeAlarms',
      'ServiceDiscovery ListServices',
      'ApplicationAutoScaling DescribeScalableTargets',
      'SSM PutParameter',
      'SSM GetParameters',
      'SecretsManager CreateSecret',
      'SecretsManager GetSecretValue',
    ]);
    expect(calls.map((c) => c.protocol)).to.include.members(['json', 'query', 'ec2', 'rest-xml']);
    // CloudWatch's current SDK speaks JSON 1.0 (query-compatible), not the query protocol.
    expect(calls.find((c) => c.service === 'CloudWatch')?.protocol).to.equal('json');
    for (const c of calls) {
      expect(c.status, callName(c)).to.be.within(200, 299);
      expect(c).to.include({ reachedServer: true, attempt: 1, maxAttempts: 8, region: 'ap-northeast-1' });
    }
    // Creates the port lists do not name (clusters, zones, buckets, parameters, secrets) count as mutating too.
    expect(names(aws.mutatingCalls())).to.deep.equal([
      'ECS CreateCluster',
      'ELBv2 CreateTargetGroup',
      'Route53 CreateHostedZone',
      'Route53 ChangeResourceRecordSets',
      'S3 CreateBucket',
      'S3 PutObject',
      'CloudWatchLogs CreateLogGroup',
      'CloudWatch PutMetricAlarm',
      'SSM PutParameter',
      'SecretsManager CreateSecret',
    ]);
  });

  it('names calls of services and protocols the installed SDK clients do not send (from their wire shape)', () => {
    const id = (method: string, url: string, headers: Record<string, string>, body = '') => {
      const c = identifyAwsCall({ method, url, headers, body: Buffer.from(body) });
      return `${c.service} ${c.operation} ${c.protocol}`;
    };
    const json = (target: string, signing?: string) => ({
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': target,
      ...(signing === undefined ? {} : { authorization: signedFor(signing) }),
    });
    const form = { 'content-type': 'application/x-www-form-urlencoded; charset=utf-8' };
    expect(id('POST', '/', json('CodeDeploy_20141006.GetDeployment', 'codedeploy'))).to.equal('CodeDeploy GetDeployment json');
    expect(id('POST', '/', json('AmazonEC2ContainerRegistry_V20150921.DescribeImages', 'ecr'))).to.equal('ECR DescribeImages json');
    // Unsigned: the target prefix still names the service.
    expect(id('POST', '/', json('AmazonEC2ContainerServiceV20141113.DescribeServices'))).to.equal('ECS DescribeServices json');
    expect(id('POST', '/', { ...form, authorization: signedFor('iam', 'us-east-1') }, 'Action=CreateRole&Version=2010-05-08&RoleName=x')).to.equal(
      'IAM CreateRole query',
    );
    expect(id('POST', '/', { ...form, authorization: signedFor('elasticloadbalancing') }, 'Action=DescribeLoadBalancers&Version=2012-06-01')).to.equal(
      'ELB DescribeLoadBalancers query',
    );
    expect(id('POST', '/', { ...form, authorization: signedFor('monitoring') }, 'Action=DescribeAlarms&Version=2010-08-01')).to.equal(
      'CloudWatch DescribeAlarms query',
    );
    const cborHeaders = { 'smithy-protocol': 'rpc-v2-cbor', 'content-type': 'application/cbor', authorization: signedFor('monitoring') };
    expect(id('POST', '/service/GraniteServiceVersion20100801/operation/GetMetricData', cborHeaders)).to.equal(
      'CloudWatch GetMetricData rpc-v2-cbor',
    );
    const s3 = { authorization: signedFor('s3') };
    expect(id('PUT', '/b/k', { ...s3, 'x-amz-copy-source': '/b/j' })).to.equal('S3 CopyObject rest-xml');
    expect(id('POST', '/b?delete', s3)).to.equal('S3 DeleteObjects rest-xml');
    expect(id('DELETE', '/b/k', s3)).to.equal('S3 DeleteObject rest-xml');
    expect(id('GET', '/b?location', s3)).to.equal('S3 GetBucketLocation rest-xml');
    expect(id('PUT', '/b?tagging', s3)).to.equal('S3 PutBucketTagging rest-xml');
    const r53 = { authorization: signedFor('route53', 'us-east-1') };
    expect(id('GET', '/2013-04-01/change/C123', r53)).to.equal('Route53 GetChange rest-xml');
    expect(id('POST', '/2013-04-01/hostedzone/Z1/rrset/', r53)).to.equal('Route53 ChangeResourceRecordSets rest-xml');
    expect(id('GET', '/2013-04-01/something-new', r53)).to.equal('Route53 GET /2013-04-01/something-new rest-xml');
  });

  it('rewrites a JSON answer: DescribeTasks reports the exit codes the rewrite gives', async () => {
    const { subnetIds } = await defaultNetwork(moto);
    const sg = await createSecurityGroup(moto, 'proxy-rewrite');
    const setup = direct(ECSClient);
    await setup.send(new CreateClusterCommand({ clusterName: 'proxy-rewrite' }));
    await setup.send(
      new RegisterTaskDefinitionCommand({
        family: 'proxy-rewrite',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [
          { name: 'app', image: 'busybox', memory: 448 },
          { name: 'agent', image: 'busybox', memory: 64 },
        ],
      }),
    );
    const run = await setup.send(
      new RunTaskCommand({
        cluster: 'proxy-rewrite',
        taskDefinition: 'proxy-rewrite',
        launchType: 'FARGATE',
        networkConfiguration: { awsvpcConfiguration: { subnets: subnetIds.slice(0, 1), securityGroups: [sg] } },
      }),
    );
    const taskArn = run.tasks![0]!.taskArn!;

    let seen: unknown;
    const fromMoto: string[] = [];
    aws.rewrite({ service: 'ECS', operation: 'DescribeTasks' }, (body, request) => {
      seen = request.body;
      for (const task of body.tasks) {
        // moto lists one container per task (the first container definition's): add the sidecar AWS would list.
        fromMoto.push(...task.containers.map((c: { name: string }) => c.name));
        const app = task.containers[0];
        task.containers = [{ ...app, name: 'agent', exitCode: 0 }, { ...app, exitCode: 3 }];
      }
    });
    const ecs = client(ECSClient);
    const out = await ecs.send(new DescribeTasksCommand({ cluster: 'proxy-rewrite', tasks: [taskArn] }));
    expect(out.tasks?.[0]?.containers?.map((c) => [c.name, c.exitCode])).to.deep.equal([
      ['agent', 0],
      ['app', 3],
    ]);
    expect(seen).to.deep.equal({ cluster: 'proxy-rewrite', tasks: [taskArn] });
    expect(fromMoto).to.deep.equal(['app']);
    expect(aws.calls().map((c) => [callName(c), c.rewritten ?? false])).to.deep.equal([['ECS DescribeTasks', true]]);
    // Other operations pass untouched.
    await ecs.send(new DescribeClustersCommand({ clusters: ['proxy-rewrite'] }));
    expect(aws.calls()[1]?.rewritten).to.equal(undefined);
  });

  it('rewrites an XML answer: GetChange stays PENDING while the rewrite says so', async () => {
    const r53 = client(Route53Client);
    const zone = await r53.send(new CreateHostedZoneCommand({ Name: 'rewrite.test', CallerReference: 'rewrite' }));
    const change = await r53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zone.HostedZone!.Id!,
        ChangeBatch: {
          Changes: [{ Action: 'UPSERT', ResourceRecordSet: { Name: 'a.rewrite.test', Type: 'CNAME', TTL: 60, ResourceRecords: [{ Value: 'b.test' }] } }],
        },
      }),
    );
    aws.rewrite({ service: 'Route53', operation: 'GetChange' }, (xml: string) => xml.replace('<Status>INSYNC</Status>', '<Status>PENDING</Status>'));
    const out = await r53.send(new GetChangeCommand({ Id: change.ChangeInfo!.Id! }));
    expect(out.ChangeInfo?.Status, recording()).to.equal('PENDING');
  });

  it('with `errors`, answers in place of an error: CodeDeploy StopDeployment, which moto answers 500', async () => {
    const codeDeploy = client(CodeDeployClient);
    let asked: unknown;
    aws.rewrite(
      { service: 'CodeDeploy', operation: 'StopDeployment' },
      (_body, request) => {
        asked = request.body;
        return { status: 'Pending', statusMessage: 'rolling back' };
      },
      { errors: true },
    );
    const out = await codeDeploy.send(new StopDeploymentCommand({ deploymentId: 'd-1', autoRollbackEnabled: true }));
    expect({ status: out.status, statusMessage: out.statusMessage }).to.deep.equal({ status: 'Pending', statusMessage: 'rolling back' });
    expect(asked).to.deep.equal({ deploymentId: 'd-1', autoRollbackEnabled: true });
    // moto's own answer was an error; the client got the rewrite's.
    expect(aws.calls().map((c) => [callName(c), c.serverStatus, c.status, c.rewritten ?? false])).to.deep.equal([['CodeDeploy StopDeployment', 500, 200, true]]);
  });

  it('a rewrite that throws answers 502 and leaves its message in the recording', async () => {
    aws.rewrite({ service: 'ECS', operation: 'ListClusters' }, () => {
      throw new Error('planted rewrite failure');
    });
    const err = (await client(ECSClient)
      .send(new ListClustersCommand({}))
      .catch((e: unknown) => e)) as Error & { $metadata?: { httpStatusCode?: number } };
    expect(err.$metadata?.httpStatusCode).to.equal(502);
    expect(aws.calls()[0]?.error).to.equal('rewrite failed: planted rewrite failure');
    expect(formatCalls(aws.calls())).to.contain('planted rewrite failure');
  });

  describe('the HTTP plumbing', () => {
    function post(agent: http.Agent, body: string | string[], target: string) {
      return new Promise<{ status: number; body: string; reused: boolean }>((resolve, reject) => {
        const req = http.request(`${aws.endpoint()}/`, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: signedFor('ecs') },
        });
        req.on('response', (res) => {
          let text = '';
          res.setEncoding('utf8').on('data', (d: string) => (text += d));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text, reused: req.reusedSocket }));
        });
        req.on('error', reject);
        for (const part of Array.isArray(body) ? body : [body]) req.write(part);
        req.end();
      });
    }

    it('keeps client connections alive and forwards chunked bodies whole', async () => {
      const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
      try {
        const first = await post(agent, '{}', 'AmazonEC2ContainerServiceV20141113.ListClusters');
        // Written in two chunks with no length: Transfer-Encoding: chunked.
        const chunked = await post(agent, ['{"clusterName": ', '"chunky"}'], 'AmazonEC2ContainerServiceV20141113.CreateCluster');
        expect([first.status, chunked.status], chunked.body).to.deep.equal([200, 200]);
        expect(chunked.reused, 'the second request reused the first connection').to.equal(true);
        const clusters = await direct(ECSClient).send(new ListClustersCommand({}));
        expect(clusters.clusterArns?.map((a) => a.replace(/.*\//, ''))).to.deep.equal(['chunky']);
        expect(names(aws.calls())).to.deep.equal(['ECS ListClusters', 'ECS CreateCluster']);
      } finally {
        agent.destroy();
      }
    });

    it('stop() closes idle keep-alive connections and refuses new ones', async () => {
      const proxy = await AwsProxy.start(moto.endpoint());
      const agent = new http.Agent({ keepAlive: true });
      try {
        const idle = await new Promise<http.IncomingMessage>((resolve, reject) => {
          http.get(`${proxy.endpoint}/moto-api/config`, { agent }, resolve).on('error', reject);
        });
        idle.resume();
        await new Promise((r) => idle.on('end', r));
        await proxy.stop();
        const err = await new Promise<NodeJS.ErrnoException>((resolve) => {
          http.get(`${proxy.endpoint}/moto-api/config`, { agent: false }, () => resolve(new Error('answered') as NodeJS.ErrnoException)).on('error', resolve);
        });
        expect(err.code).to.equal('ECONNREFUSED');
        // moto's control API passes through unrecorded.
        expect(proxy.calls()).to.deep.equal([]);
      } finally {
        agent.destroy();
        await proxy.stop();
      }
    });
  });
});
