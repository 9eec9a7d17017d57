import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import type { AwsClients, S3Api } from '../../../../lib/aws/ports.js';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import { AwsApiError, ProviderError } from '../../../../lib/errors.js';
import { silentIoHost } from '../../../../lib/io/io-host.js';
import type { ProviderContext, ProviderPlugin } from '../../../../lib/providers/provider.js';
import { ProviderRegistry } from '../../../../lib/providers/registry.js';
import { createTfstateProviderPlugin, envString } from '../../../../lib/providers/tfstate/plugin.js';
import { fixture } from '../../../helpers/paths.js';
import { fakeContext } from '../fake-context.js';

const STATE_TEXT = readFileSync(fixture('tfstate', 'terraform.tfstate'), 'utf8');

/** An S3 port holding `objects` (bucket/key → text) that records each getObject and the region asked for. */
function s3Context(objects: Record<string, string>, fail?: Error): ProviderContext & { reads: string[]; regions: (string | undefined)[] } {
  const reads: string[] = [];
  const regions: (string | undefined)[] = [];
  const s3: S3Api = {
    async getObject(input) {
      reads.push(`${input.Bucket}/${input.Key}`);
      if (fail) throw fail;
      return objects[`${input.Bucket}/${input.Key}`];
    },
    headObject: () => Promise.reject(new Error('not used')),
    putObject: () => Promise.reject(new Error('tfstate must never write')),
  };
  const aws: AwsClients = {
    ...awsClientsFromPorts({ s3 }),
    s3: async (region) => {
      regions.push(region);
      return s3;
    },
  };
  return { rootPath: '/nowhere', aws: () => aws, io: silentIoHost, env: {}, reads, regions };
}

async function rejection(p: Promise<unknown>): Promise<Error> {
  return p.then(
    () => expect.fail('expected a rejection'),
    (e: unknown) => e as Error,
  );
}

const registry = () => new ProviderRegistry([createTfstateProviderPlugin() as ProviderPlugin]);

