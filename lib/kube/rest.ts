/**
 * HTTP to the API server with the kubeconfig's TLS settings and credentials. `@kubernetes/client-node` supplies
 * those (certificates, tokens, exec and OIDC plugins, proxies) through `applyToHTTPSOptions`, evaluated per request
 * so that short-lived tokens refresh; the bodies are plain JSON (see ports.ts for why not its generated API).
 */
import http from 'node:http';
import https from 'node:https';
import type { KubeConfig } from '@kubernetes/client-node';
import type { KubeTarget } from '../errors.js';
import { statusError, transportError } from './kube-error.js';
import type { KubeStream } from './ports.js';

/** A one-shot request whose connection is silent this long fails (streams have no such limit: watches idle). */
const REQUEST_IDLE_TIMEOUT_MS = 60_000;

export type Query = Readonly<Record<string, string | number | boolean | undefined>>;

export interface RestRequest {
  readonly method: 'GET' | 'PATCH' | 'DELETE' | 'POST';
  readonly path: string;
  readonly query?: Query;
  readonly body?: string;
  readonly contentType?: string;
  /** What the call is about, for errors: `apply`, `get`, ... */
  readonly operation: string;
  readonly target: KubeTarget;
}

export interface RestResponse {
  readonly status: number;
  readonly body: string;
}

/**
 * Called before each request with its method, path and what it is about (`get`, `apply`, `apply (dry run)`…): debug
 * logging, and what benchmarks count. Never bodies or query values beyond that.
 */
export type KubeCallListener = (method: string, path: string, operation: string) => void;

/** What the port needs from HTTP; KubeRest is the real one, unit tests script their own. */
export interface KubeTransport {
  readonly server: string;
  request(req: RestRequest): Promise<RestResponse>;
  ok(req: RestRequest): Promise<string>;
  stream(req: RestRequest, onText: (text: string) => void): KubeStream;
}

export class KubeRest implements KubeTransport {
  constructor(
    private readonly config: KubeConfig,
    readonly server: string,
    private readonly userAgent: string,
    private readonly onCall?: KubeCallListener,
  ) {}

  /** Sends one request and reads the whole answer. Non-2xx answers are returned, not thrown: 404 is news, not failure. */
  async request(req: RestRequest): Promise<RestResponse> {
    const res = await this.open(req, undefined, REQUEST_IDLE_TIMEOUT_MS);
    let body = '';
    res.setEncoding('utf8');
    try {
      for await (const chunk of res) body += chunk as string;
    } catch (e) {
      throw transportError(req.operation, req.target, e, this.server);
    }
    return { status: res.statusCode ?? 0, body };
  }

  /** Like request(), but a non-2xx answer is thrown as a KubeApiError. */
  async ok(req: RestRequest): Promise<string> {
    const res = await this.request(req);
    if (res.status < 200 || res.status > 299) throw statusError(req.operation, req.target, res.status, res.body, this.server);
    return res.body;
  }

  /**
   * A long-running GET (log follow, watch): `onText` receives the body as it arrives. A non-2xx answer rejects
   * `done` with its KubeApiError; stop() ends the request and resolves `done`.
   */
  stream(req: RestRequest, onText: (text: string) => void): KubeStream {
    let stopped = false;
    let request: http.ClientRequest | undefined;
    const done = (async () => {
      const res = await this.open(req, (r) => {
        request = r;
        if (stopped) r.destroy();
      });
      res.setEncoding('utf8');
      if ((res.statusCode ?? 0) < 200 || (res.statusCode ?? 0) > 299) {
        let body = '';
        for await (const chunk of res) body += chunk as string;
        throw statusError(req.operation, req.target, res.statusCode ?? 0, body, this.server);
      }
      try {
        for await (const chunk of res) onText(chunk as string);
      } catch (e) {
        if (!stopped) throw transportError(req.operation, req.target, e, this.server);
      }
    })().catch((e: unknown) => {
      if (stopped) return;
      throw e;
    });
    return {
      done,
      stop() {
        stopped = true;
        request?.destroy();
      },
    };
  }

  private async open(req: RestRequest, onRequest?: (r: http.ClientRequest) => void, idleTimeoutMs?: number): Promise<http.IncomingMessage> {
    const options: https.RequestOptions = {};
    try {
      await this.config.applyToHTTPSOptions(options);
    } catch (e) {
      throw transportError(req.operation, req.target, e, this.server);
    }
    const url = new URL(this.server.replace(/\/+$/, '') + req.path);
    for (const [key, value] of Object.entries(req.query ?? {})) if (value !== undefined) url.searchParams.set(key, String(value));
    const headers: http.OutgoingHttpHeaders = {
      ...(options.headers as http.OutgoingHttpHeaders | undefined),
      accept: 'application/json',
      'user-agent': this.userAgent,
      ...(req.body === undefined ? {} : { 'content-type': req.contentType ?? 'application/json' }),
    };
    const insecure = url.protocol === 'http:';
    // Over plain HTTP (a local proxy) the TLS agent and settings do not apply.
    const requestOptions: https.RequestOptions = insecure ? { method: req.method, headers } : { ...options, method: req.method, headers };
    if (insecure) delete requestOptions.agent;
    this.onCall?.(req.method, url.pathname, req.operation);
    return new Promise((resolve, reject) => {
      const r = (insecure ? http : https).request(url, requestOptions, resolve);
      r.on('error', (e) => reject(transportError(req.operation, req.target, e, this.server)));
      if (idleTimeoutMs !== undefined) {
        r.setTimeout(idleTimeoutMs, () => r.destroy(Object.assign(new Error(`no answer for ${idleTimeoutMs / 1000} s`), { code: 'ETIMEDOUT' })));
      }
      onRequest?.(r);
      r.end(req.body);
    });
  }
}
