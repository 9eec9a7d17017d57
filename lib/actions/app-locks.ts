/**
 * Taking an app's locks for a command that changes things: what its scheduler and (when they take part) its
 * scripts name as shared with other apps (lib/fleet/locks.ts). Runs of one app pass no `AppLocks`, and nothing is
 * taken. Nothing here knows which scheduler or script names what.
 */
import type { AppModel } from '../definition/model.js';
import { PluginError } from '../errors.js';
import type { AppLocks, HeldLocks, ResourceLock } from '../fleet/locks.js';
import { guard, type PreparedApp } from './prepare.js';

const NOTHING_HELD: HeldLocks = { applied() {}, release() {} };

/** The locks the app's scheduler and, with `scripts`, its scripts name. */
export async function locksOf(prepared: PreparedApp, scripts: boolean): Promise<ResourceLock[]> {
  const { scheduler, model } = prepared;
  const locks: ResourceLock[] = [];
  if (scheduler.locks) locks.push(...(await guard(prepared, 'locks', async () => scheduler.locks!(model))));
  if (!scripts) return locks;
  for (const s of prepared.scripts) {
    if (!s.script.locks) continue;
    try {
      locks.push(...s.script.locks(model as AppModel));
    } catch (cause) {
      throw new PluginError(s.type, `Script ${s.type} (scripts[${s.index}]) failed naming its locks: ${(cause as Error).message}`, { cause });
    }
  }
  return locks;
}

/** Holds the app's locks (waiting for other apps that hold them); without `appLocks` or locks, holds nothing. */
export async function holdLocks(prepared: PreparedApp, appLocks: AppLocks | undefined, scripts: boolean): Promise<HeldLocks> {
  if (appLocks === undefined) return NOTHING_HELD;
  const locks = await locksOf(prepared, scripts);
  return locks.length === 0 ? NOTHING_HELD : appLocks.hold(locks);
}
