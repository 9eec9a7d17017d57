/**
 * CodeDeploy blue/green through the real CLI against moto. The target groups and the deployment group are made
 * first, as Terraform would; hako creates the CODE_DEPLOY service, then deploys it through CodeDeploy.
 *
 * What moto cannot do is shaped by the proxy, and each test says where: deployments stay `Created` in moto (the
 * proxy's GetDeployment answers give the status), StopDeployment is a 500 in moto (the proxy answers it), and a
 * CodeDeploy deployment never moves the service to the new revision in moto (after a success, the proxy's
 * DescribeServices answer names it, as AWS would).
 */
import { expect } from 'chai';
import { parse } from 'yaml';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { CreateTargetGroupCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { prepareEmulatorAccount, type EmulatorAccount } from '../../scripts/emulator-account.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { createBlueGreenGroup, deploymentAnswers, motoDeployment, motoDeployments } from './harness/codedeploy.js';
import { useMoto } from './harness/moto.js';

const APP = fixture('integration', 'codedeploy-fargate.jsonnet');
const SERVICE = 'codedeploy-fargate';
const CLUSTER = 'hako-demo';

describe('integration: CodeDeploy blue/green (deployment_controller CODE_DEPLOY)', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const proxy = useAwsProxy(moto);
  let account: EmulatorAccount;
  let ecs: ECSClient;
  let blue: string;

  beforeEach(async () => {
    account = await prepareEmulatorAccount(moto.endpoint());
    ecs = new ECSClient(motoClientConfig(moto));
    const elb = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
    try {
      const tg = async (Name: string) =>
        (await elb.send(new CreateTargetGroupCommand({ Name, Protocol: 'HTTP', Port: 80, VpcId: account.env.HAKO_VPC_ID, TargetType: 'ip' }))).TargetGroups![0]!.TargetGroupArn!;
      blue = await tg('cd-blue');
      await tg('cd-green');
    } finally {
      elb.destroy();
    }
    await createBlueGreenGroup(moto, { application: 'cd-app', group: 'cd-group', cluster: CLUSTER, service: SERVICE, targetGroups: ['cd-blue', 'cd-green'] });
  });
  afterEach(() => ecs.destroy());

  const hako = (args: string[], controller = 'CODE_DEPLOY'): Promise<CliResult> =>
    runHako([...args, '--ext-str', `TG_ARN=${blue}`, '--ext-str', `CONTROLLER=${controller}`], {
      env: { ...proxy.env(), AWS_PROFILE: undefined, ...account.env },
      cwd: repoRoot,
    });
  const expectCode = (r: CliResult, code: number): void => {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}\ncalls:\n${formatCalls(proxy.calls())}`).to.equal(code);
  };
  const out = (r: CliResult): string => `${r.stdout}\n${r.stderr}`;
  const describe_ = async () => (await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [SERVICE] }))).services![0]!;
  const revision = async (n: number) => (await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: `${SERVICE}:${n}` }))).taskDefinition!.taskDefinitionArn!;
  const called = (operation: string) => proxy.calls().filter((c) => c.operation === operation);

  /** After a deployment succeeds, AWS runs the new revision: moto does not, so its DescribeServices answer says so. */
  function serviceRuns(taskDefinition: string): void {
    proxy.rewrite({ service: 'ECS', operation: 'DescribeServices' }, (body: { services?: { taskDefinition?: string }[] }) => {
      for (const s of body.services ?? []) s.taskDefinition = taskDefinition;
    });
  }

  it('creates the CODE_DEPLOY service, then deploys a change through CodeDeploy with an AppSpec naming the new revision; a no-op redeploy changes nothing', async () => {
    expectCode(await hako(['deploy', APP]), 0);
    const created = await describe_();
    expect(created.deploymentController).to.deep.equal({ type: 'CODE_DEPLOY' });
    expect(created.loadBalancers).to.deep.equal([{ targetGroupArn: blue, containerName: 'app', containerPort: 80 }]);
    expect(called('CreateDeployment')).to.deep.equal([]);
    const rev1 = await revision(1);

    // diff renders the AppSpec the deploy would start and writes nothing.
    proxy.clearCalls();
    const diff = await hako(['diff', APP, '-t', '1.37']);
    expectCode(diff, 16);
    expect(diff.stdout).to.contain('+ Register task definition codedeploy-fargate (replacing revision 1)');
    expect(diff.stdout).to.contain('+ Create CodeDeploy deployment of codedeploy-fargate: codedeploy-fargate:1 → (known after apply: new revision of task definition codedeploy-fargate) (cd-app/cd-group)');
    expect(diff.stdout).to.contain(`-        TaskDefinition: ${rev1}`);
    expect(diff.stdout).to.contain('+        TaskDefinition: "(known after apply: new revision of task definition codedeploy-fargate)"');
    expect(diff.stdout).to.contain('         LoadBalancerInfo:');
    expect(proxy.mutatingCalls(), formatCalls(proxy.calls())).to.deep.equal([]);

    // The deployment runs, then succeeds (moto would keep it Created).
    deploymentAnswers(proxy, (_id, asked) => ({ status: asked === 0 ? 'InProgress' : 'Succeeded' }));
    proxy.clearCalls();
    const deploy = await hako(['deploy', APP, '-t', '1.37']);
    expectCode(deploy, 0);
    const rev2 = await revision(2);
    const [id] = await motoDeployments(moto, 'cd-app', 'cd-group');
    expect(out(deploy)).to.contain(`Created CodeDeploy deployment ${id}: codedeploy-fargate:2`);
    expect(out(deploy)).to.contain(`CodeDeploy deployment ${id}: Succeeded`);
    expect(out(deploy)).to.contain('Deployment completed');
    // The revision went through CodeDeploy only: ECS refuses UpdateService(taskDefinition) for such a service.
    expect(proxy.mutatingCalls().map(callName)).to.deep.equal(['ECS RegisterTaskDefinition', 'CodeDeploy CreateDeployment']);

    const deployment = await motoDeployment(moto, id!);
    expect(deployment).to.deep.include({ applicationName: 'cd-app', deploymentGroupName: 'cd-group' });
    expect(deployment['description']).to.match(/^hako deploy of codedeploy-fargate \(run [0-9a-f-]{36}\)$/);
    expect(deployment['revision']['revisionType']).to.equal('AppSpecContent');
    const appSpec = parse(deployment['revision']['appSpecContent']['content'] as string);
    expect(appSpec).to.deep.equal({
      version: 0,
      Resources: [
        {
          TargetService: {
            Type: 'AWS::ECS::Service',
            Properties: {
              TaskDefinition: rev2,
              LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 80 },
              NetworkConfiguration: {
                AwsvpcConfiguration: {
                  Subnets: account.env.HAKO_SUBNETS.split(',').sort(),
                  SecurityGroups: [account.env.HAKO_SECURITY_GROUPS],
                  AssignPublicIp: 'DISABLED',
                },
              },
            },
          },
        },
      ],
    });

    // Redeploying what runs (as AWS would report it after the deployment) writes nothing and asks CodeDeploy nothing.
    serviceRuns(rev2);
    proxy.clearCalls();
    const again = await hako(['deploy', APP, '-t', '1.37']);
    expectCode(again, 0);
    expect(out(again)).to.contain('Service codedeploy-fargate runs codedeploy-fargate:2: no CodeDeploy deployment needed');
    expect(proxy.mutatingCalls(), formatCalls(proxy.calls())).to.deep.equal([]);
    expect(proxy.calls().filter((c) => c.service === 'CodeDeploy')).to.deep.equal([]);
    expect(await motoDeployments(moto, 'cd-app', 'cd-group')).to.deep.equal([id]);
  });

  it('a failed deployment exits 1 with CodeDeploy\'s reason and where CodeDeploy rolls back, without a rollback of hako\'s own', async () => {
    expectCode(await hako(['deploy', APP]), 0);
    deploymentAnswers(proxy, (_id, asked) =>
      asked === 0
        ? { status: 'InProgress' }
        : {
            status: 'Failed',
            errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'The overall deployment failed because too many individual instances failed deployment' },
            rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1' },
          },
    );
    proxy.clearCalls();
    const deploy = await hako(['deploy', APP, '-t', '1.37']);
    expectCode(deploy, 1);
    const [id] = await motoDeployments(moto, 'cd-app', 'cd-group');
    expect(deploy.stderr).to.contain(
      `Deployment failed: CodeDeploy deployment ${id} failed: HEALTH_CONSTRAINTS: The overall deployment failed because too many individual instances failed deployment`,
    );
    expect(deploy.stderr).to.contain('CodeDeploy rolls it back in deployment d-ROLLBACK1');
    expect(proxy.mutatingCalls().map(callName)).to.deep.equal(['ECS RegisterTaskDefinition', 'CodeDeploy CreateDeployment']);
  });

  it('--no-wait returns once the deployment is created', async () => {
    expectCode(await hako(['deploy', APP]), 0);
    proxy.clearCalls();
    const deploy = await hako(['deploy', APP, '-t', '1.37', '--no-wait']);
    expectCode(deploy, 0);
    expect(out(deploy)).to.contain('Deployment started (not waiting for it to finish)');
    expect(called('CreateDeployment')).to.have.length(1);
    expect(called('GetDeployment')).to.deep.equal([]);
    expect(await motoDeployments(moto, 'cd-app', 'cd-group')).to.have.length(1);
  });

  it('rollback stops the deployment in flight with rollback and follows CodeDeploy\'s rollback deployment', async () => {
    expectCode(await hako(['deploy', APP]), 0);
    expectCode(await hako(['deploy', APP, '-t', '1.37', '--no-wait']), 0);
    const [id] = await motoDeployments(moto, 'cd-app', 'cd-group');

    // moto answers StopDeployment with a 500; AWS would stop it and start a rollback deployment.
    const stops: unknown[] = [];
    proxy.rewrite(
      { service: 'CodeDeploy', operation: 'StopDeployment' },
      (_body, request) => {
        stops.push(request.body);
        return { status: 'Pending', statusMessage: 'Stopping' };
      },
      { errors: true },
    );
    deploymentAnswers(proxy, (deploymentId) => {
      if (deploymentId === 'd-ROLLBACK1') return { status: 'Succeeded', applicationName: 'cd-app', deploymentGroupName: 'cd-group' };
      return stops.length === 0 ? { status: 'InProgress' } : { status: 'Stopped', rollbackInfo: { rollbackDeploymentId: 'd-ROLLBACK1' } };
    });
    proxy.clearCalls();
    const rollback = await hako(['rollback', APP]);
    expectCode(rollback, 0);
    expect(stops).to.deep.equal([{ deploymentId: id, autoRollbackEnabled: true }]);
    expect(out(rollback)).to.contain(`Stop CodeDeploy deployment ${id} of codedeploy-fargate (rolling out codedeploy-fargate:2) and roll it back`);
    expect(out(rollback)).to.contain('CodeDeploy rolls back in deployment d-ROLLBACK1');
    expect(out(rollback)).to.contain('CodeDeploy deployment d-ROLLBACK1: Succeeded');
    // The stop was asked for: its end is no error.
    expect(rollback.stderr).to.equal('');
    expect(proxy.mutatingCalls().map(callName)).to.deep.equal(['CodeDeploy StopDeployment']);
  });

  it('refuses to deploy a service whose controller differs from the definition\'s, both ways, before any change', async () => {
    expectCode(await hako(['deploy', APP], 'ECS'), 0);
    expect((await describe_()).deploymentController ?? { type: 'ECS' }).to.deep.equal({ type: 'ECS' });
    proxy.clearCalls();
    const toCodeDeploy = await hako(['deploy', APP]);
    expectCode(toCodeDeploy, 1);
    expect(toCodeDeploy.stderr).to.contain(
      'Service codedeploy-fargate in cluster hako-demo uses the ECS (rolling update) deployment controller, but the definition asks for CODE_DEPLOY (blue/green through CodeDeploy)',
    );
    expect(proxy.mutatingCalls()).to.deep.equal([]);

    expectCode(await hako(['remove', APP], 'ECS'), 0);
    expectCode(await hako(['deploy', APP]), 0);
    proxy.clearCalls();
    const toRolling = await hako(['deploy', APP, '-t', '1.37'], 'ECS');
    expectCode(toRolling, 1);
    expect(toRolling.stderr).to.contain('uses the CODE_DEPLOY (blue/green through CodeDeploy) deployment controller, but the definition asks for ECS (rolling update)');
    expect(proxy.mutatingCalls()).to.deep.equal([]);
    expect((await describe_()).taskDefinition).to.equal(await revision(1));
  });

  it('verify finds the deployment group that deploys the service, and says so when none does', async () => {
    proxy.clearCalls();
    const found = await hako(['verify', APP]);
    const line = found.stdout.split('\n').find((l) => l.includes('CodeDeploy application and deployment group')) ?? found.stdout;
    expect(line).to.match(/^✓ /);
    expect(line).to.contain('cd-app/cd-group deploys service codedeploy-fargate');
    expect(proxy.mutatingCalls().map((c) => `${c.service} ${c.operation}`)).to.deep.equal([]);

    // Another app of the same shape that no deployment group deploys.
    const other = await runHako(['verify', fixture('integration', 'codedeploy-orphan.jsonnet'), '--ext-str', `TG_ARN=${blue}`, '--ext-str', 'CONTROLLER=CODE_DEPLOY'], {
      env: { ...proxy.env(), AWS_PROFILE: undefined, ...account.env },
      cwd: repoRoot,
    });
    expect(other.code).to.equal(1);
    const missing = other.stdout.split('\n').find((l) => l.includes('CodeDeploy application and deployment group')) ?? other.stdout;
    expect(missing).to.match(/^✗ /);
    expect(missing).to.contain('No CodeDeploy deployment group deploys service codedeploy-orphan in cluster hako-demo');
  });
});
