/**
 * How hako marks what it owns in a namespace. `stop`, `rollback`, `remove` and redeploys touch an object only when
 * it carries both marks for the app: anything else of the same name was made by someone else and is left alone.
 */
import type { ServicePortConfig } from './config.js';

export const STEP_OWNER = 'kubernetes';

export const MANAGED_BY_LABEL = 'app.kubernetes.io/managed-by';
export const MANAGED_BY_VALUE = 'hako';
export const APP_LABEL = 'hako.io/app';
/**
 * Which of the app's pods: the Deployment's (`service`) or a oneshot Job's (`oneshot`). The Deployment and the
 * Service select on it, so a oneshot pod never receives the Service's traffic nor counts as one of the replicas.
 */
export const ROLE_LABEL = 'hako.io/role';
export type PodRole = 'service' | 'oneshot';
/** Pod template annotation `--force` sets to restart every pod (kubectl rollout restart's trick, under our name). */
export const RESTARTED_AT_ANNOTATION = 'hako.io/restarted-at';
/** The Deployment controller's revision number, on Deployments and on their ReplicaSets. */
export const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';
/** Label the Job controller puts on a Job's pods. */
export const JOB_NAME_LABEL = 'batch.kubernetes.io/job-name';

/** The labels on every object hako makes for the app (user labels first: ours win). */
export function objectLabels(appId: string, extra: Readonly<Record<string, string>>): Record<string, string> {
  return { ...extra, 'app.kubernetes.io/name': appId, [MANAGED_BY_LABEL]: MANAGED_BY_VALUE, [APP_LABEL]: appId };
}

/** What selects the app's pods of one role: the Deployment's selector (immutable, so kept minimal) and the Service's. */
export function podSelector(appId: string, role: PodRole): Record<string, string> {
  return { [APP_LABEL]: appId, [ROLE_LABEL]: role };
}

/** A label selector string for objects hako made for the app. */
export function ownedSelector(appId: string, role?: PodRole): string {
  return [`${MANAGED_BY_LABEL}=${MANAGED_BY_VALUE}`, `${APP_LABEL}=${appId}`, ...(role === undefined ? [] : [`${ROLE_LABEL}=${role}`])].join(',');
}

/** Whether an object carries hako's marks for this app. */
export function isOwned(object: { metadata?: { labels?: Record<string, string> } } | undefined, appId: string): boolean {
  const labels = object?.metadata?.labels ?? {};
  return labels[MANAGED_BY_LABEL] === MANAGED_BY_VALUE && labels[APP_LABEL] === appId;
}

/** `Deployment web in namespace prod`: how steps and messages name an object. */
export function describeObject(kind: string, name: string, namespace: string): string {
  return `${kind} ${name} in namespace ${namespace}`;
}

/** A port's name: the one given, else `<protocol>-<port>` (Kubernetes requires names once there are several). */
export function servicePortName(p: ServicePortConfig): string {
  return p.name ?? `${p.protocol.toLowerCase()}-${p.port}`;
}
