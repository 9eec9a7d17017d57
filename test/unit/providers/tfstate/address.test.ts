import { expect } from 'chai';
import { AddressSyntaxError, formatAddress, parseAddress, type TerraformAddress } from '../../../../lib/providers/tfstate/address.js';

describe('tfstate: Terraform address parser', () => {
  const cases: [string, TerraformAddress][] = [
    ['aws_lb_target_group.nodejs.arn', { kind: 'resource', modules: [], mode: 'managed', type: 'aws_lb_target_group', name: 'nodejs', path: [{ kind: 'attr', name: 'arn' }] }],
    ['data.aws_vpc.main.id', { kind: 'resource', modules: [], mode: 'data', type: 'aws_vpc', name: 'main', path: [{ kind: 'attr', name: 'id' }] }],
    [
      'module.net.aws_subnet.private[0].id',
      { kind: 'resource', modules: [{ name: 'net' }], mode: 'managed', type: 'aws_subnet', name: 'private', key: 0, path: [{ kind: 'attr', name: 'id' }] },
    ],
    ['aws_subnet.this["a"].id', { kind: 'resource', modules: [], mode: 'managed', type: 'aws_subnet', name: 'this', key: 'a', path: [{ kind: 'attr', name: 'id' }] }],
    [
      'aws_vpc.main.tags.Name',
      { kind: 'resource', modules: [], mode: 'managed', type: 'aws_vpc', name: 'main', path: [{ kind: 'attr', name: 'tags' }, { kind: 'attr', name: 'Name' }] },
    ],
    [
      'module.a["x"].module.b.data.aws_iam_role.task.arn',
      { kind: 'resource', modules: [{ name: 'a', key: 'x' }, { name: 'b' }], mode: 'data', type: 'aws_iam_role', name: 'task', path: [{ kind: 'attr', name: 'arn' }] },
    ],
    [
      'aws_security_group.web.ingress[0].cidr_blocks[1]',
      {
        kind: 'resource',
        modules: [],
        mode: 'managed',
        type: 'aws_security_group',
        name: 'web',
        path: [{ kind: 'attr', name: 'ingress' }, { kind: 'index', key: 0 }, { kind: 'attr', name: 'cidr_blocks' }, { kind: 'index', key: 1 }],
      },
    ],
    [
      'aws_vpc.main.tags["kubernetes.io/role"]',
      { kind: 'resource', modules: [], mode: 'managed', type: 'aws_vpc', name: 'main', path: [{ kind: 'attr', name: 'tags' }, { kind: 'index', key: 'kubernetes.io/role' }] },
    ],
    ['output.vpc_id', { kind: 'output', name: 'vpc_id', path: [] }],
    ['output.db.endpoint', { kind: 'output', name: 'db', path: [{ kind: 'attr', name: 'endpoint' }] }],
    ['output.subnet_ids[1]', { kind: 'output', name: 'subnet_ids', path: [{ kind: 'index', key: 1 }] }],
    ['aws-x.my-name.id', { kind: 'resource', modules: [], mode: 'managed', type: 'aws-x', name: 'my-name', path: [{ kind: 'attr', name: 'id' }] }],
    [
      'aws_cfn.x.tags.aws:cloudformation:stack-name',
      { kind: 'resource', modules: [], mode: 'managed', type: 'aws_cfn', name: 'x', path: [{ kind: 'attr', name: 'tags' }, { kind: 'attr', name: 'aws:cloudformation:stack-name' }] },
    ],
    ['aws_vpc.main', { kind: 'resource', modules: [], mode: 'managed', type: 'aws_vpc', name: 'main', path: [] }],
  ];

  for (const [text, expected] of cases) {
    it(`parses ${text}`, () => {
      expect(parseAddress(text)).to.deep.equal(expected);
    });
  }

  it('formats an address back as Terraform writes it', () => {
    for (const text of ['module.a["x"].module.b.data.aws_iam_role.task.arn', 'aws_vpc.main.tags["kubernetes.io/role"]', 'module.net.aws_subnet.private[0].id', 'output.db.endpoint']) {
      expect(formatAddress(parseAddress(text))).to.equal(text);
    }
    expect(formatAddress(parseAddress('aws_vpc.main["tags"].Name'))).to.equal('aws_vpc.main["tags"].Name');
  });

  const invalid: [string, string][] = [
    ['', 'expected a resource type, data, module or output at column 1, found the end'],
    ['aws_vpc', 'expected "." before the resource name at column 8, found the end'],
    ['aws_vpc.', 'expected a resource name at column 9, found the end'],
    ['aws_vpc.main.', 'expected an attribute name at column 14, found the end'],
    ['aws_vpc.main[x].id', 'expected an index (a number or a "quoted" key) at column 14, found "x].id"'],
    ['aws_vpc.main[0.id', 'expected "]" at column 15, found ".id"'],
    ['data.aws_vpc', 'expected "." before the resource name at column 13, found the end'],
    ['module.net', 'expected "." before what the module holds at column 11, found the end'],
    ['module.net.output.x', "a child module's outputs are not kept in the state; only the root module's are (output.NAME)"],
    ['1abc.x.id', 'expected a resource type, data, module or output at column 1, found "1abc.x.id"'],
    ['aws_vpc.main.id x', 'expected "." or "[" at column 16, found " x"'],
  ];
  for (const [text, detail] of invalid) {
    it(`rejects ${JSON.stringify(text)} saying what was expected where`, () => {
      expect(() => parseAddress(text)).to.throw(AddressSyntaxError, detail);
    });
  }
});
