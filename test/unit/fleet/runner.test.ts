import { expect } from 'chai';
import { runFleet, SkippedError, type FleetEntry } from '../../../lib/fleet/runner.js';

const entries = (n: number): FleetEntry[] => Array.from({ length: n }, (_, i) => ({ label: `app${i}` }));
const pause = (ms = 5) => new Promise((r) => setTimeout(r, ms));

describe('fleet: the runner', () => {
  it('runs at most `parallel` apps at once and every app to its end, in the order given', async () => {
    let running = 0;
    let most = 0;
    const started: number[] = [];
    const outcomes = await runFleet(entries(10), { parallel: 3 }, async ({ index }) => {
      started.push(index);
      running++;
      most = Math.max(most, running);
      await pause();
      running--;
      if (index === 4) throw new Error('app4 broke');
      return index * 10;
    });
    expect(most).to.equal(3);
    expect(started).to.deep.equal([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    expect(outcomes.map((o) => o.status)).to.deep.equal(['ok', 'ok', 'ok', 'ok', 'failed', 'ok', 'ok', 'ok', 'ok', 'ok']);
    expect(outcomes[5]?.value).to.equal(50);
    expect((outcomes[4]?.error as Error).message).to.equal('app4 broke');
  });

  it('runs apps with overlapping locks one after the other; the one waiting gives its place to the next app', async () => {
    const log: string[] = [];
    const outcomes = await runFleet(entries(4), { parallel: 2 }, async ({ index, locks }) => {
      // app0 and app1 share the load balancer; app2 and app3 share nothing.
      const lock = index < 2 ? [{ name: 'elbv2:load-balancer:r/shared' }] : [];
      const held = await locks.hold(lock);
      log.push(`plan ${index}`);
      await pause(10);
      log.push(`applied ${index}`);
      held.applied();
      await pause(10);
      held.release();
      return index;
    });
    expect(outcomes.every((o) => o.status === 'ok')).to.equal(true);
    // app1 waited for app0's apply, not for its end; app2 ran meanwhile in the place app1 gave up.
    expect(log.indexOf('plan 2')).to.be.lessThan(log.indexOf('plan 1'));
    expect(log.indexOf('applied 0')).to.be.lessThan(log.indexOf('plan 1'));
  });

  it('apps sharing a lock take it in the order given, whichever finishes evaluating first', async () => {
    const order: number[] = [];
    await runFleet(entries(4), { parallel: 4 }, async ({ index, locks }) => {
      // Later apps are "evaluated" sooner.
      await pause(40 - index * 10);
      const held = await locks.hold([{ name: 'shared' }]);
      order.push(index);
      await pause(2);
      held.release();
    });
    expect(order).to.deep.equal([0, 1, 2, 3]);
  });

  it("holds a lock named `through: 'rollout'` until the app ends", async () => {
    const log: string[] = [];
    await runFleet(entries(2), { parallel: 2 }, async ({ index, locks }) => {
      const held = await locks.hold([{ name: 'ecs:service:r/c/web', through: 'rollout' }]);
      log.push(`start ${index}`);
      held.applied();
      await pause(10);
      log.push(`end ${index}`);
      held.release();
    });
    expect(log).to.deep.equal(['start 0', 'end 0', 'start 1', 'end 1']);
  });

  it('--fail-fast: after a failure no app starts, and an app waiting for its locks is skipped before it changes anything', async () => {
    const changed: number[] = [];
    const outcomes = await runFleet(entries(5), { parallel: 2, failFast: true }, async ({ index, locks }) => {
      if (index === 0) {
        const held = await locks.hold([{ name: 'shared' }]);
        await pause(10);
        held.release();
        throw new Error('app0 broke');
      }
      await pause(1);
      await locks.hold([{ name: 'shared' }]);
      changed.push(index);
      return index;
    });
    expect(outcomes[0]?.status).to.equal('failed');
    expect(outcomes[1]?.status).to.equal('skipped');
    expect(outcomes[1]?.error).to.be.instanceOf(SkippedError);
    expect(outcomes.slice(2).every((o) => o.status === 'skipped')).to.equal(true);
    expect(changed).to.deep.equal([]);
  });

  it('skips apps not started yet once the signal fires', async () => {
    const controller = new AbortController();
    const outcomes = await runFleet(entries(4), { parallel: 1, signal: controller.signal }, async ({ index }) => {
      if (index === 1) controller.abort();
      await pause(1);
      return index;
    });
    expect(outcomes.map((o) => o.status)).to.deep.equal(['ok', 'ok', 'skipped', 'skipped']);
  });
});
