import { expect } from 'chai';
import { currentAbortSignal, withAbortSignal } from '../../../lib/util/abort-scope.js';

/** A promise and the function that settles it, so that a test decides when each scope's work ends. */
function gate(): { done: Promise<void>; open: () => void } {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { done, open };
}

describe('abort scope', () => {
  it('has no signal outside any scope, and the scope signal inside it, across awaits', async () => {
    const ac = new AbortController();
    expect(currentAbortSignal()).to.equal(undefined);
    const seen = await withAbortSignal(ac.signal, async () => {
      await new Promise((r) => setImmediate(r));
      return currentAbortSignal();
    });
    expect(seen).to.equal(ac.signal);
    expect(currentAbortSignal()).to.equal(undefined);
  });

  it('keeps the run signal for the apps still running when an overlapping app scope ends first', async () => {
    // A fleet runs one scope per app, all with the run's signal, ending in any order.
    const ac = new AbortController();
    const a = gate();
    const b = gate();
    const seenByB: (AbortSignal | undefined)[] = [];
    const runA = withAbortSignal(ac.signal, () => a.done);
    const runB = withAbortSignal(ac.signal, async () => {
      await b.done;
      seenByB.push(currentAbortSignal());
    });
    a.open();
    await runA;
    b.open();
    await runB;
    expect(seenByB).to.deep.equal([ac.signal]);
    expect(currentAbortSignal()).to.equal(undefined);
  });

  it('leaves the signal unchanged when a scope has none, and clears its entry when the work throws', async () => {
    const ac = new AbortController();
    await withAbortSignal(ac.signal, async () => {
      expect(await withAbortSignal(undefined, async () => currentAbortSignal())).to.equal(ac.signal);
    });
    const err = await withAbortSignal(ac.signal, async () => {
      throw new Error('boom');
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error);
    expect(currentAbortSignal()).to.equal(undefined);
  });
});
