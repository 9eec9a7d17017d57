/**
 * The narrow port to Kubernetes: only the calls a Deployment/Service/Job scheduler makes. Like lib/aws/ports.ts it
 * names the client library's types (type-only imports: nothing is loaded) and nothing else; lib/kube/factory.ts is
 * the one place that loads `@kubernetes/client-node`.
 *
 * Objects travel as the API server's JSON, unchanged both ways: what is applied is exactly the manifest given
 * (the client's generated serializer would drop every field its models do not know, silently), and what is read is
 * exactly what the server stored (timestamps stay RFC 3339 strings). The object types are the client's models
 * with `Date` replaced by `string` to say so.
 */
import type {
  CoreV1Event,
  V1Deployment,
  V1Job,
  V1Namespace,
  V1Pod,
  V1ReplicaSet,
  V1Service,
} from '@kubernetes/client-node';

/** A client model as the API server's JSON: `Date` fields are RFC 3339 strings. */
export type Wire<T> = T extends Date
  ? string
  : T extends (infer U)[]
    ? Wire<U>[]
    : T extends object
      ? { [K in keyof T]: Wire<T[K]> }
      : T;

/** The kinds hako reads, by `kind`. All are namespaced. */
export interface KubeObjects {
  Deployment: Wire<V1Deployment>;
  ReplicaSet: Wire<V1ReplicaSet>;
  Pod: Wire<V1Pod>;
  Service: Wire<V1Service>;
  Job: Wire<V1Job>;
  /** core/v1 Events (`involvedObject`, `reason`, `message`, `count`, `lastTimestamp`). */
  Event: Wire<CoreV1Event>;
}
export type KubeKind = keyof KubeObjects;

/** The kinds hako writes with server-side apply. */
export type AppliedKind = 'Deployment' | 'Service' | 'Job';

/** A manifest to apply: `apiVersion`, `kind`, `metadata.name` and `metadata.namespace` are required. */
export type KubeManifest<K extends AppliedKind = AppliedKind> = KubeObjects[K] & {
  apiVersion: string;
  kind: K;
  metadata: NonNullable<KubeObjects[K]['metadata']> & { name: string; namespace: string };
};

export type KubeNamespace = Wire<V1Namespace>;

/** The field manager of every apply: the fields hako sets are hako's, and only those. */
export const FIELD_MANAGER = 'hako';

export interface ApplyOptions {
  /**
   * `dryRun=All`: the server runs every admission and defaulting step and answers with the object as it would
   * be, but stores nothing. The plan of a dry run compares this answer with the live object.
   */
  readonly dryRun?: boolean;
}

export interface KubeList<T> {
  readonly items: T[];
  readonly resourceVersion: string;
}

export interface ListOptions {
  readonly labelSelector?: string;
  readonly fieldSelector?: string;
}

export interface DeleteOptions {
  /** What happens to the object's dependents (a Deployment's ReplicaSets and pods); default Background. */
  readonly propagationPolicy?: 'Foreground' | 'Background' | 'Orphan';
  readonly gracePeriodSeconds?: number;
}

export interface PodLogOptions {
  /** Required when the pod has more than one container. */
  readonly container?: string;
  readonly tailLines?: number;
  readonly sinceSeconds?: number;
  /** The previous (crashed) instance of the container. */
  readonly previous?: boolean;
  readonly timestamps?: boolean;
}

export interface FollowPodLogOptions extends PodLogOptions {
  /** Called with each chunk of log text as it arrives (UTF-8, not split into lines). */
  readonly onData: (text: string) => void;
}

export type WatchEventType = 'ADDED' | 'MODIFIED' | 'DELETED' | 'BOOKMARK';

export interface WatchEvent<T> {
  readonly type: WatchEventType;
  readonly object: T;
}

export interface WatchOptions<T> extends ListOptions {
  /** Start after this version (from a list or get); omitted, the server first sends every current object as ADDED. */
  readonly resourceVersion?: string;
  /** How long the server keeps the watch open before ending it (the stream then ends normally). */
  readonly timeoutSeconds?: number;
  readonly onEvent: (event: WatchEvent<T>) => void;
}

/** A streaming call (log follow, watch) in progress. */
export interface KubeStream {
  /** Resolves when the server ends the stream or after stop(); rejects with a KubeApiError when it fails. */
  readonly done: Promise<void>;
  stop(): void;
}

export interface KubeApi {
  /** The kubeconfig context in use and its server URL, for messages. */
  readonly context: string;
  readonly server: string;
  /**
   * Server-side apply as field manager `hako`, forcing ownership of conflicting fields (hako's definition is the
   * source of truth for what it manages), with strict field validation (an unknown field is an error, not ignored).
   * Creates the object when it does not exist. Returns the object as stored, or as it would be with `dryRun`.
   */
  apply<K extends AppliedKind>(manifest: KubeManifest<K>, options?: ApplyOptions): Promise<KubeObjects[K]>;
  /** The object, or undefined when there is none. */
  get<K extends KubeKind>(kind: K, namespace: string, name: string): Promise<KubeObjects[K] | undefined>;
  /**
   * Every matching object (all pages), each with its `apiVersion` and `kind`, and the list's resourceVersion: the
   * point to watch from for changes after it.
   */
  list<K extends KubeKind>(kind: K, namespace: string, options?: ListOptions): Promise<KubeList<KubeObjects[K]>>;
  /** Deletes the object: `absent` when there was nothing to delete (not an error). */
  delete(kind: KubeKind, namespace: string, name: string, options?: DeleteOptions): Promise<'deleted' | 'absent'>;
  getNamespace(name: string): Promise<KubeNamespace | undefined>;
  /** A container's log so far. */
  readPodLog(namespace: string, pod: string, options?: PodLogOptions): Promise<string>;
  /** Streams a container's log until the container ends (the server closes the stream) or stop(). */
  followPodLog(namespace: string, pod: string, options: FollowPodLogOptions): KubeStream;
  /** Streams changes to objects of one kind in a namespace. */
  watch<K extends KubeKind>(kind: K, namespace: string, options: WatchOptions<KubeObjects[K]>): KubeStream;
}

/** The calls that change the cluster (a dry-run apply does not, but goes through the same call). */
export const KUBE_MUTATING_METHODS = ['apply', 'delete'] as const satisfies readonly (keyof KubeApi)[];
