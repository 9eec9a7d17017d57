/**
 * The client factory against moto: ports built by createAwsClients reach the emulator through AWS_ENDPOINT_URL
 * alone (no endpoint is passed in code), and the SSM / Secrets Manager providers and the secrets check read what
 * real SDK clients wrote there.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  CreateClusterCommand,
  DescribeTasksCommand,
  ECSClient,
  ListClustersCommand,
  RegisterTaskDefinitionCommand,
  RunTaskCommand,
} from '@aws-sdk/client-ecs';
import { PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';
import { CreateSecretCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { CreateBucketCommand, S3Client } from '@aws-sdk/client-s3';
import { createAwsClients } from '../../lib/aws/factory.js';
import type { AwsClients } from '../../lib/aws/ports.js';
import { AwsApiError, HakoError } from '../../lib/errors.js';
import { silentIoHost } from '../../lib/io/io-host.js';
import { ssmProvider } from '../../lib/providers/ssm.js';
import { secretsManagerProvider } from '../../lib/providers/secrets-manager.js';
import type { ProviderContext } from '../../lib/providers/provider.js';
import { checkSecrets } from '../../lib/schedulers/ecs/secrets-check.js';
import type { Container } from '../../lib/definition/model.js';
import { applyProcessEnv, MOTO_ACCOUNT_ID, setTaskTransitionManual, unsetTaskTransition, useMoto } from './harness/moto.js';
import { createSecurityGroup, defaultNetwork, motoClientConfig } from './harness/aws.js';
import { repoRoot } from '../helpers/paths.js';

describe('integration: AWS client factory against moto', () => {
  const moto = useMoto();
  let restoreEnv: () => void;
  let aws: AwsClients;
  let context: ProviderContext;

  before(() => {
    restoreEnv = applyProcessEnv({ ...moto.env(), AWS_PROFILE: undefined });
  });
  after(() => restoreEnv());
  beforeEach(() => {
    aws = createAwsClients({ region: 'ap-northeast-1', userAgentVersion: 'integration' });
    context = { rootPath: '/', aws: () => aws, io: silentIoHost, env: {} };
  });

  async function putParameter(name: string, value: string, type: 'String' | 'SecureString', region = 'ap-northeast-1') {
    const ssm = new SSMClient(motoClientConfig(moto, region));
    await ssm.send(new PutParameterCommand({ Name: name, Value: value, Type: type }));
    ssm.destroy();
  }

  async function createSecret(name: string, value: string): Promise<string> {
    const sm = new SecretsManagerClient(motoClientConfig(moto));
    const out = await sm.send(new CreateSecretCommand({ Name: name, SecretString: value }));
    sm.destroy();
    return out.ARN!;
  }

  it('ECS: reads a cluster created by another client, and maps an ECS error', async () => {
    const direct = new ECSClient(motoClientConfig(moto));
    await direct.send(new CreateClusterCommand({ clusterName: 'hako-test' }));
    direct.destroy();

    const ecs = await aws.ecs();
    const out = await ecs.describeClusters({ clusters: ['hako-test'] });
    expect(out.clusters?.map((c) => [c.clusterName, c.status])).to.deep.equal([['hako-test', 'ACTIVE']]);

    const err = await ecs.describeTaskDefinition({ taskDefinition: 'no-such-family' }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AwsApiError);
    expect((err as AwsApiError).awsCode).to.equal('ClientException');
  });

  it('ssm provider: decrypts SecureStrings, batches past 10 names, omits missing ones', async () => {
    await putParameter('/myapp/DB_PASSWORD', 'pa55word', 'SecureString');
    await putParameter('/myapp/GREETING', 'hello', 'String');
    const many = Array.from({ length: 11 }, (_, i) => `N${i}`);
    for (const n of many) await putParameter(`/myapp/${n}`, `value-${n}`, 'String');

    const provider = ssmProvider.create({ prefix: '/myapp/' }, context);
    const answer = await provider.ask(['DB_PASSWORD', 'GREETING', 'MISSING', ...many]);
    expect(answer.DB_PASSWORD).to.equal('pa55word');
    expect(answer.GREETING).to.equal('hello');
    expect(answer.N10).to.equal('value-N10');
    expect(answer).to.not.have.property('MISSING');
    expect(Object.keys(answer)).to.have.length(13);

    const keysOnly = ssmProvider.create({ prefix: '/myapp/' }, context);
    expect(await keysOnly.askKeys!(['MISSING', 'DB_PASSWORD'])).to.deep.equal(['DB_PASSWORD']);
  });

  it('ssm provider: a region option reaches that region', async () => {
    await putParameter('/east/ONLY_EAST', 'east', 'String', 'us-east-1');
    const east = ssmProvider.create({ prefix: '/east/', region: 'us-east-1' }, context);
    const home = ssmProvider.create({ prefix: '/east/' }, context);
    expect(await east.ask(['ONLY_EAST'])).to.deep.equal({ ONLY_EAST: 'east' });
    expect(await home.ask(['ONLY_EAST'])).to.deep.equal({});
  });

  it('secretsmanager provider: JSON keys with secret_id, whole secrets by name', async () => {
    await createSecret('myapp/env', JSON.stringify({ API_KEY: 'k-123', RETRIES: 3 }));
    await createSecret('myapp/token', 'whole-token');

    const json = secretsManagerProvider.create({ secret_id: 'myapp/env' }, context);
    expect(await json.ask(['API_KEY', 'RETRIES', 'NOPE'])).to.deep.equal({ API_KEY: 'k-123', RETRIES: '3' });

    const byName = secretsManagerProvider.create({}, context);
    expect(await byName.ask(['myapp/token', 'myapp/absent'])).to.deep.equal({ 'myapp/token': 'whole-token' });
  });

  it('checkSecrets: names exactly the references moto cannot resolve', async () => {
    // SSM references are plain names here: moto's GetParameters does not accept ARNs (it reports them all
    // invalid; AWS accepts both, and hako sends ARNs). The ARN form is covered by the unit tests with fakes.
    await putParameter('/app/PRESENT', 'x', 'SecureString');
    const secretArn = await createSecret('app/creds', JSON.stringify({ USER: 'u' }));
    const goodKey = `${secretArn}:USER::`;
    const badKey = `${secretArn}:PASSWORD::`;
    const missingSecret = `arn:aws:secretsmanager:ap-northeast-1:${MOTO_ACCOUNT_ID}:secret:app/none-AbCdEf:USER::`;
    const app = {
      name: 'app',
      image: 'busybox',
      cpu: 0,
      links: [],
      port_mappings: [],
      essential: true,
      env: [],
      env_providers: [],
      docker_labels: {},
      mount_points: [],
      privileged: false,
      volumes_from: [],
      secrets: ['/app/PRESENT', '/app/ABSENT', goodKey, badKey, missingSecret, secretArn].map((value_from, i) => ({
        name: `S${i}`,
        value_from,
      })),
    } satisfies Container;

    const err = await checkSecrets([app], aws).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(HakoError);
    expect((err as HakoError).message).to.equal(
      `Invalid ARNs for secrets: [${['/app/ABSENT', badKey, missingSecret].map((a) => JSON.stringify(a)).join(', ')}]`,
    );
    expect((err as HakoError).message).to.not.contain('"u"');
  });

  it('S3: text bodies, and undefined for an absent key', async () => {
    const direct = new S3Client(motoClientConfig(moto));
    await direct.send(
      new CreateBucketCommand({ Bucket: 'hako-front', CreateBucketConfiguration: { LocationConstraint: 'ap-northeast-1' } }),
    );
    direct.destroy();
    const s3 = await aws.s3();
    await s3.putObject({ Bucket: 'hako-front', Key: 'conf/app.conf', Body: 'server {}\n' });
    expect(await s3.getObject({ Bucket: 'hako-front', Key: 'conf/app.conf' })).to.equal('server {}\n');
    expect(await s3.getObject({ Bucket: 'hako-front', Key: 'conf/absent.conf' })).to.equal(undefined);
    expect((await s3.headObject({ Bucket: 'hako-front', Key: 'conf/app.conf' }))?.ContentLength).to.equal(10);
    expect(await s3.headObject({ Bucket: 'hako-front', Key: 'conf/absent.conf' })).to.equal(undefined);
  });
});

describe('integration: moto harness', () => {
  const moto = useMoto();
  let ecs: ECSClient;
  before(() => {
    ecs = new ECSClient(motoClientConfig(moto));
  });
  after(() => ecs.destroy());

  async function clusterNames(): Promise<string[]> {
    const out = await ecs.send(new ListClustersCommand({}));
    return (out.clusterArns ?? []).map((arn) => arn.split('/').pop() ?? '');
  }

  it('starts with empty state (1/2): creates a cluster', async () => {
    await ecs.send(new CreateClusterCommand({ clusterName: 'leaky' }));
    expect(await clusterNames()).to.deep.equal(['leaky']);
  });

  it('starts with empty state (2/2): the previous test left nothing behind', async () => {
    expect(await clusterNames()).to.deep.equal([]);
  });

  it('finds the default subnets and creates a security group in the default VPC', async () => {
    const network = await defaultNetwork(moto);
    expect(network.subnetIds).to.have.length(3);
    const groupId = await createSecurityGroup(moto, 'hako-test');
    expect(groupId).to.match(/^sg-/);
  });

  it('keeps tasks RUNNING under the manual transition, and the default progression returns after it', async () => {
    // Fargate: moto's RunTask on EC2 needs registered container instances.
    const { subnetIds } = await defaultNetwork(moto);
    const securityGroup = await createSecurityGroup(moto, 'tasks');
    await ecs.send(new CreateClusterCommand({ clusterName: 'c' }));
    await ecs.send(
      new RegisterTaskDefinitionCommand({
        family: 'sleeper',
        requiresCompatibilities: ['FARGATE'],
        networkMode: 'awsvpc',
        cpu: '256',
        memory: '512',
        containerDefinitions: [{ name: 'app', image: 'busybox', memory: 64 }],
      }),
    );
    const statusAfterPolls = async (polls: number): Promise<string | undefined> => {
      const run = await ecs.send(
        new RunTaskCommand({
          cluster: 'c',
          taskDefinition: 'sleeper',
          launchType: 'FARGATE',
          networkConfiguration: { awsvpcConfiguration: { subnets: subnetIds, securityGroups: [securityGroup] } },
        }),
      );
      const arn = run.tasks?.[0]?.taskArn;
      expect(arn).to.be.a('string');
      let status: string | undefined;
      for (let i = 0; i < polls; i++) {
        const out = await ecs.send(new DescribeTasksCommand({ cluster: 'c', tasks: [arn!] }));
        status = out.tasks?.[0]?.lastStatus;
      }
      return status;
    };
    await setTaskTransitionManual(moto);
    expect(await statusAfterPolls(5)).to.equal('RUNNING');
    await unsetTaskTransition(moto);
    expect(await statusAfterPolls(5)).to.equal('STOPPED');
  });

  it('startMoto says what to install when the chosen python has no moto', async () => {
    const script = `import(${JSON.stringify(pathToFileURL(path.join(repoRoot, 'dist', 'scripts', 'moto.js')).href)}).then((m) => m.startMoto())`;
    const result = spawnSync(process.execPath, ['--input-type=module', '-e', script], {
      env: { ...process.env, HAKO_MOTO_PYTHON: '/nonexistent/python3' },
      encoding: 'utf8',
    });
    expect(result.status).to.not.equal(0);
    expect(result.stderr).to.contain("HAKO_MOTO_PYTHON=/nonexistent/python3 cannot import moto.server");
    expect(result.stderr).to.contain("pip install 'moto[server]'");
  });
});

