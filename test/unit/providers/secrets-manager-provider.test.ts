import { expect } from 'chai';
import { secretsManagerProvider } from '../../../lib/providers/secrets-manager.js';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import type { AwsClients, secretsManager, SecretsManagerApi } from '../../../lib/aws/ports.js';
import { AwsApiError, ProviderError } from '../../../lib/errors.js';
import { silentIoHost } from '../../../lib/io/io-host.js';
import type { ProviderContext } from '../../../lib/providers/provider.js';

class FakeSecrets implements SecretsManagerApi {
  calls: { region: string | undefined; input: secretsManager.GetSecretValueCommandInput }[] = [];
  constructor(
    readonly secrets: Record<string, string | undefined>,
    readonly region?: string,
  ) {}
  async getSecretValue(input: secretsManager.GetSecretValueCommandInput): Promise<secretsManager.GetSecretValueCommandOutput> {
    this.calls.push({ region: this.region, input });
    const id = input.SecretId ?? '';
    if (!(id in this.secrets)) throw new AwsApiError('SecretsManager', 'GetSecretValue', 'ResourceNotFoundException', 'not found');
    const value = this.secrets[id];
    return value === undefined ? { Name: id, SecretBinary: new Uint8Array([1]), $metadata: {} } : { Name: id, SecretString: value, $metadata: {} };
  }
}

function context(fake: (region?: string) => SecretsManagerApi): ProviderContext {
  const aws: AwsClients = { ...awsClientsFromPorts({}), secretsManager: async (region) => fake(region) };
  return { rootPath: '/nowhere', aws: () => aws, io: silentIoHost, env: {} };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e as Error,
  );
}

const SECRET_VALUE = 'hunter2-do-not-print';

describe('providers: secretsmanager', () => {
  describe('with secret_id (JSON keys)', () => {
    it('answers names from the JSON object, reading the secret once', async () => {
      const fake = new FakeSecrets({ 'myapp/env': JSON.stringify({ DB_PASSWORD: SECRET_VALUE, PORT: 5432, DEBUG: false }) });
      const provider = secretsManagerProvider.create({ secret_id: 'myapp/env' }, context(() => fake));
      expect(await provider.ask(['DB_PASSWORD', 'PORT', 'NOPE'])).to.deep.equal({ DB_PASSWORD: SECRET_VALUE, PORT: '5432' });
      expect(await provider.askKeys!(['DEBUG', 'NOPE', 'PORT'])).to.deep.equal(['DEBUG', 'PORT']);
      expect(fake.calls.map((c) => c.input)).to.deep.equal([{ SecretId: 'myapp/env' }]);
    });

    it('fails clearly when the secret is missing or not a JSON object, never quoting the value', async () => {
      const missing = secretsManagerProvider.create({ secret_id: 'nope' }, context(() => new FakeSecrets({})));
      const err1 = await rejection(missing.ask(['A']));
      expect(err1).to.be.instanceOf(ProviderError);
      expect(err1.message).to.equal('secretsmanager provider: secret nope not found');

      const notJson = secretsManagerProvider.create({ secret_id: 's' }, context(() => new FakeSecrets({ s: SECRET_VALUE })));
      const err2 = await rejection(notJson.ask(['A']));
      expect(err2.message).to.equal('secretsmanager provider: secret s is not a JSON object');
      expect(JSON.stringify({ m: err2.message, h: (err2 as ProviderError).hint, c: String(err2.cause) })).to.not.contain(SECRET_VALUE);
    });

    it('takes the region from an ARN secret id unless region is given', async () => {
      const regions: (string | undefined)[] = [];
      const arn = 'arn:aws:secretsmanager:us-east-1:123456789012:secret:app-AbCdEf';
      const ctx = context((region) => {
        regions.push(region);
        return new FakeSecrets({ [arn]: '{}' }, region);
      });
      await secretsManagerProvider.create({ secret_id: arn }, ctx).ask(['A']);
      await secretsManagerProvider.create({ secret_id: arn, region: 'eu-west-1' }, ctx).ask(['A']);
      expect(regions).to.deep.equal(['us-east-1', 'eu-west-1']);
    });
  });

  describe('without secret_id (name = secret id)', () => {
    it('answers each name with the whole SecretString, one call per secret, unknown names absent', async () => {
      const fake = new FakeSecrets({ 'app/token': SECRET_VALUE, 'app/other': 'x' });
      const provider = secretsManagerProvider.create({}, context(() => fake));
      expect(await provider.ask(['app/token', 'app/missing'])).to.deep.equal({ 'app/token': SECRET_VALUE });
      expect(await provider.askKeys!(['app/token', 'app/missing', 'app/other'])).to.deep.equal(['app/token', 'app/other']);
      expect(fake.calls.map((c) => c.input.SecretId)).to.deep.equal(['app/token', 'app/missing', 'app/other']);
    });

    it('refuses binary secrets by name, without content', async () => {
      const provider = secretsManagerProvider.create({}, context(() => new FakeSecrets({ bin: undefined })));
      const err = await rejection(provider.ask(['bin']));
      expect(err.message).to.match(/secret bin has no SecretString/);
    });

    it('wraps other AWS failures as ProviderError', async () => {
      const failing: SecretsManagerApi = {
        getSecretValue: async () => {
          throw new AwsApiError('SecretsManager', 'GetSecretValue', 'AccessDeniedException', 'denied');
        },
      };
      const err = await rejection(secretsManagerProvider.create({}, context(() => failing)).ask(['s']));
      expect(err).to.be.instanceOf(ProviderError);
      expect(err.message).to.contain('AccessDeniedException');
    });
  });

  it('validates options', () => {
    expect(secretsManagerProvider.configSchema.safeParse({ secret_id: '' }).success).to.equal(false);
    expect(secretsManagerProvider.configSchema.safeParse({ secretId: 'x' }).success).to.equal(false);
    expect(secretsManagerProvider.configSchema.safeParse({}).success).to.equal(true);
  });
});
