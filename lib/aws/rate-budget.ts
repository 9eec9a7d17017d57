/**
 * One rate budget per AWS service and region for a whole run, shared by every app and every client of the run, so
 * that fifty apps deployed at once send what one account may send rather than fifty times that (a throttling
 * storm: every app retrying into the same empty bucket).
 *
 * - Each request (each attempt: retries count) takes a token from the buckets its operation draws from
 *   (rate-figures.ts), waiting when one is empty. Waiting is by reservation: a request takes its token at once,
 *   possibly into debt, and sleeps until the debt is repaid, so requests are served in order and a slow bucket
 *   (RegisterTaskDefinition, 1/s) never holds up a fast one (DescribeServices) behind it.
 * - A throttled answer means the account's bucket is emptier than ours — other tools share it: the bucket's rate is
 *   halved and its tokens dropped, for every app of the run. The rate then recovers linearly to the published
 *   figure over about ten seconds without throttling.
 *
 * Runs of one app never come near these figures; the budget matters for runs of many.
 */
import { bucketsFor, type BucketFigure } from './rate-figures.js';

/** Rate regained per second after a throttle, as a share of the published rate: full recovery in ~10 s. */
const RECOVERY_PER_SECOND = 0.1;
/** A throttle halves the rate... */
const BACKOFF = 0.5;
/** ...but never below this share of the published rate. */
const FLOOR = 0.1;

export interface RateBudgetOptions {
  /**
   * Multiplies every figure (an account whose quotas AWS raised); `0` turns the budget off (an emulator). Default
   * from HAKO_AWS_RATE_SCALE, else 1.
   */
  readonly scale?: number;
  /** Monotonic milliseconds. */
  readonly now?: () => number;
  /** Waits; tests pass virtual time. */
  readonly sleep?: (ms: number, signal?: AbortSignal) => Promise<void>;
}

/** HAKO_AWS_RATE_SCALE: a positive number, or `off` / `0` (no budget). Anything else is ignored (scale 1). */
export function rateScaleFromEnv(env: NodeJS.ProcessEnv = process.env): number {
  const raw = env.HAKO_AWS_RATE_SCALE?.trim();
  if (raw === undefined || raw === '') return 1;
  if (raw === 'off') return 0;
  const n = Number(raw);
  return Number.isFinite(n) && n >= 0 ? n : 1;
}

class Bucket {
  private tokens: number;
  private rate: number;
  private last: number;
  readonly capacity: number;
  readonly max: number;

  constructor(figure: BucketFigure, scale: number, now: number) {
    this.capacity = Math.max(1, figure.capacity * scale);
    this.max = figure.refillPerSecond * scale;
    this.rate = this.max;
    this.tokens = this.capacity;
    this.last = now;
  }

  private refill(now: number): void {
    const seconds = Math.max(0, (now - this.last) / 1000);
    this.last = now;
    // Tokens at the rate in force over the interval, then the rate recovers (conservative: the lower rate counts).
    this.tokens = Math.min(this.capacity, this.tokens + seconds * this.rate);
    this.rate = Math.min(this.max, this.rate + seconds * this.max * RECOVERY_PER_SECOND);
  }

  /** Takes a token (into debt if need be) and returns how long until it is really there. */
  reserve(now: number): number {
    this.refill(now);
    this.tokens -= 1;
    return this.tokens >= 0 ? 0 : (-this.tokens / this.rate) * 1000;
  }

  throttled(now: number): void {
    this.refill(now);
    this.rate = Math.max(this.max * FLOOR, this.rate * BACKOFF);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** For tests and progress: the sustained rate in force now. */
  currentRate(now: number): number {
    this.refill(now);
    return this.rate;
  }
}

export class RateBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly scale: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RateBudgetOptions = {}) {
    this.scale = options.scale ?? rateScaleFromEnv();
    this.now = options.now ?? (() => performance.now());
    this.sleep = options.sleep ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /** False when turned off (scale 0): `take` returns at once. */
  get enabled(): boolean {
    return this.scale > 0;
  }

  private bucketsOf(service: string, region: string, operation: string): Bucket[] {
    return bucketsFor(service, operation).map(({ key, figure }) => {
      const id = `${service}\u0000${region}\u0000${key}`;
      let bucket = this.buckets.get(id);
      if (bucket === undefined) {
        bucket = new Bucket(figure, this.scale, this.now());
        this.buckets.set(id, bucket);
      }
      return bucket;
    });
  }

  /** Waits for the request's turn: a token from each of its buckets. */
  async take(service: string, region: string, operation: string, signal?: AbortSignal): Promise<void> {
    if (!this.enabled) return;
    const now = this.now();
    const wait = Math.max(0, ...this.bucketsOf(service, region, operation).map((b) => b.reserve(now)));
    if (wait > 0) await this.sleep(wait, signal);
  }

  /** AWS throttled this request: slow its buckets down for every app of the run. */
  throttled(service: string, region: string, operation: string): void {
    if (!this.enabled) return;
    const now = this.now();
    for (const bucket of this.bucketsOf(service, region, operation)) bucket.throttled(now);
  }

  /** The sustained rate (requests per second) in force for an operation's tightest bucket. */
  rateOf(service: string, region: string, operation: string): number {
    const now = this.now();
    return Math.min(...this.bucketsOf(service, region, operation).map((b) => b.currentRate(now)));
  }
}
