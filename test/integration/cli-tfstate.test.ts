/**
 * `--tfstate s3://…` through the real CLI and the real S3 client against moto: the state is an S3 object as the
 * S3 backend writes it; show-definition, diff and deploy read it, and what moto holds afterwards (the task
 * definition's environment) shows the values arrived, while plans keep the sensitive output masked.
 */
import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateBucketCommand, PutObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { useMoto } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';

const APP = fixture('integration', 'tfstate-app.jsonnet');
const BUCKET = 'tf-states';
const KEY = 'env:/staging/app/terraform.tfstate';
const URL = `s3://${BUCKET}/${KEY}`;
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;

/**
 * The fixture state with the cluster renamed to one that exists in the emulator account, and a desired count of 1
 * (the moto server reports one running task per service, so a rollout to 1 completes).
 */
function stateText(): string {
  const state = JSON.parse(readFileSync(fixture('tfstate', 'terraform.tfstate'), 'utf8')) as {
    outputs: Record<string, { value: unknown }>;
    resources: { type: string; instances: { attributes: Record<string, unknown> }[] }[];
  };
  state.resources.find((r) => r.type === 'aws_ecs_cluster')!.instances[0]!.attributes.name = 'hako-demo';
  state.outputs.desired_count!.value = 1;
  return JSON.stringify(state, null, 2);
}

describe('integration: --tfstate s3:// against moto', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  let env: NodeJS.ProcessEnv;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...moto.env(), AWS_PROFILE: undefined, HAKO_TFSTATE: undefined, ...account.env };
    const s3 = new S3Client(motoClientConfig(moto));
    try {
      await s3.send(new CreateBucketCommand({ Bucket: BUCKET, CreateBucketConfiguration: { LocationConstraint: 'ap-northeast-1' } }));
      await s3.send(new PutObjectCommand({ Bucket: BUCKET, Key: KEY, Body: stateText(), ContentType: 'application/json' }));
    } finally {
      s3.destroy();
    }
  });

  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env, cwd: repoRoot });

  function expectCode(r: CliResult, code: number): void {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  }

  it('show-definition reads the state from S3: values print, the sensitive output stays a placeholder', async () => {
    const r = await hako('show-definition', '--tfstate', URL, APP);
    expectCode(r, 0);
    const model = JSON.parse(r.stdout) as { scheduler: { cluster: string; desired_count: number }; containers: { env: { name: string; value: string }[] }[] };
    expect(model.scheduler).to.include({ cluster: 'hako-demo', desired_count: 1 });
    expect(model.containers[0]!.env).to.deep.equal([
      { name: 'DB_PASSWORD', value: '${output.db_password}' },
      { name: 'SUBNET', value: 'subnet-aaa' },
      { name: 'VPC_ID', value: 'vpc-0123456789abcdef0' },
    ]);
  });

  it('diff prints Terraform values but masks the sensitive output; deploy registers the real values; then no diff', async () => {
    const diff = await hako('diff', '--tfstate', URL, APP);
    expectCode(diff, 16);
    expect(diff.stdout).to.include('VPC_ID=vpc-0123456789abcdef0');
    expect(diff.stdout).to.match(/DB_PASSWORD=\(from a provider, sha256:[0-9a-f]{8}\)/);
    expect(diff.stdout + diff.stderr).not.to.include('hunter2');

    const deploy = await hako('deploy', '--tfstate', URL, APP);
    expectCode(deploy, 0);
    expect(deploy.stdout + deploy.stderr).not.to.include('hunter2');

    const ecs = new ECSClient(motoClientConfig(moto));
    try {
      const service = (await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: ['tfstate-app'] }))).services?.[0];
      expect(service?.desiredCount).to.equal(1);
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: service!.taskDefinition! }));
      const environment = td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'app')?.environment ?? [];
      expect(Object.fromEntries(environment.map((e) => [e.name, e.value]))).to.deep.equal({
        DB_PASSWORD: 'hunter2-from-terraform',
        SUBNET: 'subnet-aaa',
        VPC_ID: 'vpc-0123456789abcdef0',
      });
    } finally {
      ecs.destroy();
    }

    expectCode(await hako('diff', '--tfstate', URL, APP), 0);
  });

  it('oneshot --dry-run plans the oneshot task definition from the state, the sensitive output masked', async () => {
    const r = await hako('oneshot', '--tfstate', URL, '--dry-run', APP, '--', 'echo', 'hi');
    expectCode(r, 0);
    expect(r.stdout).to.include('SUBNET=subnet-aaa');
    expect(r.stdout).to.match(/DB_PASSWORD=\(from a provider, sha256:[0-9a-f]{8}\)/);
    expect(r.stdout + r.stderr).not.to.include('hunter2');
  });

  it('a missing object or bucket is an error naming the s3:// URL, exit 1, no stack trace', async () => {
    const missingKey = await hako('show-definition', '--tfstate', `s3://${BUCKET}/nope.tfstate`, APP);
    expectCode(missingKey, 1);
    expect(missingKey.stderr).to.include(`cannot read Terraform state s3://${BUCKET}/nope.tfstate: no such object`);
    expect(missingKey.stderr).not.to.match(STACK_LINE);

    const missingBucket = await hako('show-definition', '--tfstate', 's3://no-such-bucket/terraform.tfstate', APP);
    expectCode(missingBucket, 1);
    expect(missingBucket.stderr).to.include('cannot read Terraform state s3://no-such-bucket/terraform.tfstate');
    expect(missingBucket.stderr).to.include('NoSuchBucket');
    expect(missingBucket.stderr).not.to.match(STACK_LINE);
  });
});
