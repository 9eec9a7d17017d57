/**
 * Every rendered variant must load in a real nginx (`nginx -t`). See test/helpers/nginx.ts for how the `backend`
 * host of `proxy_pass http://backend:<port>` is made resolvable the way an ECS link does (an /etc/hosts entry),
 * without changing a byte of the rendered config.
 */
import { appModel } from '../../../helpers/model-builders.js';
import { expect } from 'chai';
import type { AppModel } from '../../../../lib/definition/model.js';
import { frontConfigFor, nginxFrontConfigSchema, renderFrontConfig } from '../../../../lib/scripts/nginx-front/index.js';
import { nginxConfigTest, requireNginx } from '../../../helpers/nginx.js';

function model(networkMode?: 'awsvpc'): AppModel {
  return appModel(networkMode ? { scheduler: { network_mode: networkMode } } : {});
}



function render(extra: Record<string, unknown>, networkMode?: 'awsvpc'): string {
  const config = nginxFrontConfigSchema.parse({ s3: { region: 'ap-northeast-1', bucket: 'nanika' }, backend_port: 3000, ...extra });
  return frontConfigFor(config, model(networkMode));
}

const VARIANTS: [string, string][] = [
  ['defaults (proxy to backend:3000)', render({})],
  ['awsvpc (proxy to localhost:3000)', render({}, 'awsvpc')],
  ['allow_only_from with nested arrays', render({ locations: { '/': { allow_only_from: ['127.0.0.1', ['10.0.0.0/24']] } } })],
  ['empty allow_only_from (deny all only)', render({ locations: { '/': { allow_only_from: [] } } })],
  ['IPv6, CIDR and `all` entries', render({ locations: { '/': { allow_only_from: ['::1', '2001:db8::/32', 'all'] } } })],
  ['client_max_body_size', render({ client_max_body_size: '1G' })],
  [
    'several locations, regex and exact matches, string port',
    render({
      backend_port: '8080',
      client_max_body_size: '512k',
      locations: { '/': {}, '/admin': { allow_only_from: ['192.168.0.0/16'] }, '= /health': {}, '~ ^/api/': { allow_only_from: null } },
    }),
  ],
];

describe('nginx_front rendered configs pass nginx -t', function () {
  before(async function () {
    await requireNginx(this);
  });

  for (const [name, text] of VARIANTS) {
    it(name, async () => {
      const result = await nginxConfigTest(text);
      expect(result.ok, result.output).to.equal(true);
      expect(result.output).to.include('test is successful');
    });
  }

  it('the check is not vacuous: nginx rejects a broken server block', async () => {
    const broken = renderFrontConfig({ backendHost: 'localhost', backendPort: 3000, locations: { '/': {} } }).replace(
      'proxy_connect_timeout 5s;',
      'proxy_connect_timeout 5 s;',
    );
    const result = await nginxConfigTest(broken);
    expect(result.ok).to.equal(false);
    expect(result.output).to.match(/\[emerg\]/);
  });

  it('the check is not vacuous: an address the schema would reject fails nginx too', async () => {
    const text = renderFrontConfig({ backendHost: 'localhost', backendPort: 3000, locations: { '/': { allow_only_from: ['10.0.0.300'] } } });
    const result = await nginxConfigTest(text);
    expect(result.ok).to.equal(false);
    expect(result.output).to.include('10.0.0.300');
  });
});
