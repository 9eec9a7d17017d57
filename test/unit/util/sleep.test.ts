import { expect } from 'chai';
import { AbortedError } from '../../../lib/errors.js';
import { createVirtualTime, sleep, throwIfAborted } from '../../../lib/util/sleep.js';

describe('sleep', () => {
  it('rejects at once with AbortedError when the signal has already fired', async () => {
    const ac = new AbortController();
    ac.abort();
    const err = await sleep(60_000, ac.signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AbortedError);
    expect((err as AbortedError).exitCode).to.equal(130);
  });

  it('rejects when the signal fires during the wait, without waiting out the timer', async () => {
    const ac = new AbortController();
    const pending = sleep(60_000, ac.signal).then(
      () => 'resolved',
      (e: unknown) => e,
    );
    ac.abort();
    expect(await pending).to.be.instanceOf(AbortedError);
  });

  it('keeps an AbortedError given as the abort reason', async () => {
    const ac = new AbortController();
    const reason = new AbortedError('Interrupted by SIGTERM', 143);
    ac.abort(reason);
    expect(() => throwIfAborted(ac.signal)).to.throw(AbortedError).with.property('exitCode', 143);
  });

  it('resolves after a zero delay', async () => {
    await sleep(0);
  });
});

describe('createVirtualTime', () => {
  it('advances the clock by each sleep and records it', async () => {
    const vt = createVirtualTime(100);
    await vt.sleep(1000);
    await vt.sleep(1500);
    vt.advance(5);
    expect(vt.clock.now()).to.equal(2605);
    expect(vt.sleeps).to.deep.equal([1000, 1500]);
  });

  it('lets a test fire an abort at a point in virtual time', async () => {
    const vt = createVirtualTime();
    const ac = new AbortController();
    vt.onSleep = (_ms, now) => {
      if (now >= 2000) ac.abort();
    };
    await vt.sleep(1000, ac.signal);
    const err = await vt.sleep(1000, ac.signal).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AbortedError);
  });
});
