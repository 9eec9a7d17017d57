/**
 * Following a Deployment rollout to its end, as `kubectl rollout status` judges it: the controller has seen the
 * applied generation, every replica runs the new template, no old one is left, and the new ones are available.
 * The rollout fails when the controller reports `ProgressDeadlineExceeded` for it, and times out after hako's own
 * limit. Between looks it watches the Deployment, so it reacts to changes at once and asks nothing meanwhile.
 */
import { info, type IoHost } from '../../io/io-host.js';
import type { KubeApi, KubeKind, KubeObjects } from '../../kube/ports.js';
import { throwIfAborted, type Clock, type Sleep } from '../../util/sleep.js';
import { REVISION_ANNOTATION } from './labels.js';

type Deployment = KubeObjects['Deployment'];

export interface WatchContext {
  readonly kube: KubeApi;
  readonly io: IoHost;
  readonly clock: Clock;
  readonly sleep: Sleep;
  readonly signal?: AbortSignal;
}

/** The rollout an apply started, from the object the apply returned. */
export interface RolloutTarget {
  readonly namespace: string;
  readonly name: string;
  readonly generation: number;
  /** When the apply changed the object, by the server's clock: older failure conditions are not this rollout's. */
  readonly appliedAt?: string;
}

export type RolloutState =
  | { readonly phase: 'waiting' | 'completed'; readonly line: string }
  | { readonly phase: 'failed'; readonly line: string; readonly reason: string };

function seconds(time: string | undefined): number | undefined {
  if (time === undefined) return undefined;
  const t = Date.parse(time);
  return Number.isNaN(t) ? undefined : Math.floor(t / 1000);
}

/** Where a rollout stands, judged from the Deployment alone. Pure. */
export function rolloutState(d: Deployment, target: RolloutTarget): RolloutState {
  const s = d.status ?? {};
  const want = d.spec?.replicas ?? 1;
  const updated = s.updatedReplicas ?? 0;
  const total = s.replicas ?? 0;
  const available = s.availableReplicas ?? 0;
  const old = Math.max(0, total - updated);
  const line = `${updated}/${want} updated, ${available} available${old > 0 ? `, ${old} old` : ''}`;
  if ((s.observedGeneration ?? 0) < target.generation) return { phase: 'waiting', line: 'waiting for the Deployment controller' };
  const progressing = s.conditions?.find((c) => c.type === 'Progressing');
  if (progressing?.status === 'False' && progressing.reason === 'ProgressDeadlineExceeded') {
    // A condition left from an earlier failure (the one this rollout undoes) dates from before the apply: a
    // deadline this rollout exceeded was stamped at least a second after it.
    const at = seconds(progressing.lastUpdateTime);
    const since = seconds(target.appliedAt);
    if (at === undefined || since === undefined || at > since) {
      const deadline = d.spec?.progressDeadlineSeconds ?? 600;
      const message = (progressing.message ?? '').replace(/\.+$/, '');
      return { phase: 'failed', line, reason: `no progress for ${deadline}s (ProgressDeadlineExceeded: ${message})` };
    }
  }
  if (updated < want || old > 0 || available < updated) return { phase: 'waiting', line };
  return { phase: 'completed', line };
}

/** Which objects a wait watches: one by name, or those matching a label selector. */
export interface WatchFilter {
  readonly name?: string;
  readonly labelSelector?: string;
}

/**
 * Resolves on the next change of the watched objects after `resourceVersion`, after `maxMs`, or on the signal.
 * A failed watch just ends the wait: the caller looks again.
 */
export async function nextChange(ctx: WatchContext, kind: KubeKind, namespace: string, filter: WatchFilter, resourceVersion: string | undefined, maxMs: number): Promise<void> {
  // A signal that fired while the caller was looking (a get, a list) fires no 'abort' event any more: without this
  // check the watch would run its full course before the interruption is noticed.
  throwIfAborted(ctx.signal);
  const stream = ctx.kube.watch(kind, namespace, {
    timeoutSeconds: Math.max(1, Math.ceil(maxMs / 1000)),
    ...(filter.name === undefined ? {} : { fieldSelector: `metadata.name=${filter.name}` }),
    ...(filter.labelSelector === undefined ? {} : { labelSelector: filter.labelSelector }),
    ...(resourceVersion === undefined ? {} : { resourceVersion }),
    onEvent: (e) => {
      if (e.type !== 'BOOKMARK') stream.stop();
    },
  });
  const onAbort = () => stream.stop();
  ctx.signal?.addEventListener('abort', onAbort, { once: true });
  let failed = false;
  // The server ends the watch after timeoutSeconds; this timer only rescues a connection that died silently. It is
  // a safety net, not part of the wait's timing, so it runs on real time even when the wait's clock is virtual.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const rescue = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, maxMs + 5000);
  });
  await Promise.race([stream.done.catch(() => (failed = true)), rescue]);
  clearTimeout(timer);
  stream.stop();
  ctx.signal?.removeEventListener('abort', onAbort);
  // A watch refused at once (410 Gone, a proxy without streaming) must not turn the caller's loop into a busy one.
  if (failed) await ctx.sleep(1000, ctx.signal).catch(() => undefined);
  throwIfAborted(ctx.signal);
}

export type RolloutResult =
  | { readonly status: 'completed' }
  | {
      readonly status: 'failed' | 'timed-out';
      readonly reason: string;
      readonly pods: readonly string[];
      /** The ReplicaSet of the rollout's template (the Deployment's current revision), when found. */
      readonly replicaSet?: { readonly name: string; readonly revision: string };
    };

