import { expect } from 'chai';
import { findDependencyCycles } from '../../../lib/definition/schema/dependency-cycles.js';
import { formatIssue } from '../../../lib/errors.js';
import { issuesOf, minimal } from './schema-helpers.js';

const start = (name: string) => ({ container_name: name, condition: 'START' });

function withSidecars(appDependsOn: string[], sidecars: Record<string, string[]>): Record<string, unknown> {
  const raw = minimal({
    sidecars: Object.fromEntries(
      Object.entries(sidecars).map(([name, deps]) => [name, { image_tag: 'x', depends_on: deps.map(start) }]),
    ),
  });
  Object.assign(raw['app'] as object, { depends_on: appDependsOn.map(start) });
  return raw;
}

describe('definition cross-checks: depends_on cycles', () => {
  it('reports a cycle at the entry that closes it, naming the whole cycle', () => {
    const raw = withSidecars(['init2'], { init: ['app'], init2: ['init'] });
    expect(issuesOf(raw).errors).to.deep.equal([
      'sidecars.init.depends_on[0].container_name: dependency cycle app → init2 → init → app',
    ]);
  });

  it('reports a two-container cycle between sidecars that app does not reach', () => {
    const raw = withSidecars([], { a: ['b'], b: ['c', 'a'], c: [] });
    expect(issuesOf(raw).errors).to.deep.equal(['sidecars.b.depends_on[1].container_name: dependency cycle a → b → a']);
  });

  it('leaves a self reference to the reference check: one error, not two', () => {
    const raw = withSidecars([], { init: ['init'] });
    expect(issuesOf(raw).errors).to.deep.equal(['sidecars.init.depends_on[0].container_name: a container cannot depend on itself']);
  });

  it('reports each closing entry once when two cycles share containers', () => {
    const raw = withSidecars(['a'], { a: ['app', 'b'], b: ['a'] });
    expect(issuesOf(raw).errors).to.deep.equal([
      'sidecars.a.depends_on[0].container_name: dependency cycle app → a → app',
      'sidecars.b.depends_on[0].container_name: dependency cycle a → b → a',
    ]);
  });

  it('accepts a diamond (shared dependency without a cycle) and undefined targets are not cycles', () => {
    expect(issuesOf(withSidecars(['a', 'b'], { a: ['c'], b: ['c'], c: [] })).errors).to.deep.equal([]);
    expect(issuesOf(withSidecars(['a'], { a: ['ghost'] })).errors).to.deep.equal([
      'sidecars.a.depends_on[0].container_name: container "ghost" is not defined in sidecars',
    ]);
  });

  it('leaves cycles through links and volumes_from alone', () => {
    const raw = minimal({
      sidecars: {
        front: { image_tag: 'x', links: ['app:backend'], volumes_from: [{ source_container: 'app' }] },
      },
    });
    Object.assign(raw['app'] as object, { links: ['front'], volumes_from: [{ source_container: 'front' }] });
    expect(issuesOf(raw).errors).to.deep.equal([]);
  });

  it('works on its own over containers in the order given', () => {
    const nodes = [
      { name: 'x', path: 'sidecars.x', value: { depends_on: [start('y')] } },
      { name: 'y', path: 'sidecars.y', value: { depends_on: 'not-an-array' } },
      { name: 'z', path: 'sidecars.z', value: { depends_on: [null, start('x'), start('z')] } },
    ];
    expect(findDependencyCycles(nodes)).to.deep.equal([]);
    const cyclic = [...nodes.slice(0, 1), { name: 'y', path: 'sidecars.y', value: { depends_on: [start('x')] } }];
    expect(findDependencyCycles(cyclic).map(formatIssue)).to.deep.equal([
      'sidecars.y.depends_on[0].container_name: dependency cycle x → y → x',
    ]);
  });
});
