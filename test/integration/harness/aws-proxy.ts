/**
 * A forwarding HTTP proxy in front of moto for the integration suite. The real CLI (through `AWS_ENDPOINT_URL`)
 * and in-process SDK clients talk to it instead of moto; it
 *
 * - records every AWS call by service and operation, as the wire shows it (aws-call-identity.ts), so "made no
 *   mutating call" is checked on what reached AWS rather than on what hako says it did;
 * - injects faults, scripted or seeded-random, in each protocol's own error shape (aws-fault-responses.ts) or by
 *   dropping the connection before or after moto acted (aws-fault-plan.ts);
 * - enforces request quotas as AWS's token buckets would, which moto does not (aws-quota.ts);
 * - rewrites answers, to make moto report what it cannot (a container's non-zero exit code, a rollout that
 *   stays IN_PROGRESS or fails, a CodeDeploy deployment that succeeds).
 *
 * In a mocha suite: `const moto = useMoto(...); const aws = useAwsProxy(moto);` then give the CLI `aws.env()`.
 */
import http from 'node:http';
import type net from 'node:net';
import { AnswerRewrites, type HttpAnswer, type RewriteFn, type RewriteMatch, type RewriteOptions } from './aws-answer-rewrites.js';
import { header, identifyAwsCall, type AwsCallIdentity } from './aws-call-identity.js';
import { isMutatingCall, type RecordedCall } from './aws-call-recording.js';
import { FaultPlan, type FaultMode, type RandomFaults, type ScriptedFault } from './aws-fault-plan.js';
import { faultResponse } from './aws-fault-responses.js';
import { Quotas, type QuotaBucket } from './aws-quota.js';
import type { MotoHandle } from './moto.js';

export { callName, formatCalls, isMutatingCall, type RecordedCall } from './aws-call-recording.js';
export type { ProxiedRequest, RewriteFn, RewriteMatch, RewriteOptions } from './aws-answer-rewrites.js';
export { FAULT_MODES, type FaultMode, type RandomFaults, type ScriptedFault } from './aws-fault-plan.js';
export type { QuotaBucket } from './aws-quota.js';

type MutableCall = { -readonly [K in keyof RecordedCall]: RecordedCall[K] };

