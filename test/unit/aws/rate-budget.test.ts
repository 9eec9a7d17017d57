import { expect } from 'chai';
import { RateBudget, rateScaleFromEnv } from '../../../lib/aws/rate-budget.js';
import { bucketsFor } from '../../../lib/aws/rate-figures.js';
import { createVirtualTime } from '../../../lib/util/sleep.js';

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
    const waits: number[] = [];
    // Time stands still: 60 callers at t=0 against service-modify (50, 5/s).
    const budget = new RateBudget({ scale: 1, now: () => 0, sleep: async (ms) => void waits.push(ms) });
    await Promise.all(Array.from({ length: 60 }, () => budget.take('ECS', 'r', 'UpdateService')));
    // 50 go at once; the next ten wait 200 ms more each.
    expect(waits.map((ms) => Math.round(ms))).to.deep.equal([200, 400, 600, 800, 1000, 1200, 1400, 1600, 1800, 2000]);
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
