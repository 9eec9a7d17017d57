/**
 * A plan as JSON for `--output json` (`diff`, and every `--dry-run`): each step as the plan holds it — owner,
 * kind, action, resource, title, before/after documents and any field the engine adds later (id, outputs…) —
 * except `payload`, which is the applier's own input and may hold provider values. Serialise the already
 * masked display plan: provider values then stay masked exactly as in the text rendering.
 */
import type { Plan, Step, StepAction } from '../../plan/plan.js';
import { renderSummary } from '../../plan/render.js';

export interface PlanJson {
  readonly steps: readonly Record<string, unknown>[];
  readonly summary: {
    /** True when applying the plan would change something (`diff` exits 16). */
    readonly changes: boolean;
    /** Steps by action; `register` counts task definition registrations apart from other creations. */
    readonly counts: Readonly<Record<StepAction | 'register', number>>;
    /** The text summary line (`Plan: 1 to register, 0 to create, 1 to update`). */
    readonly text: string;
  };
}

function stepJson(step: Step): Record<string, unknown> {
  const { payload: _payload, ...rest } = step;
  return rest;
}

export function planToJson(plan: Plan): PlanJson {
  const count = (action: StepAction) => plan.steps.filter((s) => s.action === action).length;
  const register = plan.steps.filter((s) => s.action === 'create' && s.kind.startsWith('register-')).length;
  return {
    steps: plan.steps.map(stepJson),
    summary: {
      changes: plan.steps.some((s) => s.action !== 'noop'),
      counts: { register, create: count('create') - register, update: count('update'), delete: count('delete'), noop: count('noop') },
      text: renderSummary(plan),
    },
  };
}
