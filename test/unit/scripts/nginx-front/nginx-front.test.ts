import { appModel, container } from '../../../helpers/model-builders.js';
import { expect } from 'chai';
import type { AwsClients, S3Api } from '../../../../lib/aws/ports.js';
import type { AppModel, ContainerModel } from '../../../../lib/definition/model.js';
import { PluginError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import type { Step } from '../../../../lib/plan/plan.js';
import {
  frontConfigFor,
  frontConfigKey,
  frontContribution,
  nginxFrontConfigSchema,
  nginxFrontScript,
  renderFrontConfig,
  type NginxFrontConfig,
} from '../../../../lib/scripts/nginx-front/index.js';
import { applyContext } from '../../../helpers/apply-context.js';

function model(overrides: { network_mode?: 'awsvpc' | 'bridge'; containers?: ContainerModel[] } = {}): AppModel {
  return appModel({
    ...(overrides.network_mode ? { scheduler: { network_mode: overrides.network_mode } } : {}),
    ...(overrides.containers ? { containers: overrides.containers } : {}),
  });
}



/** hako's spec options: s3 {ap-northeast-1, nanika, hako/front_config}, backend_port 3000. */
function config(extra: Record<string, unknown> = {}): NginxFrontConfig {
  return nginxFrontConfigSchema.parse({
    s3: { region: 'ap-northeast-1', bucket: 'nanika', prefix: 'hako/front_config' },
    backend_port: 3000,
    ...extra,
  });
}

const DEFAULT_CONFIG = `server {
  listen 80;


  location / {
    
    proxy_pass http://backend:3000;
    proxy_set_header Host $host;
    proxy_set_header Connection ""; # for upstream keepalive
    proxy_http_version 1.1;         # for upstream keepalive
    proxy_connect_timeout 5s;
    proxy_send_timeout 20s;
    proxy_read_timeout 20s;

  }
}
`;

describe('nginx_front script', () => {
  describe('config schema', () => {
    it('fills hako defaults: backend app, one open location /', () => {
      const c = config();
      expect(c.backend).to.equal('app');
      expect(c.locations).to.deep.equal({ '/': {} });
    });

    it('requires s3 and backend_port', () => {
      const r = nginxFrontConfigSchema.safeParse({});
      expect(r.success).to.equal(false);
      const paths = r.error!.issues.map((i) => i.path.join('.'));
      expect(paths).to.include.members(['s3', 'backend_port']);
    });

    it('rejects unknown keys and addresses nginx would reject, with their paths', () => {
      const r = nginxFrontConfigSchema.safeParse({
        s3: { region: 'ap-northeast-1', bucket: 'b' },
        backend_port: 3000,
        locations: { '/': { allow_only_from: ['10.0.0.1', ['10.0.0.300']] } },
        extra: true,
      });
      expect(r.success).to.equal(false);
      const paths = r.error!.issues.map((i) => i.path.join('.'));
      expect(paths).to.include('locations./.allow_only_from.1.0');
      expect(r.error!.issues.some((i) => i.code === 'unrecognized_keys')).to.equal(true);
    });

    it('accepts nested allow lists, CIDR blocks, IPv6 and `all`', () => {
      const r = nginxFrontConfigSchema.safeParse({
        s3: { region: 'r', bucket: 'b' },
        backend_port: '3000',
        locations: { '/': { allow_only_from: ['127.0.0.1', ['10.0.0.0/24', ['::1', '2001:db8::/32']], 'all'] } },
        client_max_body_size: '1G',
      });
      expect(r.success, JSON.stringify(r.error?.issues)).to.equal(true);
    });

    it('rejects a client_max_body_size that is not an nginx size', () => {
      expect(nginxFrontConfigSchema.safeParse({ s3: { region: 'r', bucket: 'b' }, backend_port: 1, client_max_body_size: '1 GB' }).success).to.equal(false);
    });
  });

  describe('S3 key', () => {
    it('is <prefix>/<app>.conf, or <app>.conf without a prefix', () => {
      expect(frontConfigKey({ region: 'r', bucket: 'b', prefix: 'hako/front_config' }, 'nanika')).to.equal('hako/front_config/nanika.conf');
      expect(frontConfigKey({ region: 'r', bucket: 'b' }, 'nanika')).to.equal('nanika.conf');
      expect(frontConfigKey({ region: 'r', bucket: 'b', prefix: null }, 'nanika')).to.equal('nanika.conf');
    });
  });

  describe('contribute', () => {
    it('gives front the S3 env (hako deploy_starting)', () => {
      const c = frontContribution(config(), model());
      expect(c.containers?.front?.env).to.deep.equal([
        { name: 'AWS_DEFAULT_REGION', value: 'ap-northeast-1' },
        { name: 'S3_CONFIG_BUCKET', value: 'nanika' },
        { name: 'S3_CONFIG_KEY', value: 'hako/front_config/nanika.conf' },
      ]);
    });

    it('links the backend as `backend` and maps port 80 to a dynamic host port under bridge', () => {
      const front = frontContribution(config(), model()).containers?.front;
      expect(front?.links).to.deep.equal(['app:backend']);
      expect(front?.port_mappings).to.deep.equal([{ container_port: 80, host_port: 0, protocol: 'tcp' }]);
    });

    it('links a configured backend container', () => {
      const m = model({ containers: [container('app'), container('front'), container('api')] });
      expect(frontContribution(config({ backend: 'api' }), m).containers?.front?.links).to.deep.equal(['api:backend']);
    });

    it('adds no link and maps 80:80 under awsvpc', () => {
      const front = frontContribution(config(), model({ network_mode: 'awsvpc' })).containers?.front;
      expect(front).to.not.have.property('links');
      expect(front?.port_mappings).to.deep.equal([{ container_port: 80, host_port: 80, protocol: 'tcp' }]);
    });

    it('keeps a port 80 mapping the definition already gives front', () => {
      const m = model({ containers: [container('app'), container('front', { port_mappings: [{ container_port: 80, host_port: 8080, protocol: 'tcp' }] })] });
      expect(frontContribution(config(), m).containers?.front).to.not.have.property('port_mappings');
    });

    it('contributes only to front and leaves the model untouched', () => {
      const m = model();
      const before = JSON.stringify(m);
      const c = frontContribution(config(), m);
      expect(Object.keys(c.containers ?? {})).to.deep.equal(['front']);
      expect(JSON.stringify(m)).to.equal(before);
    });

    it('fails clearly without a front sidecar', () => {
      const m = model({ containers: [container('app')] });
      expect(() => frontContribution(config(), m))
        .to.throw(PluginError, /nginx_front requires a sidecar container named `front`/)
        .with.property('plugin', 'nginx_front');
    });

    it('fails clearly when the backend container does not exist', () => {
      expect(() => frontContribution(config({ backend: 'api' }), model())).to.throw(PluginError, /`api`, which is not defined/);
    });
  });

  describe('render', () => {
    it('renders hako\'s default config byte for byte', () => {
      expect(frontConfigFor(config(), model())).to.equal(DEFAULT_CONFIG);
    });

    it('proxies to backend:<port> under bridge and localhost:<port> under awsvpc, with no deny', () => {
      const bridge = frontConfigFor(config(), model());
      expect(bridge).to.include('    proxy_pass http://backend:3000;\n');
      expect(bridge).to.not.include('deny all;');
      const awsvpc = frontConfigFor(config(), model({ network_mode: 'awsvpc' }));
      expect(awsvpc).to.include('    proxy_pass http://localhost:3000;\n');
      expect(awsvpc).to.not.include('backend');
    });

    it('renders allow_only_from flattened, then deny all and the blank line', () => {
      const text = frontConfigFor(config({ locations: { '/': { allow_only_from: ['127.0.0.1', ['10.0.0.0/24']] } } }), model());
      expect(text).to.include(
        '  location / {\n    allow 127.0.0.1;\n    allow 10.0.0.0/24;\n    deny all;\n    \n    proxy_pass http://backend:3000;\n',
      );
    });

    it('denies everyone for an empty allow list, as hako did', () => {
      const text = frontConfigFor(config({ locations: { '/': { allow_only_from: [] } } }), model());
      expect(text).to.include('  location / {\n    deny all;\n    \n');
    });

    it('puts client_max_body_size between the two blank lines', () => {
      const text = frontConfigFor(config({ client_max_body_size: '1G' }), model());
      expect(text.startsWith('server {\n  listen 80;\n\n  client_max_body_size 1G;\n\n  location / {\n')).to.equal(true);
    });

    it('renders locations in map order, back to back', () => {
      const text = renderFrontConfig({
        backendHost: 'backend',
        backendPort: '8080',
        locations: { '/z': {}, '/a': { allow_only_from: ['10.1.0.0/16'] } },
      });
      expect(text.indexOf('location /z {')).to.be.lessThan(text.indexOf('location /a {'));
      expect(text).to.include('    proxy_read_timeout 20s;\n\n  }\n  location /a {\n    allow 10.1.0.0/16;\n');
      expect(text).to.include('proxy_pass http://backend:8080;');
      expect(text.endsWith('\n  }\n}\n')).to.equal(true);
    });
  });
});

/** A fake S3 holding objects in memory; mutating calls can be forbidden (dry-run). */
class FakeS3 implements S3Api {
  readonly objects = new Map<string, { body: string; contentType?: string }>();
  readonly calls: { method: string; input: unknown }[] = [];
  constructor(private readonly forbidMutations = false) {}
  async getObject(input: { Bucket?: string; Key?: string }): Promise<string | undefined> {
    this.calls.push({ method: 'getObject', input });
    return this.objects.get(`${input.Bucket}/${input.Key}`)?.body;
  }
  async headObject(): Promise<never> {
    throw new Error('FakeS3: headObject not expected');
  }
  async putObject(input: { Bucket?: string; Key?: string; Body?: unknown; ContentType?: string }) {
    this.calls.push({ method: 'putObject', input });
    if (this.forbidMutations) throw new Error('FakeS3: putObject forbidden');
    this.objects.set(`${input.Bucket}/${input.Key}`, { body: String(input.Body), contentType: input.ContentType });
    return { $metadata: {} };
  }
}

function clients(s3: FakeS3, regions: (string | undefined)[] = []): () => AwsClients {
  const unexpected = (name: string) => () => Promise.reject(new Error(`unexpected client ${name}`));
  const aws = {
    ecs: unexpected('ecs'),
    elbv2: unexpected('elbv2'),
    route53: unexpected('route53'),
    logs: unexpected('logs'),
    ec2: unexpected('ec2'),
    ssm: unexpected('ssm'),
    secretsManager: unexpected('secretsManager'),
    s3: async (region?: string) => {
      regions.push(region);
      return s3;
    },
  } as Partial<AwsClients> as AwsClients;
  return () => aws;
}

describe('nginx_front plan and apply', () => {
  const key = 'nanika/hako/front_config/nanika.conf';

  function script(s3: FakeS3, io = new RecordingIoHost(), regions: (string | undefined)[] = []) {
    return nginxFrontScript.create(config(), { appId: 'nanika', rootPath: '/defs', aws: clients(s3, regions), io, dryRun: false });
  }

  it('plans an upload showing the nginx config when the object is absent, in the bucket\'s region', async () => {
    const s3 = new FakeS3(true);
    const regions: (string | undefined)[] = [];
    const steps = await script(s3, undefined, regions).plan!(model(), { forOneshot: false });
    expect(steps).to.have.length(1);
    const step = steps[0]!;
    expect(step).to.include({ owner: 'nginx_front', kind: 'upload-front-config', action: 'create' });
    expect(step.title).to.equal('Upload front configuration to s3://nanika/hako/front_config/nanika.conf');
    expect(step).to.not.have.property('before');
    expect(step.after).to.equal(DEFAULT_CONFIG);
    expect(regions).to.deep.equal(['ap-northeast-1']);
    expect(s3.calls.map((c) => c.method)).to.deep.equal(['getObject']);
  });

  it('plans an update with the live text as `before` when the object differs', async () => {
    const s3 = new FakeS3(true);
    s3.objects.set(key, { body: DEFAULT_CONFIG.replace('3000', '4000') });
    const [step] = await script(s3).plan!(model(), { forOneshot: false });
    expect(step).to.include({ kind: 'upload-front-config', action: 'update' });
    expect(step!.before).to.equal(DEFAULT_CONFIG.replace('3000', '4000'));
    expect(step!.after).to.equal(DEFAULT_CONFIG);
  });

  it('plans a noop when the object is identical', async () => {
    const s3 = new FakeS3(true);
    s3.objects.set(key, { body: DEFAULT_CONFIG });
    const steps = await script(s3).plan!(model(), { forOneshot: false });
    expect(steps.map((s) => [s.kind, s.action])).to.deep.equal([['front-config-unchanged', 'noop']]);
    expect(steps[0]!.title).to.match(/^Front configuration unchanged/);
  });

  it('plans nothing for oneshot and reads nothing', async () => {
    const s3 = new FakeS3(true);
    expect(await script(s3).plan!(model(), { forOneshot: true })).to.deep.equal([]);
    expect(s3.calls).to.deep.equal([]);
  });

  it('applies an upload as text/plain and reports it; the next plan is a noop', async () => {
    const s3 = new FakeS3();
    const io = new RecordingIoHost();
    const sc = script(s3, io);
    const [step] = await sc.plan!(model(), { forOneshot: false });
    await sc.apply!(step!, applyContext({ io, aws: clients(s3) }));
    expect(s3.objects.get(key)).to.deep.equal({ body: DEFAULT_CONFIG, contentType: 'text/plain' });
    expect(io.lines).to.deep.equal(['Uploaded front configuration to s3://nanika/hako/front_config/nanika.conf']);
    const again = await sc.plan!(model(), { forOneshot: false });
    expect(again.map((s) => s.action)).to.deep.equal(['noop']);
  });

  it('applies a noop step without calling S3', async () => {
    const s3 = new FakeS3(true);
    s3.objects.set(key, { body: DEFAULT_CONFIG });
    const sc = script(s3);
    const [step] = await sc.plan!(model(), { forOneshot: false });
    await sc.apply!(step!, applyContext({ io: new RecordingIoHost(), aws: clients(s3) }));
    expect(s3.calls.map((c) => c.method)).to.deep.equal(['getObject']);
  });

  it('refuses a step it did not plan', async () => {
    const step: Step = { owner: 'ecs', kind: 'update-service', action: 'update', resource: 'x', title: 'x', payload: {} };
    let caught: unknown;
    try {
      await script(new FakeS3()).apply!(step, applyContext({ io: new RecordingIoHost(), aws: clients(new FakeS3()) }));
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(PluginError);
  });
});
