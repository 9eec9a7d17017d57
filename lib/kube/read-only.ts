/**
 * A read-only view of the KubeApi port: a second line of defence for dry runs (the first being that a dry run never
 * reaches the apply phase). Server-side dry-run applies pass (they store nothing, and they are how plans are made);
 * real applies and deletes are refused before any request is sent.
 */
import { HakoError } from '../errors.js';
import type { KubeApi } from './ports.js';

/** Code of the error thrown when a read-only port is asked to change the cluster. */
export const KUBE_MUTATION_REFUSED = 'KUBE_MUTATION_REFUSED';

function refuse(what: string): Promise<never> {
  return Promise.reject(new HakoError(`Refusing to ${what}: this run must not change the cluster`, KUBE_MUTATION_REFUSED));
}

export function readOnlyKubeApi(api: KubeApi): KubeApi {
  return {
    context: api.context,
    server: api.server,
    apply: (manifest, options) =>
      options?.dryRun === true ? api.apply(manifest, options) : refuse(`apply ${manifest.kind} ${manifest.metadata.name}`),
    get: (kind, namespace, name) => api.get(kind, namespace, name),
    list: (kind, namespace, options) => api.list(kind, namespace, options),
    delete: (kind, _namespace, name) => refuse(`delete ${kind} ${name}`),
    getNamespace: (name) => api.getNamespace(name),
    readPodLog: (namespace, pod, options) => api.readPodLog(namespace, pod, options),
    followPodLog: (namespace, pod, options) => api.followPodLog(namespace, pod, options),
    watch: (kind, namespace, options) => api.watch(kind, namespace, options),
  };
}