describe('tfstate provider', () => {
  it('answers addresses from a local state relative to the definition, as env strings', async () => {
    const provider = registry().instance('tfstate', { url: 'terraform.tfstate' }, fakeContext(fixture('tfstate')));
    expect(
      await provider.ask(['aws_ecs_cluster.main.name', 'aws_lb_target_group.nodejs.port', 'output.public', 'output.subnet_ids', 'output.nothing', 'nope.x.y', 'not an address']),
    ).to.deep.equal({
      'aws_ecs_cluster.main.name': 'tf-cluster',
      'aws_lb_target_group.nodejs.port': '3000',
      'output.public': 'false',
      'output.subnet_ids': '["subnet-aaa","subnet-ccc"]',
      'output.nothing': '',
    });
    expect(await provider.askKeys!(['output.vpc_id', 'output.nope'])).to.deep.equal(['output.vpc_id']);
    expect(await provider.askSensitive!(['output.vpc_id', 'output.db_password', 'aws_db_instance.main.password'])).to.deep.equal([
      'output.db_password',
      'aws_db_instance.main.password',
    ]);
  });

  it('turns values into env strings: JSON for numbers, booleans, lists and maps, empty for null', () => {
    expect([envString('s'), envString(1.5), envString(true), envString(null), envString({ a: [1] })]).to.deep.equal(['s', '1.5', 'true', '', '{"a":[1]}']);
  });

  it('reports only sensitive values to the registry for masking: the rest is configuration', async () => {
    const reg = registry();
    const provider = reg.instance('tfstate', { url: 'terraform.tfstate' }, fakeContext(fixture('tfstate')));
    await provider.ask(['output.vpc_id', 'output.db_password', 'aws_db_instance.main.password', 'aws_db_instance.main.username']);
    expect([...reg.revealedValues()]).to.deep.equal([
      ['hunter2-from-terraform', 'output.db_password'],
      ['s3cret-db-password', 'aws_db_instance.main.password'],
    ]);
  });

  it('explains a missing address with the closest ones, and a malformed one with the grammar', async () => {
    const provider = registry().instance('tfstate', { url: 'terraform.tfstate' }, fakeContext(fixture('tfstate')));
    const typo = await provider.explainMissing!('aws_ecs_cluster.mian.name');
    expect(typo.message).to.equal(
      `tfstate: aws_ecs_cluster.mian.name not found: aws_ecs_cluster.mian is not in ${fixture('tfstate', 'terraform.tfstate')}; did you mean aws_ecs_cluster.main.name?`,
    );
    expect(typo.hint).to.contain('output.NAME');
    expect((await provider.explainMissing!('aws_vpc..id')).message).to.equal(
      'tfstate: invalid Terraform address "aws_vpc..id": expected a resource name at column 9, found ".id"',
    );
  });

  it('names a missing local state with its absolute path', async () => {
    const provider = registry().instance('tfstate', { url: 'missing.tfstate' }, fakeContext(fixture('tfstate')));
    const error = await rejection(provider.ask(['output.x']));
    expect(error).to.be.instanceOf(ProviderError);
    expect(error.message).to.equal(`tfstate provider: cannot read Terraform state ${fixture('tfstate', 'missing.tfstate')}: no such file`);
  });

  it('names a file that is not a state', async () => {
    const provider = registry().instance('tfstate', { url: 'main.tf' }, fakeContext(fixture('tfstate')));
    const error = await rejection(provider.ask(['output.x']));
    expect(error.message).to.equal(`tfstate provider: ${fixture('tfstate', 'main.tf')} is not valid JSON`);
  });

  it('reads s3://bucket/key through the S3 port, in the region given, once per location however often asked', async () => {
    const context = s3Context({ 'tf-states/app/terraform.tfstate': STATE_TEXT });
    const reg = registry();
    const a = reg.instance('tfstate', { url: 's3://tf-states/app/terraform.tfstate', region: 'us-west-2' }, context);
    expect(await a.ask(['output.vpc_id', 'aws_vpc.main.id'])).to.deep.equal({ 'output.vpc_id': 'vpc-0123456789abcdef0', 'aws_vpc.main.id': 'vpc-0123456789abcdef0' });
    const b = reg.instance('tfstate', { url: 'S3://tf-states/app/terraform.tfstate', region: 'us-west-2' }, context);
    expect(await b.ask(['output.desired_count'])).to.deep.equal({ 'output.desired_count': '3' });
    expect(context.reads).to.deep.equal(['tf-states/app/terraform.tfstate']);
    expect(context.regions).to.deep.equal(['us-west-2']);
  });

  it('names a missing S3 object and an S3 failure with the URL', async () => {
    const missing = registry().instance('tfstate', { url: 's3://tf-states/nope.tfstate' }, s3Context({}));
    expect((await rejection(missing.ask(['output.x']))).message).to.equal('tfstate provider: cannot read Terraform state s3://tf-states/nope.tfstate: no such object');

    const denied = new AwsApiError('S3', 'GetObject', 'AccessDenied', 'Access Denied');
    const failing = registry().instance('tfstate', { url: 's3://tf-states/x.tfstate' }, s3Context({}, denied));
    const error = await rejection(failing.ask(['output.x']));
    expect(error).to.be.instanceOf(ProviderError);
    expect(error.message).to.equal('tfstate provider: cannot read Terraform state s3://tf-states/x.tfstate: S3 GetObject failed: AccessDenied: Access Denied');
  });

  it('refuses other URL schemes and an s3 URL without a key when the provider is created', () => {
    const context = fakeContext('/');
    expect(() => registry().instance('tfstate', { url: 'gs://bucket/state' }, context)).to.throw(ProviderError, 'cannot read gs:// state URLs');
    expect(() => registry().instance('tfstate', { url: 's3://bucket' }, context)).to.throw(ProviderError, 's3://bucket names no object');
    expect(() => registry().instance('tfstate', {}, context)).to.throw(ProviderError, 'url must be set');
    expect(() => registry().instance('tfstate', { url: 'x', bucket: 'y' }, context)).to.throw(ProviderError, "unknown option 'bucket'");
  });
});
