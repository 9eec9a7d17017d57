/**
 * What users read when AWS says no, through the real SDK clients against a loopback endpoint: the cluster and
 * region a ClusterNotFoundException was about, an unknown profile named as such, AWS_DEFAULT_REGION honoured like
 * the AWS CLI does, a notice per throttled retry, and an answer that is not in the protocol's shape reported as
 * its HTTP status and the start of its body (not `SyntaxError: Unexpected token '<'`).
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createAwsClients } from '../../../lib/aws/factory.js';
import { AwsApiError, HakoError } from '../../../lib/errors.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { fakeAws, type Reply, type Seen } from '../../helpers/fake-aws-server.js';

const ENV_KEYS = [
  'AWS_ENDPOINT_URL',
  'AWS_ACCESS_KEY_ID',
  'AWS_SECRET_ACCESS_KEY',
  'AWS_REGION',
  'AWS_DEFAULT_REGION',
  'AWS_PROFILE',
  'AWS_CONFIG_FILE',
  'AWS_SHARED_CREDENTIALS_FILE',
  'AWS_EC2_METADATA_DISABLED',
];

function setEnv(values: Record<string, string | undefined>): () => void {
  const saved = Object.fromEntries(ENV_KEYS.map((k) => [k, process.env[k]]));
  for (const k of ENV_KEYS) {
    const v = values[k];
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

const json = (status: number, body: unknown, type?: string): Reply => ({
  status,
  headers: { 'content-type': 'application/x-amz-json-1.1', ...(type ? { 'x-amzn-errortype': type } : {}) },
  body: JSON.stringify(body),
});

const HTML_500 = '<!DOCTYPE html>\n<html><head><title>500 Internal Server Error</title></head>\n<body><h1>Internal Server Error</h1></body></html>';

/** Per-operation scripted answers; the last answer repeats. */
const script = new Map<string, Reply[]>();
function answer(req: Seen): Reply {
  const operation = String(req.headers['x-amz-target'] ?? '').split('.').pop() ?? '';
  const replies = script.get(operation) ?? [json(200, {})];
  return replies.length > 1 ? replies.shift()! : replies[0]!;
}

const signingRegion = (req: Seen) => /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1];
const failure = (p: Promise<unknown>) => p.then(() => undefined, (e: unknown) => e);

