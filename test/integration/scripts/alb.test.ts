/**
 * The alb script against moto through the real factory and SDK: two apps share one ALB in moto's default VPC.
 * State is read back with a separate ELBv2 client, not from our own log lines.
 */
import { expect } from 'chai';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeRulesCommand,
  DescribeTagsCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
  type Listener,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { createAwsClients } from '../../../lib/aws/factory.js';
import type { Elbv2Api } from '../../../lib/aws/ports.js';
import { DuplicateResourcesError } from '../../../lib/errors.js';
import { CREATED_BY_TAG, OWNER_TAG } from '../../../lib/scripts/ownership.js';
import { deploy, kinds, remove } from '../../unit/scripts/alb/alb-driver.js';
import { createSecurityGroup, defaultNetwork, motoClientConfig } from '../harness/aws.js';
import { applyProcessEnv, useMoto } from '../harness/moto.js';

const LB = 'hako-shared';

describe('integration: alb script', () => {
  const moto = useMoto();
  let restoreEnv: () => void;
  let api: Elbv2Api;
  let client: ElasticLoadBalancingV2Client;
  let nodejs: Record<string, unknown>;
  let golang: Record<string, unknown>;

  before(() => {
    restoreEnv = applyProcessEnv({ ...moto.env(), AWS_PROFILE: undefined });
  });
  after(() => restoreEnv());
  beforeEach(async () => {
    api = await createAwsClients({ region: moto.region(), userAgentVersion: 'integration' }).elbv2();
    client = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
    const { vpcId, subnetIds } = await defaultNetwork(moto);
    const sg = await createSecurityGroup(moto, 'hako-alb');
    nodejs = {
      load_balancer_name: LB,
      subnets: subnetIds,
      security_groups: [sg],
      vpc_id: vpcId,
      listeners: [{ port: 80, protocol: 'HTTP' }],
      health_check_path: '/site/sha',
    };
    golang = { load_balancer_name: LB, vpc_id: vpcId, listeners: [{ port: 8080, protocol: 'HTTP' }] };
  });
  afterEach(() => client.destroy());

  async function loadBalancers() {
    return (await client.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? [];
  }
  async function targetGroups(): Promise<Map<string, string>> {
    const tgs = (await client.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? [];
    return new Map(tgs.map((t) => [t.TargetGroupName!, t.TargetGroupArn!]));
  }
  async function listeners(): Promise<Listener[]> {
    const [lb] = await loadBalancers();
    if (!lb) return [];
    const out = await client.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }));
    return (out.Listeners ?? []).sort((a, b) => (a.Port ?? 0) - (b.Port ?? 0));
  }
  async function tags(arn: string): Promise<Record<string, string>> {
    const out = await client.send(new DescribeTagsCommand({ ResourceArns: [arn] }));
    return Object.fromEntries((out.TagDescriptions?.[0]?.Tags ?? []).map((t) => [t.Key!, t.Value!]));
  }
  async function expectNoop(app: string, config: Record<string, unknown>) {
    const { steps } = await deploy(api, app, config, { planOnly: true, networkMode: 'awsvpc' });
    expect(kinds(steps), `${app} re-plan`).to.deep.equal([]);
  }

  it('puts two apps on one ALB, each with its own listener and target group, and removes them independently', async () => {
    const first = await deploy(api, 'nodejs', nodejs, { networkMode: 'awsvpc' });
    expect(kinds(first.steps)).to.deep.equal(['create-load-balancer', 'create-target-group', 'create-listener']);
    expect(first.io.lines.some((l) => /^Created ELBv2 \S+/.test(l))).to.equal(true);
    const second = await deploy(api, 'golang', golang, { networkMode: 'awsvpc' });
    expect(kinds(second.steps)).to.deep.equal(['create-target-group', 'create-listener']);

    const lbs = await loadBalancers();
    expect(lbs.map((l) => l.LoadBalancerName)).to.deep.equal([LB]);
    expect(await tags(lbs[0]!.LoadBalancerArn!)).to.include({ [CREATED_BY_TAG]: 'nodejs' });
    const tgs = await targetGroups();
    expect([...tgs.keys()].sort()).to.deep.equal(['hako-golang', 'hako-nodejs']);
    expect(await tags(tgs.get('hako-golang')!)).to.include({ [OWNER_TAG]: 'golang' });
    const ls = await listeners();
    expect(ls.map((l) => l.Port)).to.deep.equal([80, 8080]);
    expect(ls[0]!.DefaultActions?.[0]?.TargetGroupArn).to.equal(tgs.get('hako-nodejs'));
    expect(ls[1]!.DefaultActions?.[0]?.TargetGroupArn).to.equal(tgs.get('hako-golang'));
    expect(await tags(ls[0]!.ListenerArn!)).to.include({ [OWNER_TAG]: 'nodejs' });
    expect(await tags(ls[1]!.ListenerArn!)).to.include({ [OWNER_TAG]: 'golang' });

    await expectNoop('nodejs', nodejs);
    await expectNoop('golang', golang);

    await remove(api, 'golang', golang);
    expect((await loadBalancers()).length).to.equal(1);
    expect([...(await targetGroups()).keys()]).to.deep.equal(['hako-nodejs']);
    expect((await listeners()).map((l) => l.Port)).to.deep.equal([80]);

    await remove(api, 'nodejs', nodejs);
    expect(await loadBalancers()).to.deep.equal([]);
    expect((await targetGroups()).size).to.equal(0);
  });

  it('shares port 80 with host-header rules', async () => {
    const nodejsRouted = { ...nodejs, rules: [{ listener_port: 80, priority: 10, host_header: 'nodejs.example.com' }] };
    const golangRouted = {
      load_balancer_name: LB,
      vpc_id: golang.vpc_id,
      rules: [{ listener_port: 80, priority: 20, host_header: 'golang.example.com', path_pattern: '/api/*' }],
    };
    await deploy(api, 'nodejs', nodejsRouted, { networkMode: 'awsvpc' });
    const run = await deploy(api, 'golang', golangRouted, { networkMode: 'awsvpc' });
    expect(kinds(run.steps)).to.deep.equal(['create-target-group', 'create-rule']);

    const tgs = await targetGroups();
    const [l80] = await listeners();
    expect(l80?.Port).to.equal(80);
    const rules = ((await client.send(new DescribeRulesCommand({ ListenerArn: l80!.ListenerArn }))).Rules ?? []).filter((r) => !r.IsDefault);
    const byPriority = new Map(rules.map((r) => [r.Priority, r]));
    expect([...byPriority.keys()].sort()).to.deep.equal(['10', '20']);
    expect(byPriority.get('10')!.Actions?.[0]?.TargetGroupArn).to.equal(tgs.get('hako-nodejs'));
    expect(byPriority.get('20')!.Actions?.[0]?.TargetGroupArn).to.equal(tgs.get('hako-golang'));
    const hosts = byPriority.get('20')!.Conditions?.find((c) => c.Field === 'host-header');
    expect(hosts?.HostHeaderConfig?.Values ?? hosts?.Values).to.deep.equal(['golang.example.com']);
    expect(await tags(byPriority.get('20')!.RuleArn!)).to.include({ [OWNER_TAG]: 'golang' });

    await expectNoop('nodejs', nodejsRouted);
    await expectNoop('golang', golangRouted);

    await remove(api, 'golang', golangRouted);
    const left = ((await client.send(new DescribeRulesCommand({ ListenerArn: l80!.ListenerArn }))).Rules ?? []).filter((r) => !r.IsDefault);
    expect(left.map((r) => r.Priority)).to.deep.equal(['10']);
    expect([...(await targetGroups()).keys()]).to.deep.equal(['hako-nodejs']);

    await remove(api, 'nodejs', nodejsRouted);
    expect(await loadBalancers()).to.deep.equal([]);
    expect((await targetGroups()).size).to.equal(0);
  });

  it("notices the copies moto makes for a repeated create: deploy names them all, remove deletes this app's", async () => {
    // moto, unlike AWS, makes a second load balancer of a name and a second listener on a port (a lost answer
    // retried blindly, or two deploys at once): what the app's first run would have left behind.
    const first = await deploy(api, 'nodejs', nodejs, { networkMode: 'awsvpc' });
    const lbArn = (await loadBalancers())[0]!.LoadBalancerArn!;
    const tgArn = (await targetGroups()).get('hako-nodejs')!;
    await client.send(
      new CreateListenerCommand({
        LoadBalancerArn: lbArn,
        Port: 80,
        Protocol: 'HTTP',
        DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }],
        Tags: [{ Key: OWNER_TAG, Value: 'nodejs' }],
      }),
    );
    const { subnets, security_groups } = nodejs as { subnets: string[]; security_groups: string[] };
    const copy = await client.send(
      new CreateLoadBalancerCommand({ Name: LB, Subnets: subnets, SecurityGroups: security_groups, Tags: [{ Key: CREATED_BY_TAG, Value: 'nodejs' }] }),
    );
    expect(kinds(first.steps)).to.deep.equal(['create-load-balancer', 'create-target-group', 'create-listener']);
    expect((await loadBalancers()).filter((l) => l.LoadBalancerName === LB)).to.have.length(2);

    let refused: unknown;
    try {
      await deploy(api, 'nodejs', nodejs, { networkMode: 'awsvpc', planOnly: true });
    } catch (e) {
      refused = e;
    }
    expect(refused).to.be.instanceOf(DuplicateResourcesError);
    const resources = (refused as DuplicateResourcesError).duplicates.map((d) => d.resource);
    expect(resources).to.deep.equal([`load balancer ${LB}`, `listener ${LB}:80`]);
    expect((refused as Error).message).to.contain(lbArn).and.contain(copy.LoadBalancers![0]!.LoadBalancerArn!);

    await remove(api, 'nodejs', nodejs);
    expect(await loadBalancers()).to.deep.equal([]);
    expect((await targetGroups()).size).to.equal(0);
  });
});
