/**
 * Runs of several apps that share things, through the real CLI against moto: the training scenario's two apps on
 * one ALB deployed, redeployed and removed in single runs (the `alb` script's load balancer lock keeps them from
 * creating the load balancer twice, racing on the shared listener's rules, or leaving the load balancer behind),
 * and `init` of several services followed by `diff` and `status` of the directory it wrote.
 */
import { expect } from 'chai';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { writeFleetDefinitions } from '../../scripts/fleet-definitions.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { useMoto } from './harness/moto.js';

const NODEJS = path.join('definitions', 'nodejs.jsonnet');
const GOLANG = path.join('definitions', 'golang.jsonnet');
const SHARED_PORT = path.join('definitions', 'shared-port');

describe('integration: several apps in one run that share things', function () {
  this.timeout(300_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let elb: ElasticLoadBalancingV2Client;
  let ecs: ECSClient;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...aws.env(), AWS_PROFILE: undefined, ...account.env };
    elb = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
    ecs = new ECSClient(motoClientConfig(moto));
  });
  afterEach(() => {
    elb.destroy();
    ecs.destroy();
  });

  async function ok(args: string[], cwd = repoRoot): Promise<CliResult> {
    const r = await runHako(args, { env, cwd });
    expect(r.code, `hako ${args.join(' ')}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(0);
    return r;
  }

  const loadBalancers = async () => (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  const targetGroups = async () => (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];

  it('deploys two apps sharing a load balancer in one run: one load balancer, both listeners; a second run changes nothing; remove of both leaves nothing', async () => {
    const first = await ok(['deploy', '--parallel', '2', NODEJS, GOLANG]);
    expect(first.stdout).to.match(/^nodejs +deployed +nodejs:1 /m);
    expect(first.stdout).to.match(/^golang +deployed +golang:1 /m);
    // Without the lock both apps would find no load balancer and each create one (moto does not refuse a second).
    const lbs = await loadBalancers();
    expect(lbs.map((l) => l.LoadBalancerName)).to.deep.equal(['hako-training']);
    const ports = ((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbs[0]!.LoadBalancerArn }))).Listeners ?? []).map((l) => l.Port).sort();
    expect(ports).to.deep.equal([80, 8080]);
    expect((await targetGroups()).map((t) => t.TargetGroupName).sort()).to.deep.equal(['hako-golang', 'hako-nodejs']);

    aws.clearCalls();
    const again = await ok(['deploy', '--parallel', '2', NODEJS, GOLANG]);
    expect(again.stdout).to.include('2 apps: 2 unchanged');
    expect(aws.calls().map(callName)).to.include('ECS DescribeServices');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);

    await ok(['remove', '--parallel', '2', NODEJS, GOLANG]);
    // The second app to go found no other app on the load balancer and deleted it.
    expect(await loadBalancers()).to.deep.equal([]);
    expect(await targetGroups()).to.deep.equal([]);
  });

  it('two apps with host rules on one shared listener, in one run: the one declaring the listener named first goes first', async () => {
    // golang-host routes on the listener nodejs-host declares: named after it, it plans once that listener exists.
    const files = [path.join(SHARED_PORT, 'nodejs-host.jsonnet'), path.join(SHARED_PORT, 'golang-host.jsonnet')];
    await ok(['deploy', ...files]);
    const lbs = await loadBalancers();
    expect(lbs).to.have.length(1);
    const listeners = (await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lbs[0]!.LoadBalancerArn }))).Listeners ?? [];
    expect(listeners.map((l) => l.Port)).to.deep.equal([80]);
    const rules = ((await elb.send(new DescribeRulesCommand({ ListenerArn: listeners[0]!.ListenerArn }))).Rules ?? []).filter((r) => !r.IsDefault);
    expect(rules).to.have.length(2);
    expect(new Set(rules.map((r) => r.Priority)).size).to.equal(2);
    await ok(['remove', SHARED_PORT]);
    expect(await loadBalancers()).to.deep.equal([]);
    // Named the other way round (a directory's order: golang-host first), the run fails for golang-host alone.
    const reversed = await runHako(['deploy', SHARED_PORT], { env, cwd: repoRoot });
    expect(reversed.code).to.equal(1);
    expect(reversed.stderr).to.match(/^\[golang-host\] .*has no listener on port 80/m);
    expect(reversed.stdout).to.match(/^nodejs-host +deployed /m);
  });

  it('init writes several services into a directory; diff of the directory then finds no changes, and status reports each', async () => {
    const apps = mkdtempSync(path.join(os.tmpdir(), 'hako-fleet-apps-'));
    const out = mkdtempSync(path.join(os.tmpdir(), 'hako-fleet-init-'));
    try {
      writeFleetDefinitions(apps, 3, { cluster: 'hako-demo', region: moto.region() });
      await ok(['deploy', apps]);
      const init = await ok(['init', '--cluster', 'hako-demo', '--service', 'fleet-app-01,fleet-app-02', '--service', 'fleet-app-03', '-o', out], out);
      expect(init.stdout).to.include('3 apps: 3 written');
      expect(readdirSync(out).sort()).to.deep.equal(['fleet-app-01.jsonnet', 'fleet-app-02.jsonnet', 'fleet-app-03.jsonnet']);
      aws.clearCalls();
      const diff = await ok(['diff', out], out);
      expect(diff.stdout).to.include('3 apps: 3 no changes');
      expect(aws.mutatingCalls().map(callName)).to.deep.equal([]);
      const status = await ok(['status', '--output', 'json', out], out);
      const doc = JSON.parse(status.stdout) as { apps: { app: string; result: string; output: { service?: { serviceName?: string } } }[] };
      expect(doc.apps.map((a) => [a.app, a.result])).to.deep.equal([
        ['fleet-app-01', 'ok'],
        ['fleet-app-02', 'ok'],
        ['fleet-app-03', 'ok'],
      ]);
      const services = (await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: ['fleet-app-01', 'fleet-app-02', 'fleet-app-03'] }))).services ?? [];
      expect(services.map((s) => s.status)).to.deep.equal(['ACTIVE', 'ACTIVE', 'ACTIVE']);
      // -o with several services must be a directory.
      const notDir = await runHako(['init', '--cluster', 'hako-demo', '--service', 'a,b', '-o', 'x.jsonnet'], { env, cwd: out });
      expect(notDir.code).to.equal(2);
      expect(notDir.stderr).to.include('-o names an existing directory');
    } finally {
      rmSync(apps, { recursive: true, force: true });
      rmSync(out, { recursive: true, force: true });
    }
  });
});