describe('aws: messages users read', function () {
  this.timeout(30_000);
  const server = fakeAws(answer);
  let endpoint: string;
  let restore: () => void;
  let dir: string;

  before(async () => {
    endpoint = await server.start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hako-aws-'));
    writeFileSync(path.join(dir, 'config'), '[default]\nregion = us-east-2\n\n[profile staging]\nregion = eu-west-3\naws_access_key_id = c\naws_secret_access_key = d\n');
    writeFileSync(path.join(dir, 'credentials'), '[ci]\naws_access_key_id = a\naws_secret_access_key = b\n');
  });
  beforeEach(() => {
    script.clear();
    server.seen.splice(0);
    restore = setEnv({
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: 'eu-west-1',
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    });
  });
  afterEach(() => restore());
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('ClusterNotFoundException names the cluster and the region, with a hint', async () => {
    script.set('DescribeServices', [json(400, { __type: 'ClusterNotFoundException', message: 'Cluster not found.' }, 'ClusterNotFoundException')]);
    const ecs = await createAwsClients({ region: 'ap-northeast-1', userAgentVersion: 't' }).ecs();
    const err = (await failure(ecs.describeServices({ cluster: 'hako-demo', services: ['app'] }))) as AwsApiError;
    expect(err).to.be.instanceOf(AwsApiError);
    expect(err.awsCode).to.equal('ClusterNotFoundException');
    expect(err.message).to.equal('ECS DescribeServices failed: ClusterNotFoundException: Cluster not found: cluster "hako-demo" in ap-northeast-1');
    expect(err.hint).to.include('aws ecs create-cluster --cluster-name hako-demo --region ap-northeast-1');
  });

  it('an unknown AWS_PROFILE is named as a profile that does not exist, before any request', async () => {
    process.env.AWS_PROFILE = 'prod';
    const err = (await failure(createAwsClients({ userAgentVersion: 't' }).ecs())) as HakoError;
    expect(err).to.be.instanceOf(HakoError);
    expect(err.message).to.match(/^AWS profile "prod" \(from AWS_PROFILE\) does not exist in .*config or .*credentials$/);
    expect(err.hint).to.equal('Profiles there: ci, default, staging. Fix the name, or unset AWS_PROFILE.');
    expect(server.seen).to.have.length(0);
    const flag = (await failure(createAwsClients({ userAgentVersion: 't', profile: 'prd' }).ecs())) as HakoError;
    expect(flag.message).to.include('AWS profile "prd" (from --profile) does not exist');
  });

  it('a profile that exists (in config or credentials) is used', async () => {
    const ecs = await createAwsClients({ userAgentVersion: 't', profile: 'ci' }).ecs();
    await ecs.listServices({ cluster: 'x' });
    process.env.AWS_PROFILE = 'staging';
    await (await createAwsClients({ userAgentVersion: 't' }).ecs()).listServices({ cluster: 'x' });
    expect(server.seen).to.have.length(2);
  });

  it('honours AWS_DEFAULT_REGION when AWS_REGION is not set, as the AWS CLI does; AWS_REGION and an explicit region win', async () => {
    delete process.env.AWS_REGION;
    process.env.AWS_DEFAULT_REGION = 'eu-central-1';
    await (await createAwsClients({ userAgentVersion: 't' }).ecs()).listServices({});
    process.env.AWS_REGION = 'sa-east-1';
    await (await createAwsClients({ userAgentVersion: 't' }).ecs()).listServices({});
    await (await createAwsClients({ userAgentVersion: 't', region: 'ap-south-1' }).ecs()).listServices({});
    expect(server.seen.map(signingRegion)).to.deep.equal(['eu-central-1', 'sa-east-1', 'ap-south-1']);
  });

  it('says when a throttled call is retried, once per retry', async () => {
    const throttled = json(400, { __type: 'ThrottlingException', message: 'Rate exceeded' }, 'ThrottlingException');
    script.set('DescribeServices', [throttled, throttled, json(200, { services: [], failures: [] })]);
    const io = new RecordingIoHost();
    const ecs = await createAwsClients({ region: 'ap-northeast-1', userAgentVersion: 't', io }).ecs();
    expect(await ecs.describeServices({ cluster: 'c', services: ['s'] })).to.deep.include({ services: [] });
    const warnings = io.messages.filter((m) => m.level === 'warn').map((m) => m.message);
    expect(warnings).to.deep.equal(['ECS DescribeServices throttled, retrying (attempt 2)…', 'ECS DescribeServices throttled, retrying (attempt 3)…']);
    expect(server.seen).to.have.length(3);
  });

  it('reports an HTML 500 page as "HTTP 500 from ECS RunTask" with the start of the body', async () => {
    script.set('RunTask', [{ status: 500, headers: { 'content-type': 'text/html' }, body: HTML_500 }]);
    const io = new RecordingIoHost();
    const ecs = await createAwsClients({ region: 'ap-northeast-1', userAgentVersion: 't', io, maxAttempts: 2 }).ecs();
    const err = (await failure(ecs.runTask({ cluster: 'c', taskDefinition: 'td' }))) as AwsApiError;
    expect(err).to.be.instanceOf(AwsApiError);
    expect(err.message).to.equal(
      'HTTP 500 from ECS RunTask: <!DOCTYPE html> <html><head><title>500 Internal Server Error</title></head> <body><h1>Internal Server Error</h1></body></html>',
    );
    expect(err.message).not.to.include('SyntaxError');
    expect(err.message).not.to.include('Unexpected token');
    expect(err.hint).to.include('AWS_ENDPOINT_URL');
    expect(io.messages.filter((m) => m.level === 'warn').map((m) => m.message)).to.deep.equal(['ECS RunTask answered HTTP 500, retrying (attempt 2)…']);
  });
});
