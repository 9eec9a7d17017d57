/**
 * Planning `stop`, `rollback` and `remove`. They need no provider values (they run with placeholders), so none of
 * them rebuilds manifests from the model: they start from what hako applied to the live object (applied.ts) and
 * change one part of it, or delete what carries hako's marks for the app. Read-only.
 */
import type { AnyAppModel } from '../../definition/model.js';
import { HakoError } from '../../errors.js';
import type { KubeApi, KubeManifest, KubeObjects } from '../../kube/ports.js';
import type { RollbackPlan } from '../scheduler.js';
import { appliedConfiguration } from './applied.js';
import { displayShape } from './compare.js';
import type { KubernetesConfig } from './config.js';
import { describeObject, isOwned, ownedSelector, REVISION_ANNOTATION, STEP_OWNER } from './labels.js';
import { deleteStep, missingStep, type KubernetesStep } from './steps.js';
import { refuseForeign } from './plan.js';

type Deployment = KubeObjects['Deployment'];
type ReplicaSet = KubeObjects['ReplicaSet'];
type PodTemplate = NonNullable<Deployment['spec']>['template'];

/** hako's applied configuration of the live Deployment, as a manifest to re-apply with a change. */
function appliedManifest(live: Deployment, appId: string, namespace: string): KubeManifest<'Deployment'> {
  const applied = appliedConfiguration(live as Parameters<typeof appliedConfiguration>[0]);
  if (applied === undefined) {
    throw new HakoError(`${describeObject('Deployment', appId, namespace)} carries hako's labels but no fields applied by hako`, 'KUBE_NOT_APPLIED', 1, {
      hint: 'Deploy it once with hako (hako deploy FILE) so that hako owns its configuration.',
    });
  }
  return applied as unknown as KubeManifest<'Deployment'>;
}

/** The Deployment, which stop and rollback need; undefined when absent, an error when someone else's. */
async function ownDeployment(kube: KubeApi, model: AnyAppModel, config: KubernetesConfig): Promise<Deployment | undefined> {
  const live = await kube.get('Deployment', config.namespace, model.id);
  refuseForeign(live, 'Deployment', model.id, config.namespace);
  return live;
}

export async function planKubernetesStop(kube: KubeApi, model: AnyAppModel, config: KubernetesConfig): Promise<KubernetesStep[]> {
  const { namespace } = config;
  const live = await ownDeployment(kube, model, config);
  const what = describeObject('Deployment', model.id, namespace);
  if (live === undefined) return [missingStep(`${what} doesn't exist`, `Deployment ${namespace}/${model.id}`)];
  const replicas = live.spec?.replicas ?? 1;
  const manifest = appliedManifest(live, model.id, namespace);
  return [
    {
      owner: STEP_OWNER,
      kind: 'scale-deployment',
      action: replicas === 0 ? 'noop' : 'update',
      resource: `Deployment ${namespace}/${model.id}`,
      title: replicas === 0 ? `${what} is already scaled to 0` : `Scale ${what} to 0 pods`,
      before: { replicas },
      after: { replicas: 0 },
      payload: { manifest: { ...manifest, spec: { ...manifest.spec!, replicas: 0 } } },
    },
  ];
}

/** A ReplicaSet's pod template as a Deployment's: without the hash label the Deployment controller adds. */
export function templateOf(rs: ReplicaSet): PodTemplate {
  const template = structuredClone(rs.spec?.template ?? {}) as PodTemplate & { metadata?: { creationTimestamp?: unknown } };
  const labels = { ...(template.metadata?.labels ?? {}) };
  delete labels['pod-template-hash'];
  const metadata = { ...template.metadata, labels };
  delete metadata.creationTimestamp;
  return { ...template, metadata };
}

export function revisionOf(o: { metadata?: { annotations?: Record<string, string> } } | undefined): number | undefined {
  const value = o?.metadata?.annotations?.[REVISION_ANNOTATION];
  return value === undefined || !/^\d+$/.test(value) ? undefined : Number(value);
}

/** `revision 3 (app: nginx:1.27, log: fluent-bit:3)`. */
export function describeRevision(revision: number | undefined, template: PodTemplate | undefined): string {
  const images = (template?.spec?.containers ?? []).map((c) => `${c.name}: ${c.image ?? '?'}`).join(', ');
  return `revision ${revision ?? '?'}${images === '' ? '' : ` (${images})`}`;
}

