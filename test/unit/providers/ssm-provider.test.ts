import { expect } from 'chai';
import { ssmProvider } from '../../../lib/providers/ssm.js';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import type { AwsClients, ssm, SsmApi } from '../../../lib/aws/ports.js';
import { AwsApiError, ProviderError } from '../../../lib/errors.js';
import { silentIoHost } from '../../../lib/io/io-host.js';
import type { ProviderContext } from '../../../lib/providers/provider.js';

/** A parameter store held in memory; records every GetParameters call and the region it was asked in. */
class FakeSsm implements SsmApi {
  calls: { region: string | undefined; input: ssm.GetParametersCommandInput }[] = [];
  constructor(
    readonly parameters: Record<string, string>,
    readonly region?: string,
    readonly failWith?: Error,
  ) {}
  async getParameters(input: ssm.GetParametersCommandInput): Promise<ssm.GetParametersCommandOutput> {
    this.calls.push({ region: this.region, input });
    if (this.failWith) throw this.failWith;
    const names = input.Names ?? [];
    expect(names.length).to.be.at.most(10);
    return {
      Parameters: names
        .filter((n) => n in this.parameters)
        .map((n) => ({ Name: n, Value: input.WithDecryption ? this.parameters[n] : 'ENCRYPTED', Type: 'SecureString' })),
      InvalidParameters: names.filter((n) => !(n in this.parameters)),
      $metadata: {},
    };
  }
}

function context(ssmFor: (region?: string) => SsmApi): ProviderContext & { regions: (string | undefined)[] } {
  const regions: (string | undefined)[] = [];
  const aws: AwsClients = {
    ...awsClientsFromPorts({}),
    ssm: async (region) => {
      regions.push(region);
      return ssmFor(region);
    },
  };
  return { rootPath: '/nowhere', aws: () => aws, io: silentIoHost, env: {}, regions };
}

describe('providers: ssm', () => {
  it('reads <prefix><name> with decryption and omits unknown names', async () => {
    const fake = new FakeSsm({ '/myapp/DB_PASSWORD': 's3cret', '/myapp/TOKEN': 'tok' });
    const provider = ssmProvider.create(ssmProvider.configSchema.parse({ prefix: '/myapp/' }), context(() => fake));
    expect(await provider.ask(['DB_PASSWORD', 'MISSING', 'TOKEN'])).to.deep.equal({ DB_PASSWORD: 's3cret', TOKEN: 'tok' });
    expect(fake.calls).to.have.length(1);
    expect(fake.calls[0]!.input).to.deep.equal({ Names: ['/myapp/DB_PASSWORD', '/myapp/MISSING', '/myapp/TOKEN'], WithDecryption: true });
  });

  it('batches 10 names per call and caches answers, found or not', async () => {
    const params = Object.fromEntries(Array.from({ length: 25 }, (_, i) => [`P${i}`, `v${i}`]));
    const fake = new FakeSsm(params);
    const provider = ssmProvider.create({}, context(() => fake));
    const names = [...Object.keys(params), 'NOPE'];
    const answer = await provider.ask(names);
    expect(Object.keys(answer)).to.have.length(25);
    expect(answer.P24).to.equal('v24');
    expect(fake.calls.map((c) => c.input.Names?.length)).to.deep.equal([10, 10, 6]);
    await provider.ask(['P3', 'NOPE']);
    expect(fake.calls).to.have.length(3);
  });

  it('askKeys reads without decryption and discards values', async () => {
    const fake = new FakeSsm({ '/p/A': 'a' });
    const provider = ssmProvider.create({ prefix: '/p/' }, context(() => fake));
    expect(await provider.askKeys!(['A', 'B'])).to.deep.equal(['A']);
    expect(fake.calls[0]!.input.WithDecryption).to.equal(false);
    expect(await provider.askKeys!(['A', 'B'])).to.deep.equal(['A']);
    expect(fake.calls).to.have.length(1);
    // A later ask needs the decrypted value, so it asks again, with decryption.
    expect(await provider.ask(['A'])).to.deep.equal({ A: 'a' });
    expect(fake.calls[1]!.input.WithDecryption).to.equal(true);
  });

  it('uses the region option, or the region of an ARN prefix', async () => {
    const ctx = context((region) => new FakeSsm({}, region));
    await ssmProvider.create({ region: 'us-east-1' }, ctx).ask(['A']);
    await ssmProvider.create({ prefix: 'arn:aws:ssm:eu-west-1:123456789012:parameter/app/' }, ctx).ask(['A']);
    await ssmProvider.create({}, ctx).ask(['A']);
    expect(ctx.regions).to.deep.equal(['us-east-1', 'eu-west-1', undefined]);
  });

  it('reports AWS failures as ProviderError without values', async () => {
    const denied = new AwsApiError('SSM', 'GetParameters', 'AccessDeniedException', 'not allowed');
    const provider = ssmProvider.create({ region: 'ap-northeast-1' }, context(() => new FakeSsm({}, undefined, denied)));
    const err = await provider.ask(['A']).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(ProviderError);
    expect((err as ProviderError).message).to.equal(
      'ssm provider: cannot read parameters in ap-northeast-1: SSM GetParameters failed: AccessDeniedException: not allowed',
    );
    expect((err as ProviderError).cause).to.equal(denied);
  });

  it('rejects unknown options', () => {
    expect(ssmProvider.configSchema.safeParse({ prefix: '/a/', path: 'x' }).success).to.equal(false);
    expect(ssmProvider.configSchema.safeParse({ prefix: '/a/', region: 'us-east-1' }).success).to.equal(true);
  });
});
