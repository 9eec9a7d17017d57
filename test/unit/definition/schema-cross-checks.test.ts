import { expect } from 'chai';
import { z } from 'zod';
import { requireDesiredCount } from '../../../lib/definition/normalise.js';
import { fakeScriptSchemas, issuesOf, minimal, normalise } from './schema-helpers.js';

function withScheduler(extra: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  const raw = minimal(top);
  Object.assign(raw['scheduler'] as object, extra);
  return raw;
}

function withApp(extra: Record<string, unknown>, top: Record<string, unknown> = {}): Record<string, unknown> {
  const raw = minimal(top);
  Object.assign(raw['app'] as object, extra);
  return raw;
}

const elb = { listeners: [{ load_balancer_port: 80, protocol: 'HTTP' }], subnets: ['s'], security_groups: ['g'] };
const front = { sidecars: { front: { image_tag: 'hako-nginx' } } };

describe('definition cross-checks', () => {
  it('rejects elb together with elb_v2', () => {
    const { errors } = issuesOf(withScheduler({ elb, elb_v2: { vpc_id: 'vpc-1' } }, front));
    expect(errors).to.deep.equal(['scheduler.elb_v2: cannot specify both elb and elb_v2']);
  });

  it('points at a link to an undefined container, alias or not', () => {
    const raw = withApp({ links: ['redis:cache', 'memcached'] }, { sidecars: { redis: { image_tag: 'redis' } } });
    expect(issuesOf(raw).errors).to.deep.equal(['app.links[1]: container "memcached" is not defined in sidecars']);
  });

  it('names the legacy key when the sidecars come from additional_containers', () => {
    const raw = minimal({ additional_containers: { front: { image_tag: 'x', links: ['nope'] } } });
    expect(issuesOf(raw).errors).to.deep.equal(['additional_containers.front.links[0]: container "nope" is not defined in additional_containers']);
  });

  it('checks depends_on and volumes_from targets, and self references', () => {
    const raw = withApp(
      { depends_on: [{ container_name: 'init', condition: 'SUCCESS' }], volumes_from: [{ source_container: 'data' }] },
      { sidecars: { side: { image_tag: 'x', links: ['side'] } } },
    );
    expect(issuesOf(raw).errors).to.deep.equal([
      'app.depends_on[0].container_name: container "init" is not defined in sidecars',
      'app.volumes_from[0].source_container: container "data" is not defined in sidecars',
      'sidecars.side.links[0]: a container cannot link to itself',
    ]);
  });

  it('accepts references to app from a sidecar', () => {
    const raw = minimal({ sidecars: { front: { image_tag: 'x', links: ['app:backend'] } } });
    expect(issuesOf(raw).errors).to.deep.equal([]);
  });

  it('rejects a mount point naming an undefined volume', () => {
    const raw = withApp({ mount_points: [{ source_volume: 'data', container_path: '/data' }, { source_volume: 'logs', container_path: '/l' }] }, { volumes: { data: {} } });
    expect(issuesOf(raw).errors).to.deep.equal(['app.mount_points[1].source_volume: volume "logs" is not defined in volumes']);
  });

  it('requires host_port to equal container_port under awsvpc', () => {
    const raw = withApp({ port_mappings: [{ container_port: 3000, host_port: 0 }, { container_port: 80, host_port: 80 }, { container_port: 81 }] });
    Object.assign(raw['scheduler'] as object, { network_mode: 'awsvpc' });
    expect(issuesOf(raw).errors).to.deep.equal([
      'app.port_mappings[0].host_port: must equal container_port (3000) when network_mode is awsvpc, got number 0',
    ]);
    Object.assign(raw['scheduler'] as object, { network_mode: 'bridge' });
    expect(issuesOf(raw).errors).to.deep.equal([]);
  });

  it('keeps hako\'s message for a circuit breaker with rollback', () => {
    const raw = withScheduler({ deployment_configuration: { deployment_circuit_breaker: { enable: true, rollback: true } } });
    expect(issuesOf(raw).errors).to.deep.equal([
      'scheduler.deployment_configuration.deployment_circuit_breaker.rollback: rollback option of deployment_circuit_breaker is not supported because hako handles rollback instead of the circuit breaker',
    ]);
  });

  it('requires autoscaling_group_for_oneshot with autoscaling_topic_for_oneshot', () => {
    const { errors } = issuesOf(withScheduler({ autoscaling_topic_for_oneshot: 'arn:aws:sns:x' }));
    expect(errors).to.deep.equal([
      'scheduler.autoscaling_topic_for_oneshot: autoscaling_group_for_oneshot must be set when autoscaling_topic_for_oneshot is set',
    ]);
    expect(issuesOf(withScheduler({ autoscaling_topic_for_oneshot: 't', autoscaling_group_for_oneshot: 'g' })).errors).to.deep.equal([]);
  });

  it('requires the keys of each autoscaling policy type', () => {
    const raw = withScheduler(
      {
        elb,
        autoscaling: {
          role_arn: 'r',
          min_capacity: 5,
          max_capacity: 2,
          policies: [{ alarms: ['a'], cooldown: 300, adjustment_type: 'ChangeInCapacity', scaling_adjustment: 1 }, { policy_type: 'TargetTrackingScaling', name: 'cpu' }],
        },
      },
      front,
    );
    expect(issuesOf(raw).errors).to.deep.equal([
      'scheduler.autoscaling.policies[0].metric_aggregation_type: required for StepScaling policies',
      'scheduler.autoscaling.policies[1].target_value: required for TargetTrackingScaling policies',
      'scheduler.autoscaling.policies[1].predefined_metric_type: required for TargetTrackingScaling policies',
      'scheduler.autoscaling.min_capacity: must not exceed max_capacity (2), got number 5',
    ]);
  });

  it('requires the load balancer\'s container to exist (front by default)', () => {
    expect(issuesOf(withScheduler({ elb_v2: { vpc_id: 'v' } })).errors).to.deep.equal([
      'scheduler.elb_v2.container_name: container "front" is not defined (container_name defaults to "front")',
    ]);
    expect(issuesOf(withScheduler({ elb_v2: { vpc_id: 'v', container_name: 'app' } })).errors).to.deep.equal([]);
    expect(issuesOf(withScheduler({ service_discovery: [{ container_name: 'web', service: { name: 's', namespace_id: 'ns', dns_config: { dns_records: [{ type: 'SRV', ttl: 60 }] } } }] })).errors).to.deep.equal([
      'scheduler.service_discovery[0].container_name: container "web" is not defined',
    ]);
  });

  it('rejects a health check command that is not CMD, CMD-SHELL or NONE', () => {
    const { errors } = issuesOf(withApp({ health_check: { command: ['curl', '-f', 'http://localhost/'] } }));
    expect(errors).to.deep.equal(['app.health_check.command[0]: expected one of "CMD", "CMD-SHELL", "NONE", got "curl"']);
  });

  it('rejects a memory reservation above the hard limit', () => {
    expect(issuesOf(withApp({ memory: 64, memory_reservation: 128 })).errors).to.deep.equal([
      'app.memory_reservation: must not exceed memory (64), got number 128',
    ]);
  });

  it('requires an image for every sidecar and reserves the name app', () => {
    const raw = minimal({ sidecars: { redis: { memory: 64 }, app: { image_tag: 'x' } } });
    expect(issuesOf(raw).errors).to.deep.equal([
      'sidecars.redis.image_tag: required (or image)',
      'sidecars.app: the name "app" is reserved for the app container',
    ]);
  });

  it('warns when image is set next to image_tag on a sidecar', () => {
    const raw = minimal({ sidecars: { redis: { image_tag: 'redis:7', image: 'redis' } } });
    expect(issuesOf(raw).warnings).to.deep.equal(['sidecars.redis.image: ignored because image_tag is set']);
  });

  it('warns that additional_containers is ignored next to sidecars, and does not validate it', () => {
    const raw = minimal({ sidecars: { a: { image_tag: 'x' } }, additional_containers: { b: { memory: 'bad' } } });
    expect(issuesOf(raw)).to.deep.equal({ errors: [], warnings: ['additional_containers: ignored because sidecars is also set'] });
  });

  it('rejects a script type with no plugin and prefixes plugin issues with the entry path', () => {
    const raw = minimal({
      scripts: [
        { type: 'nginx_front', backend_port: 3000, s3: { region: 'r', bucket: 'b' } },
        { type: 'nginx_frnot' },
        { type: 'listener_thing', listeners: [{ port: 0 }] },
      ],
    });
    expect(issuesOf(raw).errors).to.deep.equal([
      'scripts[1].type: no plugin for script type "nginx_frnot"',
      'scripts[2].listeners[0].port: must be >= 1, got number 0',
    ]);
  });

  it('rejects --container names that are not defined', () => {
    expect(issuesOf(minimal(front), { with: ['front', 'worker'] }).errors).to.deep.equal([
      'container "worker" (requested with --container) is not defined in sidecars',
    ]);
  });

  it('validates elb_v2 with the alb plugin\'s schema too, by path', () => {
    const alb = z.strictObject({ vpc_id: z.string(), container_name: z.string().optional(), listeners: z.array(z.strictObject({ port: z.number().int().min(1), protocol: z.string() })).optional() });
    const scriptSchemas = new Map([...fakeScriptSchemas, ['alb', alb]]);
    const raw = withScheduler({ elb_v2: { vpc_id: 'v', container_name: 'app', container: 50051, listeners: [{ port: 0, protocol: 'HTTP' }] } });
    const { errors, warnings } = issuesOf(raw, { scriptSchemas });
    expect(errors).to.deep.equal(['scheduler.elb_v2.listeners[0].port: must be >= 1, got number 0']);
    expect(warnings).to.deep.equal(['scheduler.elb_v2.container: unknown key']);
    // hako's hello-grpc example carries that typo: it loads, and the alb script never sees the key.
    const fixed = withScheduler({ elb_v2: { vpc_id: 'v', container_name: 'app', container: 50051, scheme: null } });
    expect(normalise(fixed, { scriptSchemas }).model.scripts).to.deep.equal([{ type: 'alb', config: { vpc_id: 'v', container_name: 'app' } }]);
  });

  it('still runs cross-checks when the shape has errors', () => {
    const raw = withApp({ memory: '64', links: ['nope'] });
    Object.assign(raw['scheduler'] as object, { desired_count: 'two', elb: elb, elb_v2: {} });
    const { errors } = issuesOf(raw);
    expect(errors).to.include('scheduler.elb_v2: cannot specify both elb and elb_v2');
    expect(errors).to.include('app.links[0]: container "nope" is not defined in sidecars');
    expect(errors).to.include('app.memory: expected a number, got "64"');
  });
});

describe('requireDesiredCount', () => {
  it('reports a REPLICA service without desired_count', () => {
    const raw = minimal();
    delete (raw['scheduler'] as Record<string, unknown>)['desired_count'];
    const { model } = normalise(raw);
    expect(requireDesiredCount(model)).to.deep.equal([
      { path: 'scheduler.desired_count', message: 'required for deploy (unless scheduling_strategy is DAEMON)', severity: 'error' },
    ]);
  });

  it('accepts a DAEMON service or a given count', () => {
    const daemon = minimal();
    Object.assign(daemon['scheduler'] as object, { desired_count: null, scheduling_strategy: 'DAEMON' });
    expect(requireDesiredCount(normalise(daemon).model)).to.deep.equal([]);
    expect(requireDesiredCount(normalise(minimal()).model)).to.deep.equal([]);
  });
});
