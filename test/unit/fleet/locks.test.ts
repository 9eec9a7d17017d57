import { expect } from 'chai';
import { LockTable } from '../../../lib/fleet/locks.js';

const tick = () => new Promise((r) => setImmediate(r));

describe('fleet: the lock table', () => {
  it('grants disjoint names at once and overlapping ones one after the other', async () => {
    const table = new LockTable();
    const a = table.tryAcquire(['lb:x']);
    expect(a).to.be.a('function');
    expect(table.tryAcquire(['lb:y'])).to.be.a('function');
    expect(table.tryAcquire(['lb:x'])).to.equal(undefined);
    let granted = false;
    const waiting = table.acquire(['lb:x']).then((release) => {
      granted = true;
      return release;
    });
    await tick();
    expect(granted).to.equal(false);
    a!();
    const release = await waiting;
    expect(granted).to.equal(true);
    release();
    expect(table.tryAcquire(['lb:x'])).to.be.a('function');
  });

  it('takes all names or none, and a later waiter does not overtake an earlier one on a shared name', async () => {
    const table = new LockTable();
    const holdX = table.tryAcquire(['x'])!;
    const order: string[] = [];
    const first = table.acquire(['x', 'y']).then((r) => (order.push('x+y'), r));
    // y is free, but the earlier waiter wants it: not granted past it.
    expect(table.tryAcquire(['y'])).to.equal(undefined);
    const second = table.acquire(['y']).then((r) => (order.push('y'), r));
    await tick();
    expect(order).to.deep.equal([]);
    holdX();
    const r1 = await first;
    await tick();
    expect(order).to.deep.equal(['x+y']);
    r1();
    (await second)();
    expect(order).to.deep.equal(['x+y', 'y']);
  });

  it('releases a subset: the names held until applied go first, the rest at the end', async () => {
    const table = new LockTable();
    const release = table.tryAcquire(['lb', 'service'])!;
    release(['lb']);
    expect(table.tryAcquire(['lb'])).to.be.a('function');
    expect(table.tryAcquire(['service'])).to.equal(undefined);
    release();
    expect(table.tryAcquire(['service'])).to.be.a('function');
  });
});
