/**
 * A Plan is the pure result of comparing the desired model with observed AWS state: an ordered list of Steps.
 * Steps are data. `diff` and `--dry-run` render them; only the apply phase (which dry runs never receive)
 * executes them, through the one executor (executor.ts), each by the component that planned it (`owner`).
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
  /**
   * Whatever the owner's applier needs (API input, ARNs). Never shown: it may hold provider values. Values that
   * only an earlier step can provide are `OutputRef`s (outputs.ts); the executor fills them in before `apply`.
   */
  readonly payload: Payload;
  /**
   * Identifies the step within its plan (journal entries, `dependsOn`). Default `<owner>:<kind>:<resource>`.
   */
  readonly id?: string;
  /**
   * What this step provides to later steps, by output key (outputs.ts): the value when it is known at plan time
   * (an existing resource), `undefined` when only applying the step tells it ("known after apply").
   */
  readonly outputs?: Readonly<Record<string, string | undefined>>;
  /** Steps (by id) that must have been applied before this one may run; refs in the payload imply their producers. */
  readonly dependsOn?: readonly string[];
}

/** The id of a step: its own, or `<owner>:<kind>:<resource>`. */
export function stepId(step: Step): string {
  return step.id ?? `${step.owner}:${step.kind}:${step.resource}`;
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
