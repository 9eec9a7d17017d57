/**
 * Shared things that apps of one run must not change at the same time. A script or a scheduler names what its app
 * touches that another app may touch too (`Script.locks`, `Scheduler.locks`): a load balancer that apps share, the
 * ECS service a definition deploys. The fleet runner runs apps whose locks overlap one after the other; apps with
 * nothing in common run side by side.
 *
 * Why lock rather than plan shared things together: a plan is made from what is live, and another app's apply
 * changes what is live (a listener's rules and their priorities, whether the shared load balancer exists yet).
 * Planning the second app after the first has applied gives it a plan that is true when it is applied — exactly
 * what two `hako deploy` runs one after the other would do, which every app's plan already handles. Planning apps
 * together would need a planner that merges plans of different owners; serialising needs none.
 *
 * A lock is held from before the app plans until its changes are applied (`through: 'apply'`), not through the
 * rollout wait that follows: waits touch nothing shared, and an ECS rollout takes minutes, so holding the load
 * balancer through it would deploy apps behind one ALB strictly one after another. What must not change under a
 * running rollout (the app's own service) is held `through: 'rollout'`, until the command ends for the app.
 */

export interface ResourceLock {
  /** What is shared, namespaced by service and region: `elbv2:load-balancer:ap-northeast-1/hako-training`. */
  readonly name: string;
  /** Until when it is held: until the app's changes are applied (default), or until the command ends for it. */
  readonly through?: 'apply' | 'rollout';
}

/** Locks an app holds: `applied()` lets go of the `apply` ones, `release()` of all (idempotent both). */
export interface HeldLocks {
  applied(): void;
  release(): void;
}

/** What the actions are given to take their app's locks with; absent (single runs), nothing is locked. */
export interface AppLocks {
  /** Waits until every named lock is free, then holds them all at once (never some of them: no deadlock). */
  hold(locks: readonly ResourceLock[]): Promise<HeldLocks>;
}

/** Lets go of some of the names granted (`subset`), or of all. */
export type Release = (subset?: readonly string[]) => void;

interface Waiter {
  readonly names: ReadonlySet<string>;
  readonly grant: () => void;
}

/**
 * The locks of one run. Grants are all-or-nothing and first come, first served among waiters that overlap: a
 * waiter is granted when its names are free and no earlier waiter wants one of them, so an app needing two locks
 * is not starved by a stream of apps needing one of them.
 */
export class LockTable {
  private readonly held = new Set<string>();
  private readonly queue: Waiter[] = [];

  /** Takes the names at once if they are free and no waiter wants one of them; otherwise undefined. */
  tryAcquire(names: readonly string[]): Release | undefined {
    const wanted = new Set(names);
    const queued = this.queue.some((w) => [...w.names].some((n) => wanted.has(n)));
    if (queued || [...wanted].some((n) => this.held.has(n))) return undefined;
    for (const n of wanted) this.held.add(n);
    return this.releaser(wanted);
  }

  /** Waits for the names (all at once), in turn with the other waiters. */
  acquire(names: readonly string[]): Promise<Release> {
    const wanted = new Set(names);
    return new Promise((resolve) => {
      this.queue.push({ names: wanted, grant: () => resolve(this.releaser(wanted)) });
      this.grantWaiting();
    });
  }

  private releaser(granted: ReadonlySet<string>): Release {
    let mine = new Set(granted);
    return (subset) => {
      const letGo = subset === undefined ? [...mine] : subset.filter((n) => mine.has(n));
      for (const name of letGo) this.held.delete(name);
      mine = new Set([...mine].filter((n) => !letGo.includes(n)));
      this.grantWaiting();
    };
  }

  private grantWaiting(): void {
    const blocked = new Set<string>();
    for (let i = 0; i < this.queue.length; ) {
      const waiter = this.queue[i] as Waiter;
      const free = [...waiter.names].every((n) => !this.held.has(n) && !blocked.has(n));
      if (free) {
        for (const n of waiter.names) this.held.add(n);
        this.queue.splice(i, 1);
        waiter.grant();
        continue;
      }
      // Later waiters must not overtake this one on the names it waits for.
      for (const n of waiter.names) blocked.add(n);
      i++;
    }
  }
}
