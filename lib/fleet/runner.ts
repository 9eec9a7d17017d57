/**
 * Runs one command over many apps: at most `parallel` at a time, apps whose locks overlap one after the other
 * (locks.ts), every app to the end however the others fare — or, with `failFast`, no app starts changing anything
 * after the first failure. Generic over what "running an app" means: the CLI passes a function per command.
 *
 * Apps that share a lock take it in the order they were given (a directory's files by name), not in the order
 * their evaluations happen to finish: an app asks for its locks only once every app before it has asked for its own
 * (or ended, or turned out to take none). Runs are then reproducible, and an app that needs what another creates (a
 * listener another app declares) works when named after it. The wait is short: apps start in order, and asking
 * comes right after evaluating.
 *
 * An app waiting for a lock that another app holds gives its place to the next app, so `--parallel 4` with one
 * busy shared load balancer still runs four apps, not one plus three waiting. An app that got its locks comes
 * back before apps that have not started, so it does not sit on a lock while the queue drains.
 */
import { HakoError } from '../errors.js';
import { LockTable, type AppLocks, type HeldLocks, type ResourceLock } from './locks.js';
import { monotonicMs } from '../util/sleep.js';

/** One app of the run. */
export interface FleetEntry {
  /** How the output names it (sources.ts). */
  readonly label: string;
  /** The definition, when the app has one (`init` writes it instead). */
  readonly file?: string;
}

export interface AppRunContext {
  readonly entry: FleetEntry;
  readonly index: number;
  /** Give these to the action: it takes the app's locks through them. */
  readonly locks: AppLocks;
}

/** What the runner tells about apps as they go (the CLI's progress view listens). */
export interface FleetObserver {
  started?(index: number): void;
  /** The app waits for locks another app holds (names: all it asked for). */
  waitingForLocks?(index: number, names: readonly string[]): void;
  /** The app holds its locks and goes on. */
  locked?(index: number): void;
  finished?(index: number, outcome: FleetOutcome<unknown>): void;
}

export interface FleetOptions {
  /** Apps running at once (≥ 1). */
  readonly parallel: number;
  /** After the first failure, start no app and let no app that waits for its locks go on (it is skipped). */
  readonly failFast?: boolean;
  /** Ctrl-C: apps not started yet are skipped; running ones see it through their own signal. */
  readonly signal?: AbortSignal;
  readonly observer?: FleetObserver;
  /** Monotonic milliseconds, for durations. */
  readonly now?: () => number;
}

export type AppStatus = 'ok' | 'failed' | 'skipped';

export interface FleetOutcome<R> {
  readonly entry: FleetEntry;
  readonly index: number;
  readonly status: AppStatus;
  readonly value?: R;
  readonly error?: unknown;
  /** From the app's start (0 for skipped apps). */
  readonly durationMs: number;
}

/** Why an app did not run: an earlier failure with `--fail-fast`, or Ctrl-C before it started. */
export class SkippedError extends HakoError {
  constructor(reason: string) {
    super(`Skipped: ${reason}`, 'SKIPPED', 1);
  }
}

/** A counting semaphore whose waiters are served first come, first served, with a lane that goes first. */
class Permits {
  private readonly urgent: (() => void)[] = [];
  private readonly normal: (() => void)[] = [];
  constructor(private free: number) {}

  acquire(first = false): Promise<void> {
    if (this.free > 0) {
      this.free--;
      return Promise.resolve();
    }
    return new Promise((resolve) => (first ? this.urgent : this.normal).push(resolve));
  }

  release(): void {
    const next = this.urgent.shift() ?? this.normal.shift();
    if (next) next();
    else this.free++;
  }
}

export async function runFleet<R>(
  entries: readonly FleetEntry[],
  options: FleetOptions,
  run: (context: AppRunContext) => Promise<R>,
): Promise<FleetOutcome<R>[]> {
  const now = options.now ?? monotonicMs;
  const permits = new Permits(Math.max(1, Math.floor(options.parallel)));
  const table = new LockTable();
  const observer = options.observer;
  let failed = false;
  // Which apps have asked for their locks (or ended, or take none): an app asks once every app before it has.
  const asked = entries.map(() => false);
  let turns: { index: number; go: () => void }[] = [];
  let firstNotAsked = 0;
  const markAsked = (index: number): void => {
    asked[index] = true;
    while (firstNotAsked < asked.length && asked[firstNotAsked]) firstNotAsked++;
    const due = turns.filter((t) => t.index <= firstNotAsked);
    turns = turns.filter((t) => t.index > firstNotAsked);
    for (const t of due) t.go();
  };
  const myTurn = (index: number): Promise<void> =>
    index <= firstNotAsked ? Promise.resolve() : new Promise((go) => turns.push({ index, go }));
  const stopReason = (): string | undefined => {
    if (options.signal?.aborted) return 'interrupted before it started';
    if (options.failFast && failed) return 'an app failed and --fail-fast stops the run';
    return undefined;
  };

  const one = async (entry: FleetEntry, index: number): Promise<FleetOutcome<R>> => {
    await permits.acquire();
    const notStarted = stopReason();
    if (notStarted !== undefined) {
      permits.release();
      markAsked(index);
      return done({ entry, index, status: 'skipped', error: new SkippedError(notStarted), durationMs: 0 });
    }
    const startedAt = now();
    observer?.started?.(index);
    let holdingPermit = true;
    const locks: AppLocks = {
      async hold(wanted: readonly ResourceLock[]): Promise<HeldLocks> {
        const names = [...new Set(wanted.map((l) => l.name))];
        const afterApply = [...new Set(wanted.filter((l) => (l.through ?? 'apply') === 'apply').map((l) => l.name))].filter(
          // A name asked for both ways is held the longer way.
          (n) => !wanted.some((l) => l.name === n && l.through === 'rollout'),
        );
        if (names.length === 0) {
          markAsked(index);
          return { applied() {}, release() {} };
        }
        await myTurn(index);
        let release = table.tryAcquire(names);
        const busy = release === undefined;
        if (!busy) markAsked(index);
        if (release === undefined) {
          // Never wait for a lock while holding a place: every place is then held by an app that can go on.
          observer?.waitingForLocks?.(index, names);
          permits.release();
          holdingPermit = false;
          const granted = table.acquire(names);
          markAsked(index);
          release = await granted;
          await permits.acquire(true);
          holdingPermit = true;
        }
        const stop = stopReason();
        if (stop !== undefined) {
          release();
          throw new SkippedError(stop.replace('before it started', 'before it changed anything'));
        }
        if (busy) observer?.locked?.(index);
        const granted = release;
        let appliedDone = false;
        let released = false;
        return {
          applied() {
            if (appliedDone || released) return;
            appliedDone = true;
            granted(afterApply);
          },
          release() {
            if (released) return;
            released = true;
            granted();
          },
        };
      },
    };
    try {
      const value = await run({ entry, index, locks });
      return done({ entry, index, status: 'ok', value, durationMs: now() - startedAt });
    } catch (error) {
      const skipped = error instanceof SkippedError;
      if (!skipped) failed = true;
      return done({ entry, index, status: skipped ? 'skipped' : 'failed', error, durationMs: now() - startedAt });
    } finally {
      markAsked(index);
      if (holdingPermit) permits.release();
    }
  };

  const done = (outcome: FleetOutcome<R>): FleetOutcome<R> => {
    observer?.finished?.(outcome.index, outcome);
    return outcome;
  };

  return Promise.all(entries.map((entry, index) => one(entry, index)));
}
