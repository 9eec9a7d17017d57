/**
 * The SDK retries throttled and 5xx answers by itself, with backoff: a busy account can wait half a minute in
 * silence. This middleware sits inside the SDK's retry loop (right after its retry middleware), sees each failed
 * attempt, and says when another is coming: "ECS DescribeServices throttled, retrying (attempt 3)…".
 */
import { warn, type IoHost } from '../io/io-host.js';

// The SDK's throttling codes (@smithy/service-error-classification), plus HTTP 429.
const THROTTLING_CODES = new Set([
  'BandwidthLimitExceeded',
  'EC2ThrottledException',
  'LimitExceededException',
  'PriorRequestNotComplete',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'RequestThrottled',
  'RequestThrottledException',
  'SlowDown',
  'ThrottledException',
  'Throttling',
  'ThrottlingException',
  'TooManyRequestsException',
  'TransactionInProgressException',
]);

interface FailedAttempt {
  name?: unknown;
  $metadata?: { httpStatusCode?: number };
  $retryable?: { throttling?: boolean };
}

/** Why an attempt will be retried, in words, or undefined when it is not one we report. */
export function retryReason(err: unknown): string | undefined {
  if (typeof err !== 'object' || err === null) return undefined;
  const e = err as FailedAttempt;
  const status = e.$metadata?.httpStatusCode;
  if ((typeof e.name === 'string' && THROTTLING_CODES.has(e.name)) || status === 429 || e.$retryable?.throttling === true) return 'throttled';
  if (status !== undefined && status >= 500) return `answered HTTP ${status}`;
  return undefined;
}

interface MiddlewareStack {
  addRelativeTo(middleware: unknown, options: { relation: 'after'; toMiddleware: string; name: string }): void;
}

/** Adds the notice to an SDK client's middleware stack. `maxAttempts` bounds what "another attempt" means. */
export function addRetryNotice(client: { middlewareStack?: MiddlewareStack }, service: string, io: IoHost, maxAttempts: number): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    // One closure per request; the retry loop calls it once per attempt.
    (() => {
      let attempt = 0;
      return async (args: unknown) => {
        attempt += 1;
        try {
          return await next(args);
        } catch (err) {
          const reason = retryReason(err);
          if (reason !== undefined && attempt < maxAttempts) {
            const operation = (context.commandName ?? 'request').replace(/Command$/, '');
            warn(io, 'aws.retrying', `${service} ${operation} ${reason}, retrying (attempt ${attempt + 1})…`, { service, operation, attempt: attempt + 1, reason });
          }
          throw err;
        }
      };
    })();
  client.middlewareStack?.addRelativeTo(middleware, { relation: 'after', toMiddleware: 'retryMiddleware', name: 'hakoRetryNotice' });
}
