import { expect } from 'chai';
import { AwsApiError } from '../../../lib/errors.js';
import { awsErrorCode, createBackoff, isThrottlingError } from '../../../lib/util/backoff.js';

describe('createBackoff', () => {
  it('grows by the factor up to maxMs and stays there', () => {
    const b = createBackoff({ initialMs: 1000, maxMs: 10_000, factor: 1.5, jitter: 0 });
    const delays = Array.from({ length: 9 }, () => b.next());
    expect(delays).to.deep.equal([1000, 1500, 2250, 3375, 5063, 7594, 10_000, 10_000, 10_000]);
  });

  it('doubles on throttling beyond maxMs, capped at throttleMaxMs', () => {
    const b = createBackoff({ initialMs: 1000, maxMs: 10_000, jitter: 0 });
    expect(b.throttled()).to.equal(2000);
    expect(b.throttled()).to.equal(4000);
    for (let i = 0; i < 5; i++) b.throttled();
    expect(b.currentMs).to.equal(30_000);
    // Ordinary growth does not pull a throttled delay back down.
    expect(b.next()).to.equal(30_000);
  });

  it('halves on progress, never below the initial delay, and resets', () => {
    const b = createBackoff({ initialMs: 1000, maxMs: 10_000, throttleMaxMs: 120_000, jitter: 0 });
    b.throttled();
    b.throttled(); // 4000
    expect(b.progress()).to.equal(2000);
    expect(b.progress()).to.equal(1000);
    expect(b.progress()).to.equal(1000);
    b.throttled();
    b.reset();
    expect(b.next()).to.equal(1000);
  });

  it('applies jitter symmetrically around the delay', () => {
    const low = createBackoff({ initialMs: 1000, jitter: 0.2, random: () => 0 });
    const high = createBackoff({ initialMs: 1000, jitter: 0.2, random: () => 0.999999 });
    const mid = createBackoff({ initialMs: 1000, jitter: 0.2, random: () => 0.5 });
    expect(low.next()).to.equal(800);
    expect(high.next()).to.equal(1200);
    expect(mid.next()).to.equal(1000);
  });
});

describe('isThrottlingError', () => {
  it('recognises SDK-shaped and mapped throttling errors', () => {
    const sdk = Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' });
    const mapped = new AwsApiError('ECS', 'DescribeServices', 'ThrottlingException', 'Rate exceeded');
    expect(isThrottlingError(sdk)).to.equal(true);
    expect(isThrottlingError(mapped)).to.equal(true);
    expect(isThrottlingError(Object.assign(new Error('x'), { $metadata: { httpStatusCode: 429 } }))).to.equal(true);
  });

  it("recognises each service's own spelling, as the SDK's retry classifier does", () => {
    for (const code of ['SlowDown', 'PriorRequestNotComplete', 'RequestLimitExceeded', 'Throttling', 'EC2ThrottledException']) {
      expect(isThrottlingError(Object.assign(new Error('x'), { name: code })), code).to.equal(true);
      expect(isThrottlingError(new AwsApiError('S3', 'GetObject', code, 'x')), code).to.equal(true);
    }
    // A quota, not a rate: waiting does not help.
    expect(isThrottlingError(new AwsApiError('ECS', 'RegisterTaskDefinition', 'LimitExceededException', 'x'))).to.equal(false);
  });

  it('does not treat other errors as throttling', () => {
    expect(isThrottlingError(new AwsApiError('ECS', 'DescribeServices', 'ClientException', 'nope'))).to.equal(false);
    expect(isThrottlingError(new Error('boom'))).to.equal(false);
    expect(isThrottlingError(undefined)).to.equal(false);
    expect(awsErrorCode(new Error('plain'))).to.equal(undefined);
  });
});