/** Per-connection headers a proxy must not pass on (RFC 9110 §7.6.1), plus the ones it recomputes. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'proxy-connection', 'te', 'trailer', 'transfer-encoding', 'upgrade', 'expect']);

export class AwsProxy {
  private readonly recorded: MutableCall[] = [];
  private readonly plan = new FaultPlan();
  private readonly rewrites = new AnswerRewrites();
  private quotas: Quotas | undefined;
  private readonly sockets = new Set<net.Socket>();
  // moto answers `Connection: close` anyway; a private agent lets stop() cut requests still in flight.
  private readonly agent = new http.Agent({ keepAlive: false });
  private readonly server: http.Server;
  private stopped = false;

  private constructor(
    private readonly target: URL,
    private readonly port: number,
    server: http.Server,
  ) {
    this.server = server;
  }

  /** Listens on a free port of 127.0.0.1 and forwards to `target` (moto's endpoint). */
  static async start(target: string): Promise<AwsProxy> {
    const server = http.createServer();
    // Longer than any pause inside a test: an idle keep-alive connection closed by the server just as a client
    // reuses it is a connection reset the SDK would retry, an attempt no test asked for.
    server.keepAliveTimeout = 120_000;
    server.headersTimeout = 125_000;
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const { port } = server.address() as net.AddressInfo;
    const proxy = new AwsProxy(new URL(target), port, server);
    server.on('connection', (socket: net.Socket) => {
      proxy.sockets.add(socket);
      socket.once('close', () => proxy.sockets.delete(socket));
    });
    server.on('request', (req: http.IncomingMessage, res: http.ServerResponse) => {
      proxy.handle(req, res).catch((e: unknown) => {
        // Nothing useful can reach a client whose request broke the proxy itself; say why and cut it off.
        if (!res.headersSent && !res.destroyed) {
          res.writeHead(502, { 'content-type': 'text/plain' }).end(`aws-proxy: ${(e as Error).message}`);
        } else req.socket.destroy();
      });
    });
    // A forgotten stop() must not keep mocha alive: open connections still do, for as long as they are used.
    server.unref();
    return proxy;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Every call so far, oldest first (each SDK attempt is a call of its own). */
  calls(): RecordedCall[] {
    return this.recorded.map((c) => ({ ...c }));
  }

  /**
   * The calls that may change something (see `isMutatingCall`), whether or not they reached moto: an attempted
   * write is what a "no mutating call" check is about. Filter on `reachedServer` for the ones moto saw.
   */
  mutatingCalls(): RecordedCall[] {
    return this.calls().filter((c) => isMutatingCall(c.operation));
  }

  clearCalls(): void {
    this.recorded.length = 0;
  }

  failNext(fault: ScriptedFault): void {
    this.plan.failNext(fault);
  }

  /** Starts seeded random faults and returns the seed (print it in assertion messages to replay a failure). */
  randomFaults(options: RandomFaults): number {
    return this.plan.randomFaults(options);
  }

  /**
   * Throttles, from now on, every call that finds its quota bucket empty (aws-quota.ts), as AWS would; scripted
   * and random faults are decided first, and a call they fault takes no token.
   */
  enforceQuotas(buckets: readonly QuotaBucket[]): void {
    this.quotas = new Quotas(buckets);
  }

  /** The random-fault seed in use, if any. */
  faultSeed(): number | undefined {
    return this.plan.seed();
  }

  /** Scripted faults that no call has used yet. */
  pendingFaults(): ScriptedFault[] {
    return this.plan.pending();
  }

  clearFaults(): void {
    this.plan.clear();
    this.quotas = undefined;
  }

  /** Rewrites every later successful answer to `match` (with `errors`, error answers too). Several rewrites of one call apply in the order given. */
  rewrite(match: RewriteMatch, fn: RewriteFn, options?: RewriteOptions): void {
    this.rewrites.add(match, fn, options);
  }

  clearRewrites(): void {
    this.rewrites.clear();
  }

  /** Back to a plain recording proxy: no calls, faults or rewrites. */
  reset(): void {
    this.clearCalls();
    this.clearFaults();
    this.clearRewrites();
  }

  /** Stops listening and closes every connection, idle or not. Safe to call twice. */
  async stop(): Promise<void> {
    if (this.stopped) return;
    this.stopped = true;
    const closed = new Promise<void>((resolve) => this.server.close(() => resolve()));
    for (const socket of this.sockets) socket.destroy();
    this.agent.destroy();
    await closed;
  }

  private async handle(req: http.IncomingMessage, res: http.ServerResponse): Promise<void> {
    const body = await readAll(req);
    const method = req.method ?? 'GET';
    const url = req.url ?? '/';
    // moto's own control API (reset, state manager) is test plumbing, not an AWS call: pass it through untouched.
    if (url.startsWith('/moto-api/')) {
      send(res, method, await this.forward(req, body));
      return;
    }

    const identity = identifyAwsCall({ method, url, headers: req.headers, body });
    const call = this.record(identity, req);
    let mode: FaultMode | undefined = this.plan.decide(identity);
    if (mode === undefined && this.quotas !== undefined) {
      const overQuota = this.quotas.admit(identity);
      if (overQuota !== undefined) {
        mode = 'throttle';
        call.overQuota = overQuota;
      }
    }
    if (mode !== undefined) call.faulted = mode;

    if (mode === 'drop-before') {
      req.socket.destroy();
      return;
    }
    if (mode === '500' || mode === '503' || mode === 'throttle') {
      const fault = faultResponse(identity, mode, method, header(req.headers, 'content-type'));
      call.status = fault.status;
      res.writeHead(fault.status, { ...fault.headers, 'content-length': String(fault.body.length) }).end(fault.body);
      return;
    }

    call.reachedServer = true;
    let answer: HttpAnswer;
    try {
      answer = await this.forward(req, body);
    } catch (e) {
      call.status = 502;
      call.error = `moto did not answer: ${(e as Error).message}`;
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`aws-proxy: ${call.error}`);
      return;
    }
    call.serverStatus = answer.status;
    if (mode === 'drop-after') {
      // moto has acted and answered; the client never hears of it.
      req.socket.destroy();
      return;
    }
    let rewritten: HttpAnswer;
    try {
      rewritten = this.rewrites.apply(identity, req, body, answer);
    } catch (e) {
      // A rewrite that throws is a broken test: keep its message where the assertion messages show the calls.
      call.status = 502;
      call.error = `rewrite failed: ${(e as Error).message}`;
      res.writeHead(502, { 'content-type': 'text/plain' }).end(`aws-proxy: ${call.error}`);
      return;
    }
    if (rewritten !== answer) call.rewritten = true;
    call.status = rewritten.status;
    send(res, method, rewritten);
  }

  private record(identity: AwsCallIdentity, req: http.IncomingMessage): MutableCall {
    const attempt = /attempt=(\d+)(?:;\s*max=(\d+))?/.exec(header(req.headers, 'amz-sdk-request') ?? '');
    const invocationId = header(req.headers, 'amz-sdk-invocation-id');
    const call: MutableCall = {
      service: identity.service,
      operation: identity.operation,
      status: undefined,
      startedAt: Date.now(),
      reachedServer: false,
      protocol: identity.protocol,
      ...(identity.region === undefined ? {} : { region: identity.region }),
      ...(attempt === null ? {} : { attempt: Number(attempt[1]) }),
      ...(attempt?.[2] === undefined ? {} : { maxAttempts: Number(attempt[2]) }),
      ...(invocationId === undefined ? {} : { invocationId }),
    };
    this.recorded.push(call);
    return call;
  }

  private forward(req: http.IncomingMessage, body: Buffer): Promise<HttpAnswer> {
    const headers: http.OutgoingHttpHeaders = {};
    for (const [k, v] of Object.entries(req.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
    // The body was read whole (chunked or not): send it with its length. The Host header stays the client's, so
    // URLs moto builds from it (Location, …) point back at the proxy.
    if (body.length > 0 || req.headers['content-length'] !== undefined || req.headers['transfer-encoding'] !== undefined) {
      headers['content-length'] = String(body.length);
    }
    return new Promise((resolve, reject) => {
      const upstream = http.request(
        {
          host: this.target.hostname,
          port: this.target.port,
          method: req.method,
          path: req.url,
          headers,
          agent: this.agent,
        },
        (res) => {
          readAll(res).then((b) => resolve({ status: res.statusCode ?? 502, headers: res.headers, body: b }), reject);
        },
      );
      upstream.once('error', reject);
      upstream.end(body);
    });
  }
}

function readAll(stream: http.IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    stream.once('end', () => resolve(Buffer.concat(chunks)));
    stream.once('error', reject);
    stream.once('aborted', () => reject(new Error('request aborted')));
  });
}

