/**
 * The kubernetes scheduler's steps: plain data that plans render and the executor hands back to `apply`. Every
 * change is a server-side apply of a manifest or a delete; what differs between kinds is what happens after (a
 * rollout to watch, a Job to follow) and how plans word them.
 */
import type { KubeManifest } from '../../kube/ports.js';
import type { OwnedStep, Step, StepAction } from '../../plan/plan.js';
import { describeObject, STEP_OWNER } from './labels.js';

/** A Deployment apply whose rollout `wait` follows. */
export interface DeploymentPayload {
  readonly manifest: KubeManifest<'Deployment'>;
  /**
   * What hako had applied before this run (applied.ts), re-applied if the rollout fails; absent on a first deploy
   * or for an object hako never applied. It may hold provider values: payloads are never shown.
   */
  readonly previous?: Record<string, unknown>;
  /** The live Deployment's revision before this run, for messages (`Rolled back to web revision 3`). */
  readonly previousRevision?: string;
}

export interface ApplyPayload {
  readonly manifest: KubeManifest;
}

/** A rollback (deploy recovery or `hako rollback`): an apply of hako's configuration with another pod template. */
export interface RollbackPayload {
  readonly manifest: KubeManifest<'Deployment'>;
}

export interface DeletePayload {
  /** ReplicaSet: a failed rollout's, dropped from the history after its recovery (as ECS deregisters a failed revision). */
  readonly kind: 'Deployment' | 'Service' | 'Job' | 'ReplicaSet';
  readonly name: string;
  readonly namespace: string;
}

export interface KubernetesPayloads {
  'apply-deployment': DeploymentPayload;
  'apply-service': ApplyPayload;
  'rollback-deployment': RollbackPayload;
  'scale-deployment': ApplyPayload;
  'create-job': ApplyPayload;
  delete: DeletePayload;
  /** Nothing to do (stop or remove of an app that is not there): the title says so. */
  missing: Record<string, never>;
}

export type KubernetesStep<K extends keyof KubernetesPayloads = keyof KubernetesPayloads> = OwnedStep<typeof STEP_OWNER, KubernetesPayloads, K>;

/** The kinds whose apply starts a rollout of the Deployment. */
export const ROLLOUT_KINDS: ReadonlySet<string> = new Set(['apply-deployment', 'rollback-deployment']);

export function isKubernetesStep(step: Step): step is KubernetesStep {
  return step.owner === STEP_OWNER;
}

const VERB: Record<StepAction, string> = { create: 'Create', update: 'Update', delete: 'Delete', noop: '' };

/** A step applying `manifest`: create, update, or a noop saying it is up to date. */
export function applyStep<K extends 'apply-deployment' | 'apply-service' | 'create-job'>(
  kind: K,
  action: StepAction,
  payload: KubernetesPayloads[K] & { manifest: KubeManifest },
  shapes: { before?: unknown; after?: unknown },
): KubernetesStep<K> {
  const m = payload.manifest;
  const what = describeObject(m.kind, m.metadata.name, m.metadata.namespace);
  const title = action === 'noop' ? `${what} is up to date` : `${VERB[action]} ${what}`;
  return {
    owner: STEP_OWNER,
    kind,
    action,
    resource: `${m.kind} ${m.metadata.namespace}/${m.metadata.name}`,
    title,
    ...(shapes.before === undefined ? {} : { before: shapes.before }),
    ...(shapes.after === undefined ? {} : { after: shapes.after }),
    payload,
  } as KubernetesStep<K>;
}

export function deleteStep(kind: DeletePayload['kind'], name: string, namespace: string, before?: unknown): KubernetesStep<'delete'> {
  return {
    owner: STEP_OWNER,
    kind: 'delete',
    action: 'delete',
    resource: `${kind} ${namespace}/${name}`,
    title: `Delete ${describeObject(kind, name, namespace)}`,
    ...(before === undefined ? {} : { before }),
    payload: { kind, name, namespace },
  };
}

export function missingStep(title: string, resource: string): KubernetesStep<'missing'> {
  return { owner: STEP_OWNER, kind: 'missing', action: 'noop', resource, title, payload: {} };
}
