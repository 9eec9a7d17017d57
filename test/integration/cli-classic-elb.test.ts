/**
 * `scheduler.elb` (classic load balancer) through the real CLI against moto, which emulates classic load
 * balancing: deploy creates it and the service bound to it, a redeploy writes nothing on the wire, status shows
 * where it forwards, remove leaves nothing — and keeps a load balancer of that name that hako did not create.
 * Everything is read back through real SDK clients.
 */
import { expect } from 'chai';
import path from 'node:path';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  CreateLoadBalancerCommand,
  DescribeLoadBalancerAttributesCommand,
  DescribeLoadBalancersCommand,
  DescribeTagsCommand,
  ElasticLoadBalancingClient,
} from '@aws-sdk/client-elastic-load-balancing';
import { prepareEmulatorAccount, type EmulatorAccount } from '../../scripts/emulator-account.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { useMoto } from './harness/moto.js';

const APP = 'hello-classic-elb';
const FILE = path.join('definitions', `${APP}.jsonnet`);
const SECOND = fixture('integration', 'classic-elb-second.jsonnet');
const NAME = `hako-${APP}`;

describe('integration: scheduler.elb (classic load balancer) through the CLI', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const aws = useAwsProxy(moto);
  let account: EmulatorAccount;
  let ecs: ECSClient;
  let elb: ElasticLoadBalancingClient;

  beforeEach(async () => {
    account = await prepareEmulatorAccount(moto.endpoint());
    ecs = new ECSClient(motoClientConfig(moto));
    elb = new ElasticLoadBalancingClient(motoClientConfig(moto));
    aws.clearCalls();
  });
  afterEach(() => {
    ecs.destroy();
    elb.destroy();
  });

  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env: { ...aws.env(), AWS_PROFILE: undefined, ...account.env }, cwd: repoRoot });

  async function ok(...args: string[]): Promise<CliResult> {
    const r = await hako(...args);
    expect(r.code, `hako ${args.join(' ')}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(0);
    return r;
  }

  async function loadBalancers() {
    return (await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancerDescriptions ?? [];
  }

  async function service(name: string) {
    const found = (await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: [name] }))).services?.[0];
    if (found === undefined) throw new Error(`no service ${name}`);
    return found;
  }

  /** The host port the service's task definition maps for front:80. */
  async function frontHostPort(name: string): Promise<number | undefined> {
    const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: (await service(name)).taskDefinition! }));
    return td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'front')?.portMappings?.find((p) => p.containerPort === 80)?.hostPort;
  }

  it('deploy creates the load balancer and the service bound to it; a redeploy writes nothing; status shows it; remove leaves nothing', async () => {
    const deploy = await ok('deploy', FILE);

    const [lb, ...others] = await loadBalancers();
    expect(others).to.deep.equal([]);
    expect(lb?.LoadBalancerName).to.equal(NAME);
    expect(deploy.stdout).to.contain(`Created ELB ${lb?.DNSName} with instance_port=10000`);
    expect(lb?.ListenerDescriptions?.map((d) => [d.Listener?.Protocol, d.Listener?.LoadBalancerPort, d.Listener?.InstancePort])).to.deep.equal([['HTTP', 80, 10000]]);
    expect([...(lb?.Subnets ?? [])].sort()).to.deep.equal(account.env.HAKO_SUBNETS.split(',').sort());
    expect(lb?.SecurityGroups).to.deep.equal([account.env.HAKO_SECURITY_GROUPS]);
    const tags = (await elb.send(new DescribeTagsCommand({ LoadBalancerNames: [NAME] }))).TagDescriptions?.[0]?.Tags ?? [];
    expect(Object.fromEntries(tags.map((t) => [t.Key, t.Value]))).to.deep.equal({ team: 'platform', 'hako:created-by': APP });
    const attributes = await elb.send(new DescribeLoadBalancerAttributesCommand({ LoadBalancerName: NAME }));
    expect(attributes.LoadBalancerAttributes?.CrossZoneLoadBalancing?.Enabled).to.equal(true);

    const svc = await service(APP);
    expect(svc.status).to.equal('ACTIVE');
    expect(svc.loadBalancers).to.deep.equal([{ loadBalancerName: NAME, containerName: 'front', containerPort: 80 }]);
    expect(await frontHostPort(APP)).to.equal(10000);

    aws.clearCalls();
    const again = await ok('deploy', FILE);
    expect(again.stdout).to.contain(`ELB isn't changed: ${NAME}`);
    expect(again.stdout).to.contain("Service isn't changed");
    expect(aws.calls().map(callName), formatCalls(aws.calls())).to.include('ELB DescribeLoadBalancers');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
    const diff = await ok('diff', FILE);
    expect(diff.stdout).to.contain('No changes.');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);

    const status = await ok('status', FILE);
    expect(status.stdout).to.contain(`Load balancer:\n  ${lb?.DNSName}:80 -> front:80\n`);

    await ok('remove', FILE);
    expect((await service(APP)).status).to.equal('INACTIVE');
    expect(await loadBalancers()).to.deep.equal([]);
  });

  it('deploy --dry-run of a first deploy plans the load balancer and writes nothing', async () => {
    const r = await ok('deploy', '--dry-run', FILE);
    expect(r.stdout).to.contain(`Create classic load balancer ${NAME} (instance port 10000)`);
    expect(r.stdout).to.contain('Enable cross-zone load balancing');
    expect(aws.calls().map(callName), formatCalls(aws.calls())).to.include('ELB DescribeLoadBalancers');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
    expect(await loadBalancers()).to.deep.equal([]);
  });

  it('a second app in the cluster gets the next instance port', async () => {
    await ok('deploy', FILE);
    await ok('deploy', SECOND);
    expect(await frontHostPort('classic-elb-second')).to.equal(10001);
    const second = (await loadBalancers()).find((l) => l.LoadBalancerName === 'hako-classic-elb-second');
    expect(second?.ListenerDescriptions?.map((d) => d.Listener?.InstancePort)).to.deep.equal([10001]);
    await ok('remove', SECOND);
    await ok('remove', FILE);
    expect(await loadBalancers()).to.deep.equal([]);
  });

  it('a CreateLoadBalancer whose answer is lost makes one load balancer: the repeat finds the name taken, hako adopts it', async () => {
    // moto acts on the request, the proxy drops the connection; the SDK repeats it (the name is unique, so the
    // repeat cannot make a second one) and gets DuplicateLoadBalancerName; the executor sees this app's created-by tag.
    aws.failNext({ service: 'ELB', operation: 'CreateLoadBalancer', mode: 'drop-after' });
    const r = await ok('deploy', FILE);
    const creates = aws.calls().filter((c) => callName(c) === 'ELB CreateLoadBalancer');
    expect(creates.map((c) => [c.faulted ?? 'none', c.reachedServer]), formatCalls(aws.calls())).to.deep.equal([
      ['drop-after', true],
      ['none', true],
    ]);
    expect(r.stdout).to.contain('the earlier request had taken effect');
    expect((await loadBalancers()).map((l) => l.LoadBalancerName)).to.deep.equal([NAME]);
    expect((await service(APP)).loadBalancers).to.deep.equal([{ loadBalancerName: NAME, containerName: 'front', containerPort: 80 }]);
  });

  it('a load balancer of that name that hako did not create is used (its instance port) and kept on remove', async () => {
    await elb.send(
      new CreateLoadBalancerCommand({
        LoadBalancerName: NAME,
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 10005 }],
        Subnets: account.env.HAKO_SUBNETS.split(','),
        SecurityGroups: [account.env.HAKO_SECURITY_GROUPS],
      }),
    );
    aws.clearCalls();
    await ok('deploy', FILE);
    expect(aws.mutatingCalls().map(callName)).not.to.include('ELB CreateLoadBalancer');
    expect(await frontHostPort(APP)).to.equal(10005);
    expect((await service(APP)).loadBalancers).to.deep.equal([{ loadBalancerName: NAME, containerName: 'front', containerPort: 80 }]);

    const removed = await ok('remove', FILE);
    expect(removed.stdout).to.contain(`Keep classic load balancer ${NAME}: hako did not create it for ${APP} (it has no hako:created-by tag)`);
    expect((await service(APP)).status).to.equal('INACTIVE');
    expect((await loadBalancers()).map((l) => l.LoadBalancerName)).to.deep.equal([NAME]);
  });
});
