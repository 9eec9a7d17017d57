/**
 * The KubeApi port over KubeRest: REST paths for the kinds hako uses, server-side apply, pagination, log and watch
 * streams. Knows nothing about kubeconfig files or the client library (factory.ts does).
 */
import { KubeApiError } from '../errors.js';
import { statusError } from './kube-error.js';
import {
  FIELD_MANAGER,
  type AppliedKind,
  type KubeApi,
  type KubeKind,
  type KubeList,
  type KubeManifest,
  type KubeObjects,
  type KubeStream,
  type WatchEvent,
} from './ports.js';
import type { KubeTransport, Query } from './rest.js';

interface KindInfo {
  readonly apiVersion: string;
  /** The resource name in URLs. */
  readonly plural: string;
}

const KINDS: { readonly [K in KubeKind]: KindInfo } = {
  Deployment: { apiVersion: 'apps/v1', plural: 'deployments' },
  ReplicaSet: { apiVersion: 'apps/v1', plural: 'replicasets' },
  Pod: { apiVersion: 'v1', plural: 'pods' },
  Service: { apiVersion: 'v1', plural: 'services' },
  Job: { apiVersion: 'batch/v1', plural: 'jobs' },
  Event: { apiVersion: 'v1', plural: 'events' },
};

const APPLIED_KINDS: ReadonlySet<string> = new Set<AppliedKind>(['Deployment', 'Service', 'Job']);

/** `/apis/apps/v1/namespaces/NS/deployments[/NAME]` (core kinds under `/api/v1`). */
export function resourcePath(kind: KubeKind, namespace: string, name?: string): string {
  const info = KINDS[kind];
  const root = info.apiVersion.includes('/') ? `/apis/${info.apiVersion}` : `/api/${info.apiVersion}`;
  const base = `${root}/namespaces/${encodeURIComponent(namespace)}/${info.plural}`;
  return name === undefined ? base : `${base}/${encodeURIComponent(name)}`;
}

const PAGE_SIZE = 500;

