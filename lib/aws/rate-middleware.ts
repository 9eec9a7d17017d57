/**
 * Puts an SDK client's requests on the run's rate budget (rate-budget.ts). The middleware sits inside the SDK's
 * retry loop (right after its retry middleware, like the retry notice), so every attempt waits for its token, every
 * throttled attempt slows the budget down, and every paced attempt AWS accepts lets a budget still probing go faster.
 */
import { currentAbortSignal } from '../util/abort-scope.js';
import type { RateBudget } from './rate-budget.js';
import { retryReason } from './retry-notice.js';

interface MiddlewareStack {
  addRelativeTo(middleware: unknown, options: { relation: 'after'; toMiddleware: string; name: string }): void;
}

interface ClientLike {
  middlewareStack?: MiddlewareStack;
  readonly config?: { readonly region?: unknown };
}

/** The region the client signs for (the SDK resolves it lazily), or `''` when it cannot tell. */
async function regionOf(client: ClientLike): Promise<string> {
  try {
    const region: unknown = client.config?.region;
    const value: unknown = typeof region === 'function' ? await (region as () => unknown)() : region;
    return typeof value === 'string' ? value : '';
  } catch {
    return '';
  }
}

export function addRateBudget(client: ClientLike, service: string, budget: RateBudget): void {
  if (!budget.enabled) return;
  let region: Promise<string> | undefined;
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown): Promise<unknown> => {
      const operation = (context.commandName ?? 'request').replace(/Command$/, '');
      const where = await (region ??= regionOf(client));
      // Ctrl-C cancels the requests still waiting for their turn (the run's signal, lib/util/abort-scope.ts): the
      // wait ends with AbortedError and the request is never sent. A request made after it (a oneshot stopping its
      // task) waits as usual.
      const signal = currentAbortSignal();
      const paced = await budget.take(service, where, operation, signal?.aborted === false ? signal : undefined);
      try {
        const output = await next(args);
        if (paced) budget.accepted(service, where, operation);
        return output;
      } catch (err) {
        if (retryReason(err) === 'throttled') budget.throttled(service, where, operation);
        throw err;
      }
    };
  client.middlewareStack?.addRelativeTo(middleware, { relation: 'after', toMiddleware: 'retryMiddleware', name: 'hakoRateBudget' });
}
