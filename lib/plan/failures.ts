/**
 * What a failed request tells about the server's side of it. The executor's rules depend on it: a throttled or
 * unsent request is safe to repeat; one whose response was lost (5xx, connection dropped after sending) may have
 * been carried out, so a create is observed before it is repeated; a "not found" on a delete means done.
 *
 * Works on any error a port throws: hako's AwsApiError (the SDK error is its `cause`), raw SDK errors in tests,
 * and other clients' errors that carry an HTTP status (`statusCode`/`status`) or declare `failureKind` themselves.
 */
import { awsErrorCode, isThrottlingError } from '../util/backoff.js';

export type FailureKind =
  /** The service refused for rate: nothing happened; repeat later. */
  | 'throttled'
  /** The request never reached the service (connection refused, DNS): nothing happened. */
  | 'not-sent'
  /** The request may or may not have been carried out (5xx, connection dropped, timeout). */
  | 'outcome-unknown'
  /** The target does not exist. */
  | 'not-found'
  /** The service answered with an error: it did nothing, and repeating the same request will not help. */
  | 'rejected';

const NOT_SENT = new Set(['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'CredentialsProviderError']);
const LOST = new Set(['ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ECONNABORTED', 'TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'NetworkingError']);

interface ErrorLike {
  failureKind?: unknown;
  code?: unknown;
  name?: unknown;
  message?: unknown;
  statusCode?: unknown;
  status?: unknown;
  $metadata?: { httpStatusCode?: unknown };
  cause?: unknown;
}

function chain(error: unknown): ErrorLike[] {
  const out: ErrorLike[] = [];
  for (let e: unknown = error; typeof e === 'object' && e !== null && out.length < 5; e = (e as ErrorLike).cause) out.push(e as ErrorLike);
  return out;
}

function httpStatus(errors: readonly ErrorLike[]): number | undefined {
  for (const e of errors) {
    for (const v of [e.$metadata?.httpStatusCode, e.statusCode, e.status]) if (typeof v === 'number') return v;
  }
  return undefined;
}

/** `ResourceNotFoundException`, `ServiceNotFoundException`, `TargetGroupNotFound`, `NoSuchEntity`, … */
export function isNotFoundCode(code: string | undefined): boolean {
  return code !== undefined && (/NotFound/i.test(code) || /^NoSuch/.test(code));
}

export function failureKind(error: unknown): FailureKind {
  const errors = chain(error);
  for (const e of errors) {
    const declared = e.failureKind;
    if (typeof declared === 'string') return declared as FailureKind;
  }
  if (errors.some((e) => isThrottlingError(e))) return 'throttled';
  const code = awsErrorCode(error);
  const codes = errors.flatMap((e) => [e.code, e.name]).filter((c): c is string => typeof c === 'string');
  if (codes.some((c) => NOT_SENT.has(c))) return 'not-sent';
  const status = httpStatus(errors);
  if (isNotFoundCode(code) || status === 404) return 'not-found';
  if (status !== undefined && status >= 500 && status !== 501) return 'outcome-unknown';
  if (codes.some((c) => LOST.has(c)) || errors.some((e) => typeof e.message === 'string' && /socket hang up/i.test(e.message))) {
    return 'outcome-unknown';
  }
  return 'rejected';
}
