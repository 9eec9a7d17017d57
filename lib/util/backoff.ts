/**
 * Polling intervals that grow while nothing happens and grow faster when AWS says we are asking too often.
 * Every poll loop in hako takes its delays from here; there are no fixed sleeps.
 */

export interface BackoffOptions {
  /** First delay. Default 1000. */
  initialMs?: number;
  /** Ceiling for ordinary growth. Default 10000. */
  maxMs?: number;
  /** Growth per `next()`. Default 1.5. */
  factor?: number;
  /** Ceiling after `throttled()`; at least `maxMs`. Default 30000. */
  throttleMaxMs?: number;
  /**
   * Fraction of each delay added or removed at random (0.1 = ±10%) so that many clients polling the same API
   * do not retry in lockstep. Default 0.1. Tests pass 0 or a fixed `random`.
   */
  jitter?: number;
  /** Source of randomness in [0, 1). Default Math.random. 0.5 means "no jitter". */
  random?: () => number;
}

export interface Backoff {
  /** The delay to wait now; the following one will be longer (up to `maxMs`). */
  next(): number;
  /** AWS throttled us: double the delay (up to `throttleMaxMs`) and return it. */
  throttled(): number;
  /** Something happened: halve the delay (not below `initialMs`) and return it. */
  progress(): number;
  /** Back to `initialMs`. */
  reset(): void;
  /** The delay `next()` would return, without jitter and without advancing. */
  readonly currentMs: number;
}

export function createBackoff(options: BackoffOptions = {}): Backoff {
  const initialMs = options.initialMs ?? 1000;
  const maxMs = Math.max(initialMs, options.maxMs ?? 10_000);
  const factor = options.factor ?? 1.5;
  const throttleMaxMs = Math.max(maxMs, options.throttleMaxMs ?? 30_000);
  const jitter = Math.min(Math.max(options.jitter ?? 0.1, 0), 1);
  const random = options.random ?? Math.random;
  let current = initialMs;

  const withJitter = (ms: number): number => Math.max(0, Math.round(ms * (1 + jitter * (2 * random() - 1))));

  return {
    next() {
      const delay = withJitter(current);
      // Growth never passes maxMs, but a throttled delay above it is kept until progress or reset.
      if (current < maxMs) current = Math.min(maxMs, current * factor);
      return delay;
    },
    throttled() {
      current = Math.min(throttleMaxMs, Math.max(current * 2, initialMs * 2));
      return withJitter(current);
    },
    progress() {
      current = Math.max(initialMs, current / 2);
      return withJitter(current);
    },
    reset() {
      current = initialMs;
    },
    get currentMs() {
      return current;
    },
  };
}

/**
 * The AWS error code of an error thrown through one of our ports: the SDK's `name`, or `awsCode` when the
 * adapter already wrapped it in an AwsApiError.
 */
export function awsErrorCode(e: unknown): string | undefined {
  if (typeof e !== 'object' || e === null) return undefined;
  const rec = e as { awsCode?: unknown; name?: unknown; Code?: unknown; code?: unknown };
  for (const v of [rec.awsCode, rec.Code, rec.name]) if (typeof v === 'string' && v !== 'Error') return v;
  return undefined;
}

/**
 * The SDK's own throttling codes (@smithy/core retry `THROTTLING_ERROR_CODES`), so that a poll loop backs off
 * where the SDK's retries would: S3 throttles with `SlowDown` (503), Route 53 with `Throttling` or, for
 * concurrent change batches, `PriorRequestNotComplete`, EC2 with `RequestLimitExceeded` (503). Left out on
 * purpose: `LimitExceededException` and `ProvisionedThroughputExceededException`, which ECS, Logs and others also
 * use for quotas that waiting does not lift, and `TransactionInProgressException` (DynamoDB).
 */
const THROTTLING_CODES = new Set([
  'ThrottlingException',
  'Throttling',
  'ThrottledException',
  'TooManyRequestsException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'PriorRequestNotComplete',
  'EC2ThrottledException',
  'BandwidthLimitExceeded',
]);

/** True when AWS rejected the call for being too frequent: retry later, it is not a failure. */
export function isThrottlingError(e: unknown): boolean {
  const code = awsErrorCode(e);
  if (code !== undefined && THROTTLING_CODES.has(code)) return true;
  const status = (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
  return status === 429;
}
