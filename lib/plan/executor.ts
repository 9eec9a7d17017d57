/**
 * The one step executor. Every step of every owner — scripts and schedulers alike — is applied here, under one
 * set of rules:
 *
 * - Only this module calls `apply`, and dry runs never build an Execution: a dry run cannot reach `apply`.
 * - Refs to outputs of earlier steps (outputs.ts) are filled in before a step is applied; a step whose producer
 *   failed is skipped, not run with a hole in it.
 * - A delete whose target is already gone counts as done.
 * - A request that failed without effect (throttled, never sent) is repeated after a pause. A request whose fate is
 *   unknown (5xx, connection dropped after sending) is repeated only when repeating cannot duplicate anything:
 *   for a create, the owner first observes whether the lost call took effect (`reconcile`) and adopts what it made.
 * - With `keepGoing` (remove) a failed step does not stop the run: everything that does not depend on it is still
 *   applied, and the journal tells what is left.
 * - Each step's start and end are IoHost messages (`step.*`), so the progress a user sees and the journal of what
 *   happened are the same data.
 */
import type { AwsClients } from '../aws/ports.js';
import { AbortedError } from '../errors.js';
import { error as reportError, info, warn, type IoHost } from '../io/io-host.js';
import { awsErrorCode, createBackoff, type BackoffOptions } from '../util/backoff.js';
import { throwIfAborted, type Clock, type Sleep } from '../util/sleep.js';
import { failureKind } from './failures.js';
import { refsIn, resolveRefs, UnresolvedOutputError } from './outputs.js';
import { stepId, type Step } from './plan.js';

/** What an owner's `apply` gets besides the step. */
export interface ApplyContext {
  readonly io: IoHost;
  /** AWS ports in the definition's region (owners that do not talk to AWS ignore them). */
  readonly aws: () => AwsClients;
  readonly sleep: Sleep;
  readonly clock: Clock;
  readonly signal?: AbortSignal;
  /**
   * Unique per run. Idempotency tokens (CreateService's clientToken) and marker tags derive from it, so that a
   * request repeated after a lost response is recognised as the same request, and a later run is not.
   */
  readonly runId: string;
}

/** What applying a step produced. */
export interface StepOutcome {
  /** Values of the step's declared outputs that only applying it told (e.g. the ARN of what it created). */
  readonly outputs?: Readonly<Record<string, string>>;
  /** Anything the owner wants back later from the journal (e.g. the service as UpdateService returned it). */
  readonly data?: unknown;
}

/** The part of a Script or Scheduler that applies its own steps. */
export interface StepApplier {
  /** Carries out one step (its payload refs already resolved). Throws on failure. */
  apply(step: Step, context: ApplyContext): Promise<StepOutcome | void>;
  /**
   * Called after a create failed with an unknown outcome: observe whether the request took effect after all (a
   * resource of that name, a marker tag of this run) and return its outputs if so — the executor then adopts it
   * instead of creating a duplicate. `undefined`: it did not happen, so the create is repeated.
   */
  reconcile?(step: Step, context: ApplyContext): Promise<StepOutcome | undefined>;
  /** Whether `error` from a delete means the target is already gone. Default: a not-found error. */
  isGone?(step: Step, error: unknown): boolean;
}

export type StepStatus =
  /** Applied now. */
  | 'applied'
  /** A lost create had taken effect; its result was adopted instead of creating another. */
  | 'adopted'
  /** A delete whose target was already gone. */
  | 'gone'
  /** A noop step: nothing to do. */
  | 'unchanged'
  | 'failed'
  /** Not attempted because a step it depends on failed or was skipped. */
  | 'skipped'
  /** Stopped by a signal while it ran. */
  | 'interrupted';

export interface JournalEntry {
  readonly id: string;
  readonly step: Step;
  readonly status: StepStatus;
  readonly attempts: number;
  readonly durationMs: number;
  /** Every output value the step provided. */
  readonly outputs: Readonly<Record<string, string>>;
  /** What the owner's apply returned besides outputs. */
  readonly data?: unknown;
  readonly error?: unknown;
  /** For skipped steps: the ids of the failed steps they needed. */
  readonly blockedBy?: readonly string[];
}

export interface ExecutionOptions {
  readonly context: ApplyContext;
  /** The owner that applies a step. `undefined`: no owner can, which fails that step. */
  readonly applierFor: (step: Step) => StepApplier | undefined;
  /** Go on past failed steps (remove); by default the first failure is thrown. */
  readonly keepGoing?: boolean;
  /** Attempts per step for failures that are safe to repeat. Default 4. */
  readonly attempts?: number;
  /** Pauses between attempts. Default from 1 s, doubling, up to 20 s. */
  readonly backoff?: BackoffOptions;
}

