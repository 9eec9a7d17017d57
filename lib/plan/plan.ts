/**
 * A Plan is the pure result of comparing the desired model with observed AWS state: an ordered list of Steps.
 * Steps are data. `diff` and `--dry-run` render them; only the apply phase (which dry runs never receive)
 * executes them, each through the applier of the component that planned it (`owner`).
 */
export type StepAction = 'create' | 'update' | 'delete' | 'noop';

export interface Step<Payload = unknown> {
  /** Which component planned it and will apply it: `ecs`, `alb`, `route53`, `nginx_front`, … */
  readonly owner: string;
  /** Stable kind within the owner, e.g. `register-task-definition`, `update-service`. */
  readonly kind: string;
  readonly action: StepAction;
  /** What it acts on, for humans: `task definition hello`, `service hello in cluster default`. */
  readonly resource: string;
  /** One line summary: `Register task definition hello (revision 2 → 3)`. */
  readonly title: string;
  /**
   * Live and desired shapes (normalised, so unchanged things compare equal) rendered as a unified diff.
   * `before` absent = creation; `after` absent = deletion.
   */
  readonly before?: unknown;
  readonly after?: unknown;
  /** Whatever the owner's applier needs (API input, ARNs). Never shown; may hold unexpanded placeholders only. */
  readonly payload: Payload;
}

/**
 * A step of one owner narrowed by kind, given the owner's map from kind to payload type: owners declare
 * `type AlbStep<K> = OwnedStep<'alb', AlbPayloads, K>` and get a discriminated union for free.
 */
export type OwnedStep<Owner extends string, Payloads, K extends keyof Payloads = keyof Payloads> = K extends keyof Payloads
  ? Step<Payloads[K]> & { readonly owner: Owner; readonly kind: K }
  : never;

export interface Plan {
  readonly steps: readonly Step[];
}

/** True when applying the plan would change something. */
export function hasChanges(plan: Plan): boolean {
  return plan.steps.some((s) => s.action !== 'noop');
}
