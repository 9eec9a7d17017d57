import { expect } from 'chai';
import { DefinitionError } from '../../../../lib/errors.js';
import { CREATED_BY_TAG, OWNER_TAG } from '../../../../lib/scripts/ownership.js';
import { FakeElbv2 } from '../../../helpers/fake-elbv2.js';
import { deploy, kinds, statusOf } from './alb-driver.js';
import { definitionErrorOf as expectDefinitionError } from '../../../helpers/definition-error.js';

const SUBNETS = ['subnet-1', 'subnet-2'];
const web = {
  subnets: SUBNETS,
  security_groups: ['sg-1'],
  vpc_id: 'vpc-1',
  listeners: [{ port: 80, protocol: 'HTTP' }],
  health_check_path: '/health',
};

function forwardTarget(actions: readonly { TargetGroupArn?: string }[] | undefined): string | undefined {
  expect(actions).to.have.length(1);
  return actions?.[0]?.TargetGroupArn;
}

describe('alb deploy', () => {
  it('creates the load balancer, target group and listener, tagged for the app, with hako phrases', async () => {
    const fake = new FakeElbv2();
    const first = await deploy(fake, 'web', web, { networkMode: 'awsvpc' });
    const { steps, io } = first;
    expect(kinds(steps)).to.deep.equal(['create-load-balancer', 'create-target-group', 'create-listener']);

    const [lb] = [...fake.loadBalancers.values()];
    expect(lb?.LoadBalancerName).to.equal('hako-web');
    expect(fake.tags.get(lb!.LoadBalancerArn!)).to.deep.equal({ [CREATED_BY_TAG]: 'web' });
    const tgArn = fake.targetGroupArn('hako-web')!;
    const tg = fake.targetGroups.get(tgArn)!;
    expect(tg).to.include({ Port: 80, Protocol: 'HTTP', ProtocolVersion: 'HTTP1', TargetType: 'ip', VpcId: 'vpc-1', HealthCheckPath: '/health' });
    expect(fake.tags.get(tgArn)).to.deep.equal({ [OWNER_TAG]: 'web' });
    const [listener] = fake.listenersOf('hako-web');
    expect(listener).to.include({ Port: 80, Protocol: 'HTTP' });
    expect(forwardTarget(listener?.DefaultActions)).to.equal(tgArn);
    expect(fake.tags.get(listener!.ListenerArn!)).to.deep.equal({ [OWNER_TAG]: 'web' });

    expect(io.lines).to.include(`Created ELBv2 ${lb!.DNSName}`);
    expect(io.lines).to.include(`Created target group ${tgArn}`);
    expect(io.lines).to.include(`Created listener ${listener!.ListenerArn}`);
    // What the service binds to: the target group step's output, handed on by the executor.
    expect(first.execution?.outputs.get('alb:target-group:hako-web:arn')).to.equal(tgArn);
  });

  it('plans only noop steps, with no mutating call, once applied', async () => {
    const fake = new FakeElbv2();
    const config = { ...web, rules: [{ listener_port: 80, priority: 5, host_header: 'web.example.com' }], load_balancer_attributes: { 'idle_timeout.timeout_seconds': 120 }, target_group_attributes: { 'deregistration_delay.timeout_seconds': '30' }, tags: { team: 'a' } };
    const first = await deploy(fake, 'web', config);
    expect(kinds(first.steps)).to.deep.equal([
      'create-load-balancer',
      'modify-load-balancer-attributes',
      'create-target-group',
      'modify-target-group-attributes',
      'create-listener',
      'create-rule',
    ]);
    const before = fake.mutations().length;
    const second = await deploy(fake, 'web', config, { planOnly: true });
    expect(second.steps.length).to.be.greaterThan(0);
    expect(second.steps.map((s) => s.action)).to.satisfy((a: string[]) => a.every((x) => x === 'noop'));
    expect(fake.mutations().length).to.equal(before);
    // Applying a noop plan makes no call either.
    await deploy(fake, 'web', config);
    expect(fake.mutations().length).to.equal(before);
  });

  it('names the network load balancer and uses a TCP target group', async () => {
    const fake = new FakeElbv2();
    const { io } = await deploy(fake, 'tcp', { type: 'network', subnets: SUBNETS, vpc_id: 'vpc-1', listeners: [{ port: 5432, protocol: 'TCP' }], health_check_path: '/ignored' });
    const lb = [...fake.loadBalancers.values()][0]!;
    expect(lb.Type).to.equal('network');
    expect(io.lines).to.include(`Created ELBv2(NLB) ${lb.DNSName}`);
    const tg = fake.targetGroups.get(fake.targetGroupArn('hako-tcp')!)!;
    expect(tg.Protocol).to.equal('TCP');
    expect(tg.HealthCheckPath).to.equal(undefined);
  });

  it('takes the VPC of a load balancer created in the same apply when vpc_id is not set', async () => {
    const fake = new FakeElbv2({ vpcId: 'vpc-from-lb' });
    const { subnets, listeners } = web;
    await deploy(fake, 'web', { subnets, listeners });
    expect(fake.targetGroups.get(fake.targetGroupArn('hako-web')!)?.VpcId).to.equal('vpc-from-lb');
  });

  it('reports a missing subnets key and a missing container with their paths, all at once', async () => {
    const fake = new FakeElbv2();
    const err = await expectDefinitionError(deploy(fake, 'web', { listeners: web.listeners, container_name: 'nginx' }));
    expect(err.issues.map((i) => i.path)).to.have.members(['scripts[0].subnets', 'scripts[0].container_name']);
    expect(err.issues.find((i) => i.path === 'scripts[0].container_name')?.message).to.match(/no container named nginx/);
    expect(fake.mutations()).to.deep.equal([]);
  });

  it('refuses a listener another app owns, and says to declare a rule instead', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    const err = await expectDefinitionError(
      deploy(fake, 'api', { load_balancer_name: 'hako-web', vpc_id: 'vpc-1', listeners: [{ port: 80, protocol: 'HTTP' }] }),
    );
    expect(err.issues).to.have.length(1);
    expect(err.issues[0]?.path).to.equal('scripts[0].listeners[0].port');
    expect(err.issues[0]?.message).to.match(/listener of app web/).and.match(/rules entry/).and.match(/listener_port: 80/);
  });

  it('shares port 80 between two apps with host-header rules', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', { ...web, rules: [{ listener_port: 80, priority: 10, host_header: 'web.example.com' }] });
    const api = { load_balancer_name: 'hako-web', vpc_id: 'vpc-1', rules: [{ listener_port: 80, priority: 20, host_header: ['api.example.com'], path_pattern: '/v1/*' }] };
    const run = await deploy(fake, 'api', api);
    expect(kinds(run.steps)).to.deep.equal(['create-target-group', 'create-rule']);
    expect(run.steps[0]?.title).to.match(/shared \(created by app web\)/);

    const listeners = fake.listenersOf('hako-web');
    expect(listeners).to.have.length(1);
    const rules = fake.rulesOf(listeners[0]!.ListenerArn!);
    const byPriority = Object.fromEntries(rules.map((r) => [r.Priority, r]));
    expect(forwardTarget(byPriority['10']?.Actions)).to.equal(fake.targetGroupArn('hako-web'));
    expect(forwardTarget(byPriority['20']?.Actions)).to.equal(fake.targetGroupArn('hako-api'));
    expect(byPriority['20']?.Conditions).to.deep.equal([
      { Field: 'host-header', HostHeaderConfig: { Values: ['api.example.com'] } },
      { Field: 'path-pattern', PathPatternConfig: { Values: ['/v1/*'] } },
    ]);
    expect(fake.tags.get(byPriority['20']!.RuleArn!)).to.deep.equal({ [OWNER_TAG]: 'api' });
    // The default action still belongs to web.
    expect(forwardTarget(listeners[0]?.DefaultActions)).to.equal(fake.targetGroupArn('hako-web'));

    for (const [app, config] of [['web', { ...web, rules: [{ listener_port: 80, priority: 10, host_header: 'web.example.com' }] }], ['api', api]] as const) {
      expect(kinds((await deploy(fake, app, config, { planOnly: true })).steps)).to.deep.equal([]);
    }
    expect(await statusOf(fake, 'api', api)).to.deep.equal([
      'Load balancer:',
      `  ${[...fake.loadBalancers.values()][0]!.DNSName}:80 -> front:80`,
    ]);
  });

  it('refuses a priority taken by another app, naming it', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', { ...web, rules: [{ listener_port: 80, priority: 10, host_header: 'web.example.com' }] });
    const err = await expectDefinitionError(
      deploy(fake, 'api', { load_balancer_name: 'hako-web', vpc_id: 'vpc-1', rules: [{ listener_port: 80, priority: 10, host_header: 'api.example.com' }] }),
    );
    expect(err.issues[0]?.path).to.equal('scripts[0].rules[0].priority');
    expect(err.issues[0]?.message).to.match(/priority 10 on listener port 80 is taken by the rule of app web/);
  });

  it('refuses a rule on a port with no listener', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    const err = await expectDefinitionError(
      deploy(fake, 'api', { load_balancer_name: 'hako-web', vpc_id: 'vpc-1', rules: [{ listener_port: 8443, priority: 1, path_pattern: '/x' }] }),
    );
    expect(err.issues[0]?.path).to.equal('scripts[0].rules[0].listener_port');
  });

  it('deletes rules the app no longer declares and updates changed ones', async () => {
    const fake = new FakeElbv2();
    const rules = [
      { listener_port: 80, priority: 10, host_header: 'a.example.com' },
      { listener_port: 80, priority: 11, path_pattern: '/old/*' },
    ];
    await deploy(fake, 'web', { ...web, rules });
    const run = await deploy(fake, 'web', { ...web, rules: [{ listener_port: 80, priority: 10, host_header: ['a.example.com', 'b.example.com'] }] });
    expect(kinds(run.steps)).to.deep.equal(['delete-rule', 'modify-rule']);
    const left = fake.rulesOf(fake.listenersOf('hako-web')[0]!.ListenerArn!);
    expect(left.map((r) => r.Priority)).to.deep.equal(['10']);
    expect(left[0]?.Conditions?.[0]?.HostHeaderConfig?.Values).to.deep.equal(['a.example.com', 'b.example.com']);
  });

  it('reconciles its own listener, target group and (as creator) load balancer settings', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    const listener = fake.listenersOf('hako-web')[0]!;
    // Someone re-pointed the listener by hand.
    listener.DefaultActions = [{ Type: 'fixed-response', FixedResponseConfig: { StatusCode: '503' } }];
    const changed = {
      ...web,
      subnets: ['subnet-3', 'subnet-1'],
      health_check_path: '/ready',
      matcher: { http_code: '200-299' },
      listeners: [{ port: 80, protocol: 'HTTP' }, { port: 8080, protocol: 'HTTP' }],
    };
    const run = await deploy(fake, 'web', changed);
    expect(kinds(run.steps)).to.deep.equal(['set-subnets', 'modify-target-group', 'modify-listener', 'create-listener']);
    const modify = run.steps.find((s) => s.kind === 'modify-listener');
    expect(modify?.before).to.deep.include({ default_action: ['fixed-response'] });
    expect(modify?.after).to.deep.include({ default_action: ['forward to hako-web'] });
    expect(forwardTarget(fake.listeners.get(listener.ListenerArn!)?.DefaultActions)).to.equal(fake.targetGroupArn('hako-web'));
    expect(fake.targetGroups.get(fake.targetGroupArn('hako-web')!)).to.deep.include({ HealthCheckPath: '/ready', Matcher: { HttpCode: '200-299' } });
    expect(kinds((await deploy(fake, 'web', changed, { planOnly: true })).steps)).to.deep.equal([]);

    // Dropping port 8080 deletes the listener this app owns.
    const dropped = await deploy(fake, 'web', { ...changed, listeners: [{ port: 80, protocol: 'HTTP' }] });
    expect(kinds(dropped.steps)).to.deep.equal(['delete-listener']);
    expect(fake.listenersOf('hako-web').map((l) => l.Port)).to.deep.equal([80]);
  });

  it('leaves a shared load balancer alone when the app did not create it', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    const run = await deploy(fake, 'api', { load_balancer_name: 'hako-web', subnets: ['subnet-9'], vpc_id: 'vpc-1', listeners: [{ port: 8080, protocol: 'HTTP' }] });
    expect(kinds(run.steps)).to.deep.equal(['create-target-group', 'create-listener']);
    expect(fake.mutations()).to.not.include('setSubnets');
  });

  it('adopts an untagged listener that forwards to its own target group (created by hako before tags)', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    const listener = fake.listenersOf('hako-web')[0]!;
    fake.tags.set(listener.ListenerArn!, {});
    const run = await deploy(fake, 'web', web);
    expect(kinds(run.steps)).to.deep.equal(['add-tags']);
    expect(fake.tags.get(listener.ListenerArn!)).to.deep.equal({ [OWNER_TAG]: 'web' });
  });

  it('adopts the untagged target group and listener Ruby hako created, leaving the untagged load balancer alone', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    for (const arn of fake.tags.keys()) fake.tags.set(arn, {});
    const run = await deploy(fake, 'web', web);
    expect(kinds(run.steps)).to.deep.equal(['add-tags', 'add-tags']);
    expect(run.steps[0]?.title).to.match(/shared \(not created by hako\)/);
    const tgArn = fake.targetGroupArn('hako-web')!;
    expect(fake.tags.get(tgArn)).to.deep.equal({ [OWNER_TAG]: 'web' });
    expect(fake.tags.get(fake.listenersOf('hako-web')[0]!.ListenerArn!)).to.deep.equal({ [OWNER_TAG]: 'web' });
    expect(kinds((await deploy(fake, 'web', web, { planOnly: true })).steps)).to.deep.equal([]);
  });

  it('creates an HTTPS listener with its certificate and policy, and replaces the certificate when it changes', async () => {
    const fake = new FakeElbv2();
    const https = (cert: string) => ({ ...web, listeners: [{ port: 443, protocol: 'HTTPS', certificate_arn: cert, ssl_policy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' }] });
    await deploy(fake, 'web', https('arn:cert/1'));
    const l = fake.listenersOf('hako-web')[0]!;
    expect(l).to.deep.include({ Port: 443, Protocol: 'HTTPS', SslPolicy: 'ELBSecurityPolicy-TLS13-1-2-2021-06' });
    expect(l.Certificates?.[0]?.CertificateArn).to.equal('arn:cert/1');
    expect(kinds((await deploy(fake, 'web', https('arn:cert/1'), { planOnly: true })).steps)).to.deep.equal([]);
    const run = await deploy(fake, 'web', https('arn:cert/2'));
    expect(kinds(run.steps)).to.deep.equal(['modify-listener']);
    expect(run.steps.find((x) => x.kind === 'modify-listener')?.before).to.deep.include({ certificate_arn: 'arn:cert/1' });
    expect(fake.listeners.get(l.ListenerArn!)?.Certificates?.[0]?.CertificateArn).to.equal('arn:cert/2');
  });

  it('reads tags in batches of at most 20 ARNs', async () => {
    const fake = new FakeElbv2();
    const rules = Array.from({ length: 25 }, (_, i) => ({ listener_port: 80, priority: i + 1, path_pattern: `/p${i}` }));
    await deploy(fake, 'web', { ...web, rules });
    const run = await deploy(fake, 'web', { ...web, rules }, { planOnly: true });
    expect(kinds(run.steps)).to.deep.equal([]);
    const batches = fake.calls.filter((c) => c.method === 'describeTags').slice(-2);
    expect(batches.map((c) => (c.input as { ResourceArns: string[] }).ResourceArns.length)).to.deep.equal([20, 8]);
  });

  it('refuses a target group owned by another app', async () => {
    const fake = new FakeElbv2();
    await deploy(fake, 'web', web);
    const err = await expectDefinitionError(
      deploy(fake, 'api', { load_balancer_name: 'hako-web', target_group_name: 'hako-web', vpc_id: 'vpc-1', rules: [{ listener_port: 80, priority: 3, path_pattern: '/api' }] }),
    );
    expect(err.issues[0]?.path).to.equal('scripts[0].target_group_name');
    expect(err.issues[0]?.message).to.match(/belongs to app web/);
  });

  it('plans nothing for a oneshot', async () => {
    const fake = new FakeElbv2();
    const { script } = await deploy(fake, 'web', web, { planOnly: true });
    const before = fake.calls.length;
    const { makeModel } = await import('./alb-driver.js');
    expect(await script.plan!(makeModel('web', web), { forOneshot: true })).to.deep.equal([]);
    expect(fake.calls.length).to.equal(before);
  });
});
