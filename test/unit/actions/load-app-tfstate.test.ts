import { expect } from 'chai';
import { loadApp } from '../../../lib/actions/load-app.js';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import { silentIoHost } from '../../../lib/io/io-host.js';
import { fixture } from '../../helpers/paths.js';

describe('loadApp: tfstate in container env.$providers', () => {
  const base = { file: fixture('tfstate', 'providers-app.jsonnet'), io: silentIoHost, aws: () => awsClientsFromPorts({}), providerMode: 'expand' as const, env: {} };

  it('expands #{ADDRESS} and reveals only the sensitive value for masking', async () => {
    const loaded = await loadApp({ ...base, envMode: 'expand' });
    const env = Object.fromEntries(loaded.model.containers[0]!.env.map((e) => [e.name, e.value]));
    expect(env).to.deep.equal({ DATABASE_URL: 'postgres://app:hunter2-from-terraform@db.example.internal:5432/app', SUBNET: 'subnet-aaa' });
    expect([...loaded.providers.revealedValues()]).to.deep.equal([['hunter2-from-terraform', 'output.db_password']]);
  });

  it('leaves #{ADDRESS} as written when env is not expanded, as for every provider', async () => {
    const loaded = await loadApp({ ...base, providerMode: 'placeholder', envMode: 'none' });
    expect(loaded.model.containers[0]!.env.find((e) => e.name === 'SUBNET')?.value).to.equal('#{aws_subnet.this["a"].id}');
  });
});
