/**
 * Faults the AWS proxy injects (test/integration/harness/aws-proxy.ts), seen through real SDK v3 clients: each mode
 * reaches the SDK as the error AWS would send, the SDK's own retry classifier treats it as it would AWS's (and
 * hako's isThrottlingError agrees), a response lost after moto acted makes the SDK repeat a non-idempotent call,
 * and seeded random faults replay.
 *
 * Test clients are configured like lib/aws/factory.ts (adaptive, 8 attempts) but retry through RecordingRetries:
 * no back-off waits, and a record of how the SDK classified each failure. One test uses hako's own factory as is.
 */
import { expect } from 'chai';
import { cbor, loadSmithyRpcV2CborErrorCode } from '@smithy/core/cbor';
import { CloudWatchClient, DescribeAlarmsCommand, InternalServiceFault } from '@aws-sdk/client-cloudwatch';
import { CloudWatchLogsClient, DescribeLogGroupsCommand, InternalServerException } from '@aws-sdk/client-cloudwatch-logs';
import { DescribeVpcsCommand, EC2Client } from '@aws-sdk/client-ec2';
import {
  DescribeClustersCommand,
  ECSClient,
  ListClustersCommand,
  ListTaskDefinitionsCommand,
  RegisterTaskDefinitionCommand,
  ServerException,
} from '@aws-sdk/client-ecs';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListHostedZonesByNameCommand, Route53Client } from '@aws-sdk/client-route-53';
import { HeadObjectCommand, ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import { createAwsClients } from '../../lib/aws/factory.js';
import { toAwsApiError } from '../../lib/aws/aws-error.js';
import { isThrottlingError } from '../../lib/util/backoff.js';
import { applyProcessEnv, useMoto } from './harness/moto.js';
import { callName, formatCalls, useAwsProxy, type FaultMode } from './harness/aws-proxy.js';
import { identifyAwsCall } from './harness/aws-call-identity.js';
import { faultResponse } from './harness/aws-fault-responses.js';
import { useProxiedClients } from './harness/proxied-clients.js';

describe('integration: faults injected by the AWS proxy', function () {
  this.timeout(60_000);
  const moto = useMoto();
  const aws = useAwsProxy(moto);
  const { client, direct, retries } = useProxiedClients(moto, aws);

  const recording = (): string => `\nrecorded calls:\n${formatCalls(aws.calls())}`;

  it('shapes an RPC v2 CBOR error so that the SDK CBOR error parser names it', () => {
    const call = identifyAwsCall({
      method: 'POST',
      url: '/service/GraniteServiceVersion20100801/operation/DescribeAlarms',
      headers: {
        'smithy-protocol': 'rpc-v2-cbor',
        'x-amzn-query-mode': 'true',
        authorization: 'AWS4-HMAC-SHA256 Credential=testing/20240101/ap-northeast-1/monitoring/aws4_request, SignedHeaders=host, Signature=0',
      },
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
        expect(retries().errorTypes).to.deep.equal([sdkType, sdkType]);

        // Failing every attempt surfaces the error itself.
        retries().clear();
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
    expect(retries().errorTypes).to.deep.equal(Array(8).fill('TRANSIENT'));
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
    expect(retries().errorTypes).to.deep.equal(['TRANSIENT']);
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
    expect(retries().errorTypes).to.deep.equal(['TRANSIENT']);
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
});
