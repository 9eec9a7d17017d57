import { expect } from 'chai';
import { z } from 'zod';
import { findUnknownKeys } from '../../../../lib/definition/schema/unknown-keys.js';
import { route53ConfigSchema } from '../../../../lib/scripts/route53/config.js';
import { route53Script } from '../../../../lib/scripts/route53/index.js';
import type { ScriptPlugin } from '../../../../lib/scripts/script.js';

function issues(input: unknown): { path: string; message: string }[] {
  const r = route53ConfigSchema.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
}

describe('route53 config', () => {
  it('applies defaults (wait: true, adopt: false)', () => {
    const c = route53ConfigSchema.parse({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] });
    expect(c.wait).to.equal(true);
    expect(c.adopt).to.equal(false);
  });

  it('needs exactly one of hosted_zone and hosted_zone_id, reported at the key', () => {
    expect(issues({ records: [{ name: 'www', type: 'A' }] })).to.deep.equal([
      { path: 'hosted_zone', message: 'set one of hosted_zone or hosted_zone_id' },
    ]);
    expect(issues({ hosted_zone: 'a.com', hosted_zone_id: 'Z1', records: [{ name: 'www', type: 'A' }] })).to.deep.equal([
      { path: 'hosted_zone_id', message: 'hosted_zone and hosted_zone_id are exclusive; set only one' },
    ]);
    expect(issues({ hosted_zone_id: 'Z1', records: [{ name: 'www', type: 'A' }] })).to.deep.equal([]);
  });

  it('reports record problems at their paths', () => {
    const found = issues({
      hosted_zone: 'example.com',
      records: [
        { name: 'www', type: 'A', ttl: 60 },
        { name: 'txt', type: 'TXT' },
        { name: 'c', type: 'CNAME', value: ['a.example.net', 'b.example.net'] },
        { name: '@', type: 'CNAME' },
        { name: 'x', type: 'A', value: '192.0.2.1', evaluate_target_health: true },
        { name: 'WWW.', type: 'A' },
        { name: 'www.', type: 'A' },
      ],
    });
    const paths = found.map((i) => i.path);
    expect(paths).to.include.members([
      'records.0.ttl',
      'records.1.value',
      'records.2.value',
      'records.3.name',
      'records.4.evaluate_target_health',
      'records.6',
    ]);
    expect(found.find((i) => i.path === 'records.6')?.message).to.equal('duplicate record www. A (also records[0])');
  });

  it('rejects unknown record types and the reserved ownership prefix', () => {
    expect(issues({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'SOA', value: 'x' }] }).map((i) => i.path)).to.deep.equal([
      'records.0.type',
    ]);
    expect(issues({ hosted_zone: 'example.com', records: [{ name: '_hako-owner.www', type: 'TXT', value: 'x' }] })).to.have.length(1);
  });

  it('lets the definition validator find misspelt keys, at their paths', () => {
    const found = findUnknownKeys(
      route53ConfigSchema,
      { hosted_zone: 'example.com', wiat: false, records: [{ name: 'www', type: 'CNAME', tll: 60 }] },
      { prefix: 'scripts[1]' },
    );
    expect(found.map((i) => `${i.path}: ${i.message}`)).to.have.members([
      'scripts[1].records[0].tll: unknown key, did you mean ttl?',
      'scripts[1].wiat: unknown key, did you mean wait?',
    ]);
  });

  it('is a ScriptPlugin of type route53 whose schema converts to JSON Schema', () => {
    const plugin: ScriptPlugin = route53Script;
    expect(plugin.type).to.equal('route53');
    const schema = z.toJSONSchema(route53ConfigSchema, { io: 'input' }) as { properties: Record<string, unknown> };
    expect(Object.keys(schema.properties)).to.include.members(['hosted_zone', 'hosted_zone_id', 'records', 'wait', 'adopt']);
  });
});
