/**
 * Transitional, until lib/actions applies scripts' steps through the one executor (lib/plan/executor.ts) instead of
 * calling `apply` itself: a step that reaches a script's `apply` with refs still in its payload was handed over
 * directly, so they are filled from what that script's own earlier steps provided. Under the executor every ref
 * is resolved before `apply`, so this never fills anything there. Delete it with the direct calls.
 */
import type { StepOutcome } from '../plan/executor.js';
import { refsIn, resolveRefs } from '../plan/outputs.js';
import type { Step } from '../plan/plan.js';

export class OwnOutputs {
  private readonly values = new Map<string, string>();

  /** `step` with the refs the executor would have filled in (throws UnresolvedOutputError naming missing ones). */
  fill<S extends Step>(step: S): S {
    for (const [key, value] of Object.entries(step.outputs ?? {})) if (value !== undefined) this.values.set(key, value);
    return refsIn(step.payload).length === 0 ? step : { ...step, payload: resolveRefs(step.payload, this.values) };
  }

  /** Keeps what an applied step provided, for the steps after it. */
  remember(outcome: StepOutcome | void): void {
    for (const [key, value] of Object.entries(outcome?.outputs ?? {})) this.values.set(key, value);
  }
}
