/**
 * The training scenario's Terraform variant (definitions/terraform/) through the real CLI against moto: Terraform
 * made the cluster, the security group, the ALB with its target groups and listeners (scripts/terraform-training.ts
 * makes the same in moto and writes the committed state template with the real ids into a temporary state); hako
 * deploys nodejs and golang with `--envfile base.env --tfstate STATE`, binding each service to its target group.
 *
 * What Terraform owns is snapshotted through the ELBv2 API before hako runs and compared after every command, and
 * the proxy watches the wire: hako never writes to ELBv2 at all, a redeploy writes nothing anywhere, remove deletes
 * only the services.
 */
import { expect } from 'chai';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { applyTrainingTerraform, trainingState, TRAINING_TF_APPS, type TrainingInfrastructure } from '../../scripts/terraform-training.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy, type RecordedCall } from './harness/aws-proxy.js';
import { useMoto } from './harness/moto.js';

const DIR = path.join('definitions', 'terraform');
const BASE_ENV = path.join(DIR, 'base.env');
const FILES = { nodejs: path.join(DIR, 'nodejs.jsonnet'), golang: path.join(DIR, 'golang.jsonnet') } as const;

describe('integration: the training scenario, Terraform variant (target groups from the state) through the CLI', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const aws = useAwsProxy(moto);
  let tmp: string;
  let stateFile: string;
  let infra: TrainingInfrastructure;
  let ecs: ECSClient;
  let elb: ElasticLoadBalancingV2Client;

  before(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'hako-training-tf-'));
    stateFile = path.join(tmp, 'terraform.tfstate');
  });
  after(() => rmSync(tmp, { recursive: true, force: true }));

  beforeEach(async () => {
    infra = await applyTrainingTerraform(moto.endpoint(), moto.region());
    writeFileSync(stateFile, trainingState(infra));
    ecs = new ECSClient(motoClientConfig(moto));
    elb = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
    aws.clearCalls();
  });
  afterEach(() => {
    ecs.destroy();
    elb.destroy();
  });

  const hako = (...args: string[]): Promise<CliResult> =>
    runHako(args, { env: { ...aws.env(), AWS_PROFILE: undefined, HAKO_TFSTATE: undefined }, cwd: repoRoot });

  /** `hako VERB --envfile base.env --tfstate STATE FILE`, as the README tells users to run it. */
  async function ok(verb: string, app: keyof typeof FILES): Promise<CliResult> {
    const r = await hako(verb, '--envfile', BASE_ENV, '--tfstate', stateFile, FILES[app]);
    expect(r.code, `hako ${verb} ${app}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(0);
    return r;
  }

  /** Everything Terraform made on ELBv2, as the API describes it: compared before and after hako runs. */
  async function terraformLoadBalancing(): Promise<unknown> {
    const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
    const listeners = [];
    for (const lb of lbs) listeners.push(...((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? []));
    const targetGroups = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    return {
      loadBalancers: lbs.map((l) => ({ arn: l.LoadBalancerArn, name: l.LoadBalancerName, state: l.State?.Code, subnets: l.AvailabilityZones?.map((z) => z.SubnetId).sort() })),
      listeners: listeners.map((l) => ({ arn: l.ListenerArn, port: l.Port, protocol: l.Protocol, actions: l.DefaultActions })).sort((a, b) => (a.port ?? 0) - (b.port ?? 0)),
      // LoadBalancerArns says which load balancers forward to a group: the tasks' registrations are not hako's to keep.
      targetGroups: targetGroups.map((t) => ({ arn: t.TargetGroupArn, name: t.TargetGroupName, port: t.Port, type: t.TargetType, lbs: t.LoadBalancerArns })),
    };
  }

  async function service(name: string) {
    const found = (await ecs.send(new DescribeServicesCommand({ cluster: infra.cluster.name, services: [name] }))).services?.[0];
    if (found === undefined) throw new Error(`no service ${name}`);
    return found;
  }

  const writesTo = (calls: readonly RecordedCall[], prefix: string): string[] => calls.filter((c) => c.service.startsWith(prefix)).map(callName);

  it('deploys both apps from base.env and the state: each service on the subnets, security group and target group Terraform made; ELBv2 untouched', async () => {
    const before = await terraformLoadBalancing();
    await ok('deploy', 'nodejs');
    await ok('deploy', 'golang');

    for (const { app, containerPort } of TRAINING_TF_APPS) {
      const svc = await service(app);
      expect(svc.status).to.equal('ACTIVE');
      expect(svc.clusterArn).to.equal(infra.cluster.arn);
      expect(svc.loadBalancers, app).to.deep.equal([{ targetGroupArn: infra.targetGroups[app], containerName: 'app', containerPort }]);
      const vpc = svc.networkConfiguration?.awsvpcConfiguration;
      expect([...(vpc?.subnets ?? [])].sort(), app).to.deep.equal([...infra.subnetIds]);
      expect(vpc?.securityGroups, app).to.deep.equal([infra.securityGroupId]);
    }
    // Listeners still forward where Terraform pointed them; nothing of Terraform's changed, and hako never asked to.
    expect(await terraformLoadBalancing()).to.deep.equal(before);
    const calls = aws.calls();
    expect(calls.map(callName), formatCalls(calls)).to.include('ECS CreateService');
    expect(writesTo(aws.mutatingCalls(), 'ELB'), formatCalls(calls)).to.deep.equal([]);
  });

  it('a redeploy of each app makes no mutating AWS call, and diff exits 0', async () => {
    await ok('deploy', 'nodejs');
    await ok('deploy', 'golang');
    for (const app of ['nodejs', 'golang'] as const) {
      aws.clearCalls();
      const again = await ok('deploy', app);
      expect(again.stdout).to.contain("Task definition isn't changed");
      expect(again.stdout).to.contain("Service isn't changed");
      const diff = await ok('diff', app);
      expect(diff.stdout, app).to.contain('No changes.');
      const calls = aws.calls();
      // The wire must show calls at all, or "no mutating call" would prove nothing.
      expect(calls.map(callName), `${app}:\n${formatCalls(calls)}`).to.include('ECS DescribeServices');
      expect(aws.mutatingCalls().map(callName), `${app}:\n${formatCalls(calls)}`).to.deep.equal([]);
    }
  });

  it('remove deletes both services and leaves the ALB, target groups and listeners as Terraform made them', async () => {
    const before = await terraformLoadBalancing();
    await ok('deploy', 'nodejs');
    await ok('deploy', 'golang');
    aws.clearCalls();
    await ok('remove', 'nodejs');
    await ok('remove', 'golang');

    for (const { app } of TRAINING_TF_APPS) expect((await service(app)).status, app).to.equal('INACTIVE');
    expect(await terraformLoadBalancing()).to.deep.equal(before);
    const writes = aws.mutatingCalls().map(callName);
    expect(writes, formatCalls(aws.calls())).to.deep.equal([
      'ECS UpdateService',
      'ECS DeleteService',
      'ECS UpdateService',
      'ECS DeleteService',
    ]);
  });

  it('HAKO_TFSTATE from a later --envfile picks the state, as a per-environment env file would', async () => {
    const envFile = path.join(tmp, 'emulator.env');
    writeFileSync(envFile, `HAKO_TFSTATE=${stateFile}\n`);
    const r = await hako('show-definition', '--envfile', BASE_ENV, '--envfile', envFile, FILES.golang);
    expect(r.code, r.stderr).to.equal(0);
    const model = JSON.parse(r.stdout) as { scheduler: { cluster: string; load_balancers: { target_group_arn: string }[] } };
    expect(model.scheduler.cluster).to.equal(infra.cluster.name);
    expect(model.scheduler.load_balancers.map((b) => b.target_group_arn)).to.deep.equal([infra.targetGroups.golang]);
    // Reading the definition needs no AWS: the state is a local file.
    expect(aws.calls()).to.deep.equal([]);
  });
});
