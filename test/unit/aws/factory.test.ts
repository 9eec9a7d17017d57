import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { baseClientConfig, createAwsClients, customEndpointFor } from '../../../lib/aws/factory.js';
import { AwsApiError } from '../../../lib/errors.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { fakeAws, type Reply } from '../../helpers/fake-aws-server.js';
import { repoRoot } from '../../helpers/paths.js';

const ENV_KEYS = ['AWS_ENDPOINT_URL', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_REGION', 'AWS_PROFILE', 'AWS_EC2_METADATA_DISABLED'];

function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const [k, v] of Object.entries(values)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of Object.entries(saved)) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}

describe('aws: createAwsClients against a loopback endpoint', () => {
  const server = fakeAws((req): Reply => {
    const target = String(req.headers['x-amz-target'] ?? '');
    if (target.endsWith('DescribeClusters')) {
      return {
        status: 400,
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ClientException' },
        body: JSON.stringify({ __type: 'ClientException', message: 'Cluster not found.' }),
      };
    }
    if (target.endsWith('GetParameters')) {
      return {
        status: 200,
        headers: { 'content-type': 'application/x-amz-json-1.1' },
        body: JSON.stringify({ Parameters: [], InvalidParameters: ['x'] }),
      };
    }
    if (req.method === 'GET' && req.url.startsWith('/bucket/present')) {
      return { status: 200, headers: { 'content-type': 'text/plain' }, body: 'hello from s3' };
    }
    if (req.method === 'GET' && req.url.startsWith('/bucket/')) {
      return {
        status: 404,
        headers: { 'content-type': 'application/xml' },
        body: '<?xml version="1.0"?><Error><Code>NoSuchKey</Code><Message>The specified key does not exist.</Message></Error>',
      };
    }
    return { status: 500, body: '' };
  });
  let restore: () => void;

  before(async () => {
    const endpoint = await server.start();
    restore = setEnv({
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'eu-west-1',
      AWS_PROFILE: undefined,
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
  after(async () => {
    restore();
    await server.stop();
  });
  beforeEach(() => server.seen.splice(0));

  it('sends ECS calls to AWS_ENDPOINT_URL with the hako user agent and maps the error', async () => {
    const io = new RecordingIoHost();
    const clients = createAwsClients({ region: 'ap-northeast-1', userAgentVersion: '1.2.3', io });
    const ecs = await clients.ecs();
    const err = await ecs.describeClusters({ clusters: ['missing'] }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AwsApiError);
    expect((err as AwsApiError).awsCode).to.equal('ClientException');
    expect((err as AwsApiError).operation).to.equal('DescribeClusters');
    // A client error is not retried.
    expect(server.seen).to.have.length(1);
    const request = server.seen[0]!;
    expect(String(request.headers['user-agent']) + String(request.headers['x-amz-user-agent'])).to.contain('hako/1.2.3');
    expect(String(request.headers.authorization)).to.contain('/ap-northeast-1/ecs/aws4_request');
    expect(io.codes()).to.deep.equal(['aws.call']);
    expect(io.lines).to.deep.equal(['ECS DescribeClusters']);
  });

  it('creates one client per (service, region) and signs for the region asked', async () => {
    const clients = createAwsClients({ userAgentVersion: '1.2.3' });
    const first = await clients.ssm();
    expect(await clients.ssm()).to.equal(first);
    const east = await clients.ssm('us-east-1');
    expect(east).to.not.equal(first);
    await first.getParameters({ Names: ['x'] });
    await east.getParameters({ Names: ['x'] });
    // No region option: the SDK's own chain (AWS_REGION) decides.
    expect(String(server.seen[0]!.headers.authorization)).to.contain('/eu-west-1/ssm/aws4_request');
    expect(String(server.seen[1]!.headers.authorization)).to.contain('/us-east-1/ssm/aws4_request');
  });

  it('uses path-style S3 requests under a custom endpoint and answers text or undefined', async () => {
    const s3 = await createAwsClients({ region: 'ap-northeast-1', userAgentVersion: '1' }).s3();
    expect(await s3.getObject({ Bucket: 'bucket', Key: 'present.txt' })).to.equal('hello from s3');
    expect(await s3.getObject({ Bucket: 'bucket', Key: 'absent.txt' })).to.equal(undefined);
    expect(server.seen.map((r) => r.url.split('?')[0])).to.deep.equal(['/bucket/present.txt', '/bucket/absent.txt']);
  });
});

describe('aws: client configuration', () => {
  it('retries adaptively and names hako in the user agent', () => {
    expect(baseClientConfig({ userAgentVersion: '0.1.0', region: 'ap-northeast-1' })).to.deep.equal({
      region: 'ap-northeast-1',
      retryMode: 'adaptive',
      maxAttempts: 8,
      customUserAgent: 'hako/0.1.0',
    });
    expect(baseClientConfig({ userAgentVersion: '0.1.0', region: 'ap-northeast-1' }, 'us-east-1').region).to.equal('us-east-1');
    expect(baseClientConfig({ userAgentVersion: '0.1.0' })).to.not.have.property('region');
  });

  it('finds the endpoint the SDK would use: service-specific first', () => {
    const env = { AWS_ENDPOINT_URL: 'http://a', AWS_ENDPOINT_URL_S3: 'http://b' };
    expect(customEndpointFor('S3', env)).to.equal('http://b');
    expect(customEndpointFor('Secrets Manager', { AWS_ENDPOINT_URL_SECRETS_MANAGER: 'http://c' })).to.equal('http://c');
    expect(customEndpointFor('ECS', env)).to.equal('http://a');
    expect(customEndpointFor('ECS', {})).to.equal(undefined);
  });
});

describe('aws: lazy loading', () => {
  it('loads no SDK package until a port is asked for, then only that service', () => {
    // A fresh process: this one has long since loaded SDK code for other tests.
    const factory = pathToFileURL(path.join(repoRoot, 'dist', 'lib', 'aws', 'factory.js')).href;
    const script = [
      "import { createRequire } from 'node:module';",
      'const loaded = () => Object.keys(createRequire(import.meta.url).cache).filter((k) => k.includes("@aws-sdk/client-"));',
      `const { createAwsClients } = await import(${JSON.stringify(factory)});`,
      "const clients = createAwsClients({ userAgentVersion: 'x', region: 'ap-northeast-1' });",
      'const before = loaded().length;',
      'await clients.ecs();',
      'const after = loaded();',
      'console.log(JSON.stringify({ before, ecs: after.some((k) => k.includes("client-ecs")), ssm: after.some((k) => k.includes("client-ssm")) }));',
    ].join('\n');
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], { encoding: 'utf8' });
    expect(result.stderr).to.equal('');
    expect(JSON.parse(result.stdout)).to.deep.equal({ before: 0, ecs: true, ssm: false });
  });
});
