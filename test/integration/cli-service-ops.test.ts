/**
 * The real CLI against moto for what happens to a running service: rollback, stop, remove, and the Fargate
 * example with its own load balancer and DNS records. Assertions read moto back through real SDK clients.
 */
import { expect } from 'chai';
import path from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import { prepareEmulatorAccount, type EmulatorAccount } from '../../scripts/emulator-account.js';
import { useMoto } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const HELLO = path.join('definitions', 'hello.jsonnet');
const FARGATE = path.join('definitions', 'hello-fargate.jsonnet');

describe('integration: hako rollback / stop / remove against moto', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  let account: EmulatorAccount;
  let env: NodeJS.ProcessEnv;
  let ecs: ECSClient;

  beforeEach(async () => {
    account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...moto.env(), AWS_PROFILE: undefined, ...account.env };
    ecs = new ECSClient(motoClientConfig(moto));
  });
  afterEach(() => ecs.destroy());

  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env, cwd: repoRoot });

  function expectCode(r: CliResult, code: number): void {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  }

  async function service(name: string) {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: [name] }));
    const found = out.services?.[0];
    if (found === undefined) throw new Error(`no service ${name}: ${JSON.stringify(out.failures)}`);
    return found;
  }

  it('rollback returns the service to revision 1 and deregisters revision 2', async () => {
    expectCode(await hako('deploy', HELLO), 0);
    expectCode(await hako('deploy', HELLO, '--tag', 'v2'), 0);
    expect((await service('hello')).taskDefinition).to.match(/hello:2$/);

    expectCode(await hako('rollback', HELLO), 0);

    expect((await service('hello')).taskDefinition).to.match(/task-definition\/hello:1$/);
    const two = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'hello:2' }));
    expect(two.taskDefinition?.status).to.equal('INACTIVE');
    const one = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'hello:1' }));
    expect(one.taskDefinition?.status).to.equal('ACTIVE');
  });

  it('a run of many apps names the revision each rolled back to and runs now; an app not deployed fails alone', async () => {
    type Doc = { apps: { app: string; result: string; revision?: string; exitCode: number }[]; summary: { exitCode: number } };
    const NODEJS = path.join('definitions', 'nodejs.jsonnet');
    expectCode(await hako('deploy', HELLO), 0);
    expectCode(await hako('deploy', HELLO, '--tag', 'v2'), 0);

    const rolled = await hako('rollback', '--output', 'json', HELLO, NODEJS);
    expectCode(rolled, 1);
    const rollback = JSON.parse(rolled.stdout) as Doc;
    expect(rollback.apps.map((a) => [a.app, a.result, a.revision, a.exitCode])).to.deep.equal([
      ['hello', 'rolled back', 'hello:1', 0],
      ['nodejs', 'failed', undefined, 1],
    ]);
    expect((await service('hello')).taskDefinition).to.match(/task-definition\/hello:1$/);

    const status = await hako('status', '--output', 'json', HELLO, NODEJS);
    expectCode(status, 1);
    const statuses = JSON.parse(status.stdout) as Doc;
    expect(statuses.apps.map((a) => [a.app, a.result, a.revision, a.exitCode])).to.deep.equal([
      ['hello', 'ok', 'hello:1', 0],
      ['nodejs', 'unavailable', undefined, 1],
    ]);

    // Nothing older than hello:1: hako's message, and a hint that says what is the case.
    const again = await hako('rollback', HELLO);
    expectCode(again, 1);
    expect(again.stderr).to.contain('is INACTIVE?');
    expect(again.stderr).to.contain('hello:1 is the oldest ACTIVE revision of hello: there is nothing before it to roll back to.');
  });

  it('stop scales to 0; remove leaves the service INACTIVE; a second remove exits 0', async () => {
    expectCode(await hako('deploy', HELLO), 0);

    expectCode(await hako('stop', HELLO), 0);
    const stopped = await service('hello');
    expect(stopped.desiredCount).to.equal(0);
    expect(stopped.status).to.equal('ACTIVE');

    // Stopped already: said so, and no write sent (the run's own log of its AWS calls).
    const second = await hako('stop', '--verbose', '--output', 'json', HELLO);
    expectCode(second, 0);
    const events = second.stderr.split('\n').filter((l) => l.startsWith('{')).map((l) => JSON.parse(l) as { code: string; message: string });
    expect(events.filter((e) => e.code === 'aws.call').map((e) => e.message)).to.deep.equal(['ECS DescribeServices']);
    expect(events.map((e) => e.message)).to.include('Service hello is already stopped (desired count 0)');

    expectCode(await hako('remove', HELLO), 0);
    expect((await service('hello')).status).to.equal('INACTIVE');

    const again = await hako('remove', HELLO);
    expectCode(again, 0);
    expect(again.stdout).to.contain("Service hello doesn't exist");
  });

  it('hello-fargate: awsvpc service behind its ALB with Route 53 records; remove deletes LB, TG and records', async () => {
    expectCode(await hako('deploy', FARGATE), 0);

    const svc = await service('hello-fargate');
    const awsvpc = svc.networkConfiguration?.awsvpcConfiguration;
    expect(awsvpc?.subnets).to.have.members(account.env.HAKO_SUBNETS.split(','));
    expect(awsvpc?.securityGroups).to.deep.equal([account.env.HAKO_SECURITY_GROUPS]);

    const elb = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
    const route53 = new Route53Client(motoClientConfig(moto));
    try {
      const tgs = (await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
      expect(tgs.map((t) => t.TargetGroupName)).to.deep.equal(['hako-hello-fargate']);
      expect(svc.loadBalancers).to.deep.equal([
        { targetGroupArn: tgs[0]!.TargetGroupArn, containerName: 'app', containerPort: 80 },
      ]);
      const lbs = (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
      expect(lbs.map((l) => l.LoadBalancerName)).to.deep.equal(['hako-hello-fargate']);

      const records = async () =>
        ((await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: account.hostedZoneId }))).ResourceRecordSets ?? [])
          .filter((r) => r.Type !== 'NS' && r.Type !== 'SOA')
          .map((r) => ({ name: r.Name, type: r.Type, alias: r.AliasTarget?.DNSName, values: r.ResourceRecords?.map((v) => v.Value) }));
      const created = await records();
      const a = created.find((r) => r.name === 'hello-fargate.demo.hako.test.' && r.type === 'A');
      expect(a?.alias?.toLowerCase()).to.contain(lbs[0]!.DNSName!.toLowerCase());
      const txt = created.find((r) => r.name === '_hako-owner.hello-fargate.demo.hako.test.' && r.type === 'TXT');
      expect(txt, JSON.stringify(created)).to.not.equal(undefined);

      const status = await hako('status', FARGATE);
      expectCode(status, 0);
      const lines = status.stdout.split('\n');
      const count = (header: string): number => lines.filter((l) => l === header).length;
      expect(count('Load balancer:'), status.stdout).to.equal(1);
      expect(count('DNS:'), status.stdout).to.equal(1);
      expect(lines[0]).to.equal('Load balancer:');
      expect(lines[1]?.toLowerCase()).to.equal(`  ${lbs[0]!.DNSName!.toLowerCase()}:80 -> app:80`);
      const dns = lines.indexOf('DNS:');
      expect(dns).to.be.greaterThan(lines.indexOf('Service Discovery: No'));
      expect(lines[dns + 1]).to.match(/^ {2}hello-fargate\.demo\.hako\.test\. A → \S+ \(owned by hello-fargate\)$/);
      expect(lines[dns + 1]?.toLowerCase()).to.contain(lbs[0]!.DNSName!.toLowerCase());

      expectCode(await hako('remove', FARGATE), 0);

      expect((await service('hello-fargate')).status).to.equal('INACTIVE');
      expect((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).to.deep.equal([]);
      expect((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).to.deep.equal([]);
      expect(await records()).to.deep.equal([]);
    } finally {
      elb.destroy();
      route53.destroy();
    }
  });
});
