/**
 * The AWS proxy the integration suite puts in front of moto (test/integration/harness/aws-proxy.ts), proved with
 * real SDK v3 clients: it names every call by service and operation, each fault mode reaches the SDK as the error
 * AWS would send (and the SDK's own retry classifier treats it as AWS's would), a response lost after moto acted
 * makes the SDK repeat a non-idempotent call, and rewritten answers are what the SDK returns.
 *
 * Test clients are configured like lib/aws/factory.ts (adaptive, 8 attempts) but retry through RecordingRetries:
 * no back-off waits, and a record of how the SDK classified each failure. One test uses hako's own factory as is.
 */
import { expect } from 'chai';
import http from 'node:http';
import { cbor, loadSmithyRpcV2CborErrorCode } from '@smithy/core/cbor';
import { ApplicationAutoScalingClient, DescribeScalableTargetsCommand } from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, InternalServiceFault, PutMetricAlarmCommand } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, CreateLogGroupCommand, DescribeLogGroupsCommand, InternalServerException } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  CreateClusterCommand,
  DescribeClustersCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
  ServerException,
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
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, ListBucketsCommand, ListObjectsV2Command, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { CreateSecretCommand, GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { ListServicesCommand as ListCloudMapServicesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { GetParametersCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { createAwsClients } from '../../lib/aws/factory.js';
import { toAwsApiError } from '../../lib/aws/aws-error.js';
import { isThrottlingError } from '../../lib/util/backoff.js';
import { applyProcessEnv, useMoto } from './harness/moto.js';
import { createSecurityGroup, defaultNetwork, motoClientConfig } from './harness/aws.js';
import { AwsProxy, callName, formatCalls, useAwsProxy, type FaultMode, type RecordedCall } from './harness/aws-proxy.js';
import { identifyAwsCall } from './harness/aws-call-identity.js';
import { faultResponse } from './harness/aws-fault-responses.js';
import { hakoLikeRetryConfig, RecordingRetries } from './harness/recording-retries.js';

/** An Authorization header with the credential scope of `signingName` (moto checks no signatures). */
function signedFor(signingName: string, region = 'ap-northeast-1'): string {
  return `AWS4-HMAC-SHA256 Credential=testing/20240101/${region}/${signingName}/aws4_request, SignedHeaders=host, Signature=0`;
}

describe('integration: the AWS proxy in front of moto', function () {
  this.timeout(60_000);
  const moto = useMoto();
  const aws = useAwsProxy(moto);
  let retries: RecordingRetries;
  const clients: { destroy(): void }[] = [];

  /** A real SDK client through the proxy, configured like hako's (see RecordingRetries). */
  function client<C extends { destroy(): void }>(Client: new (config: never) => C): C {
    const c = new Client({ ...motoClientConfig(moto), endpoint: aws.endpoint(), ...hakoLikeRetryConfig(retries) } as never);
    clients.push(c);
    return c;
  }
  /** A client straight to moto, for reading back what moto holds (not recorded, never faulted). */
  function direct<C extends { destroy(): void }>(Client: new (config: never) => C): C {
    const c = new Client(motoClientConfig(moto) as never);
    clients.push(c);
    return c;
  }

  beforeEach(() => {
    retries = new RecordingRetries();
  });
  afterEach(() => {
    for (const c of clients.splice(0)) c.destroy();
  });

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

  it('shapes an RPC v2 CBOR error so that the SDK CBOR error parser names it', () => {
    const call = identifyAwsCall({
      method: 'POST',
      url: '/service/GraniteServiceVersion20100801/operation/DescribeAlarms',
      headers: { 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-query-mode': 'true', authorization: signedFor('monitoring') },
      body: Buffer.alloc(0),
    });
    const fault = faultResponse(call, 'throttle');
    const data = cbor.deserialize(fault.body) as Record<string, unknown>;
    expect(loadSmithyRpcV2CborErrorCode({ statusCode: fault.status, headers: fault.headers } as never, data)).to.equal('Throttling');
    expect(fault.headers).to.include({ 'smithy-protocol': 'rpc-v2-cbor', 'x-amzn-query-error': 'Throttling;Sender' });
    expect(fault.status).to.equal(400);
  });

  /**
   * One read per protocol, and the error each fault mode surfaces as. Expected names are what AWS sends for the
   * service (ECS's modelled ServerException, EC2's RequestLimitExceeded at 503, S3's SlowDown …).
   */
  interface ProtocolCase {
    readonly label: string;
    readonly service: string;
    readonly operation: string;
    send(): Promise<unknown>;
    /** Per mode: the SDK error name, HTTP status, and (when modelled) the SDK's exception class. */
    readonly expected: Record<'throttle' | '500' | '503', { name: string; status: number; cls?: abstract new (...a: never[]) => Error }>;
  }
  const cases: ProtocolCase[] = [
    {
      label: 'ECS (JSON 1.1)',
      service: 'ECS',
      operation: 'ListClusters',
      send: () => client(ECSClient).send(new ListClustersCommand({})),
      expected: {
        throttle: { name: 'ThrottlingException', status: 400 },
        '500': { name: 'ServerException', status: 500, cls: ServerException },
        '503': { name: 'ServiceUnavailable', status: 503 },
      },
    },
    {
      label: 'CloudWatch Logs (JSON 1.1)',
      service: 'CloudWatchLogs',
      operation: 'DescribeLogGroups',
      send: () => client(CloudWatchLogsClient).send(new DescribeLogGroupsCommand({})),
      expected: {
        throttle: { name: 'ThrottlingException', status: 400 },
        '500': { name: 'InternalServerException', status: 500, cls: InternalServerException },
        '503': { name: 'ServiceUnavailable', status: 503 },
      },
    },
    {
      label: 'CloudWatch (query-compatible JSON 1.0)',
      service: 'CloudWatch',
      operation: 'DescribeAlarms',
      send: () => client(CloudWatchClient).send(new DescribeAlarmsCommand({})),
      expected: {
        throttle: { name: 'Throttling', status: 400 },
        // The query code InternalServiceError (x-amzn-query-error) maps to the modelled InternalServiceFault.
        '500': { name: 'InternalServiceFault', status: 500, cls: InternalServiceFault },
        '503': { name: 'ServiceUnavailable', status: 503 },
      },
    },
    {
      label: 'ELBv2 (query)',
      service: 'ELBv2',
      operation: 'DescribeLoadBalancers',
      send: () => client(ElasticLoadBalancingV2Client).send(new DescribeLoadBalancersCommand({})),
      expected: {
        throttle: { name: 'Throttling', status: 400 },
        '500': { name: 'InternalFailure', status: 500 },
        '503': { name: 'ServiceUnavailable', status: 503 },
      },
    },
    {
      label: 'EC2 (EC2 query)',
      service: 'EC2',
      operation: 'DescribeVpcs',
      send: () => client(EC2Client).send(new DescribeVpcsCommand({})),
      expected: {
        throttle: { name: 'RequestLimitExceeded', status: 503 },
        '500': { name: 'InternalError', status: 500 },
        '503': { name: 'Unavailable', status: 503 },
      },
    },
    {
      label: 'Route 53 (REST-XML)',
      service: 'Route53',
      operation: 'ListHostedZonesByName',
      send: () => client(Route53Client).send(new ListHostedZonesByNameCommand({})),
      expected: {
        throttle: { name: 'Throttling', status: 400 },
        '500': { name: 'InternalFailure', status: 500 },
        '503': { name: 'ServiceUnavailable', status: 503 },
      },
    },
    {
      label: 'S3 (REST-XML)',
      service: 'S3',
      operation: 'ListBuckets',
      send: () => client(S3Client).send(new ListBucketsCommand({})),
      expected: {
        throttle: { name: 'SlowDown', status: 503 },
        '500': { name: 'InternalError', status: 500 },
        '503': { name: 'SlowDown', status: 503 },
      },
    },
  ];

  for (const c of cases) {
    for (const mode of ['throttle', '500', '503'] as const) {
      const want = c.expected[mode];
      // Throttling codes (S3's 503 SlowDown included) are THROTTLING to the SDK; other 5xx are TRANSIENT.
      const sdkType = ['ThrottlingException', 'Throttling', 'RequestLimitExceeded', 'SlowDown'].includes(want.name) ? 'THROTTLING' : 'TRANSIENT';
      it(`${c.label}: ${mode} reaches the SDK as ${want.name} ${want.status}, which it retries (${sdkType})`, async () => {
        aws.failNext({ service: c.service, operation: c.operation, mode, times: 2 });
        await c.send();
        const calls = aws.calls().filter((x) => x.operation === c.operation);
        expect(
          calls.map((x) => [x.faulted ?? 'ok', x.status, x.attempt]),
          recording(),
        ).to.deep.equal([
          [mode, want.status, 1],
          [mode, want.status, 2],
          ['ok', 200, 3],
        ]);
        expect(new Set(calls.map((x) => x.invocationId)).size, 'one SDK call, three attempts').to.equal(1);
        expect(retries.errorTypes).to.deep.equal([sdkType, sdkType]);

        // Failing every attempt surfaces the error itself.
        retries.clear();
        aws.failNext({ service: c.service, operation: c.operation, mode, times: 8 });
        const err = (await c.send().then(
          () => expect.fail('the call should have failed after 8 attempts'),
          (e: unknown) => e,
        )) as Error & { $metadata?: { httpStatusCode?: number; attempts?: number } };
        expect(err.name, recording()).to.equal(want.name);
        expect(err.$metadata?.httpStatusCode).to.equal(want.status);
        expect(err.$metadata?.attempts).to.equal(8);
        if (want.cls !== undefined) expect(err).to.be.instanceOf(want.cls);
        // hako's own classifier agrees with the SDK's, on the SDK error and on hako's AwsApiError.
        const throttled = sdkType === 'THROTTLING';
        expect(isThrottlingError(err), 'isThrottlingError(sdk error)').to.equal(throttled);
        expect(isThrottlingError(toAwsApiError(c.service, c.operation, err)), 'isThrottlingError(AwsApiError)').to.equal(throttled);
      });
    }
  }

  it('S3 HEAD faults carry no body, as on S3: the SDK sees only the status (and cannot tell SlowDown from a 503)', async () => {
    const s3 = client(S3Client);
    aws.failNext({ service: 'S3', operation: 'HeadObject', mode: 'throttle', times: 8 });
    const err = (await s3.send(new HeadObjectCommand({ Bucket: 'any', Key: 'k' })).catch((e: unknown) => e)) as Error & {
      $metadata?: { httpStatusCode?: number };
    };
    expect(err.$metadata?.httpStatusCode, recording()).to.equal(503);
    // Every failed attempt is classified, the last one too (that is when the strategy says "no more").
    expect(retries.errorTypes).to.deep.equal(Array(8).fill('TRANSIENT'));
  });

  it('drop-before: moto never sees the call; the SDK retries the reset connection and the create happens once', async () => {
    const ecs = client(ECSClient);
    aws.failNext({ service: 'ECS', operation: 'RegisterTaskDefinition', mode: 'drop-before' });
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'proxy-drop', containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }] }));
    expect(out.taskDefinition?.revision).to.equal(1);
    expect(
      aws.calls().map((c) => [c.operation, c.faulted ?? 'ok', c.reachedServer, c.attempt]),
      recording(),
    ).to.deep.equal([
      ['RegisterTaskDefinition', 'drop-before', false, 1],
      ['RegisterTaskDefinition', 'ok', true, 2],
    ]);
    expect(retries.errorTypes).to.deep.equal(['TRANSIENT']);
    const revisions = await direct(ECSClient).send(new ListTaskDefinitionsCommand({ familyPrefix: 'proxy-drop' }));
    expect(revisions.taskDefinitionArns?.map((a) => a.replace(/.*:/, ''))).to.deep.equal(['1']);
  });

  it('drop-after on RegisterTaskDefinition: the SDK retries the lost response and moto (as AWS) registers two revisions', async () => {
    // This is the hazard hako must handle: RegisterTaskDefinition takes no idempotency token, so a retry after a
    // lost response registers again. The SDK retries it by itself; nothing in hako sees the first attempt.
    const ecs = client(ECSClient);
    aws.failNext({ service: 'ECS', operation: 'RegisterTaskDefinition', mode: 'drop-after' });
    const out = await ecs.send(new RegisterTaskDefinitionCommand({ family: 'proxy-lost', containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }] }));
    expect(out.taskDefinition?.revision, recording()).to.equal(2);
    const calls = aws.calls();
    expect(calls.map((c) => [c.faulted ?? 'ok', c.status, c.serverStatus, c.attempt]), recording()).to.deep.equal([
      ['drop-after', undefined, 200, 1],
      ['ok', 200, 200, 2],
    ]);
    expect(calls[0]!.invocationId).to.equal(calls[1]!.invocationId);
    expect(retries.errorTypes).to.deep.equal(['TRANSIENT']);
    const revisions = await direct(ECSClient).send(new ListTaskDefinitionsCommand({ familyPrefix: 'proxy-lost' }));
    expect(revisions.taskDefinitionArns?.map((a) => a.replace(/.*:/, ''))).to.deep.equal(['1', '2']);
  });

  it('a connection dropped on every attempt surfaces as the socket error (TimeoutError, ECONNRESET) after 8 attempts', async () => {
    aws.failNext({ service: 'ECS', operation: 'ListClusters', mode: 'drop-before', times: 8 });
    const err = (await client(ECSClient)
      .send(new ListClustersCommand({}))
      .catch((e: unknown) => e)) as Error & { code?: string; $metadata?: { attempts?: number } };
    expect([err.name, err.code, err.$metadata?.attempts], recording()).to.deep.equal(['TimeoutError', 'ECONNRESET', 8]);
    expect(aws.calls().every((c) => c.faulted === 'drop-before' && c.status === undefined)).to.equal(true);
    expect(isThrottlingError(err)).to.equal(false);
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

  it('random faults follow the seed: the same seed faults the same calls the same way, and `only` limits them', async () => {
    const seed = 20_240_607;
    const modes: FaultMode[] = ['throttle', '500', '503', 'drop-before'];
    const ecs = client(ECSClient);
    const run = async (): Promise<string[]> => {
      aws.clearCalls();
      aws.randomFaults({ seed, rate: 0.4, modes, only: (c) => c.operation === 'DescribeClusters' });
      for (let i = 0; i < 10; i++) {
        await ecs.send(new ListClustersCommand({}));
        await ecs.send(new DescribeClustersCommand({ clusters: ['none'] }));
      }
      return aws.calls().map((c) => `${c.operation}:${c.faulted ?? 'ok'}`);
    };
    const first = await run();
    const second = await run();
    const message = `seed ${seed}${recording()}`;
    expect(second, message).to.deep.equal(first);
    const faulted = aws.calls().filter((c) => c.faulted !== undefined);
    expect(faulted.length, message).to.be.greaterThan(0);
    expect(new Set(faulted.map((c) => c.operation)), message).to.deep.equal(new Set(['DescribeClusters']));
    // Every SDK call still succeeded: 10 of each, once each, after their retries.
    expect(aws.calls().filter((c) => c.faulted === undefined).length, message).to.equal(20);
  });

  describe("hako's own client factory through the proxy", () => {
    let restore: (() => void) | undefined;
    afterEach(() => restore?.());

    it('reaches the proxy through AWS_ENDPOINT_URL alone and rides out a throttle with its adaptive retries', async () => {
      restore = applyProcessEnv({ ...aws.env(), AWS_PROFILE: undefined });
      // Unchanged factory settings: real back-off, so one throttle costs about a second.
      const ports = createAwsClients({ region: 'ap-northeast-1', userAgentVersion: 'proxy-test' });
      aws.failNext({ service: 'ECS', operation: 'DescribeClusters', mode: 'throttle' });
      const ecs = await ports.ecs();
      const out = await ecs.describeClusters({ clusters: ['none'] });
      expect(out.failures?.[0]?.reason).to.equal('MISSING');
      expect(aws.calls().map((c) => [callName(c), c.faulted ?? 'ok', c.attempt, c.maxAttempts]), recording()).to.deep.equal([
        ['ECS DescribeClusters', 'throttle', 1, 8],
        ['ECS DescribeClusters', 'ok', 2, 8],
      ]);
    });
  });

  describe('the HTTP plumbing', () => {
    function post(agent: http.Agent, body: string | string[], target: string, extra: Record<string, string> = {}) {
      return new Promise<{ status: number; body: string; reused: boolean }>((resolve, reject) => {
        const req = http.request(`${aws.endpoint()}/`, {
          method: 'POST',
          agent,
          headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': target, authorization: signedFor('ecs'), ...extra },
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
