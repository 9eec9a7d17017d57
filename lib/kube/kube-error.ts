/**
 * Turns a failed Kubernetes call into one `KubeApiError`: the API's `Status` object when the server answered
 * (its `reason`, `message` and `details.kind`/`name`), Node's error code when it did not. Callers branch on
 * `err.status` / `err.reason` and never parse response bodies themselves.
 */
import { HakoError, KubeApiError, type KubeTarget } from '../errors.js';

interface StatusShape {
  kind?: unknown;
  reason?: unknown;
  message?: unknown;
  code?: unknown;
  details?: { kind?: unknown; name?: unknown };
}

/** The error for an HTTP answer outside 2xx; `body` is the response text (a `Status` object in JSON, usually). */
export function statusError(operation: string, target: KubeTarget, status: number, body: string, server?: string): KubeApiError {
  let parsed: StatusShape | undefined;
  try {
    const value: unknown = JSON.parse(body);
    if (typeof value === 'object' && value !== null && (value as StatusShape).kind === 'Status') parsed = value as StatusShape;
  } catch {
    // Not JSON (a proxy's HTML page, a plain-text kubelet error): keep the text.
  }
  const reason = typeof parsed?.reason === 'string' && parsed.reason !== '' ? parsed.reason : httpReason(status);
  const message = typeof parsed?.message === 'string' ? parsed.message : body.trim().slice(0, 500) || `HTTP ${status}`;
  const fullTarget: KubeTarget = {
    ...target,
    ...(target.kind === undefined && typeof parsed?.details?.kind === 'string' ? { kind: parsed.details.kind } : {}),
    ...(target.name === undefined && typeof parsed?.details?.name === 'string' ? { name: parsed.details.name } : {}),
  };
  const hint = hintForStatus(status, server, message);
  return new KubeApiError(operation, status, reason, message, fullTarget, hint === undefined ? {} : { hint });
}

/** The error for a call that got no HTTP answer (connection refused, TLS failure, DNS). Aborts and HakoErrors pass. */
export function transportError(operation: string, target: KubeTarget, err: unknown, server?: string): unknown {
  if (err instanceof HakoError) return err;
  const e = (typeof err === 'object' && err !== null ? err : { message: String(err) }) as { code?: unknown; name?: unknown; message?: unknown };
  if (e.name === 'AbortError') return err;
  const code = typeof e.code === 'string' ? e.code : typeof e.name === 'string' ? e.name : 'Error';
  const message = typeof e.message === 'string' && e.message !== '' ? e.message : 'no message';
  const hint = server === undefined ? undefined : `Check that the cluster at ${server} is reachable and that the kubeconfig context is the one you mean.`;
  return new KubeApiError(operation, 0, code, message, target, { cause: err, ...(hint === undefined ? {} : { hint }) });
}

function hintForStatus(status: number, server: string | undefined, message: string): string | undefined {
  const at = server === undefined ? '' : ` for ${server}`;
  // Server-side apply of a field the schema lacks (a typo, or a field of a newer Kubernetes) fails before field
  // validation runs and comes back as a 500 (kubernetes/kubernetes#122480): it is the manifest, not the server.
  if (status === 500 && /field not declared in schema/.test(message)) {
    return 'The manifest has a field this API server does not know: check its spelling and the cluster\'s Kubernetes version.';
  }
  if (status === 401) return `The kubeconfig's credentials${at} were not accepted: check the user of the current context (or --context).`;
  if (status === 403) return 'The kubeconfig user lacks the RBAC permission for this call.';
  return undefined;
}

function httpReason(status: number): string {
  const reasons: Record<number, string> = {
    400: 'BadRequest',
    401: 'Unauthorized',
    403: 'Forbidden',
    404: 'NotFound',
    405: 'MethodNotAllowed',
    409: 'Conflict',
    410: 'Expired',
    415: 'UnsupportedMediaType',
    422: 'Invalid',
    429: 'TooManyRequests',
    500: 'InternalError',
    503: 'ServiceUnavailable',
    504: 'Timeout',
  };
  return reasons[status] ?? `HTTP${status}`;
}

/** True when `err` is a `KubeApiError` with the given HTTP status. */
export function isKubeStatus(err: unknown, status: number): err is KubeApiError {
  return err instanceof KubeApiError && err.status === status;
}
