/**
 * Whose messages these are, when one process runs many apps. AWS clients are shared by every app of a run (one
 * client per service and region), so the per-call debug line and the retry notice of a shared client cannot be
 * given an app's IoHost when the client is built. Each app's work runs inside `withIo(appIo, …)` instead, and
 * `scopedIo(fallback)` — the IoHost the clients are built with — hands each message to the IoHost of the app whose
 * call it is (AsyncLocalStorage follows the call through the SDK's promises), or to `fallback` outside any app.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { IoHost, IoMessage, StatusProgress } from './io-host.js';

const current = new AsyncLocalStorage<IoHost>();

/** Runs `work` with `io` as the IoHost that scoped IoHosts forward to. */
export function withIo<T>(io: IoHost, work: () => Promise<T>): Promise<T> {
  return current.run(io, work);
}

/** An IoHost forwarding to the IoHost of the current `withIo` scope, else to `fallback`. */
export function scopedIo(fallback: IoHost): IoHost {
  const target = (): IoHost => current.getStore() ?? fallback;
  return {
    notify: (message: IoMessage) => target().notify(message),
    result: (text: string) => target().result(text),
    status: (line: string | undefined, progress?: StatusProgress) => target().status(line, progress),
  };
}
