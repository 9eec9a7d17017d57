import { expect } from 'chai';
import { z } from 'zod';
import { albScript, configSchema, defaultResourceName, resolveSettings } from '../../../../lib/scripts/alb/index.js';
import { makeModel } from './alb-driver.js';

function issues(config: unknown): { path: string; message: string }[] {
  const r = configSchema.safeParse(config);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('alb config', () => {
  it('accepts hako elb_v2 keys, including type as an alias of load_balancer_type', () => {
    const config = {
      type: 'network',
      load_balancer_name: 'shared-lb',
      scheme: 'internal',
      subnets: ['subnet-b', 'subnet-a'],
      vpc_id: 'vpc-1',
      listeners: [{ port: 443, protocol: 'TLS', certificate_arn: 'arn:cert' }],
      target_group_attributes: { 'deregistration_delay.timeout_seconds': 30, 'stickiness.enabled': false },
    };
    expect(issues(config)).to.deep.equal([]);
    const s = resolveSettings(configSchema.parse(config), 'app1');
    expect(s.loadBalancerType).to.equal('network');
    expect(s.subnets).to.deep.equal(['subnet-a', 'subnet-b']);
    expect(s.protocolVersion).to.equal(undefined);
    expect(s.targetGroupAttributes).to.deep.equal({
      'deregistration_delay.timeout_seconds': '30',
      'stickiness.enabled': 'false',
    });
  });

  it('rejects unknown keys with their path', () => {
    const found = issues({ listeners: [{ port: 80, protocol: 'HTTP', certificate: 'x' }], subnet: ['a'] });
    expect(found.map((i) => i.path)).to.have.members(['listeners.0', '']);
    expect(found.map((i) => i.message).join('\n')).to.match(/certificate/).and.match(/subnet/);
  });

  it('requires certificate_arn on an HTTPS listener, at the listener path', () => {
    expect(issues({ listeners: [{ port: 80, protocol: 'HTTP' }, { port: 443, protocol: 'HTTPS' }] })).to.deep.equal([
      { path: 'listeners.1.certificate_arn', message: 'a HTTPS listener needs certificate_arn (the ARN of an ACM certificate)' },
    ]);
  });

  it('reports duplicate ports, wrong protocols for the type, rules without conditions and conflicting types', () => {
    const found = issues({
      load_balancer_type: 'application',
      type: 'network',
      listeners: [
        { port: 80, protocol: 'HTTP' },
        { port: 80, protocol: 'HTTP' },
      ],
      rules: [{ listener_port: 80, priority: 5 }],
    });
    const paths = found.map((i) => i.path);
    expect(paths).to.include.members(['type', 'listeners.1.port', 'rules.0']);
    expect(issues({ type: 'network', listeners: [{ port: 80, protocol: 'HTTP' }] })[0]?.path).to.equal('listeners.0.protocol');
    expect(issues({ rules: [{ listener_port: 80, priority: 0, host_header: 'a' }] })[0]?.path).to.equal('rules.0.priority');
  });

  it('is representable as JSON Schema (for `hako schema`)', () => {
    const schema = z.toJSONSchema(albScript.configSchema) as { properties?: Record<string, unknown>; additionalProperties?: unknown };
    expect(schema.properties).to.include.keys('load_balancer_name', 'listeners', 'rules', 'target_group_name');
    expect(schema.additionalProperties).to.equal(false);
  });

  it('defaults names to hako-<appId>, within 32 characters with a stable hash when longer', () => {
    expect(defaultResourceName('hello')).to.equal('hako-hello');
    const long = defaultResourceName('a-really-long-application-name-number-one');
    const other = defaultResourceName('a-really-long-application-name-number-two');
    expect(long).to.have.length.at.most(32);
    expect(long).to.match(/^hako-a-really-long-appli-[0-9a-f]{7}$/);
    expect(long).to.not.equal(other);
    expect(defaultResourceName('a-really-long-application-name-number-one')).to.equal(long);
    expect(long).to.not.match(/--/);
  });

  it('resolves defaults: front:80, HTTP1, and ip targets under awsvpc', () => {
    const s = resolveSettings(configSchema.parse({ rules: [{ listener_port: 80, priority: 3, host_header: 'b.example', path_pattern: ['/z', '/a'] }] }), 'web', 'awsvpc');
    expect(s).to.include({ loadBalancerName: 'hako-web', targetGroupName: 'hako-web', containerName: 'front', containerPort: 80 });
    expect(s.protocolVersion).to.equal('HTTP1');
    expect(s.targetType).to.equal('ip');
    expect(s.rules).to.deep.equal([{ listenerPort: 80, priority: 3, hostHeader: ['b.example'], pathPattern: ['/a', '/z'] }]);
    expect(resolveSettings(configSchema.parse({}), 'web', 'bridge').targetType).to.equal(undefined);
  });
});

describe('alb contribute', () => {
  const context = { appId: 'web', rootPath: '/defs', aws: () => { throw new Error('no AWS in contribute'); }, io: { notify() {}, result() {}, status() {} }, dryRun: true };

  it('binds the service to the target group and sets a grace period only when the model has none', () => {
    const config = { container_name: 'app', container_port: 3000 };
    const script = albScript.create(configSchema.parse(config), context);
    expect(script.contribute!(makeModel('web', config))).to.deep.equal({
      load_balancers: [
        {
          target_group_name: 'hako-web',
          target_group_arn: { $output: 'alb:target-group:hako-web:arn', describe: 'ARN of target group hako-web' },
          container_name: 'app',
          container_port: 3000,
        },
      ],
      health_check_grace_period_seconds: 0,
    });
    const kept = script.contribute!(makeModel('web', config, { healthCheckGracePeriodSeconds: 60 }));
    expect(kept).to.not.have.property('health_check_grace_period_seconds');
  });

  it('returns the binding even when the container is missing (the plan reports it)', () => {
    const script = albScript.create(configSchema.parse({}), context);
    const c = script.contribute!(makeModel('web', {}, { containers: ['app'] }));
    expect(c.load_balancers).to.deep.equal([
      {
        target_group_name: 'hako-web',
        target_group_arn: { $output: 'alb:target-group:hako-web:arn', describe: 'ARN of target group hako-web' },
        container_name: 'front',
        container_port: 80,
      },
    ]);
  });
});
