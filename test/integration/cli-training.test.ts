/**
 * The training scenario from the issue, through the real CLI against moto: two Fargate apps behind one shared ALB
 * (`hako-training`), each on its own listener (nodejs on 80, golang on 8080), and the shared-port variant where
 * both live on listener 80 behind host-header rules. Deploy, redeploy (no mutating call), and remove in either
 * order until nothing is left. Every assertion reads moto back through real SDK clients.
 */
import { expect } from 'chai';
import path from 'node:path';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { useMoto } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const NODEJS = path.join('definitions', 'nodejs.jsonnet');
const GOLANG = path.join('definitions', 'golang.jsonnet');
const NODEJS_HOST = path.join('definitions', 'shared-port', 'nodejs-host.jsonnet');
const GOLANG_HOST = path.join('definitions', 'shared-port', 'golang-host.jsonnet');
const CLUSTER = 'hako-training';
const LB = 'hako-training';


describe('integration: the training scenario (two apps on one ALB) through the CLI', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  // hako talks to moto through the proxy, which records every call it makes on the wire.
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let ecs: ECSClient;
  let elb: ElasticLoadBalancingV2Client;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...aws.env(), AWS_PROFILE: undefined, ...account.env };
    ecs = new ECSClient(motoClientConfig(moto));
    elb = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
  });
  afterEach(() => {
    ecs.destroy();
    elb.destroy();
  });

  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env, cwd: repoRoot });

  function expectCode(r: CliResult, code: number): void {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  }

  async function ok(...args: string[]): Promise<CliResult> {
    const r = await hako(...args);
    expectCode(r, 0);
    return r;
  }

  async function service(name: string) {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: CLUSTER, services: [name] }));
    const found = out.services?.[0];
    if (found === undefined) throw new Error(`no service ${name}: ${JSON.stringify(out.failures)}`);
    return found;
  }

  async function loadBalancers() {
    return (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  }

  /** Target group name → ARN, for every target group in the account. */
  async function targetGroups(): Promise<Map<string, string>> {
    const tgs = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    return new Map(tgs.map((t) => [t.TargetGroupName ?? '', t.TargetGroupArn ?? '']));
  }

  /** Listeners of every load balancer in the account, by port. */
  async function listeners(): Promise<Map<number, Listener>> {
    const all = new Map<number, Listener>();
    for (const lb of await loadBalancers()) {
      const out = await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
      for (const l of out.Listeners ?? []) all.set(l.Port ?? 0, l);
    }
    return all;
  }

  /** The single target group a listener's default action forwards to. */
  function defaultTarget(l: Listener | undefined): string | undefined {
    expect(l, 'listener').to.not.equal(undefined);
    const actions = l!.DefaultActions ?? [];
    expect(actions, JSON.stringify(actions)).to.have.length(1);
    expect(actions[0]!.Type).to.equal('forward');
    return actions[0]!.TargetGroupArn ?? actions[0]!.ForwardConfig?.TargetGroups?.[0]?.TargetGroupArn;
  }

  /** Host-header rules of a listener: host → the target group the rule forwards to. */
  async function hostRules(l: Listener | undefined): Promise<Map<string, string | undefined>> {
    expect(l, 'listener').to.not.equal(undefined);
    const rules = (await elb.send(new DescribeRulesCommand({ ListenerArn: l!.ListenerArn }))).Rules ?? [];
    const byHost = new Map<string, string | undefined>();
    for (const r of rules.filter((x) => !x.IsDefault)) {
      const host = r.Conditions?.find((c) => c.Field === 'host-header');
      const values = host?.HostHeaderConfig?.Values ?? host?.Values ?? [];
      for (const v of values) byHost.set(v, r.Actions?.[0]?.TargetGroupArn);
    }
    return byHost;
  }

  async function expectBound(name: string, tgArn: string | undefined, containerPort: number): Promise<void> {
    const svc = await service(name);
    expect(svc.status).to.equal('ACTIVE');
    expect(tgArn, `target group of ${name}`).to.be.a('string');
    expect(svc.loadBalancers).to.deep.equal([{ targetGroupArn: tgArn, containerName: 'app', containerPort }]);
  }

  async function expectNothingLeft(): Promise<void> {
    expect(await loadBalancers()).to.deep.equal([]);
    expect([...(await targetGroups()).keys()]).to.deep.equal([]);
    expect([...(await listeners()).keys()]).to.deep.equal([]);
  }

  interface JsonMessage {
    level: string;
    code: string;
    message: string;
  }

  /** The messages of a `--output json` run (one JSON object per line). */
  /** `--output json`: every message is a JSON line on stderr (stdout holds the command's result alone). */
  function messages(r: CliResult): JsonMessage[] {
    return r.stderr
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .map((line) => JSON.parse(line) as JsonMessage);
  }


  describe('each app on its own listener', () => {
    it('deploying both creates one load balancer with two listeners, each forwarding to its app', async () => {
      await ok('deploy', NODEJS);
      await ok('deploy', GOLANG);

      const lbs = await loadBalancers();
      expect(lbs.map((l) => l.LoadBalancerName)).to.deep.equal([LB]);
      const tgs = await targetGroups();
      expect([...tgs.keys()].sort()).to.deep.equal(['hako-golang', 'hako-nodejs']);
      const ls = await listeners();
      expect([...ls.keys()].sort((a, b) => a - b)).to.deep.equal([80, 8080]);
      expect(defaultTarget(ls.get(80))).to.equal(tgs.get('hako-nodejs'));
      expect(defaultTarget(ls.get(8080))).to.equal(tgs.get('hako-golang'));

      await expectBound('nodejs', tgs.get('hako-nodejs'), 3000);
      await expectBound('golang', tgs.get('hako-golang'), 8080);
    });

    it('a redeploy of each app makes no mutating AWS call', async () => {
      await ok('deploy', NODEJS);
      await ok('deploy', GOLANG);
      for (const file of [NODEJS, GOLANG]) {
        aws.clearCalls();
        const again = await ok('deploy', file);
        const calls = aws.calls();
        // The wire must show calls at all, or "no mutating call" below would prove nothing.
        expect(calls.map(callName), `${file} calls:\n${formatCalls(calls)}`).to.include('ECS DescribeServices');
        expect(aws.mutatingCalls().map(callName), `${file} calls:\n${formatCalls(calls)}`).to.deep.equal([]);
        expect(again.stdout).to.contain("Task definition isn't changed");
        expect(again.stdout).to.contain("Service isn't changed");
      }
    });

    it('removing nodejs leaves golang working on the load balancer', async () => {
      await ok('deploy', NODEJS);
      await ok('deploy', GOLANG);
      await ok('remove', NODEJS);

      expect((await service('nodejs')).status).to.equal('INACTIVE');
      const tgs = await targetGroups();
      expect([...tgs.keys()]).to.deep.equal(['hako-golang']);
      expect((await loadBalancers()).map((l) => l.LoadBalancerName)).to.deep.equal([LB]);
      const ls = await listeners();
      expect([...ls.keys()]).to.deep.equal([8080]);
      expect(defaultTarget(ls.get(8080))).to.equal(tgs.get('hako-golang'));
      await expectBound('golang', tgs.get('hako-golang'), 8080);
    });

    it('removing golang too leaves no load balancer, target group or listener', async () => {
      await ok('deploy', NODEJS);
      await ok('deploy', GOLANG);
      await ok('remove', NODEJS);
      await ok('remove', GOLANG);

      expect((await service('golang')).status).to.equal('INACTIVE');
      await expectNothingLeft();
    });
  });

  describe('shared port 80 with host-header rules', () => {
    async function deployBoth(): Promise<Map<string, string>> {
      await ok('deploy', NODEJS_HOST);
      await ok('deploy', GOLANG_HOST);
      return targetGroups();
    }

    it('both deploy; listener 80 routes each host to its own target group', async () => {
      const tgs = await deployBoth();
      expect([...tgs.keys()].sort()).to.deep.equal(['hako-golang-host', 'hako-nodejs-host']);
      const ls = await listeners();
      expect([...ls.keys()]).to.deep.equal([80]);
      expect(defaultTarget(ls.get(80))).to.equal(tgs.get('hako-nodejs-host'));
      const rules = await hostRules(ls.get(80));
      expect(Object.fromEntries(rules)).to.deep.equal({
        'node.demo.hako.test': tgs.get('hako-nodejs-host'),
        'go.demo.hako.test': tgs.get('hako-golang-host'),
      });
      await expectBound('nodejs-host', tgs.get('hako-nodejs-host'), 3000);
      await expectBound('golang-host', tgs.get('hako-golang-host'), 8080);
    });

    it('removing nodejs-host (the listener owner) then golang-host leaves nothing', async () => {
      const tgs = await deployBoth();
      await ok('remove', NODEJS_HOST);

      const ls = await listeners();
      expect([...ls.keys()]).to.deep.equal([80]);
      expect(Object.fromEntries(await hostRules(ls.get(80)))).to.deep.equal({ 'go.demo.hako.test': tgs.get('hako-golang-host') });
      expect([...(await targetGroups()).keys()]).to.deep.equal(['hako-golang-host']);
      await expectBound('golang-host', tgs.get('hako-golang-host'), 8080);

      // The heir of listener 80 redeploys without touching it.
      aws.clearCalls();
      const again = await ok('deploy', GOLANG_HOST, '--output', 'json');
      expect(aws.calls().map(callName), formatCalls(aws.calls())).to.include('ELBv2 DescribeListeners');
      expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
      expect(messages(again).filter((m) => m.level === 'warn' || m.level === 'error')).to.deep.equal([]);
      // Nothing but hako's own JSON messages on stderr (no stray warning from elsewhere), nothing on stdout.
      expect(again.stderr.split('\n').filter((line) => line !== '' && !line.startsWith('{'))).to.deep.equal([]);
      expect(again.stdout).to.equal('');

      await ok('remove', GOLANG_HOST);
      expect((await service('golang-host')).status).to.equal('INACTIVE');
      await expectNothingLeft();
    });

    it('removing golang-host then nodejs-host leaves nothing', async () => {
      const tgs = await deployBoth();
      await ok('remove', GOLANG_HOST);

      const ls = await listeners();
      expect([...ls.keys()]).to.deep.equal([80]);
      expect(defaultTarget(ls.get(80))).to.equal(tgs.get('hako-nodejs-host'));
      expect(Object.fromEntries(await hostRules(ls.get(80)))).to.deep.equal({ 'node.demo.hako.test': tgs.get('hako-nodejs-host') });
      await expectBound('nodejs-host', tgs.get('hako-nodejs-host'), 3000);

      await ok('remove', NODEJS_HOST);
      expect((await service('nodejs-host')).status).to.equal('INACTIVE');
      await expectNothingLeft();
    });
  });
});
