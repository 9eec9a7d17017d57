/**
 * Step outputs: values that exist only once an earlier step has run ("known after apply").
 *
 * A step that creates something declares the outputs it provides (`Step.outputs`: key → value, the value absent
 * while unknown). A later step — of the same owner or of another one — refers to such a value by putting an
 * `OutputRef` in its payload (or a script puts one in the model it contributes, e.g. the target group ARN the ECS
 * service binds to). The executor fills every ref in before it hands the step to its owner, so owners never look
 * into each other's modules or state, and a plan shows the value as "(known after apply: …)".
 *
 * Keys are chosen by the producer and are global within a run: `<owner>:<what>:<name>:<attribute>`, e.g.
 * `alb:target-group:hako-web:arn`.
 */

/** A value another step provides. Plain data: plans stay serialisable. */
export interface OutputRef {
  readonly $output: string;
  /** For humans: `ARN of target group hako-web`. */
  readonly describe: string;
}

/** A value that is either known at plan time or provided by an earlier step. */
export type Deferred<T extends string = string> = T | OutputRef;

export function outputRef(key: string, describe: string): OutputRef {
  return { $output: key, describe };
}

export function isOutputRef(value: unknown): value is OutputRef {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as { $output?: unknown }).$output === 'string' &&
    typeof (value as { describe?: unknown }).describe === 'string'
  );
}

function walk(value: unknown, visit: (ref: OutputRef) => unknown): unknown {
  if (isOutputRef(value)) return visit(value);
  if (Array.isArray(value)) return value.map((v) => walk(v, visit));
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, visit)]));
  }
  return value;
}

/** Every ref inside `value` (deep), in document order, duplicates kept. */
export function refsIn(value: unknown): OutputRef[] {
  const refs: OutputRef[] = [];
  walk(value, (ref) => {
    refs.push(ref);
    return ref;
  });
  return refs;
}

/** Thrown when a step needs an output no earlier step provided: a planning bug, or a producer that failed. */
export class UnresolvedOutputError extends Error {
  constructor(readonly refs: readonly OutputRef[]) {
    super(`no value for ${refs.map((r) => r.describe).join(', ')} (known after apply, but no earlier step provided it)`);
  }
}

/** `value` with every ref replaced by its known value. Throws UnresolvedOutputError naming the missing ones. */
export function resolveRefs<T>(value: T, known: ReadonlyMap<string, string>): T {
  const missing: OutputRef[] = [];
  const resolved = walk(value, (ref) => {
    const v = known.get(ref.$output);
    if (v === undefined) missing.push(ref);
    return v ?? ref;
  });
  if (missing.length > 0) throw new UnresolvedOutputError(missing);
  return resolved as T;
}

/**
 * `value` with the refs whose values are already known replaced, the others left in place. Planning uses it: a
 * scheduler compares the live service with the ARN of a target group that exists, not with a ref to it.
 */
export function resolveKnownRefs<T>(value: T, known: ReadonlyMap<string, string>): T {
  return walk(value, (ref) => known.get(ref.$output) ?? ref) as T;
}

/** The output values a plan already knows (existing resources), by key. */
export function plannedOutputs(steps: readonly { readonly outputs?: Readonly<Record<string, string | undefined>> }[]): Map<string, string> {
  const known = new Map<string, string>();
  for (const step of steps) for (const [k, v] of Object.entries(step.outputs ?? {})) if (v !== undefined) known.set(k, v);
  return known;
}

/** How a plan shows a value that is not known yet. */
export function knownAfterApply(ref: OutputRef): string {
  return `(known after apply: ${ref.describe})`;
}

/** `value` with every ref replaced by its display text, for rendering and comparing shapes. */
export function displayRefs<T>(value: T): T {
  return walk(value, knownAfterApply) as T;
}

/**
 * A deferred value as a plain string for shapes and titles: the value itself, or its "known after apply" text.
 * Appliers never need this: the executor resolves refs before `apply`.
 */
export function shown(value: Deferred): string {
  return isOutputRef(value) ? knownAfterApply(value) : value;
}

/**
 * The value of a deferred field inside `apply`, where the executor has already resolved every ref. A ref still
 * present means the step was applied without the executor: a bug, not a user error.
 */
export function known(value: Deferred): string {
  if (isOutputRef(value)) throw new UnresolvedOutputError([value]);
  return value;
}
