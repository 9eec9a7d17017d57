/**
 * A hand-written KubeApi for unit tests: objects in memory, every call recorded. `apply` answers like a server
 * would in the ways the planner relies on — the manifest merged over the live object, a default the server
 * adds (`spec.revisionHistoryLimit` on Deployments), generation bumped on spec changes, resourceVersion bumped on any
 * change, hako's managedFields entry — and a dry run answers the same without storing. Waits script the objects a
 * `get` returns next with `script`.
 */
import { KubeApiError } from '../../lib/errors.js';
import type { KubeApi, KubeKind, KubeManifest, KubeObjects, KubeStream, WatchOptions } from '../../lib/kube/ports.js';
import { canonicalJson } from '../../lib/plan/normalise-for-diff.js';

export interface KubeCall {
  readonly method: keyof KubeApi;
  readonly kind?: string;
  readonly name?: string;
  readonly dryRun?: boolean;
}

type Obj = Record<string, any>;

/** Every key of `fields` as a managedFields trie: maps by `f:`, lists of named items by `k:`, other values as leaves. */
function fieldsOf(value: unknown): Obj {
  if (Array.isArray(value)) {
    if (value.every((v) => typeof v === 'object' && v !== null && typeof (v as Obj).name === 'string')) {
      return Object.fromEntries(value.map((v: Obj) => [`k:${JSON.stringify({ name: v.name })}`, { '.': {}, ...fieldsOf(v) }]));
    }
    return {};
  }
  if (typeof value !== 'object' || value === null) return {};
  return Object.fromEntries(
    Object.entries(value as Obj).map(([k, v]) => [`f:${k}`, typeof v === 'object' && v !== null && !isAtomic(k) ? fieldsOf(v) : {}]),
  );
}

/** Lists and maps the real server treats as atomic (replaced whole): leaves in managedFields. */
function isAtomic(key: string): boolean {
  return ['command', 'args', 'selector', 'matchLabels', 'ports', 'volumes', 'resources', 'exec', 'emptyDir', 'hostPath'].includes(key);
}

export class FakeKube implements KubeApi {
  readonly context = 'fake-context';
  readonly server = 'https://fake.example:6443';
  readonly calls: KubeCall[] = [];
  readonly objects = new Map<string, Obj>();
  readonly namespaces = new Set<string>(['prod']);
  /** Objects `get` returns next for a key (`Deployment/prod/web`), in order, before the stored one. */
  private readonly scripted = new Map<string, Obj[]>();
  private version = 100;
  /** Server time of the next apply (managedFields `time`). */
  now = '2024-05-01T10:00:00Z';

  private key(kind: string, namespace: string, name: string): string {
    return `${kind}/${namespace}/${name}`;
  }

  put(object: Obj): Obj {
    const stored = structuredClone(object);
    stored.metadata = { resourceVersion: String(++this.version), uid: `uid-${stored.metadata.name}`, generation: 1, ...stored.metadata };
    this.objects.set(this.key(stored.kind, stored.metadata.namespace, stored.metadata.name), stored);
    return stored;
  }

  script(kind: string, namespace: string, name: string, ...states: Obj[]): void {
    this.scripted.set(this.key(kind, namespace, name), states.map((s) => structuredClone(s)));
  }

  /** The calls that would change the cluster (dry runs excluded). */
  get writes(): KubeCall[] {
    return this.calls.filter((c) => (c.method === 'apply' && !c.dryRun) || c.method === 'delete');
  }

