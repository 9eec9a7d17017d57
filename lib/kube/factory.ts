/**
 * The one place `@kubernetes/client-node` is loaded: with a dynamic `import()` the first time the port is asked
 * for, so commands that never talk to a cluster (`show-definition`, `schema`, anything on ECS) load none of it.
 *
 * Which cluster: the kubeconfig at `kubeconfig` if given; otherwise what kubectl would use — the files in
 * `KUBECONFIG` (merged), else `~/.kube/config`, else the in-cluster service account. The context is `context` if
 * given, else the kubeconfig's current context.
 *
 * Client version: 1.4.x. Its 2.x line requires Node >= 22 (undici 8 needs zlib's zstd at load time), and hako
 * supports Node 20.
 */
import { existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { KubeConfig } from '@kubernetes/client-node';
import { KubeApiError } from '../errors.js';
import type { IoHost } from '../io/io-host.js';
import { debug } from '../io/io-host.js';
import { createKubeApi } from './api.js';
import type { KubeApi } from './ports.js';
import { KubeRest } from './rest.js';

export interface KubeClientsOptions {
  /** A kubeconfig file; omitted, kubectl's rules (KUBECONFIG, ~/.kube/config, in-cluster). */
  readonly kubeconfig?: string;
  /** A context of that kubeconfig; omitted, its current context. */
  readonly context?: string;
  /** hako's version, sent as `hako/<version>` in the user agent. */
  readonly userAgentVersion: string;
  /** Receives a debug message per API call (method, path and operation, never bodies). */
  readonly io?: IoHost;
}

export interface KubeClients {
  /** The port, built on first use and shared afterwards. */
  kube(): Promise<KubeApi>;
}

/** Builds the lazily created Kubernetes port for one run. Nothing is read or loaded until kube() is called. */
export function createKubeClients(options: KubeClientsOptions): KubeClients {
  let pending: Promise<KubeApi> | undefined;
  return {
    kube() {
      if (pending === undefined) {
        const current = build(options);
        pending = current;
        // A missing kubeconfig must not poison the cache for the rest of the run.
        current.catch(() => {
          if (pending === current) pending = undefined;
        });
      }
      return pending;
    },
  };
}

async function build(options: KubeClientsOptions): Promise<KubeApi> {
  const { KubeConfig } = await import('@kubernetes/client-node');
  const config = new KubeConfig();
  loadConfig(config, options);
  const context = config.getCurrentContext();
  const cluster = config.getCurrentCluster();
  if (cluster === null) {
    throw configError(`the kubeconfig context ${context || '(none)'} names no cluster`, 'Set current-context in the kubeconfig, or pass a context that exists.');
  }
  const io = options.io;
  const onCall =
    io === undefined ? undefined : (method: string, p: string, operation: string) => debug(io, 'kube.call', `${method} ${p} (${operation})`, { method, path: p, operation });
  return createKubeApi(new KubeRest(config, cluster.server, `hako/${options.userAgentVersion}`, onCall), context);
}

function loadConfig(config: KubeConfig, options: KubeClientsOptions): void {
  const source = options.kubeconfig ?? (process.env.KUBECONFIG || undefined);
  try {
    if (options.kubeconfig !== undefined) {
      config.loadFromFile(options.kubeconfig);
    } else if (source !== undefined || existsSync(path.join(os.homedir(), '.kube', 'config')) || process.env.KUBERNETES_SERVICE_HOST) {
      config.loadFromDefault();
    } else {
      // loadFromDefault() would quietly fall back to http://localhost:8080.
      throw configError('no kubeconfig: KUBECONFIG is not set and ~/.kube/config does not exist', 'Point KUBECONFIG at the cluster\'s kubeconfig.');
    }
  } catch (e) {
    if (e instanceof KubeApiError) throw e;
    throw configError(`cannot read the kubeconfig${source === undefined ? '' : ` ${source}`}: ${(e as Error).message}`, undefined, e);
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null) {
      const known = config.getContexts().map((c) => c.name);
      throw configError(`the kubeconfig has no context ${options.context}`, known.length > 0 ? `Contexts there: ${known.join(', ')}.` : undefined);
    }
    config.setCurrentContext(options.context);
  }
}

function configError(message: string, hint?: string, cause?: unknown): KubeApiError {
  return new KubeApiError('load kubeconfig', 0, 'InvalidKubeconfig', message, {}, {
    ...(hint === undefined ? {} : { hint }),
    ...(cause === undefined ? {} : { cause }),
  });
}
