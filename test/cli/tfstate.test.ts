/**
 * `--tfstate` and `HAKO_TFSTATE` through the real CLI on a local state (S3 states are tested against moto in
 * test/integration/cli-tfstate.test.ts): Terraform values print, sensitive ones stay placeholders unless
 * --expand, and a wrong address or state is an error naming it, exit 1, no stack trace.
 */
import { expect } from 'chai';
import { runHako } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';

const NO_AWS = { AWS_ENDPOINT_URL: 'http://127.0.0.1:9', AWS_REGION: 'ap-northeast-1', AWS_ACCESS_KEY_ID: 'x', AWS_SECRET_ACCESS_KEY: 'x', HAKO_TFSTATE: undefined };
const STACK_LINE = /^\s+at .+\(.+:\d+:\d+\)$|^\s+at .+:\d+:\d+$/m;
const APP = 'test/fixtures/tfstate/app.jsonnet';
const STATE = 'test/fixtures/tfstate/terraform.tfstate';

interface Model {
  scheduler: { cluster: string; desired_count: number };
  containers: { env: { name: string; value: string }[] }[];
}

function parse(stdout: string): { cluster: string; count: number; env: Record<string, string> } {
  const model = JSON.parse(stdout) as Model;
  return {
    cluster: model.scheduler.cluster,
    count: model.scheduler.desired_count,
    env: Object.fromEntries(model.containers[0]!.env.map((e) => [e.name, e.value])),
  };
}

const hako = (args: string[], env: NodeJS.ProcessEnv = {}) => runHako(args, { env: { ...NO_AWS, ...env }, cwd: repoRoot });

describe('CLI: --tfstate', () => {
  it('show-definition prints Terraform values and keeps the sensitive output a placeholder', async () => {
    const r = await hako(['show-definition', '--tfstate', STATE, APP]);
    expect(r.stderr).to.equal('');
    expect(r.code).to.equal(0);
    expect(parse(r.stdout)).to.deep.equal({
      cluster: 'tf-cluster',
      count: 3,
      env: { DB_ENDPOINT: 'db.example.internal:5432', DB_PASSWORD: '${output.db_password}', VPC_ID: 'vpc-0123456789abcdef0' },
    });
  });

  it('show-definition --expand reads the sensitive output too', async () => {
    const r = await hako(['show-definition', '--expand', '--tfstate', STATE, APP]);
    expect(r.code, r.stderr).to.equal(0);
    expect(parse(r.stdout).env.DB_PASSWORD).to.equal('hunter2-from-terraform');
  });

  it('takes the location from HAKO_TFSTATE, also when an --envfile sets it', async () => {
    const fromEnv = await hako(['show-definition', APP], { HAKO_TFSTATE: STATE });
    expect(fromEnv.code, fromEnv.stderr).to.equal(0);
    expect(parse(fromEnv.stdout).cluster).to.equal('tf-cluster');
    const fromFile = await hako(['show-definition', '--envfile', 'test/fixtures/tfstate/tfstate.env', APP]);
    expect(fromFile.code, fromFile.stderr).to.equal(0);
    expect(parse(fromFile.stdout).cluster).to.equal('tf-cluster');
  });

  it('--tfstate wins over HAKO_TFSTATE', async () => {
    const r = await hako(['show-definition', '--tfstate', STATE, APP], { HAKO_TFSTATE: 'test/fixtures/tfstate/nope.tfstate' });
    expect(r.code, r.stderr).to.equal(0);
  });

  it('without a location, names the call and how to give one', async () => {
    const r = await hako(['show-definition', APP]);
    expect(r.code).to.equal(1);
    expect(r.stderr).to.match(/app\.jsonnet:\d+:\d+: std\.native\('tfstate'\)\("[^"]+"\) needs the Terraform state's location/);
    expect(r.stderr).to.include('Hint: Pass --tfstate URL');
    expect(r.stderr).not.to.match(STACK_LINE);
  });

  it('a missing address names it and the closest one, exit 1', async () => {
    const r = await hako(['show-definition', '--tfstate', STATE, fixture('tfstate', 'missing-address.jsonnet')]);
    expect(r.code).to.equal(1);
    expect(r.stdout).to.equal('');
    expect(r.stderr).to.include('tfstate: aws_lb_target_group.nodjs.arn not found');
    expect(r.stderr).to.include('did you mean aws_lb_target_group.nodejs.arn?');
    expect(r.stderr).not.to.match(STACK_LINE);
  });

  it('a state in another format version, or a missing state, names the file, exit 1', async () => {
    const v3 = await hako(['diff', '--tfstate', 'test/fixtures/tfstate/version3.tfstate', APP]);
    expect(v3.code).to.equal(1);
    expect(v3.stderr).to.include('test/fixtures/tfstate/version3.tfstate has state format version 3; hako reads version 4');
    expect(v3.stderr).not.to.match(STACK_LINE);
    const missing = await hako(['deploy', '--tfstate', 'nope.tfstate', APP]);
    expect(missing.code).to.equal(1);
    expect(missing.stderr).to.include('cannot read Terraform state nope.tfstate: no such file');
    expect(missing.stderr).not.to.match(STACK_LINE);
  });

  for (const verb of ['deploy', 'diff', 'oneshot', 'show-definition', 'status', 'rollback', 'stop', 'remove']) {
    it(`${verb} --help lists --tfstate`, async () => {
      const r = await runHako([verb, '--help']);
      expect(r.code).to.equal(0);
      expect(r.stdout).to.include('--tfstate');
    });
  }
});