  async apply<K extends 'Deployment' | 'Service' | 'Job'>(manifest: KubeManifest<K>, options: { dryRun?: boolean } = {}): Promise<KubeObjects[K]> {
    const { kind } = manifest;
    const { name, namespace } = manifest.metadata;
    this.calls.push({ method: 'apply', kind, name, dryRun: options.dryRun ?? false });
    if (!this.namespaces.has(namespace)) throw new KubeApiError('apply', 404, 'NotFound', `namespaces "${namespace}" not found`, { kind, name, namespace });
    const live = this.objects.get(this.key(kind, namespace, name));
    const next: Obj = structuredClone(manifest);
    if (kind === 'Deployment') next.spec = { revisionHistoryLimit: 10, ...next.spec };
    const liveMeta = live?.metadata ?? {};
    const specChanged = live === undefined || canonicalJson(live.spec) !== canonicalJson(next.spec);
    const changed = live === undefined || specChanged || canonicalJson(live.metadata?.labels) !== canonicalJson(next.metadata.labels);
    next.metadata = {
      ...next.metadata,
      uid: liveMeta.uid ?? `uid-${name}`,
      annotations: { ...(liveMeta.annotations ?? {}), ...(next.metadata.annotations ?? {}) },
      generation: live === undefined ? 1 : specChanged ? (liveMeta.generation ?? 1) + 1 : liveMeta.generation,
      resourceVersion: changed ? String(this.version + 1) : liveMeta.resourceVersion,
      creationTimestamp: liveMeta.creationTimestamp ?? this.now,
      managedFields: [{ manager: 'hako', operation: 'Apply', apiVersion: manifest.apiVersion, time: changed ? this.now : liveMeta.managedFields?.[0]?.time, fieldsType: 'FieldsV1', fieldsV1: fieldsOf({ metadata: { labels: next.metadata.labels }, spec: manifest.spec }) }],
    };
    if (Object.keys(next.metadata.annotations).length === 0) delete next.metadata.annotations;
    if (live?.status !== undefined) next.status = live.status;
    if (!options.dryRun) {
      if (changed) this.version++;
      this.objects.set(this.key(kind, namespace, name), next);
    }
    return structuredClone(next) as KubeObjects[K];
  }

  async get<K extends KubeKind>(kind: K, namespace: string, name: string): Promise<KubeObjects[K] | undefined> {
    this.calls.push({ method: 'get', kind, name });
    const queue = this.scripted.get(this.key(kind, namespace, name));
    if (queue !== undefined && queue.length > 0) {
      const next = queue.length > 1 ? queue.shift()! : queue[0]!;
      return structuredClone(next) as KubeObjects[K];
    }
    const o = this.objects.get(this.key(kind, namespace, name));
    return o === undefined ? undefined : (structuredClone(o) as KubeObjects[K]);
  }

  async list<K extends KubeKind>(kind: K, namespace: string, options: { labelSelector?: string } = {}) {
    this.calls.push({ method: 'list', kind });
    const wanted = (options.labelSelector ?? '').split(',').filter((s) => s !== '').map((s) => s.split('='));
    const items = [...this.objects.values()]
      .filter((o) => o.kind === kind && o.metadata.namespace === namespace)
      .filter((o) => wanted.every(([k, v]) => o.metadata.labels?.[k!] === v))
      .map((o) => structuredClone(o) as KubeObjects[K]);
    return { items, resourceVersion: String(this.version) };
  }

  async delete(kind: KubeKind, namespace: string, name: string): Promise<'deleted' | 'absent'> {
    this.calls.push({ method: 'delete', kind, name });
    return this.objects.delete(this.key(kind, namespace, name)) ? 'deleted' : 'absent';
  }

  async getNamespace(name: string) {
    this.calls.push({ method: 'getNamespace', name });
    return this.namespaces.has(name) ? { metadata: { name } } : undefined;
  }

  async readPodLog(): Promise<string> {
    return '';
  }

  /** Log text `followPodLog` delivers, then ends (as a kubelet ends the stream when the container stops). */
  logText = '';

  followPodLog(_namespace: string, _pod: string, options: { onData: (text: string) => void }): KubeStream {
    this.calls.push({ method: 'followPodLog' });
    const text = this.logText;
    return { done: Promise.resolve().then(() => options.onData(text)), stop: () => undefined };
  }

  /** Called on each watch: a test moves virtual time or changes objects between looks. */
  onWatch?: () => void;

  /** Ends at once: the waiting code looks again (each look is one scripted state). */
  watch<K extends KubeKind>(kind: K, _namespace: string, _options: WatchOptions<KubeObjects[K]>): KubeStream {
    this.calls.push({ method: 'watch', kind });
    this.onWatch?.();
    return { done: Promise.resolve(), stop: () => undefined };
  }
}