/** The ReplicaSets the Deployment owns, newest revision first. */
export async function replicaSetsOf(kube: KubeApi, live: Deployment, namespace: string): Promise<ReplicaSet[]> {
  const uid = live.metadata?.uid;
  const all = (await kube.list('ReplicaSet', namespace)).items;
  return all
    .filter((rs) => rs.metadata?.ownerReferences?.some((o) => o.kind === 'Deployment' && o.uid === uid))
    .sort((a, b) => (revisionOf(b) ?? 0) - (revisionOf(a) ?? 0));
}

/**
 * `hako rollback`: the Deployment back to an earlier ReplicaSet's pod template (`--to N`: ReplicaSet revision N,
 * default the one before the current), as `kubectl rollout undo` does, but as hako's own apply.
 */
export async function planKubernetesRollback(kube: KubeApi, model: AnyAppModel, config: KubernetesConfig, to: number | undefined): Promise<RollbackPlan> {
  const { namespace } = config;
  const live = await ownDeployment(kube, model, config);
  if (live === undefined) {
    throw new HakoError(`Unable to find ${describeObject('Deployment', model.id, namespace)}`, 'SERVICE_NOT_FOUND', 1, { hint: 'Deploy it first: hako deploy FILE' });
  }
  const current = revisionOf(live);
  const replicaSets = await replicaSetsOf(kube, live, namespace);
  const target = to === undefined ? replicaSets.find((rs) => (revisionOf(rs) ?? 0) < (current ?? 0)) : replicaSets.find((rs) => revisionOf(rs) === to);
  if (target === undefined) {
    const known = replicaSets.map((rs) => revisionOf(rs)).filter((r): r is number => r !== undefined);
    const what = to === undefined ? `no revision before ${current ?? 'the current one'}` : `no revision ${to}`;
    throw new HakoError(`Deployment ${model.id} has ${what} to roll back to`, 'NO_ROLLBACK_TARGET', 1, {
      hint: known.length > 0 ? `Revisions kept: ${known.join(', ')} (current: ${current ?? '?'}).` : 'Its ReplicaSets are gone (revisionHistoryLimit).',
    });
  }
  const template = templateOf(target);
  const manifest = appliedManifest(live, model.id, namespace);
  const from = describeRevision(current, live.spec?.template);
  const toText = describeRevision(revisionOf(target), template);
  const step: KubernetesStep<'rollback-deployment'> = {
    owner: STEP_OWNER,
    kind: 'rollback-deployment',
    action: 'update',
    resource: `Deployment ${namespace}/${model.id}`,
    title: `Roll ${describeObject('Deployment', model.id, namespace)} back to ${toText}`,
    // Images and revisions only: a template's env may hold provider values, and rollback reads none to mask them.
    before: { revision: current, images: imagesOf(live.spec?.template) },
    after: { revision: revisionOf(target), images: imagesOf(template) },
    payload: { manifest: { ...manifest, spec: { ...manifest.spec!, template } } },
  };
  return { steps: [step], current: `${model.id} ${from}`, target: `${model.id} ${toText}` };
}

function imagesOf(template: PodTemplate | undefined): Record<string, string> {
  return Object.fromEntries((template?.spec?.containers ?? []).map((c) => [c.name, c.image ?? '']));
}

/** `hako remove`: the app's Service, Deployment (its ReplicaSets and pods follow) and oneshot Jobs, if hako made them. */
export async function planKubernetesRemove(kube: KubeApi, model: AnyAppModel, config: KubernetesConfig): Promise<{ steps: KubernetesStep[]; foreign: string[] }> {
  const { namespace } = config;
  const [deployment, service, jobs] = await Promise.all([
    kube.get('Deployment', namespace, model.id),
    kube.get('Service', namespace, model.id),
    kube.list('Job', namespace, { labelSelector: ownedSelector(model.id, 'oneshot') }),
  ]);
  const steps: KubernetesStep[] = [];
  const foreign: string[] = [];
  for (const [kind, object] of [
    ['Service', service],
    ['Deployment', deployment],
  ] as const) {
    if (object === undefined) continue;
    // Never the Deployment's template: its env may hold provider values, and remove reads none to mask them.
    const shown = kind === 'Service' ? displayShape(object) : { replicas: deployment?.spec?.replicas, images: imagesOf(deployment?.spec?.template) };
    if (isOwned(object, model.id)) steps.push(deleteStep(kind, model.id, namespace, shown));
    else foreign.push(describeObject(kind, model.id, namespace));
  }
  for (const job of jobs.items) {
    const name = job.metadata?.name;
    if (name !== undefined && isOwned(job, model.id)) steps.push(deleteStep('Job', name, namespace));
  }
  if (steps.length === 0) steps.push(missingStep(`Nothing of ${model.id} exists in namespace ${namespace}`, `app ${namespace}/${model.id}`));
  return { steps, foreign };
}
