/**
 * A retry strategy for test clients that keeps the SDK's own judgement and drops its waiting. The SDK's retry
 * middleware classifies each failure (THROTTLING, TRANSIENT, SERVER_ERROR, CLIENT_ERROR) before it asks the
 * strategy; this strategy writes that verdict down and retries what the SDK's standard strategy retries
 * (THROTTLING and TRANSIENT, up to `maxAttempts`), without the back-off delays (up to seconds with jitter) and the
 * adaptive rate limiter's waits, so fault tests stay fast and a test can assert how the SDK saw each fault.
 */
import type { RetryErrorInfo, RetryErrorType, RetryStrategyV2, RetryToken } from '@aws-sdk/types';

/** Same as lib/aws/factory.ts. */
export const HAKO_MAX_ATTEMPTS = 8;

export class RecordingRetries implements RetryStrategyV2 {
  /** The SDK's classification of every failed attempt, in order. */
  readonly errorTypes: RetryErrorType[] = [];

  constructor(private readonly maxAttempts = HAKO_MAX_ATTEMPTS) {}

  async acquireInitialRetryToken(): Promise<RetryToken> {
    return token(0);
  }

  async refreshRetryTokenForRetry(previous: RetryToken, info: RetryErrorInfo): Promise<RetryToken> {
    this.errorTypes.push(info.errorType);
    const retryable = info.errorType === 'THROTTLING' || info.errorType === 'TRANSIENT';
    const next = previous.getRetryCount() + 1;
    // The SDK rethrows the attempt's own error when this throws; the message is never seen.
    if (!retryable || next >= this.maxAttempts) throw new Error('No retry token available');
    return token(next);
  }

  recordSuccess(): void {}

  clear(): void {
    this.errorTypes.length = 0;
  }
}

function token(count: number): RetryToken {
  return { getRetryCount: () => count, getRetryDelay: () => 0 };
}

/** Client settings as lib/aws/factory.ts gives them, with `retries` doing the retrying. */
export function hakoLikeRetryConfig(retries: RecordingRetries) {
  return { retryMode: 'adaptive' as const, maxAttempts: HAKO_MAX_ATTEMPTS, retryStrategy: retries };
}
