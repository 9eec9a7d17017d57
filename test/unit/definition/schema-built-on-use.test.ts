import { expect } from 'chai';
import * as z from 'zod';
import { builtOnUse, opt } from '../../../lib/definition/schema/common.js';
import { findUnknownKeys } from '../../../lib/definition/schema/unknown-keys.js';

/** A part built on use, and how many times its builder ran. */
function counted<T extends z.ZodType>(build: () => T): { schema: z.ZodLazy<T>; builds: () => number } {
  let n = 0;
  const schema = builtOnUse(() => {
    n += 1;
    return build();
  });
  return { schema, builds: () => n };
}

describe('definition schema: parts built on use', () => {
  it('is not built by a parse, or an unknown-key walk, of a value without its key', () => {
    const part = counted(() => z.looseObject({ role_arn: z.string().min(1), policies: z.array(z.looseObject({ name: z.string() })) }));
    const outer = z.looseObject({ name: z.string(), autoscaling: opt(part.schema).describe('Service auto scaling') });
    expect(outer.safeParse({ name: 'x' }).success).to.equal(true);
    expect(outer.safeParse({ name: 'x', autoscaling: null }).success).to.equal(true);
    expect(findUnknownKeys(outer, { name: 'x', autoscaling: null })).to.deep.equal([]);
    expect(part.builds()).to.equal(0);
  });

  it('is built once when a value has the key, and then validates and walks as the schema it wraps', () => {
    const part = counted(() => z.looseObject({ role_arn: z.string().min(1), min_capacity: z.number().int().min(0) }));
    const outer = z.looseObject({ autoscaling: opt(part.schema) });
    const bad = outer.safeParse({ autoscaling: { role_arn: '', min_capacity: -1 } });
    expect(bad.success).to.equal(false);
    expect(bad.error!.issues.map((i) => i.path.join('.'))).to.deep.equal(['autoscaling.role_arn', 'autoscaling.min_capacity']);
    expect(outer.safeParse({ autoscaling: { role_arn: 'r', min_capacity: 1 } }).success).to.equal(true);
    expect(findUnknownKeys(outer, { autoscaling: { role_arn: 'r', min_capcity: 1 } }).map((i) => `${i.path}: ${i.message}`)).to.deep.equal([
      'autoscaling.min_capcity: unknown key, did you mean min_capacity?',
    ]);
    expect(part.builds()).to.equal(1);
  });

  it('refuses to stand for an optional part, whose optionality the enclosing object must know before it is built', () => {
    const lazy = builtOnUse(() => z.string().optional());
    expect(() => z.object({ a: lazy }).safeParse({ a: 'x' })).to.throw(/builtOnUse: the part built has optin, optout/);
  });
});
