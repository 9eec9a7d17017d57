/**
 * Rewriting moto's answers: how a test makes moto report what it cannot (a container exit code, a rollout that
 * stays IN_PROGRESS or fails, a CodeDeploy deployment that succeeds). A rewrite sees the answer's body parsed
 * (JSON protocols) or as text (XML) and returns the body to send; the proxy fixes the length.
 */
import type http from 'node:http';
import { header, type AwsCallIdentity, type AwsProtocol } from './aws-call-identity.js';

/** The request a rewrite sees, beside the answer it rewrites. */
export interface ProxiedRequest {
  readonly service: string;
  readonly operation: string;
  readonly protocol: AwsProtocol;
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<http.IncomingHttpHeaders>;
  /** JSON protocols: the parsed request; query protocols: the form parameters; otherwise the raw text. */
  readonly body: unknown;
  /** moto's status for this answer. */
  readonly status: number;
}

/**
 * Receives moto's answer body (parsed JSON for the JSON protocols, text for XML) and returns the body to send
 * instead. Returning `undefined` keeps the (possibly edited in place) body. Only successful (2xx) answers are
 * rewritten.
 */
// `any`: a rewrite reaches into whatever the operation returns; typing every AWS shape here would buy nothing.
export type RewriteFn = (body: any, request: ProxiedRequest) => unknown;

export interface RewriteMatch {
  readonly service: string;
  readonly operation: string;
}

export interface RewriteOptions {
  /**
   * Also rewrite moto's error answers, into a 200 with the body the rewrite returns: for calls moto cannot answer
   * at all (CodeDeploy StopDeployment is a 500) or answers "not found" for what AWS would know. The rewrite gets
   * moto's error body parsed (JSON protocols), or `undefined` when it is not JSON.
   */
  readonly errors?: boolean;
}

export interface HttpAnswer {
  readonly status: number;
  readonly headers: http.IncomingHttpHeaders;
  readonly body: Buffer;
}

const JSON_PROTOCOLS: ReadonlySet<AwsProtocol> = new Set(['json', 'rest-json', 'rpc-v2-json']);

export class AnswerRewrites {
  private readonly rewrites: { match: RewriteMatch; fn: RewriteFn; options: RewriteOptions }[] = [];

  add(match: RewriteMatch, fn: RewriteFn, options: RewriteOptions = {}): void {
    this.rewrites.push({ match, fn, options });
  }

  clear(): void {
    this.rewrites.length = 0;
  }

  /** The answer to send for this call: `answer` itself when no rewrite applies. */
  apply(identity: AwsCallIdentity, req: http.IncomingMessage, requestBody: Buffer, answer: HttpAnswer): HttpAnswer {
    const succeeded = answer.status >= 200 && answer.status <= 299;
    const matching = this.rewrites.filter(
      (r) => r.match.service === identity.service && r.match.operation === identity.operation && (succeeded || r.options.errors === true),
    );
    if (matching.length === 0) return answer;
    const what = `${identity.service} ${identity.operation}`;
    if (identity.protocol === 'rpc-v2-cbor') throw new Error(`cannot rewrite ${what}: CBOR answers are not supported`);
    const encoding = answer.headers['content-encoding'];
    if (encoding !== undefined && encoding !== 'identity') throw new Error(`cannot rewrite ${what}: the answer is ${encoding}-encoded`);

    const json = JSON_PROTOCOLS.has(identity.protocol);
    const text = answer.body.toString('utf8');
    let current: unknown = json && text.trim() !== '' ? parseJson(text, succeeded) : succeeded ? text : undefined;
    const request: ProxiedRequest = {
      service: identity.service,
      operation: identity.operation,
      protocol: identity.protocol,
      method: req.method ?? 'GET',
      url: req.url ?? '/',
      headers: req.headers,
      body: parseRequestBody(identity.protocol, req, requestBody),
      status: answer.status,
    };
    for (const { fn } of matching) {
      const out = fn(current, request);
      if (out !== undefined) current = out;
    }
    const body = Buffer.from(typeof current === 'string' ? current : JSON.stringify(current));
    const headers = { ...answer.headers };
    // Checksums of moto's body do not hold for ours, and the SDK verifies some of them.
    for (const k of Object.keys(headers)) {
      if (k === 'content-md5' || k === 'x-amz-crc32' || k.startsWith('x-amz-checksum-')) delete headers[k];
    }
    if (!succeeded) {
      // An error page is not the protocol's answer: say what the body now is, and drop the error's own headers.
      delete headers['x-amzn-errortype'];
      if (json) headers['content-type'] = identity.protocol === 'json' ? 'application/x-amz-json-1.1' : 'application/json';
    }
    return { status: succeeded ? answer.status : 200, headers, body };
  }
}

/** A successful answer must be JSON; an error answer may be anything (an HTML 500 page). */
function parseJson(text: string, strict: boolean): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (e) {
    if (strict) throw e;
    return undefined;
  }
}

function parseRequestBody(protocol: AwsProtocol, req: http.IncomingMessage, body: Buffer): unknown {
  const text = body.toString('utf8');
  if (JSON_PROTOCOLS.has(protocol)) return text.trim() === '' ? {} : (JSON.parse(text) as unknown);
  if (protocol === 'query' || protocol === 'ec2') {
    const params = (header(req.headers, 'content-type') ?? '').startsWith('application/x-www-form-urlencoded')
      ? new URLSearchParams(text)
      : new URL(req.url ?? '/', 'http://proxy.invalid').searchParams;
    return Object.fromEntries(params);
  }
  return text;
}
