/**
 * Which calls the proxy faults, and how: scripted faults (`failNext`) first, in the order they were asked for,
 * then seeded random faults. The random stream comes from a seed, so a failing run is replayed by setting
 * HAKO_FAULT_SEED to the seed its assertion message printed (the same calls in the same order fault the same way).
 */
import { randomInt } from 'node:crypto';

/**
 * - `500`, `503`, `throttle`: answer with the service's own error (see aws-fault-responses.ts); moto never sees it.
 * - `drop-after`: moto acts and answers, then the client's connection is destroyed: the lost-response case.
 * - `drop-before`: the connection is destroyed without forwarding: moto never sees the call.
 */
export type FaultMode = '500' | '503' | 'throttle' | 'drop-after' | 'drop-before';

export const FAULT_MODES: readonly FaultMode[] = ['500', '503', 'throttle', 'drop-after', 'drop-before'];

/** What a fault decision can look at: the call's names. */
export interface CallName {
  readonly service: string;
  readonly operation: string;
}

export interface ScriptedFault {
  /** Omitted: any service. */
  readonly service?: string;
  /** Omitted: any operation. */
  readonly operation?: string;
  readonly mode: FaultMode;
  /** How many matching calls fail, default 1. */
  readonly times?: number;
}

export interface RandomFaults {
  /** Default: HAKO_FAULT_SEED, else a fresh random seed (returned, so it can be printed). */
  readonly seed?: number;
  /** Probability in [0, 1] that an eligible call faults. */
  readonly rate: number;
  readonly modes: readonly FaultMode[];
  /** Only calls for which this is true are eligible (e.g. read-only calls, or one service). */
  readonly only?: (call: CallName) => boolean;
}

/** mulberry32: a tiny, well-mixed 32-bit PRNG; the same seed gives the same sequence on every platform. */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** The seed to use when a test gives none: HAKO_FAULT_SEED (to replay a failure) or a fresh one. */
export function defaultFaultSeed(env: NodeJS.ProcessEnv = process.env): number {
  const fromEnv = env.HAKO_FAULT_SEED;
  if (fromEnv !== undefined && fromEnv !== '') {
    const n = Number(fromEnv);
    if (!Number.isInteger(n)) throw new Error(`HAKO_FAULT_SEED must be an integer, not ${fromEnv}`);
    return n >>> 0;
  }
  return randomInt(0, 2 ** 31);
}

interface PendingFault {
  readonly service?: string;
  readonly operation?: string;
  readonly mode: FaultMode;
  left: number;
}

export class FaultPlan {
  private scripted: PendingFault[] = [];
  private random: { options: RandomFaults; seed: number; next: () => number } | undefined;

  /** Fails the next `times` calls that match. Several scripted faults queue up; the earliest match wins. */
  failNext(fault: ScriptedFault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new Error(`failNext: times must be a positive integer, not ${times}`);
    this.scripted.push({
      ...(fault.service === undefined ? {} : { service: fault.service }),
      ...(fault.operation === undefined ? {} : { operation: fault.operation }),
      mode: fault.mode,
      left: times,
    });
  }

  /** Starts random faults; returns the seed in use. Replaces earlier random settings. */
  randomFaults(options: RandomFaults): number {
    if (!(options.rate >= 0 && options.rate <= 1)) throw new Error(`randomFaults: rate must be in [0, 1], not ${options.rate}`);
    if (options.modes.length === 0) throw new Error('randomFaults: give at least one mode');
    const seed = options.seed ?? defaultFaultSeed();
    this.random = { options, seed, next: mulberry32(seed) };
    return seed;
  }

  /** The random seed in use, if random faults are on: for assertion messages. */
  seed(): number | undefined {
    return this.random?.seed;
  }

  /** Scripted faults not used up yet. */
  pending(): ScriptedFault[] {
    return this.scripted.map(({ service, operation, mode, left }) => ({
      ...(service === undefined ? {} : { service }),
      ...(operation === undefined ? {} : { operation }),
      mode,
      times: left,
    }));
  }

  clear(): void {
    this.scripted = [];
    this.random = undefined;
  }

  /** The fault for this call, if any. Consumes a scripted fault or a random draw. */
  decide(call: CallName): FaultMode | undefined {
    const i = this.scripted.findIndex(
      (f) => (f.service === undefined || f.service === call.service) && (f.operation === undefined || f.operation === call.operation),
    );
    if (i >= 0) {
      const f = this.scripted[i] as PendingFault;
      f.left -= 1;
      if (f.left === 0) this.scripted.splice(i, 1);
      return f.mode;
    }
    const random = this.random;
    if (random === undefined || (random.options.only !== undefined && !random.options.only(call))) return undefined;
    // Two draws per eligible call, always: whether, then which. Keeps the stream aligned call by call.
    const hit = random.next() < random.options.rate;
    const pick = random.options.modes[Math.floor(random.next() * random.options.modes.length)] as FaultMode;
    return hit ? pick : undefined;
  }
}
