import { expect } from 'chai';
import { definitionJsonSchema } from '../../../lib/definition/json-schema.js';

type Node = Record<string, unknown>;

function prop(node: unknown, ...keys: string[]): Node {
  let at = node as Node;
  for (const key of keys) {
    // Optional fields are `anyOf: [<schema>, {type: 'null'}]`: step into the non-null branch.
    const branches = at['anyOf'] as Node[] | undefined;
    if (branches) at = branches.find((b) => b['type'] !== 'null') as Node;
    at = (at['properties'] as Record<string, Node>)[key] as Node;
    expect(at, `property ${key}`).to.be.an('object');
  }
  return at;
}

function walk(node: unknown, visit: (n: Node) => void): void {
  if (Array.isArray(node)) node.forEach((n) => walk(n, visit));
  else if (typeof node === 'object' && node !== null) {
    visit(node as Node);
    Object.values(node).forEach((n) => walk(n, visit));
  }
}

describe('definitionJsonSchema', () => {
  const schema = definitionJsonSchema();

  it('is a draft 2020-12 schema titled for hako', () => {
    expect(schema['$schema']).to.equal('https://json-schema.org/draft/2020-12/schema');
    expect(schema['title']).to.equal('hako application definition');
    expect(schema['type']).to.equal('object');
    expect(schema['required']).to.include.members(['scheduler', 'app']);
  });

  it('describes the whole surface: scheduler keys, load balancers, containers, volumes, scripts', () => {
    expect(Object.keys(schema['properties'] as object)).to.include.members(['scheduler', 'app', 'sidecars', 'additional_containers', 'volumes', 'scripts']);
    expect(prop(schema, 'scheduler', 'elb_v2', 'listeners')).to.be.an('object');
    expect(prop(schema, 'scheduler', 'autoscaling', 'policies')).to.be.an('object');
    expect(prop(schema, 'app', 'health_check', 'interval')).to.be.an('object');
    expect(prop(schema, 'scheduler', 'network_mode')['anyOf']).to.deep.include({ type: 'string', enum: ['bridge', 'host', 'awsvpc', 'none'] });
  });

  it('carries descriptions for editor help', () => {
    expect(prop(schema, 'scheduler', 'desired_count')['description']).to.match(/required by deploy/);
    expect(prop(schema, 'app', 'image')['description']).to.be.a('string');
    expect(prop(schema, 'app', 'env')['description']).to.match(/strings/);
  });

  it('never forbids unknown keys (they only warn)', () => {
    walk(schema, (n) => expect(n['additionalProperties']).to.not.equal(false));
  });

  it('is plain JSON', () => {
    expect(JSON.parse(JSON.stringify(schema))).to.deep.equal(schema);
  });
});
