import { expect } from 'chai';
import { formatPath, describeValue } from '../../../lib/definition/schema/issues.js';
import { suggestKey } from '../../../lib/definition/schema/unknown-keys.js';
import { issuesOf, minimal, normalise } from './schema-helpers.js';

describe('definition schema: shape and messages', () => {
  it('accepts a minimal ecs definition without any issue', () => {
    expect(issuesOf(minimal())).to.deep.equal({ errors: [], warnings: [] });
  });

  it('shows the offending value of a wrong type, with its path', () => {
    const { errors } = issuesOf(minimal({ sidecars: { front: { image_tag: 'nginx', memory: '32' } } }));
    expect(errors).to.deep.equal(['sidecars.front.memory: expected a number, got "32"']);
  });

  it('requires env values to be strings and keeps $providers out of that rule', () => {
    const raw = minimal();
    (raw['app'] as Record<string, unknown>)['env'] = { PORT: 3000, $providers: [{ type: 'file', path: 'a.env' }], OK: 'x' };
    expect(issuesOf(raw).errors).to.deep.equal(['app.env.PORT: expected a string, got number 3000']);
  });

  it('rejects an empty #{} interpolation in env', () => {
    const raw = minimal();
    (raw['app'] as Record<string, unknown>)['env'] = { GREETING: 'hello #{}' };
    expect(issuesOf(raw).errors).to.deep.equal(['app.env.GREETING: empty interpolation #{} is not allowed']);
  });

  it('reports missing required keys', () => {
    const { errors } = issuesOf({ scheduler: { region: 'x' }, app: { cpu: 1 } });
    expect(errors).to.include('scheduler.type: required');
    expect(errors).to.include('app.image: required');
    expect(issuesOf({ app: { image: 'a' } }).errors).to.include('scheduler: required');
  });

  it('reports enum values and numeric ranges', () => {
    const raw = minimal();
    Object.assign(raw['scheduler'] as object, { network_mode: 'vpc', desired_count: -1 });
    Object.assign(raw['app'] as object, {
      memory: 0,
      cpu: 1.5,
      port_mappings: [{ container_port: 70000, protocol: 'sctp' }],
      depends_on: [{ container_name: 'app2', condition: 'READY' }],
    });
    const { errors } = issuesOf(raw);
    expect(errors).to.include.members([
      'scheduler.network_mode: expected one of "bridge", "host", "awsvpc", "none", got "vpc"',
      'scheduler.desired_count: must be >= 0, got number -1',
      'app.memory: must be > 0, got number 0',
      'app.cpu: expected an integer, got number 1.5',
      'app.port_mappings[0].container_port: must be <= 65535, got number 70000',
      'app.port_mappings[0].protocol: expected one of "tcp", "udp", "TCP", "UDP", got "sctp"',
      'app.depends_on[0].condition: expected one of "START", "COMPLETE", "SUCCESS", "HEALTHY", got "READY"',
    ]);
  });

  it('reports every problem at once, shape errors and cross-checks together', () => {
    const raw = minimal({ sidecars: { redis: { image_tag: 'redis', memory: 'lots' } } });
    Object.assign(raw['app'] as object, { links: ['memcached'], memory: '64' });
    const { errors } = issuesOf(raw);
    expect(errors).to.deep.equal([
      'app.memory: expected a number, got "64"',
      'sidecars.redis.memory: expected a number, got "lots"',
      'app.links[0]: container "memcached" is not defined in sidecars',
    ]);
  });

  it('explains a value that fits no branch of a union', () => {
    const raw = minimal();
    Object.assign(raw['scheduler'] as object, { cpu: true });
    expect(issuesOf(raw).errors).to.deep.equal(['scheduler.cpu: expected a string or a number, got boolean true']);
  });

  it('treats null as an absent optional key', () => {
    const raw = minimal();
    Object.assign(raw['scheduler'] as object, { role: null, elb: null });
    Object.assign(raw['app'] as object, { memory_reservation: null, links: null });
    expect(issuesOf(raw)).to.deep.equal({ errors: [], warnings: [] });
  });

  it('says when the definition is not an object', () => {
    expect(issuesOf([1, 2]).errors).to.deep.equal(['the definition must be an object, got an array']);
  });

  it('rejects a scheduler type with no plugin', () => {
    const { errors } = issuesOf({ scheduler: { type: 'k8s', namespace: 'x' }, app: { image: 'a' } });
    expect(errors).to.deep.equal(['scheduler.type: no plugin for scheduler type "k8s"']);
  });
});

