/**
 * Request quotas the way AWS enforces them and moto does not: token buckets per account and region (one per
 * category of operations), each request taking a token, a request that finds its bucket empty answered with the
 * service's throttling error without reaching moto. Tests give the figures themselves (from AWS's documentation),
 * so hako is checked against the documentation, not against its own table.
 */
import type { CallName } from './aws-fault-plan.js';

export interface QuotaBucket {
  /** Named in recorded calls (`overQuota`) and assertion messages. */
  readonly name: string;
  readonly service: string;
  readonly operations: readonly string[];
  /** Burst: tokens in a full bucket. */
  readonly capacity: number;
  readonly refillPerSecond: number;
}

interface BucketState {
  readonly figure: QuotaBucket;
  tokens: number;
  last: number;
}

export class Quotas {
  private readonly buckets = new Map<string, BucketState>();

  constructor(
    private readonly figures: readonly QuotaBucket[],
    private readonly now: () => number = () => performance.now(),
  ) {}

  /**
   * Takes a token from every bucket the call draws from; when one is empty, takes none and returns that bucket's
   * name (the call is throttled). Buckets are per region, as AWS keeps them.
   */
  admit(call: CallName & { readonly region?: string }): string | undefined {
    const states = this.figures
      .filter((f) => f.service === call.service && f.operations.includes(call.operation))
      .map((figure) => this.state(figure, call.region ?? ''));
    const now = this.now();
    for (const s of states) {
      s.tokens = Math.min(s.figure.capacity, s.tokens + ((now - s.last) / 1000) * s.figure.refillPerSecond);
      s.last = now;
    }
    const empty = states.find((s) => s.tokens < 1);
    if (empty !== undefined) return empty.figure.name;
    for (const s of states) s.tokens -= 1;
    return undefined;
  }

  private state(figure: QuotaBucket, region: string): BucketState {
    const key = `${figure.name}\u0000${region}`;
    let state = this.buckets.get(key);
    if (state === undefined) {
      state = { figure, tokens: figure.capacity, last: this.now() };
      this.buckets.set(key, state);
    }
    return state;
  }
}
