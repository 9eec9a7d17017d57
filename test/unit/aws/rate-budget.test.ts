import { expect } from 'chai';
import { RateBudget, rateScaleFromEnv } from '../../../lib/aws/rate-budget.js';
import { bucketsFor } from '../../../lib/aws/rate-figures.js';
import { createVirtualTime } from '../../../lib/util/sleep.js';
import { createTimerQueue } from '../../helpers/timer-queue.js';

/** A budget on virtual time; `sent` records when each request was let through. */
function budgetOn(scale = 1) {
  const time = createVirtualTime();
  const budget = new RateBudget({ scale, now: () => time.clock.now(), sleep: (ms) => time.sleep(ms) });
  const sent: number[] = [];
  const send = async (service: string, operation: string): Promise<void> => {
    await budget.take(service, 'ap-northeast-1', operation);
    sent.push(time.clock.now());
  };
  return { time, budget, sent, send };
}

describe('aws: the rate budget', () => {
  it("uses ECS's published buckets per category: RegisterTaskDefinition bursts 20, then 1 per second", async () => {
    const { budget, send, sent } = budgetOn();
    // Sequential callers on virtual time: each waits its turn.
    for (let i = 0; i < 25; i++) await send('ECS', 'RegisterTaskDefinition');
    expect(sent.slice(0, 20).every((t) => t === 0)).to.equal(true);
    expect(sent.slice(20).map((t) => Math.round(t))).to.deep.equal([1000, 2000, 3000, 4000, 5000]);
    // Another category is not held up behind it.
    const before = sent.length;
    await send('ECS', 'DescribeServices');
    expect(sent[before]).to.equal(sent[before - 1]);
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'DescribeServices')).to.equal(20);
  });

  it('callers that arrive together take tokens in order, into debt, and each waits until its token is there', async () => {
    const time = createTimerQueue();
    const budget = new RateBudget({ scale: 1, now: time.now, sleep: time.sleep });
    // 60 callers at t=0 against service-modify (50, 5/s).
    const through = await time.run(Promise.all(Array.from({ length: 60 }, () => budget.take('ECS', 'r', 'UpdateService').then(() => time.now()))));
    // 50 go at once; the next ten 200 ms apart, in the order they came.
    expect(through.slice(0, 50).every((t) => t === 0)).to.equal(true);
    expect(through.slice(50).map((t) => Math.round(t))).to.deep.equal([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
  });

  it('paced requests that AWS accepts raise the rate by the published rate each, until the first throttle', async () => {
    const { budget, time, sent } = budgetOn();
    const paced: boolean[] = [];
    for (let i = 0; i < 25; i++) {
      paced.push(await budget.take('ECS', 'ap-northeast-1', 'RegisterTaskDefinition'));
      sent.push(time.clock.now());
      // What the middleware does when AWS answers: only a paced request says anything about the account's quota.
      if (paced.at(-1) === true) budget.accepted('ECS', 'ap-northeast-1', 'RegisterTaskDefinition');
    }
    // The burst is not paced and raises nothing; after it the rate goes 1, 2, 3, 4, 5 per second.
    expect(paced).to.deep.equal([...Array<boolean>(20).fill(false), true, true, true, true, true]);
    expect(sent.slice(20).map((t) => Math.round(t))).to.deep.equal([1000, 1500, 1833, 2083, 2283]);
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'RegisterTaskDefinition')).to.equal(6);
    // Other categories are not raised.
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'UpdateService')).to.equal(5);

    // AWS throttles at 6/s: the rate halves, and the ceiling it recovers to is half the rate that was throttled.
    budget.throttled('ECS', 'ap-northeast-1', 'RegisterTaskDefinition');
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'RegisterTaskDefinition')).to.equal(3);
    // Probing is over: acceptances raise nothing, and ten seconds later the rate is still the ceiling.
    budget.accepted('ECS', 'ap-northeast-1', 'RegisterTaskDefinition');
    time.advance(10_000);
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'RegisterTaskDefinition')).to.equal(3);
  });

  it('probing stops at 32 times the published rate', () => {
    const { budget } = budgetOn();
    for (let i = 0; i < 100; i++) budget.accepted('ECS', 'r', 'RegisterTaskDefinition');
    expect(budget.rateOf('ECS', 'r', 'RegisterTaskDefinition')).to.equal(32);
  });

  it('a rate that changes moves the waits already queued, not only the next ones', async () => {
    const time = createTimerQueue();
    const budget = new RateBudget({ scale: 1, now: time.now, sleep: time.sleep });
    const register = async (): Promise<number> => {
      const paced = await budget.take('ECS', 'r', 'RegisterTaskDefinition');
      if (paced) budget.accepted('ECS', 'r', 'RegisterTaskDefinition');
      return time.now();
    };
    // 22 at once: the burst of 20, then one at 1 s; its acceptance doubles the rate, so the last comes at 1.5 s,
    // not at the 2 s it would have been given when it queued.
    const through = await time.run(Promise.all(Array.from({ length: 22 }, register)));
    expect(through.slice(20).map((t) => Math.round(t))).to.deep.equal([1000, 1500]);

    // A throttle slows the waits already queued just as well.
    const slowed = new RateBudget({ scale: 1, now: time.now, sleep: time.sleep });
    const start = time.now();
    const queued = Array.from({ length: 21 }, () => slowed.take('ECS', 'r', 'RegisterTaskDefinition').then(() => time.now() - start));
    slowed.throttled('ECS', 'r', 'RegisterTaskDefinition');
    // 21 at once: the 21st owes a token, due in 1 s at 1/s. The throttle halves the rate while it waits, and the
    // rate recovers by a tenth of the published rate per second: 0.5 t + 0.05 t² = 1 at t = 1.71 s, and at 1.74 s
    // as the budget counts each 250 ms nap at the rate it began with (the lower one).
    const after = await time.run(Promise.all(queued));
    expect(Math.round(after[20] as number)).to.equal(1740);
  });

  it('ELBv2 requests draw from the account bucket and their category', () => {
    expect(bucketsFor('ELBv2', 'DescribeListeners').map((b) => b.key)).to.deep.equal(['account', 'non-mutating']);
    expect(bucketsFor('ELBv2', 'CreateLoadBalancer').map((b) => [b.key, b.figure.refillPerSecond])).to.deep.equal([
      ['account', 10],
      ['resource-intensive', 0.2],
    ]);
    expect(bucketsFor('ELBv2', 'CreateRule')[1]?.key).to.equal('mutating');
    expect(bucketsFor('ECS', 'DescribeTaskDefinition')[0]?.figure).to.deep.equal({ capacity: 50, refillPerSecond: 20 });
    expect(bucketsFor('SSM', 'GetParameters')[0]?.key).to.equal('service');
  });

  it('a throttled answer halves the rate for everyone and drops the tokens; the rate recovers within about ten seconds', async () => {
    const { budget, time, send, sent } = budgetOn();
    budget.throttled('ECS', 'ap-northeast-1', 'DescribeServices');
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'DescribeServices')).to.equal(10);
    await send('ECS', 'DescribeServices');
    // No token left: the next request waits one token at the halved rate.
    expect(Math.round(sent[0] as number)).to.equal(100);
    budget.throttled('ECS', 'ap-northeast-1', 'DescribeServices');
    budget.throttled('ECS', 'ap-northeast-1', 'DescribeServices');
    budget.throttled('ECS', 'ap-northeast-1', 'DescribeServices');
    budget.throttled('ECS', 'ap-northeast-1', 'DescribeServices');
    // Never below a tenth of the published rate.
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'DescribeServices')).to.equal(2);
    time.advance(5_000);
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'DescribeServices')).to.be.closeTo(12, 0.01);
    time.advance(10_000);
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'DescribeServices')).to.equal(20);
    // Other regions and categories are not touched.
    expect(budget.rateOf('ECS', 'us-east-1', 'DescribeServices')).to.equal(20);
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'DescribeTaskDefinition')).to.equal(20);
  });

  it('HAKO_AWS_RATE_SCALE scales the figures (raised quotas) or turns the budget off', async () => {
    expect(rateScaleFromEnv({ HAKO_AWS_RATE_SCALE: '3' })).to.equal(3);
    expect(rateScaleFromEnv({ HAKO_AWS_RATE_SCALE: 'off' })).to.equal(0);
    expect(rateScaleFromEnv({ HAKO_AWS_RATE_SCALE: 'fast' })).to.equal(1);
    expect(rateScaleFromEnv({})).to.equal(1);
    const scaled = budgetOn(2);
    for (let i = 0; i < 41; i++) await scaled.send('ECS', 'RegisterTaskDefinition');
    expect(Math.round(scaled.sent[40] as number)).to.equal(500);
    const off = budgetOn(0);
    for (let i = 0; i < 100; i++) await off.send('ECS', 'RegisterTaskDefinition');
    expect(off.sent.every((t) => t === 0)).to.equal(true);
  });
});
