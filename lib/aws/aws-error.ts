/**
 * Turns whatever the SDK throws into one `AwsApiError`, so callers branch on `err.awsCode` (the AWS error code,
 * e.g. `ClientException`, `ResourceNotFoundException`) and never import SDK exception classes.
 */
import { AwsApiError, HakoError } from '../errors.js';

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
}

/**
 * Maps an error thrown by `client.send` to `AwsApiError(service, operation, awsCode, message)` with the original
 * as `cause`. A service exception's `name` is the AWS error code; anything else (no credentials, no region,
 * connection refused) keeps its own name or Node's `code`, with a hint on what to fix. Aborts pass through.
 */
export function toAwsApiError(service: string, operation: string, err: unknown): unknown {
  if (err instanceof HakoError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  if (name === 'AbortError') return err;
  const rawMessage = typeof e.message === 'string' ? e.message : '';
  if (e.$metadata !== undefined) {
    const status = e.$metadata.httpStatusCode;
    const message = rawMessage || (status !== undefined ? `HTTP ${status}` : 'no message');
    return new AwsApiError(service, operation, name, message, { cause: err });
  }
  const code = typeof e.code === 'string' ? e.code : name;
  const hint = hintFor(code, rawMessage);
  return new AwsApiError(service, operation, code, rawMessage || 'no message', {
    cause: err,
    ...(hint === undefined ? {} : { hint }),
  });
}

function hintFor(code: string, message: string): string | undefined {
  if (code === 'CredentialsProviderError') {
    return 'Configure AWS credentials: AWS_PROFILE, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO, or an instance role.';
  }
  if (/region is missing/i.test(message)) return 'Set scheduler.region in the definition, or AWS_REGION.';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'TimeoutError') {
    return 'Check network access to AWS (and AWS_ENDPOINT_URL if it is set).';
  }
  return undefined;
}

/** True when `err` is an `AwsApiError` with the given AWS error code (or one of them). */
export function isAwsError(err: unknown, ...codes: string[]): err is AwsApiError {
  return err instanceof AwsApiError && (codes.length === 0 || codes.includes(err.awsCode));
}
