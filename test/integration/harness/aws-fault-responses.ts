/**
 * Error answers as each AWS protocol sends them, so the SDK's own deserialisers turn them into the exception
 * (name, class, `$metadata.httpStatusCode`) a real service would produce, and its retry classifier sees
 * throttling as throttling and 5xx as transient. Shapes follow the SDK's error parsers in @aws-sdk/core:
 *
 * - JSON 1.0/1.1: code in `x-amzn-ErrorType` and `__type`; CloudWatch's query-compatible JSON also sends
 *   `x-amzn-query-error: Code;Sender|Receiver`, which the SDK prefers for the error name.
 * - query: `<ErrorResponse><Error><Type/><Code/><Message/></Error><RequestId/></ErrorResponse>`.
 * - EC2: `<Response><Errors><Error><Code/><Message/></Error></Errors><RequestID/></Response>`; EC2 throttles
 *   with `RequestLimitExceeded` and HTTP 503.
 * - Route 53: the query-style `ErrorResponse` in its own namespace.
 * - S3: `<Error><Code/><Message/><RequestId/></Error>`; S3 throttles with `SlowDown` 503. HEAD answers carry
 *   no body, as on S3: the SDK then names the error from the status alone.
 * - Smithy RPC v2: `{__type, message}` in CBOR (or JSON) with `smithy-protocol`.
 */
import { randomUUID } from 'node:crypto';
import type { AwsCallIdentity } from './aws-call-identity.js';

/** Fault modes that answer instead of the server (the two drop modes answer nothing). */
export type ErrorFaultMode = '500' | '503' | 'throttle';

export interface FaultResponse {
  readonly status: number;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
  /** The error code the response carries (what the SDK should name the error). */
  readonly code: string;
}

interface ErrorSpec {
  status: number;
  code: string;
  /** Query protocols: who is at fault. */
  type: 'Sender' | 'Receiver';
  message: string;
}

/** The 500 code each JSON service models (an unmodelled code still parses, as a generic ServiceException). */
const JSON_INTERNAL_ERROR: Readonly<Record<string, string>> = {
  ECS: 'ServerException',
  ECR: 'ServerException',
  CloudWatchLogs: 'InternalServerException',
  SSM: 'InternalServerError',
  SecretsManager: 'InternalServiceError',
  ApplicationAutoScaling: 'InternalServiceException',
};

function errorSpec(call: AwsCallIdentity, mode: ErrorFaultMode): ErrorSpec {
  const ec2 = call.protocol === 'ec2';
  const s3 = call.service === 'S3';
  if (mode === 'throttle') {
    if (ec2) return { status: 503, code: 'RequestLimitExceeded', type: 'Sender', message: 'Request limit exceeded.' };
    if (s3) return { status: 503, code: 'SlowDown', type: 'Sender', message: 'Please reduce your request rate.' };
    // JSON services spell it ThrottlingException; the query protocols (and CloudWatch's query-compatible JSON,
    // through its x-amzn-query-error header) and Route 53 spell it Throttling.
    const json = call.protocol === 'json' || call.protocol.startsWith('rpc-v2') || call.protocol === 'rest-json';
    const code = json && !call.queryCompatible ? 'ThrottlingException' : 'Throttling';
    return { status: 400, code, type: 'Sender', message: 'Rate exceeded' };
  }
  if (mode === '503') {
    if (s3) return { status: 503, code: 'SlowDown', type: 'Receiver', message: 'Please reduce your request rate.' };
    if (ec2) return { status: 503, code: 'Unavailable', type: 'Receiver', message: 'The server is overloaded and cannot handle the request.' };
    return { status: 503, code: 'ServiceUnavailable', type: 'Receiver', message: 'Service is unavailable. Please try again later.' };
  }
  const message = 'We encountered an internal error. Please try again.';
  if (ec2 || s3) return { status: 500, code: 'InternalError', type: 'Receiver', message };
  if (call.service === 'CloudWatch') return { status: 500, code: 'InternalServiceError', type: 'Receiver', message };
  if (call.service === 'IAM') return { status: 500, code: 'ServiceFailure', type: 'Receiver', message };
  return { status: 500, code: JSON_INTERNAL_ERROR[call.service] ?? 'InternalFailure', type: 'Receiver', message };
}

