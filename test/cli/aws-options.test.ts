/**
 * `--region` and `--profile` through bin/hako, against a loopback endpoint standing in for ECS: --region wins over
 * AWS_REGION for a definition without scheduler.region, contradicting the definition is a usage error, an unknown
 * profile is named, and a missing cluster is reported with its name and region.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runHako } from '../helpers/cli.js';
import { fakeAws, type Seen } from '../helpers/fake-aws-server.js';
import { definitionsDir, fixture } from '../helpers/paths.js';

const NO_REGION = fixture('cli', 'no-region.jsonnet');
const signingRegion = (req: Seen) => /Credential=[^/]+\/\d+\/([^/]+)\//.exec(String(req.headers.authorization))?.[1];

describe('CLI: AWS region and profile', function () {
  this.timeout(60_000);
  const server = fakeAws(() => ({
    status: 400,
    headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amzn-errortype': 'ClusterNotFoundException' },
    body: JSON.stringify({ __type: 'ClusterNotFoundException', message: 'Cluster not found.' }),
  }));
  let env: NodeJS.ProcessEnv;
  let dir: string;

  before(async () => {
    const endpoint = await server.start();
    dir = mkdtempSync(path.join(os.tmpdir(), 'hako-cli-aws-'));
    writeFileSync(path.join(dir, 'config'), '[profile staging]\nregion = eu-west-3\naws_access_key_id = a\naws_secret_access_key = b\n');
    env = {
      AWS_ENDPOINT_URL: endpoint,
      AWS_ACCESS_KEY_ID: 'x',
      AWS_SECRET_ACCESS_KEY: 'x',
      AWS_REGION: 'eu-west-1',
      AWS_PROFILE: undefined,
      AWS_CONFIG_FILE: path.join(dir, 'config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'credentials'),
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  });
  beforeEach(() => server.seen.splice(0));
  after(async () => {
    await server.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  it('--region wins over AWS_REGION, and a missing cluster is named with that region', async () => {
    const r = await runHako(['status', '--region', 'us-west-2', NO_REGION], { env });
    expect(r.code).to.equal(1);
    expect(server.seen.map(signingRegion)).to.deep.equal(['us-west-2']);
    expect(r.stderr).to.include('ECS DescribeServices failed: ClusterNotFoundException: Cluster not found: cluster "hako-demo" in us-west-2');
    expect(r.stderr).to.include('aws ecs create-cluster --cluster-name hako-demo --region us-west-2');
  });

  it('AWS_DEFAULT_REGION is honoured when AWS_REGION is not set', async () => {
    const r = await runHako(['status', NO_REGION], { env: { ...env, AWS_REGION: undefined, AWS_DEFAULT_REGION: 'ca-central-1' } });
    expect(r.code).to.equal(1);
    expect(server.seen.map(signingRegion)).to.deep.equal(['ca-central-1']);
  });

  it('--region that contradicts scheduler.region is a usage error, before any call', async () => {
    const r = await runHako(['status', '--region', 'us-west-2', path.join(definitionsDir, 'hello.jsonnet')], { env });
    expect(r.code).to.equal(2);
    expect(r.stderr).to.include('--region us-west-2 contradicts scheduler.region ap-northeast-1');
    expect(server.seen).to.have.length(0);
  });

  it('--profile wins over AWS_PROFILE; an unknown profile is named as such, before any call', async () => {
    const unknown = await runHako(['status', NO_REGION], { env: { ...env, AWS_PROFILE: 'prod' } });
    expect(unknown.code).to.equal(1);
    expect(unknown.stderr).to.match(/AWS profile "prod" \(from AWS_PROFILE\) does not exist in .*config/);
    expect(unknown.stderr).to.include('Profiles there: staging');
    expect(unknown.stderr).not.to.include('Could not load credentials');
    expect(server.seen).to.have.length(0);
    const flag = await runHako(['status', '--profile', 'staging', NO_REGION], { env: { ...env, AWS_PROFILE: 'prod', AWS_REGION: undefined } });
    expect(flag.code).to.equal(1);
    // The profile's own region, since neither the definition nor --region nor AWS_REGION names one.
    expect(server.seen.map(signingRegion)).to.deep.equal(['eu-west-3']);
  });
});
