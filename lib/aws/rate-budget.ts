/**
 * One rate budget per AWS service and region for a whole run, shared by every app and every client of the run, so
 * that fifty apps deployed at once send what one account may send rather than fifty times that (a throttling
 * storm: every app retrying into the same empty bucket).
 *
 * - Each request (each attempt: retries count) takes a token from the buckets its operation draws from
 *   (rate-figures.ts), waiting when one is empty. Waiting is by reservation: a request takes its token at once,
 *   possibly into debt, and waits until its share of the debt is repaid, so requests are served in order and a slow
 *   bucket (RegisterTaskDefinition, 1/s) never holds up a fast one (DescribeServices) behind it. Repayment runs at
 *   the rate in force while it happens: a waiter naps at most MAX_NAP_MS and looks again, so a rate that grows or
 *   falls meanwhile moves the waits already queued, not only the next ones.
 * - The published figures are where a bucket starts, not where it must stay: they are an account's defaults, and
 *   AWS raises them on request. Until AWS first throttles a bucket, every request that had to wait for its token
 *   (it came after the burst) and that AWS then accepted raises the bucket's rate by one published rate, up to
 *   PROBE_LIMIT times it — TCP's slow start, with a paced acceptance as the acknowledgement. On an account with
 *   default quotas this costs about one throttled answer per request in flight, which the SDK retries; on one with
 *   raised quotas (or an emulator) fifty registrations take seconds instead of the 30 s that 20 + 1/s allows.
 * - A throttled answer means the account's bucket is emptier than ours — other tools share it: the bucket stops
 *   probing, its rate is halved and its tokens dropped, for every app of the run. The rate then recovers linearly
 *   over about ten seconds to its ceiling: the published figure, or half the rate at which AWS throttled if that
 *   is higher (the account's real quota lies between the two).
 *
 * Runs of one app never come near these figures; the budget matters for runs of many.
 */
import { monotonicMs, sleep } from '../util/sleep.js';
import { bucketsFor, type BucketFigure } from './rate-figures.js';

/** Rate regained per second after a throttle, as a share of the published rate: full recovery in ~10 s. */
const RECOVERY_PER_SECOND = 0.1;
/** A throttle halves the rate... */
const BACKOFF = 0.5;
/** ...but never below this share of the published rate. */
const FLOOR = 0.1;
/** Until the first throttle, each paced request AWS accepts adds this share of the published rate... */
const PROBE_STEP = 1;
/** ...up to this multiple of it. */
const PROBE_LIMIT = 32;
/** The longest a waiting request sleeps before it looks at its bucket again. */
const MAX_NAP_MS = 250;

export interface RateBudgetOptions {
  /**
   * Multiplies every figure (an account whose quotas AWS raised); `0` turns the budget off (an emulator). Default
   * from HAKO_AWS_RATE_SCALE, else 1.
   */
  readonly scale?: number;
  /** Monotonic milliseconds. */
  readonly now?: () => number;
  /** Waits, ending early with AbortedError when its signal fires; tests pass virtual time. */
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
  /** What the rate recovers to after a throttle (and has grown to while probing). */
  private ceiling: number;
  private probing = true;
  private last: number;
  /** Tokens added by refills since the bucket was made: a reservation's debt is repaid when this has grown enough. */
  private credited = 0;
  readonly capacity: number;
  /** The published sustained rate (scaled). */
  readonly published: number;

  constructor(figure: BucketFigure, scale: number, now: number) {
    this.capacity = Math.max(1, figure.capacity * scale);
    this.published = figure.refillPerSecond * scale;
    this.rate = this.published;
    this.ceiling = this.published;
    this.tokens = this.capacity;
    this.last = now;
  }

  private refill(now: number): void {
    const seconds = Math.max(0, (now - this.last) / 1000);
    this.last = now;
    // Tokens at the rate in force over the interval, then the rate recovers (conservative: the lower rate counts).
    const tokens = Math.min(this.capacity, this.tokens + seconds * this.rate);
    this.credited += Math.max(0, tokens - this.tokens);
    this.tokens = tokens;
    this.rate = Math.min(this.ceiling, this.rate + seconds * this.ceiling * RECOVERY_PER_SECOND);
  }

  /** Takes a token, into debt if need be: the ticket says how much must be repaid before it is really there. */
  reserve(now: number): Ticket {
    this.refill(now);
    this.tokens -= 1;
    return { bucket: this, debt: Math.max(0, -this.tokens), creditedAt: this.credited };
  }

  /** Milliseconds until the ticket's token is there at the rate in force now; 0 when it is. */
  waitFor(ticket: Ticket, now: number): number {
    this.refill(now);
    const owed = ticket.debt - (this.credited - ticket.creditedAt);
    return owed <= 1e-9 ? 0 : (owed / this.rate) * 1000;
  }

  /** AWS accepted a request that had to wait for its token: while probing, the account allows more than we send. */
  accepted(now: number): void {
    this.refill(now);
    if (!this.probing) return;
    this.rate = Math.min(this.published * PROBE_LIMIT, this.rate + this.published * PROBE_STEP);
    this.ceiling = Math.max(this.ceiling, this.rate);
  }

  throttled(now: number): void {
    this.refill(now);
    this.probing = false;
    this.ceiling = Math.max(this.published, this.rate * BACKOFF);
    this.rate = Math.max(this.published * FLOOR, this.rate * BACKOFF);
    this.tokens = Math.min(this.tokens, 0);
  }

  /** For tests and progress: the sustained rate in force now. */
  currentRate(now: number): number {
    this.refill(now);
    return this.rate;
  }
}

interface Ticket {
  readonly bucket: Bucket;
  readonly debt: number;
  readonly creditedAt: number;
}

export class RateBudget {
  private readonly buckets = new Map<string, Bucket>();
  private readonly scale: number;
  private readonly now: () => number;
  private readonly sleep: (ms: number, signal?: AbortSignal) => Promise<void>;

  constructor(options: RateBudgetOptions = {}) {
    this.scale = options.scale ?? rateScaleFromEnv();
    this.now = options.now ?? monotonicMs;
    this.sleep = options.sleep ?? sleep;
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

  /**
   * Waits for the request's turn: a token from each of its buckets. True when it had to wait (it was paced): its
   * acceptance then tells something about the account's real quota (`accepted`).
   */
  async take(service: string, region: string, operation: string, signal?: AbortSignal): Promise<boolean> {
    if (!this.enabled) return false;
    const now = this.now();
    const tickets = this.bucketsOf(service, region, operation).map((b) => b.reserve(now));
    let paced = false;
    for (;;) {
      const at = this.now();
      const wait = Math.max(0, ...tickets.map((t) => t.bucket.waitFor(t, at)));
      if (wait <= 0) return paced;
      paced = true;
      await this.sleep(Math.min(wait, MAX_NAP_MS), signal);
    }
  }

  /** AWS accepted a request that `take` paced: buckets that have not been throttled yet may go faster. */
  accepted(service: string, region: string, operation: string): void {
    if (!this.enabled) return;
    const now = this.now();
    for (const bucket of this.bucketsOf(service, region, operation)) bucket.accepted(now);
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