function xmlEscape(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/**
 * The answer AWS would give `call` in fault `mode`. `method` matters only for HEAD (no body); JSON errors come
 * back in the request's own content type (`application/x-amz-json-1.0` or `-1.1`).
 */
export function faultResponse(call: AwsCallIdentity, mode: ErrorFaultMode, method = 'POST', requestContentType?: string): FaultResponse {
  const spec = errorSpec(call, mode);
  const requestId = randomUUID();
  const { status, code, message, type } = spec;
  const xml = (text: string): FaultResponse => ({
    status,
    code,
    headers: { 'content-type': 'text/xml', 'x-amzn-RequestId': requestId },
    body: method.toUpperCase() === 'HEAD' ? Buffer.alloc(0) : Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n${text}`),
  });

  switch (call.protocol) {
    case 'json':
    case 'rest-json':
    case 'rpc-v2-json':
    case 'rpc-v2-cbor': {
      // CloudWatch's JSON model names its 500 shape InternalServiceFault; the query code rides in the header.
      const jsonCode = call.service === 'CloudWatch' && code === 'InternalServiceError' ? 'InternalServiceFault' : code;
      const headers: Record<string, string> = { 'x-amzn-ErrorType': jsonCode, 'x-amzn-RequestId': requestId };
      if (call.queryCompatible) headers['x-amzn-query-error'] = `${code};${type}`;
      const fields = { __type: jsonCode, message };
      if (call.protocol === 'rpc-v2-cbor') {
        return { status, code, headers: { ...headers, 'content-type': 'application/cbor', 'smithy-protocol': 'rpc-v2-cbor' }, body: cborTextMap(fields) };
      }
      const contentType = call.protocol === 'json' ? (requestContentType ?? 'application/x-amz-json-1.1') : 'application/json';
      return { status, code, headers: { ...headers, 'content-type': contentType }, body: Buffer.from(JSON.stringify(fields)) };
    }
    case 'ec2':
      return xml(
        `<Response><Errors><Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message></Error></Errors>` +
          `<RequestID>${requestId}</RequestID></Response>`,
      );
    case 'query':
    case 'rest-xml': {
      if (call.service === 'S3') {
        return xml(`<Error><Code>${code}</Code><Message>${xmlEscape(message)}</Message><RequestId>${requestId}</RequestId></Error>`);
      }
      const ns =
        call.service === 'Route53'
          ? 'https://route53.amazonaws.com/doc/2013-04-01/'
          : `https://${call.signingName ?? 'aws'}.amazonaws.com/doc/${call.apiVersion ?? ''}/`;
      return xml(
        `<ErrorResponse xmlns="${ns}"><Error><Type>${type}</Type><Code>${code}</Code><Message>${xmlEscape(message)}</Message>` +
          `</Error><RequestId>${requestId}</RequestId></ErrorResponse>`,
      );
    }
  }
}

/** CBOR (RFC 8949) for a flat map of short text strings: all an RPC v2 error body needs. */
export function cborTextMap(fields: Readonly<Record<string, string>>): Buffer {
  const entries = Object.entries(fields);
  if (entries.length > 23) throw new Error('cborTextMap: too many fields');
  const parts: Buffer[] = [Buffer.from([0xa0 | entries.length])];
  const text = (s: string): Buffer => {
    const bytes = Buffer.from(s, 'utf8');
    const n = bytes.length;
    const head =
      n < 24 ? Buffer.from([0x60 | n]) : n < 0x100 ? Buffer.from([0x78, n]) : Buffer.from([0x79, n >> 8, n & 0xff]);
    if (n > 0xffff) throw new Error('cborTextMap: string too long');
    return Buffer.concat([head, bytes]);
  };
  for (const [k, v] of entries) parts.push(text(k), text(v));
  return Buffer.concat(parts);
}
