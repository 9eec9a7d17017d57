import { expect } from 'chai';
import { readFileSync } from 'node:fs';
import { ProviderError } from '../../../../lib/errors.js';
import { parseAddress } from '../../../../lib/providers/tfstate/address.js';
import { lookupAddress, stateTargets, type Lookup } from '../../../../lib/providers/tfstate/lookup.js';
import { parseTerraformState, type TerraformState } from '../../../../lib/providers/tfstate/state.js';
import { fixture } from '../../../helpers/paths.js';

const FILE = fixture('tfstate', 'terraform.tfstate');

function state(): TerraformState {
  return parseTerraformState(readFileSync(FILE, 'utf8'), FILE);
}

function lookup(address: string): Lookup {
  return lookupAddress(state(), parseAddress(address));
}

function found(address: string): { value: unknown; sensitive: boolean } {
  const result = lookup(address);
  if (!result.found) expect.fail(`${address}: ${result.message}`);
  return { value: result.value, sensitive: result.sensitive };
}

function notFound(address: string): { message: string; suggestions: readonly string[] } {
  const result = lookup(address);
  if (result.found) expect.fail(`${address} was found`);
  return result;
}

describe('tfstate: state parsing', () => {
  it('reads resources (deposed objects skipped) and root outputs', () => {
    const s = state();
    expect(s.source).to.equal(FILE);
    expect(s.outputs.get('db_password')).to.deep.equal({ value: 'hunter2-from-terraform', sensitive: true });
    expect(s.outputs.get('vpc_id')?.sensitive).to.equal(false);
    const tg = s.resources.find((r) => r.type === 'aws_lb_target_group')!;
    expect(tg.instances).to.have.length(1);
    expect(stateTargets(s)).to.include.members([
      'data.aws_vpc.default',
      'aws_subnet.this["a"]',
      'module.net.aws_subnet.private[1]',
      'module.a.module.b.aws_security_group.web',
      'module.svc["api"].data.aws_iam_role.task',
      'output.subnet_ids',
    ]);
  });

  it('rejects text that is not JSON without quoting it', () => {
    expect(() => parseTerraformState('{"password": "x" oops', 's3://b/k')).to.throw(ProviderError, 'tfstate provider: s3://b/k is not valid JSON');
    try {
      parseTerraformState('{"password": "x" oops', 's3://b/k');
    } catch (e) {
      expect((e as Error).message).not.to.include('password');
    }
  });

  it('rejects JSON that is not a state', () => {
    expect(() => parseTerraformState('{"resources": []}', 'x.json')).to.throw(ProviderError, 'x.json is not a Terraform state (it has no "version")');
    expect(() => parseTerraformState('[]', 'x.json')).to.throw(ProviderError, 'is not a Terraform state');
  });

  it('rejects other format versions by name, recognising the .terraform backend pointer', () => {
    const v3 = fixture('tfstate', 'version3.tfstate');
    try {
      parseTerraformState(readFileSync(v3, 'utf8'), v3);
      expect.fail('expected an error');
    } catch (e) {
      expect(e).to.be.instanceOf(ProviderError);
      expect((e as ProviderError).message).to.equal(`tfstate provider: ${v3} has state format version 3; hako reads version 4 (Terraform 0.12 and later)`);
      expect((e as ProviderError).hint).to.contain('.terraform/terraform.tfstate');
    }
    expect(() => parseTerraformState('{"version": 5}', 'f')).to.throw(ProviderError, 'has state format version 5');
  });
});

