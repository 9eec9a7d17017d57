/**
 * Turns whatever the SDK throws into one `AwsApiError`, so callers branch on `err.awsCode` (the AWS error code,
 * e.g. `ClientException`, `ResourceNotFoundException`) and never import SDK exception classes.
 */
import { AwsApiError, HakoError } from '../errors.js';

interface SdkErrorShape {
  name?: unknown;
  message?: unknown;
  code?: unknown;
  $fault?: unknown;
  $metadata?: { httpStatusCode?: number; requestId?: string };
  /** Non-enumerable: the HTTP response the deserializer failed on. */
  $response?: { body?: unknown };
  $responseBodyText?: unknown;
}

/** What the caller knew about the failed call: it makes the message name what is missing. */
export interface CallContext {
  /** The call's input (a cluster name, a parameter name). */
  readonly input?: unknown;
  /** The region the client signed for. */
  readonly region?: string;
  /** The shared config profile in use (`--profile` or AWS_PROFILE), if any. */
  readonly profile?: string;
}

/** How much of a body that is not the API's format we show: enough to recognise an HTML error page. */
const BODY_EXCERPT = 200;

/**
 * Maps an error thrown by `client.send` to `AwsApiError(service, operation, awsCode, message)` with the original
 * as `cause`. A service exception's `name` is the AWS error code; anything else (no credentials, no region,
 * connection refused) keeps its own name or Node's `code`, with a hint on what to fix. Aborts pass through.
 */
export function toAwsApiError(service: string, operation: string, err: unknown, context: CallContext = {}): unknown {
  if (err instanceof HakoError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as SdkErrorShape;
  const name = typeof e.name === 'string' ? e.name : 'Error';
  if (name === 'AbortError') return err;
  const rawMessage = typeof e.message === 'string' ? e.message : '';
  const status = e.$metadata?.httpStatusCode;
  const body = unparsedBody(e);
  if (status !== undefined && e.$fault === undefined && body !== undefined) {
    // Not an answer in the protocol's shape (an HTML 500 page from a proxy or an emulator): the SDK's parse error
    // (`SyntaxError: Unexpected token '<'`) says nothing; the status and the start of the body do.
    return new AwsApiError(service, operation, `HTTP${status}`, rawMessage, {
      cause: err,
      summary: `HTTP ${status} from ${service} ${operation}${excerpt(body)}`,
      hint: `The endpoint did not answer in the ${service} API's format: an outage, a proxy, or AWS_ENDPOINT_URL pointing at something else. Rerun with --debug for the parse error.`,
    });
  }
  // A service's answer has a status; a connection that failed (`ECONNREFUSED`) carries `$metadata` without one.
  if (e.$metadata !== undefined && (status !== undefined || e.$fault !== undefined || typeof e.code !== 'string')) {
    const message = rawMessage || (status !== undefined ? `HTTP ${status}` : 'no message');
    if (name === 'ClusterNotFoundException') return clusterNotFound(service, operation, message, err, context);
    return new AwsApiError(service, operation, name, message, { cause: err });
  }
  const code = typeof e.code === 'string' ? e.code : name;
  const hint = hintFor(code, rawMessage, context);
  return new AwsApiError(service, operation, code, rawMessage || 'no message', {
    cause: err,
    ...(hint === undefined ? {} : { hint }),
  });
}

/** The body of a response the SDK could not parse, as its deserializer left it on the error. */
function unparsedBody(e: SdkErrorShape): string | undefined {
  if (typeof e.$responseBodyText === 'string') return e.$responseBodyText;
  const body = e.$response?.body;
  if (typeof body === 'string') return body;
  // keep-error-body.ts leaves the bytes of a body the deserializer could not parse.
  return body instanceof Uint8Array ? Buffer.from(body).toString('utf8') : undefined;
}

function excerpt(body: string): string {
  const text = body.replace(/\s+/g, ' ').trim();
  if (text === '') return ' (empty body)';
  return `: ${text.length > BODY_EXCERPT ? `${text.slice(0, BODY_EXCERPT)}…` : text}`;
}

/** ECS says only "Cluster not found.": name the cluster and the region it was looked for in. */
function clusterNotFound(service: string, operation: string, message: string, err: unknown, context: CallContext): AwsApiError {
  const input = (context.input ?? {}) as { cluster?: unknown; clusters?: unknown };
  const cluster = typeof input.cluster === 'string' ? input.cluster : Array.isArray(input.clusters) ? input.clusters.join(', ') : 'default';
  const where = context.region === undefined ? '' : ` in ${context.region}`;
  return new AwsApiError(service, operation, 'ClusterNotFoundException', `${message.replace(/\.$/, '')}: cluster "${cluster}"${where}`, {
    cause: err,
    hint: `Create the cluster (aws ecs create-cluster --cluster-name ${cluster}${context.region ? ` --region ${context.region}` : ''}), or check scheduler.cluster and scheduler.region.`,
  });
}

function hintFor(code: string, message: string, context: CallContext): string | undefined {
  if (code === 'CredentialsProviderError') {
    if (context.profile !== undefined) {
      return `Profile "${context.profile}" gave no usable credentials: check it (aws configure list --profile ${context.profile}), or log in (aws sso login --profile ${context.profile}).`;
    }
    return 'Configure AWS credentials: AWS_PROFILE or --profile, AWS_ACCESS_KEY_ID/AWS_SECRET_ACCESS_KEY, SSO, or an instance role.';
  }
  if (/region is missing/i.test(message)) return 'Set scheduler.region in the definition, --region, or AWS_REGION (AWS_DEFAULT_REGION works too).';
  if (code === 'ECONNREFUSED' || code === 'ENOTFOUND' || code === 'ETIMEDOUT' || code === 'TimeoutError') {
    return 'Check network access to AWS (and AWS_ENDPOINT_URL if it is set).';
  }
  return undefined;
}

/** True when `err` is an `AwsApiError` with the given AWS error code (or one of them). */
export function isAwsError(err: unknown, ...codes: string[]): err is AwsApiError {
  return err instanceof AwsApiError && (codes.length === 0 || codes.includes(err.awsCode));
}
