/**
 * `scheduler.load_balancers` through the real CLI against moto: the service binds to target groups made
 * elsewhere (as Terraform would), diff sees a change of group, deploy moves the service, remove leaves the groups.
 */
import { expect } from 'chai';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateTargetGroupCommand, DescribeTargetGroupsCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { prepareEmulatorAccount, type EmulatorAccount } from '../../scripts/emulator-account.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { useAwsProxy } from './harness/aws-proxy.js';
import { useMoto } from './harness/moto.js';

const BOUND = fixture('integration', 'bound-fargate.jsonnet');

describe('integration: scheduler.load_balancers (target groups made elsewhere)', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const proxy = useAwsProxy(moto);
  let account: EmulatorAccount;
  let ecs: ECSClient;
  let elb: ElasticLoadBalancingV2Client;

  beforeEach(async () => {
    account = await prepareEmulatorAccount(moto.endpoint());
    ecs = new ECSClient(motoClientConfig(moto));
    elb = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
  });
  afterEach(() => {
    ecs.destroy();
    elb.destroy();
  });

  const hako = (tg: string, ...args: string[]): Promise<CliResult> =>
    runHako([...args, '--ext-str', `TG_ARN=${tg}`], { env: { ...proxy.env(), AWS_PROFILE: undefined, ...account.env }, cwd: repoRoot });
  const expectCode = (r: CliResult, code: number): void => {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  };

  async function targetGroup(name: string): Promise<string> {
    const out = await elb.send(new CreateTargetGroupCommand({ Name: name, Protocol: 'HTTP', Port: 80, VpcId: account.env.HAKO_VPC_ID, TargetType: 'ip' }));
    return out.TargetGroups![0]!.TargetGroupArn!;
  }

  it('binds the service, sees and applies a change of group, and leaves the groups on remove', async () => {
    const web = await targetGroup('tf-web');
    const canary = await targetGroup('tf-canary');

    expectCode(await hako(web, 'deploy', BOUND), 0);
    const svc = async () => (await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: ['bound-fargate'] }))).services![0]!;
    expect((await svc()).loadBalancers).to.deep.equal([{ targetGroupArn: web, containerName: 'app', containerPort: 80 }]);

    proxy.clearCalls();
    expectCode(await hako(web, 'diff', BOUND), 0);
    expect(proxy.calls().length).to.be.greaterThan(0);
    expect(proxy.mutatingCalls()).to.deep.equal([]);

    const diff = await hako(canary, 'diff', BOUND);
    expectCode(diff, 16);
    expect(diff.stdout).to.contain(canary);
    expect(diff.stdout).to.contain(web);

    expectCode(await hako(canary, 'deploy', BOUND), 0);
    expect((await svc()).loadBalancers).to.deep.equal([{ targetGroupArn: canary, containerName: 'app', containerPort: 80 }]);

    expectCode(await hako(canary, 'remove', BOUND), 0);
    expect((await svc()).status).to.equal('INACTIVE');
    const left = ((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).map((t) => t.TargetGroupArn).sort();
    expect(left).to.deep.equal([web, canary].sort());
  });
});