export async function waitForRollout(ctx: WatchContext, target: RolloutTarget, options: { readonly timeoutMs?: number }): Promise<RolloutResult> {
  const { kube, io, clock } = ctx;
  const started = clock.now();
  let lastLine = '';
  const what = `Deployment ${target.name}`;
  info(io, 'kubernetes.rollout.waiting', `Waiting for the rollout of ${what} in namespace ${target.namespace}`, target);
  try {
    for (;;) {
      throwIfAborted(ctx.signal);
      const d = await kube.get('Deployment', target.namespace, target.name);
      if (d === undefined) return { status: 'failed', reason: `${what} was deleted during the rollout`, pods: [] };
      const state = rolloutState(d, target);
      if (state.line !== lastLine) {
        info(io, 'kubernetes.rollout.progress', `${target.name}: ${state.line}`, { ...counts(d), phase: state.phase });
        lastLine = state.line;
      }
      if (state.phase === 'completed') {
        info(io, 'kubernetes.rollout.completed', `${what} rolled out (revision ${d.metadata?.annotations?.[REVISION_ANNOTATION] ?? '?'})`);
        return { status: 'completed' };
      }
      if (state.phase === 'failed') {
        const diagnosis = await diagnose(kube, d, target.namespace);
        return { status: 'failed', reason: `${what}: ${state.reason}${diagnosis.text}`, pods: diagnosis.pods, ...diagnosis.replicaSet };
      }
      const elapsed = clock.now() - started;
      if (options.timeoutMs !== undefined && elapsed >= options.timeoutMs) {
        const diagnosis = await diagnose(kube, d, target.namespace);
        const reason = `${what} did not finish rolling out within ${Math.round(options.timeoutMs / 1000)}s (${state.line})${diagnosis.text}`;
        return { status: 'timed-out', reason, pods: diagnosis.pods, ...diagnosis.replicaSet };
      }
      io.status(`Rolling out ${what} (${state.line})`, { elapsedMs: elapsed, ...(options.timeoutMs === undefined ? {} : { limitMs: options.timeoutMs }), detail: state.line });
      const remaining = options.timeoutMs === undefined ? 30_000 : Math.max(1000, Math.min(30_000, options.timeoutMs - elapsed));
      await nextChange(ctx, 'Deployment', target.namespace, { name: target.name }, d.metadata?.resourceVersion, remaining);
    }
  } finally {
    io.status(undefined);
  }
}

function counts(d: Deployment) {
  const s = d.status ?? {};
  return { replicas: d.spec?.replicas ?? 1, updated: s.updatedReplicas ?? 0, ready: s.readyReplicas ?? 0, available: s.availableReplicas ?? 0, total: s.replicas ?? 0 };
}

/**
 * Why the new pods do not come up: the latest warning event of each pod of the newest ReplicaSet that is not ready
 * (FailedScheduling, BackOff, ErrImagePull…). Best effort: a failure to look is no reason to fail differently.
 */
interface Diagnosis {
  readonly text: string;
  readonly pods: string[];
  readonly replicaSet?: { readonly replicaSet: { readonly name: string; readonly revision: string } };
}

async function diagnose(kube: KubeApi, d: Deployment, namespace: string): Promise<Diagnosis> {
  try {
    const revision = d.metadata?.annotations?.[REVISION_ANNOTATION];
    const current = (await kube.list('ReplicaSet', namespace)).items.find(
      (rs) => rs.metadata?.ownerReferences?.some((o) => o.uid === d.metadata?.uid) && rs.metadata?.annotations?.[REVISION_ANNOTATION] === revision,
    );
    const hash = current?.metadata?.labels?.['pod-template-hash'];
    const name = current?.metadata?.name;
    if (hash === undefined || name === undefined || revision === undefined) return { text: '', pods: [] };
    const replicaSet = { replicaSet: { name, revision } };
    const pods = (await kube.list('Pod', namespace, { labelSelector: `pod-template-hash=${hash}` })).items.filter(
      (p) => !(p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false),
    );
    const names = pods.map((p) => p.metadata?.name ?? '').filter((n) => n !== '');
    if (names.length === 0) return { text: '', pods: [], replicaSet };
    const events = (await kube.list('Event', namespace)).items.filter((e) => e.type === 'Warning' && names.includes(e.involvedObject.name ?? ''));
    const latest = new Map<string, string>();
    for (const e of events.sort((a, b) => String(eventTime(a)).localeCompare(String(eventTime(b))))) {
      // The sentence goes inside hako's own (`…; pod x: FailedScheduling: 0/1 nodes are available. Rolled back…`).
      latest.set(e.involvedObject.name ?? '', `${e.reason ?? ''}: ${(e.message ?? '').trim().replace(/\.+$/, '')}`);
    }
    const lines = names.map((n) => `pod ${n}: ${latest.get(n) ?? (waitingReason(pods.find((p) => p.metadata?.name === n)) ?? 'not ready')}`);
    return { text: `; ${lines.slice(0, 3).join('; ')}${lines.length > 3 ? `; and ${lines.length - 3} more` : ''}`, pods: names, replicaSet };
  } catch {
    return { text: '', pods: [] };
  }
}

export function eventTime(e: KubeObjects['Event']): string {
  return e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? e.metadata?.creationTimestamp ?? '';
}

function waitingReason(p: KubeObjects['Pod'] | undefined): string | undefined {
  const waiting = p?.status?.containerStatuses?.find((c) => c.state?.waiting !== undefined)?.state?.waiting;
  return waiting === undefined ? undefined : `${waiting.reason ?? 'waiting'}${waiting.message === undefined ? '' : `: ${waiting.message}`}`;
}
