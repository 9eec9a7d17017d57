/**
 * What the proxy remembers of each call it saw, and which of those change something in AWS.
 */
import { isMutatingOperation } from '../../../lib/aws/ports.js';
import type { AwsProtocol } from './aws-call-identity.js';
import type { FaultMode } from './aws-fault-plan.js';

export interface RecordedCall {
  readonly service: string;
  readonly operation: string;
  /** The HTTP status the client received; `undefined` when its connection was dropped (drop-before/after). */
  readonly status: number | undefined;
  /** When the proxy received the request (epoch ms). */
  readonly startedAt: number;
  /** The fault injected into this call, if any. */
  readonly faulted?: FaultMode;
  /** The quota bucket (`enforceQuotas`) that was empty: the call was throttled for going over the quota. */
  readonly overQuota?: string;
  /** True when moto received the call (and so may have acted on it): false for drop-before and injected errors. */
  readonly reachedServer: boolean;
  /** moto's status when it answered (for drop-after: the answer the client never got). */
  readonly serverStatus?: number;
  /** The SDK's `amz-sdk-request: attempt=N; max=M` header: which try of one SDK call this was. */
  readonly attempt?: number;
  readonly maxAttempts?: number;
  /** The SDK's `amz-sdk-invocation-id`: the same for every attempt of one SDK call. */
  readonly invocationId?: string;
  readonly region?: string;
  readonly protocol: AwsProtocol;
  /** True when a `rewrite` changed the answer. */
  readonly rewritten?: boolean;
  /** Why the proxy itself answered 502: moto unreachable, or a rewrite threw. */
  readonly error?: string;
}

/**
 * Read-only verbs. hako's port lists (`isMutatingOperation`) name every write hako means to make; anything else
 * that does not start with one of these verbs counts as mutating too: operations the lists do not cover yet
 * (CodeDeploy CreateDeployment, ECR PutImage, S3 DeleteObject or CreateBucket, TagResource, CreateLogStream …)
 * and unrecognised REST calls. A "no mutating call" check then fails loudly on a call nobody classified instead
 * of passing by omission.
 */
const READ_ONLY_OPERATION = /^(Describe|Get|List|Head|BatchGet|Search|Lookup|Filter|Query|Scan|Select|Test|Validate|Simulate)[A-Z]/;

/** Whether a call named `operation` (as the proxy names it) may change something in AWS. */
export function isMutatingCall(operation: string): boolean {
  if (isMutatingOperation(operation)) return true;
  // Unrecognised REST calls are named `METHOD /path`: GET and HEAD read.
  if (/^(GET|HEAD) \//.test(operation)) return false;
  return !READ_ONLY_OPERATION.test(operation);
}

/** `Service Operation`, as hako's `aws.call` debug messages name a call. */
export function callName(call: Pick<RecordedCall, 'service' | 'operation'>): string {
  return `${call.service} ${call.operation}`;
}

/** One line per call, for assertion messages: `ECS DescribeServices 200`, `ECS RegisterTaskDefinition drop-after (moto 200)`. */
export function formatCalls(calls: readonly RecordedCall[]): string {
  if (calls.length === 0) return '(no AWS calls)';
  return calls
    .map((c) => {
      const attempt = c.attempt === undefined ? '' : ` [attempt ${c.attempt}${c.maxAttempts === undefined ? '' : `/${c.maxAttempts}`}]`;
      const fault = c.faulted === undefined ? '' : ` ${c.faulted}${c.overQuota === undefined ? '' : ` (over quota: ${c.overQuota})`}`;
      const server = c.faulted === 'drop-after' && c.serverStatus !== undefined ? ` (moto ${c.serverStatus})` : '';
      const error = c.error === undefined ? '' : ` (${c.error})`;
      return `${callName(c)} ${c.status ?? '-'}${fault}${server}${attempt}${c.rewritten ? ' rewritten' : ''}${error}`;
    })
    .join('\n');
}
