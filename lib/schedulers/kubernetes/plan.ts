/**
 * Planning a deploy: observe the live objects, ask the API server what applying the manifests would make of them
 * (server-side apply with `dryRun=All`: every default, admission and validation step runs, nothing is stored), and
 * compare. A step is a change exactly when the server says the object would change, so `diff` shows what the
 * server would do and a deploy without changes sends no apply at all. Read-only.
 */
import type { AnyAppModel } from '../../definition/model.js';
import { DefinitionError, HakoError, KubeApiError } from '../../errors.js';
import type { KubeApi, KubeManifest, KubeObjects } from '../../kube/ports.js';
import { appliedConfiguration } from './applied.js';
import { createdShape, displayShape, wouldChange } from './compare.js';
import type { KubernetesConfig } from './config.js';
import { describeObject, isOwned, RESTARTED_AT_ANNOTATION, REVISION_ANNOTATION } from './labels.js';
import { deploymentManifest, serviceManifest } from './manifests.js';
import { applyStep, deleteStep, type DeploymentPayload, type KubernetesStep } from './steps.js';

export interface KubernetesDeployOptions {
  readonly force: boolean;
  /** The restart mark `--force` puts on the pod template (an RFC 3339 time). */
  readonly now: () => string;
}

/** The namespace must exist: hako makes objects in it, not the namespace itself (as `kubectl apply -n` does). */
export async function requireNamespace(kube: KubeApi, namespace: string): Promise<void> {
  let found: unknown;
  try {
    found = await kube.getNamespace(namespace);
  } catch (e) {
    // Users confined to their namespace often may not read Namespace objects; the dry run will tell if it is missing.
    if (e instanceof KubeApiError && e.status === 403) return;
    throw e;
  }
  if (found === undefined) {
    throw new HakoError(`Namespace ${namespace} does not exist in ${kube.context} (${kube.server})`, 'KUBE_NAMESPACE_NOT_FOUND', 1, {
      hint: `Create it first (kubectl create namespace ${namespace}), or set scheduler.namespace / scheduler.context to where the app belongs.`,
    });
  }
}

/** An object of the app's name that hako did not make is someone else's: deploy stops rather than take it over. */
export function refuseForeign(object: { metadata?: { labels?: Record<string, string> } } | undefined, kind: string, appId: string, namespace: string): void {
  if (object === undefined || isOwned(object, appId)) return;
  throw new HakoError(`${describeObject(kind, appId, namespace)} exists and was not made by hako for ${appId}`, 'KUBE_NOT_OWNED', 1, {
    hint: `hako manages only objects labelled app.kubernetes.io/managed-by=hako and hako.io/app=${appId}. Delete or rename the existing ${kind}, or deploy into another namespace.`,
  });
}

/** One object: the server's dry-run answer compared with the live object. */
async function planApply<K extends 'apply-deployment' | 'apply-service'>(
  kube: KubeApi,
  kind: K,
  payload: K extends 'apply-deployment' ? DeploymentPayload : { manifest: KubeManifest },
  live: unknown,
): Promise<KubernetesStep<K>> {
  const dryRun = await kube.apply(payload.manifest, { dryRun: true });
  const action = live === undefined ? 'create' : wouldChange(live, dryRun) ? 'update' : 'noop';
  return applyStep(kind, action, payload as never, { before: displayShape(live), after: live === undefined ? createdShape(dryRun) : displayShape(dryRun) });
}

/** The steps of a deploy: the Service (if any) first, as `kubectl apply` orders them, then the Deployment. */
export async function planKubernetesDeploy(
  kube: KubeApi,
  model: AnyAppModel,
  config: KubernetesConfig,
  options: KubernetesDeployOptions,
): Promise<KubernetesStep[]> {
  if (config.desiredCount === undefined) {
    throw new DefinitionError(model.file, [{ path: 'scheduler.desired_count', message: 'required for deploy (the number of pods)', severity: 'error' }]);
  }
  const { namespace } = config;
  await requireNamespace(kube, namespace);
  const [liveDeployment, liveService] = await Promise.all([kube.get('Deployment', namespace, model.id), kube.get('Service', namespace, model.id)]);
  refuseForeign(liveDeployment, 'Deployment', model.id, namespace);

  const steps: KubernetesStep[] = [];
  const service = serviceManifest(model, config);
  if (service !== undefined) {
    refuseForeign(liveService, 'Service', model.id, namespace);
    steps.push(await planApply(kube, 'apply-service', { manifest: service }, liveService));
  } else if (liveService !== undefined && isOwned(liveService, model.id)) {
    // The definition no longer asks for a Service: the one hako made goes, as a dropped resource goes in tanka.
    steps.push(deleteStep('Service', model.id, namespace, displayShape(liveService)));
  }

  const restartedAt = options.force ? options.now() : liveDeployment?.spec?.template?.metadata?.annotations?.[RESTARTED_AT_ANNOTATION];
  const manifest = deploymentManifest(model, config, restartedAt === undefined ? {} : { restartedAt });
  steps.push(await planApply(kube, 'apply-deployment', { manifest, ...previousOf(liveDeployment) }, liveDeployment));
  return steps;
}

function previousOf(live: KubeObjects['Deployment'] | undefined): Pick<DeploymentPayload, 'previous' | 'previousRevision'> {
  if (live === undefined) return {};
  const previous = appliedConfiguration(live as Parameters<typeof appliedConfiguration>[0]);
  const revision = live.metadata?.annotations?.[REVISION_ANNOTATION];
  return { ...(previous === undefined ? {} : { previous }), ...(revision === undefined ? {} : { previousRevision: revision }) };
}