describe('tfstate: lookups', () => {
  const values: [string, unknown][] = [
    ['aws_lb_target_group.nodejs.arn', 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/nodejs/0123456789abcdef'],
    ['aws_lb_target_group.nodejs.port', 3000],
    ['aws_lb_target_group.nodejs.health_check[0].path', '/health'],
    ['aws_lb_target_group.nodejs.tags["kubernetes.io/role"]', 'web'],
    ['data.aws_vpc.default.id', 'vpc-default'],
    ['aws_vpc.main.tags.Name', 'main'],
    ['aws_vpc.main.enable_dns_support', true],
    ['aws_subnet.this["c"].id', 'subnet-ccc'],
    ['module.net.aws_subnet.private[1].id', 'subnet-private-1'],
    ['module.a.module.b.aws_security_group.web.ingress[0].cidr_blocks[0]', '0.0.0.0/0'],
    ['module.svc["api"].data.aws_iam_role.task.arn', 'arn:aws:iam::123456789012:role/api-task'],
    ['output.vpc_id', 'vpc-0123456789abcdef0'],
    ['output.subnet_ids', ['subnet-aaa', 'subnet-ccc']],
    ['output.subnet_ids[1]', 'subnet-ccc'],
    ['output.db.endpoint', 'db.example.internal:5432'],
    ['output.db["port"]', 5432],
    ['output.nothing', null],
  ];
  for (const [address, value] of values) {
    it(`finds ${address}`, () => {
      expect(found(address)).to.deep.equal({ value, sensitive: false });
    });
  }

  it('marks sensitive outputs, and everything inside them', () => {
    expect(found('output.db_password')).to.deep.equal({ value: 'hunter2-from-terraform', sensitive: true });
  });

  it("marks instance attributes Terraform listed in sensitive_attributes, and values containing them", () => {
    expect(found('aws_db_instance.main.password').sensitive).to.equal(true);
    expect(found('aws_db_instance.main.username').sensitive).to.equal(false);
    expect(found('module.rds.random_password.master.result').sensitive).to.equal(true);
    expect(found('module.rds.random_password.master.keepers').sensitive, 'contains keepers["a"]').to.equal(true);
    expect(found('module.rds.random_password.master.keepers.a').sensitive, 'cty index step written as {value, type}').to.equal(true);
    expect(found('module.rds.random_password.master.length').sensitive).to.equal(false);
  });

  it('suggests the closest resource addresses for a typo, with the attribute path kept', () => {
    const miss = notFound('aws_lb_target_group.nodjs.arn');
    expect(miss.message).to.equal(`aws_lb_target_group.nodjs is not in ${FILE}`);
    expect(miss.suggestions[0]).to.equal('aws_lb_target_group.nodejs.arn');
  });

  it('suggests outputs for a misspelt output', () => {
    const miss = notFound('output.vpcid');
    expect(miss.message).to.equal(`no output "vpcid" in ${FILE}`);
    expect(miss.suggestions).to.include('output.vpc_id');
  });

  it('asks for an index when a resource has count or for_each, listing its keys', () => {
    const miss = notFound('module.net.aws_subnet.private.id');
    expect(miss.message).to.equal('module.net.aws_subnet.private has several instances (count or for_each): add an index, one of [0], [1]');
    expect(miss.suggestions).to.include.members(['module.net.aws_subnet.private[0].id', 'module.net.aws_subnet.private[1].id']);
  });

  it('names a missing for_each key and the keys that exist', () => {
    expect(notFound('aws_subnet.this["b"].id').message).to.equal(`aws_subnet.this["b"] is not in ${FILE}; aws_subnet.this has ["a"], ["c"]`);
  });

  it('says to drop an index on a single instance', () => {
    const miss = notFound('aws_vpc.main[0].id');
    expect(miss.message).to.equal('aws_vpc.main is a single instance (no count or for_each): drop the index [0]');
    expect(miss.suggestions).to.include('aws_vpc.main.id');
  });

  it('names the missing attribute and the closest ones at that level', () => {
    const miss = notFound('aws_vpc.main.tags.Nmae');
    expect(miss.message).to.equal('aws_vpc.main.tags has no attribute "Nmae"');
    expect(miss.suggestions).to.deep.equal(['aws_vpc.main.tags.Name']);
    expect(notFound('aws_vpc.main.cidr').suggestions).to.include('aws_vpc.main.cidr_block');
  });

  it('explains a list index out of range, a name on a list, and a step into a scalar', () => {
    expect(notFound('output.subnet_ids[2]').message).to.equal('output.subnet_ids[2] is out of range: output.subnet_ids has 2 items');
    expect(notFound('output.subnet_ids.first').message).to.equal('output.subnet_ids is a list (2 items); it has no attribute "first", index it with a number');
    expect(notFound('aws_vpc.main.id.x').message).to.equal('aws_vpc.main.id is a string; it has no attribute "x"');
  });

  it('does not find data sources as managed resources, or modules outside their path', () => {
    expect(lookup('aws_vpc.default.id').found).to.equal(false);
    expect(notFound('aws_vpc.default.id').suggestions).to.include('data.aws_vpc.default.id');
    expect(lookup('module.b.aws_security_group.web.id').found).to.equal(false);
  });
});