describe('definition schema: unknown keys', () => {
  it('warns with the nearest known key, at every level', () => {
    const raw = minimal();
    Object.assign(raw['scheduler'] as object, {
      desird_count: 1,
      deployment_configuration: { maximum_percent: 200, minimum_healty_percent: 50 },
    });
    Object.assign(raw['app'] as object, { health_check: { command: ['CMD', 'true'], intervall: 10 } });
    const { errors, warnings } = issuesOf(raw);
    expect(errors).to.deep.equal([]);
    expect(warnings).to.deep.equal([
      'scheduler.desird_count: unknown key, did you mean desired_count?',
      'scheduler.deployment_configuration.minimum_healty_percent: unknown key, did you mean minimum_healthy_percent?',
      'app.health_check.intervall: unknown key, did you mean interval?',
    ]);
  });

  it('suggests nothing when no known key is close', () => {
    const { warnings } = issuesOf(minimal({ completely_unrelated: true }));
    expect(warnings).to.deep.equal(['completely_unrelated: unknown key']);
  });

  it('makes unknown keys errors under strict', () => {
    const { errors, warnings } = issuesOf(minimal({ sidecar: {} }), { strict: true });
    expect(errors).to.deep.equal(['sidecar: unknown key, did you mean sidecars?']);
    expect(warnings).to.deep.equal([]);
  });

  it('stays quiet about keys hako accepted and ignored, env names and provider options', () => {
    const raw = minimal({ sidecars: { front: { type: 'nginx', image_tag: 'front-image' } } });
    Object.assign(raw['app'] as object, {
      image_tag: 'ignored',
      type: 'ruby',
      env: { ANY_NAME: 'x', $providers: [{ type: 'yaml', path: 'x.yml', key_sep: '_' }] },
    });
    expect(issuesOf(raw)).to.deep.equal({ errors: [], warnings: [] });
  });

  it('checks script configs against their plugin schema, not ours', () => {
    const raw = minimal({
      scripts: [{ type: 'nginx_front', backend_port: 3000, s3: { region: 'r', bucket: 'b' }, backnd: 1 }],
    });
    expect(issuesOf(raw).warnings).to.deep.equal(['scripts[0].backnd: unknown key']);
  });

  it('only warns about keys a strict plugin schema does not know (hako ignored them), and drops them', () => {
    const raw = minimal({ scripts: [{ type: 'strict_thing', name: 'x', nmae: 'y' }] });
    expect(issuesOf(raw)).to.deep.equal({ errors: [], warnings: ['scripts[0].nmae: unknown key, did you mean name?'] });
    expect(normalise(raw).model.scripts).to.deep.equal([{ type: 'strict_thing', config: { name: 'x' } }]);
    expect(issuesOf(raw, { strict: true }).errors).to.deep.equal(['scripts[0].nmae: unknown key, did you mean name?']);
  });

  it('suggestKey keeps only plausible typos', () => {
    expect(suggestKey('desird_count', ['desired_count', 'cluster'])).to.equal('desired_count');
    expect(suggestKey('IMAGE', ['image', 'tag'])).to.equal('image');
    expect(suggestKey('zzzzzz', ['image', 'tag'])).to.equal(undefined);
  });
});

describe('definition schema: path and value formatting', () => {
  it('quotes keys that are not identifiers', () => {
    expect(formatPath(['scheduler', 'elb_v2', 'load_balancer_attributes', 'access_logs.s3.enabled'])).to.equal(
      'scheduler.elb_v2.load_balancer_attributes["access_logs.s3.enabled"]',
    );
    expect(formatPath(['scripts', 2, 'listeners', 0, 'port'])).to.equal('scripts[2].listeners[0].port');
  });

  it('describes values the way a user wrote them', () => {
    expect(describeValue('32')).to.equal('"32"');
    expect(describeValue(3000)).to.equal('number 3000');
    expect(describeValue(null)).to.equal('null');
    expect(describeValue({})).to.equal('an object');
  });
});

describe('definition schema: a missing enum value', () => {
  it('is reported as required, not as a wrong value', () => {
    const raw = minimal();
    Object.assign(raw['app'] as object, { depends_on: [{ container_name: 'app' }] });
    expect(issuesOf(raw).errors).to.include('app.depends_on[0].condition: required');
  });
});

describe('definition schema: suggestions skip ignored keys', () => {
  it('suggests image for app.image_name, not the ignored image_tag', () => {
    const raw = minimal();
    const app = raw['app'] as Record<string, unknown>;
    delete app['image'];
    app['image_name'] = 'busybox';
    expect(issuesOf(raw).warnings).to.deep.equal(['app.image_name: unknown key, did you mean image?']);
  });

  it('suggests nothing when a prefix fits several keys', () => {
    expect(suggestKey('container', ['container_name', 'container_port'])).to.equal(undefined);
  });
});
