/**
 * Carrying out one step (only the executor calls this). Every change is a server-side apply as field manager
 * `hako` — idempotent, so a request repeated after a lost answer cannot duplicate anything — or a delete, where
 * "nothing to delete" is reported as the not-found the executor counts as done.
 */
import { HakoError, KubeApiError } from '../../errors.js';
import { info, type IoHost } from '../../io/io-host.js';
import type { KubeApi, KubeManifest, KubeObjects } from '../../kube/ports.js';
import type { JournalEntry, StepOutcome } from '../../plan/executor.js';
import type { Step } from '../../plan/plan.js';
import { appliedAt } from './applied.js';
import { describeObject } from './labels.js';
import { isKubernetesStep, ROLLOUT_KINDS, type KubernetesStep } from './steps.js';
import type { RolloutTarget } from './wait.js';

/** What a rollout step's journal entry carries for `wait`. */
export interface RolloutData {
  readonly rollout: RolloutTarget;
}

function rolloutOf(applied: KubeObjects['Deployment']): RolloutData {
  const at = appliedAt(applied as Parameters<typeof appliedAt>[0]);
  return {
    rollout: {
      namespace: applied.metadata?.namespace ?? '',
      name: applied.metadata?.name ?? '',
      generation: applied.metadata?.generation ?? 1,
      ...(at === undefined ? {} : { appliedAt: at }),
    },
  };
}

/** `Applied Deployment web in namespace prod (generation 3)`: what the step did, in the output a user reads. */
function applied(io: IoHost, object: { kind?: string; metadata?: { name?: string; namespace?: string; generation?: number } }): void {
  const m = object.metadata ?? {};
  const what = describeObject(object.kind ?? '', m.name ?? '', m.namespace ?? '');
  info(io, 'kubernetes.applied', `Applied ${what}${m.generation === undefined ? '' : ` (generation ${m.generation})`}`, { kind: object.kind, ...m });
}

export async function applyKubernetesStep(kube: KubeApi, io: IoHost, step: Step): Promise<StepOutcome | void> {
  if (!isKubernetesStep(step)) throw new HakoError(`internal: the kubernetes scheduler got a ${step.owner} step`, 'INTERNAL');
  const s = step as KubernetesStep;
  switch (s.kind) {
    case 'apply-deployment':
    case 'rollback-deployment':
    case 'scale-deployment': {
      const deployment = (await kube.apply(s.payload.manifest as KubeManifest<'Deployment'>)) as KubeObjects['Deployment'];
      applied(io, { kind: 'Deployment', ...deployment });
      return { data: rolloutOf(deployment) };
    }
    case 'apply-service':
    case 'create-job': {
      const object = await kube.apply(s.payload.manifest);
      applied(io, { kind: s.payload.manifest.kind, metadata: { name: object.metadata?.name ?? '', namespace: object.metadata?.namespace ?? '' } });
      return;
    }
    case 'delete': {
      const { kind, name, namespace } = s.payload;
      // Background: the garbage collector removes what the object owns (ReplicaSets and pods, a Job's pod).
      const result = await kube.delete(kind, namespace, name, { propagationPolicy: 'Background' });
      if (result === 'absent') throw new KubeApiError('delete', 404, 'NotFound', 'it was already gone', { kind, name, namespace });
      info(io, 'kubernetes.deleted', `Deleted ${describeObject(kind, name, namespace)}`, { kind, name, namespace });
      return;
    }
    case 'missing':
      return;
  }
}

/** The rollout the last applied Deployment step started, if any: what `wait` follows. */
export function rolloutInJournal(journal: readonly JournalEntry[]): { readonly entry: JournalEntry; readonly target: RolloutTarget } | undefined {
  for (let i = journal.length - 1; i >= 0; i--) {
    const entry = journal[i]!;
    if (!isKubernetesStep(entry.step) || !ROLLOUT_KINDS.has(entry.step.kind)) continue;
    if (entry.status !== 'applied' && entry.status !== 'adopted') continue;
    const data = entry.data as RolloutData | undefined;
    if (data?.rollout !== undefined) return { entry, target: data.rollout };
  }
  return undefined;
}