/** Thrown when a step fails without `keepGoing`; carries the journal so far. */
export class StepFailedError extends Error {
  constructor(
    readonly entry: JournalEntry,
    readonly journal: readonly JournalEntry[],
  ) {
    super(entry.error instanceof Error ? entry.error.message : String(entry.error));
  }
}

const ALREADY_EXISTS = /AlreadyExists|Duplicate|EntityAlreadyExists/;

function message(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

function stepData(step: Step, id: string): Record<string, unknown> {
  return { id, owner: step.owner, kind: step.kind, action: step.action, resource: step.resource, title: step.title };
}

/**
 * One apply phase. Several `run` calls share outputs and the journal, so hooks can run between groups of steps
 * (scripts' steps, then the scheduler's) and a failed-deploy rollback can use what the deploy produced.
 */
export class Execution {
  private readonly entries: JournalEntry[] = [];
  private readonly known = new Map<string, string>();
  /** Output key → id of the step that provides it (in any run of this execution). */
  private readonly producers = new Map<string, string>();
  /** Steps that did not complete: their dependants are skipped. */
  private readonly broken = new Set<string>();
  private readonly usedIds = new Set<string>();

  constructor(private readonly options: ExecutionOptions) {}

  get journal(): readonly JournalEntry[] {
    return this.entries;
  }

  /** Output values known so far (plan-time values of every step seen, and what applied steps produced). */
  get outputs(): ReadonlyMap<string, string> {
    return this.known;
  }

  /** Entries that did not complete: what a remove left behind. */
  get left(): readonly JournalEntry[] {
    return this.entries.filter((e) => e.status === 'failed' || e.status === 'skipped' || e.status === 'interrupted');
  }

  private uniqueId(step: Step): string {
    const base = stepId(step);
    let id = base;
    for (let n = 2; this.usedIds.has(id); n++) id = `${base}#${n}`;
    this.usedIds.add(id);
    return id;
  }

  /** Applies `steps` in order. Returns their journal entries; throws StepFailedError on a failure unless keepGoing. */
  async run(steps: readonly Step[]): Promise<readonly JournalEntry[]> {
    const ids = steps.map((s) => this.uniqueId(s));
    steps.forEach((step, i) => {
      for (const [key, value] of Object.entries(step.outputs ?? {})) {
        this.producers.set(key, ids[i]!);
        if (value !== undefined) this.known.set(key, value);
      }
    });
    const mine: JournalEntry[] = [];
    for (const [i, step] of steps.entries()) {
      const entry = await this.runStep(step, ids[i]!);
      this.entries.push(entry);
      mine.push(entry);
      if (entry.status === 'failed' && !this.options.keepGoing) throw new StepFailedError(entry, this.entries);
    }
    return mine;
  }

  private dependencies(step: Step): string[] {
    const deps = new Set(step.dependsOn ?? []);
    for (const ref of refsIn(step.payload)) {
      const producer = this.producers.get(ref.$output);
      if (producer !== undefined) deps.add(producer);
    }
    return [...deps];
  }

  private async runStep(step: Step, id: string): Promise<JournalEntry> {
    const { io } = this.options.context;
    const blockedBy = this.dependencies(step).filter((d) => this.broken.has(d));
    if (blockedBy.length > 0) {
      this.broken.add(id);
      warn(io, 'step.skipped', `Skipped: ${step.title} (it needs ${blockedBy.join(', ')}, which did not complete)`, { ...stepData(step, id), blockedBy });
      return { id, step, status: 'skipped', attempts: 0, durationMs: 0, outputs: {}, blockedBy };
    }
    if (step.action === 'noop') {
      // hako's "Task definition isn't changed: <arn>" lines: the title says what was found to be in place.
      info(io, 'step.unchanged', step.title, stepData(step, id));
      return { id, step, status: 'unchanged', attempts: 0, durationMs: 0, outputs: this.declaredOutputs(step) };
    }
    return this.applyStep(step, id);
  }

  private declaredOutputs(step: Step): Record<string, string> {
    const out: Record<string, string> = {};
    for (const key of Object.keys(step.outputs ?? {})) {
      const v = this.known.get(key);
      if (v !== undefined) out[key] = v;
    }
    return out;
  }

  private async applyStep(step: Step, id: string): Promise<JournalEntry> {
    const { context, applierFor } = this.options;
    const { io, clock, signal } = context;
    const started = clock.now();
    const attemptsAllowed = this.options.attempts ?? 4;
    const backoff = createBackoff({ initialMs: 1000, factor: 2, maxMs: 20_000, ...this.options.backoff });
    const fail = (error: unknown, attempts: number, status: 'failed' | 'interrupted' = 'failed'): JournalEntry => {
      this.broken.add(id);
      const entry: JournalEntry = { id, step, status, attempts, durationMs: clock.now() - started, outputs: {}, error };
      if (status === 'failed') reportError(io, 'step.failed', `Failed: ${step.title}: ${message(error)}`, { ...stepData(step, id), error: message(error) });
      return entry;
    };

    const applier = applierFor(step);
    if (applier === undefined) return fail(new Error(`no component applies ${step.owner} steps`), 0);
    let resolved: Step;
    try {
      resolved = { ...step, payload: resolveRefs(step.payload, this.known) };
    } catch (e) {
      if (!(e instanceof UnresolvedOutputError)) throw e;
      return fail(e, 0);
    }

    throwIfAborted(signal);
    info(io, 'step.started', step.title, stepData(step, id));
    let status: StepStatus = 'applied';
    let outcome: StepOutcome | void = undefined;
    let attempt = 0;
    for (;;) {
      attempt += 1;
      try {
        outcome = await applier.apply(resolved, context);
        break;
      } catch (e) {
        if (e instanceof AbortedError || signal?.aborted) {
          this.entries.push(fail(e, attempt, 'interrupted'));
          // A request cut short by Ctrl-C fails with whatever the client saw; what ends the run is the signal.
          throwIfAborted(signal);
          throw e;
        }
        const kind = failureKind(e);
        if (step.action === 'delete' && (applier.isGone ? applier.isGone(resolved, e) : kind === 'not-found')) {
          status = 'gone';
          break;
        }
        const adopted = step.action === 'create' && applier.reconcile && (kind === 'outcome-unknown' || ALREADY_EXISTS.test(awsErrorCode(e) ?? ''))
          ? await this.reconcile(applier, resolved, e)
          : undefined;
        if (adopted !== undefined) {
          outcome = adopted;
          status = 'adopted';
          break;
        }
        const repeatable = kind === 'throttled' || kind === 'not-sent' || kind === 'outcome-unknown';
        if (!repeatable || attempt >= attemptsAllowed) return fail(e, attempt);
        const delay = kind === 'throttled' ? backoff.throttled() : backoff.next();
        warn(io, 'step.retrying', `${step.title}: ${message(e)} — trying again in ${Math.round(delay / 100) / 10}s (attempt ${attempt + 1} of ${attemptsAllowed})`, {
          ...stepData(step, id),
          attempt: attempt + 1,
          failure: kind,
          delayMs: delay,
        });
        try {
          await context.sleep(delay, signal);
        } catch (abort) {
          this.entries.push(fail(abort, attempt, 'interrupted'));
          throw abort;
        }
      }
    }

    for (const [key, value] of Object.entries(outcome?.outputs ?? {})) this.known.set(key, value);
    const outputs = this.declaredOutputs(step);
    const durationMs = clock.now() - started;
    const note = status === 'gone' ? ' (already gone)' : status === 'adopted' ? ' (adopted what an earlier attempt had created)' : '';
    if (status === 'gone') info(io, 'step.gone', `${step.title}: already gone`, stepData(step, id));
    info(io, 'step.finished', `Done: ${step.title}${note}`, { ...stepData(step, id), status, attempts: attempt, durationMs, outputs });
    return { id, step, status, attempts: attempt, durationMs, outputs, ...(outcome?.data === undefined ? {} : { data: outcome.data }) };
  }

  /** Observes after an ambiguous create; a failure to observe counts as "not found" (the create is repeated). */
  private async reconcile(applier: StepApplier, step: Step, cause: unknown): Promise<StepOutcome | undefined> {
    const { io } = this.options.context;
    try {
      const found = await applier.reconcile!(step, this.options.context);
      if (found !== undefined) {
        info(io, 'step.adopted', `${step.title}: the earlier request had taken effect (${message(cause)}); adopting its result`, { title: step.title });
      }
      return found ?? undefined;
    } catch (e) {
      if (e instanceof AbortedError) throw e;
      warn(io, 'step.reconcile-failed', `${step.title}: could not check whether the earlier request took effect: ${message(e)}`);
      return undefined;
    }
  }
}