/** Writes an answer with its own length: no chunking, and HEAD, 204 and 304 keep moto's headers but send no body. */
function send(res: http.ServerResponse, method: string, answer: HttpAnswer): void {
  if (res.destroyed) return;
  const headers: http.OutgoingHttpHeaders = {};
  for (const [k, v] of Object.entries(answer.headers)) if (!HOP_BY_HOP.has(k) && v !== undefined) headers[k] = v;
  const bodiless = method.toUpperCase() === 'HEAD' || answer.status === 204 || answer.status === 304;
  if (!bodiless) headers['content-length'] = String(answer.body.length);
  res.writeHead(answer.status, headers);
  res.end(bodiless ? undefined : answer.body);
}

/** What a suite gets from `useAwsProxy`. */
export interface AwsProxyHandle {
  /** `http://127.0.0.1:PORT` of the proxy. Only valid once the suite's `before` hooks have run. */
  endpoint(): string;
  /** `moto.env()` with AWS_ENDPOINT_URL pointing at the proxy: give it to the CLI. */
  env(): NodeJS.ProcessEnv;
  calls(): RecordedCall[];
  mutatingCalls(): RecordedCall[];
  clearCalls(): void;
  failNext(fault: ScriptedFault): void;
  randomFaults(options: RandomFaults): number;
  rewrite(match: RewriteMatch, fn: RewriteFn, options?: RewriteOptions): void;
  proxy(): AwsProxy;
}

/**
 * Registers mocha hooks on the current suite: start a proxy in front of `moto` before its tests, forget calls,
 * faults and rewrites before each test, stop it after. Call it inside a `describe`, after `useMoto()` (hooks run
 * in the order they were registered, and the proxy needs moto's endpoint).
 */
export function useAwsProxy(moto: MotoHandle): AwsProxyHandle {
  let proxy: AwsProxy | undefined;
  const need = (): AwsProxy => {
    if (proxy === undefined) throw new Error('the AWS proxy is not running yet: use the handle inside hooks or tests');
    return proxy;
  };
  before(async () => {
    proxy = await AwsProxy.start(moto.endpoint());
  });
  beforeEach(() => need().reset());
  after(async () => {
    await proxy?.stop();
    proxy = undefined;
  });
  return {
    endpoint: () => need().endpoint,
    env: () => ({ ...moto.env(), AWS_ENDPOINT_URL: need().endpoint }),
    calls: () => need().calls(),
    mutatingCalls: () => need().mutatingCalls(),
    clearCalls: () => need().clearCalls(),
    failNext: (fault) => need().failNext(fault),
    randomFaults: (options) => need().randomFaults(options),
    rewrite: (match, fn, options) => need().rewrite(match, fn, options),
    proxy: need,
  };
}