export function createKubeApi(rest: KubeTransport, context: string): KubeApi {
  const parse = <T>(text: string): T => JSON.parse(text) as T;

  return {
    context,
    server: rest.server,

    async apply<K extends AppliedKind>(manifest: KubeManifest<K>, options: { dryRun?: boolean } = {}): Promise<KubeObjects[K]> {
      const { kind } = manifest;
      const name = manifest.metadata?.name;
      const namespace = manifest.metadata?.namespace;
      const target = { kind, ...(name ? { name } : {}), ...(namespace ? { namespace } : {}) };
      if (!APPLIED_KINDS.has(kind) || !name || !namespace) {
        throw new KubeApiError('apply', 0, 'InvalidManifest', 'a manifest needs kind Deployment, Service or Job, metadata.name and metadata.namespace', target);
      }
      const body = await rest.ok({
        operation: options.dryRun ? 'apply (dry run)' : 'apply',
        target,
        method: 'PATCH',
        path: resourcePath(kind, namespace, name),
        query: { fieldManager: FIELD_MANAGER, force: true, fieldValidation: 'Strict', dryRun: options.dryRun ? 'All' : undefined },
        // JSON is YAML: the apply content type takes it as it is.
        contentType: 'application/apply-patch+yaml',
        body: JSON.stringify(manifest),
      });
      return parse<KubeObjects[K]>(body);
    },

    async get<K extends KubeKind>(kind: K, namespace: string, name: string): Promise<KubeObjects[K] | undefined> {
      const req = { operation: 'get', target: { kind, name, namespace }, method: 'GET', path: resourcePath(kind, namespace, name) } as const;
      const res = await rest.request(req);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw statusError(req.operation, req.target, res.status, res.body, rest.server);
      return parse<KubeObjects[K]>(res.body);
    },

    async list<K extends KubeKind>(kind: K, namespace: string, options: { labelSelector?: string; fieldSelector?: string } = {}): Promise<KubeList<KubeObjects[K]>> {
      const items: KubeObjects[K][] = [];
      let continueToken: string | undefined;
      let resourceVersion = '';
      do {
        const body = await rest.ok({
          operation: 'list',
          target: { kind, namespace },
          method: 'GET',
          path: resourcePath(kind, namespace),
          query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector, limit: PAGE_SIZE, continue: continueToken },
        });
        const page = parse<{ items?: KubeObjects[K][]; metadata?: { continue?: string; resourceVersion?: string } }>(body);
        // Every page of one list is a snapshot at the first page's version.
        resourceVersion ||= page.metadata?.resourceVersion ?? '';
        // The server leaves apiVersion and kind out of list items; put them back so every object says what it is.
        for (const item of page.items ?? []) items.push({ apiVersion: KINDS[kind].apiVersion, kind, ...item });
        continueToken = page.metadata?.continue || undefined;
      } while (continueToken !== undefined);
      return { items, resourceVersion };
    },

    async delete(kind, namespace, name, options = {}) {
      const req = {
        operation: 'delete',
        target: { kind, name, namespace },
        method: 'DELETE',
        path: resourcePath(kind, namespace, name),
        query: { propagationPolicy: options.propagationPolicy ?? 'Background', gracePeriodSeconds: options.gracePeriodSeconds },
      } as const;
      const res = await rest.request(req);
      if (res.status === 404) return 'absent';
      if (res.status < 200 || res.status > 299) throw statusError(req.operation, req.target, res.status, res.body, rest.server);
      return 'deleted';
    },

    async getNamespace(name) {
      const req = { operation: 'get', target: { kind: 'Namespace', name }, method: 'GET', path: `/api/v1/namespaces/${encodeURIComponent(name)}` } as const;
      const res = await rest.request(req);
      if (res.status === 404) return undefined;
      if (res.status !== 200) throw statusError(req.operation, req.target, res.status, res.body, rest.server);
      return parse(res.body);
    },

    async readPodLog(namespace, pod, options = {}) {
      return rest.ok({
        operation: 'read log of',
        target: { kind: 'Pod', name: pod, namespace },
        method: 'GET',
        path: `${resourcePath('Pod', namespace, pod)}/log`,
        query: logQuery(options),
      });
    },

    followPodLog(namespace, pod, options) {
      return rest.stream(
        {
          operation: 'follow log of',
          target: { kind: 'Pod', name: pod, namespace },
          method: 'GET',
          path: `${resourcePath('Pod', namespace, pod)}/log`,
          query: { ...logQuery(options), follow: true },
        },
        options.onData,
      );
    },

    watch<K extends KubeKind>(kind: K, namespace: string, options: Parameters<KubeApi['watch']>[2] & { onEvent: (e: WatchEvent<KubeObjects[K]>) => void }): KubeStream {
      const target = { kind, namespace };
      let pending = '';
      let failure: KubeApiError | undefined;
      let stream: KubeStream | undefined;
      const onText = (text: string) => {
        pending += text;
        let newline: number;
        while ((newline = pending.indexOf('\n')) >= 0) {
          const line = pending.slice(0, newline).trim();
          pending = pending.slice(newline + 1);
          if (line === '' || failure !== undefined) continue;
          const event = JSON.parse(line) as { type: string; object: unknown };
          if (event.type === 'ERROR') {
            // The watch ended with a Status (410 Gone: the resourceVersion is too old; list again and re-watch).
            const status = event.object as { code?: number };
            failure = statusError('watch', target, status.code ?? 500, JSON.stringify(status), rest.server);
            stream?.stop();
            continue;
          }
          options.onEvent(event as WatchEvent<KubeObjects[K]>);
        }
      };
      stream = rest.stream(
        {
          operation: 'watch',
          target,
          method: 'GET',
          path: resourcePath(kind, namespace),
          query: {
            watch: true,
            labelSelector: options.labelSelector,
            fieldSelector: options.fieldSelector,
            resourceVersion: options.resourceVersion,
            timeoutSeconds: options.timeoutSeconds,
          },
        },
        onText,
      );
      const inner = stream;
      return {
        done: inner.done.then(() => {
          if (failure !== undefined) throw failure;
        }),
        stop: () => inner.stop(),
      };
    },
  };
}

function logQuery(options: { container?: string; tailLines?: number; sinceSeconds?: number; previous?: boolean; timestamps?: boolean }): Query {
  return {
    container: options.container,
    tailLines: options.tailLines,
    sinceSeconds: options.sinceSeconds,
    previous: options.previous || undefined,
    timestamps: options.timestamps || undefined,
  };
}
