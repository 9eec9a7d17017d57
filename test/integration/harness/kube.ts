/**
 * One Kubernetes control plane (scripts/kube/control-plane.ts) for the whole integration run, shared by every test
 * file that calls `useKube()`.
 *
 * It starts lazily in the first `before` that needs it — building the binaries first if they are not cached yet,
 * which takes minutes once (progress on stderr) — and stops in a root `after` hook or, failing that, when the test
 * process exits. Each test gets a namespace of its own, created before it (with its `default` ServiceAccount, which
 * pods need) and deleted after it, so tests never see each other's objects.
 */
import { startKubeControlPlane, type KubeControlPlane } from '../../../scripts/kube/control-plane.js';

let shared: Promise<KubeControlPlane> | undefined;

function acquire(): Promise<KubeControlPlane> {
  if (shared === undefined) {
    const entry = startKubeControlPlane();
    shared = entry;
    entry.catch(() => {
      if (shared === entry) shared = undefined;
    });
  }
  return shared;
}

/** Stops the shared control plane, if one runs. Safe to call more than once. */
export async function stopSharedKube(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current === undefined) return;
  const plane = await current.catch(() => undefined);
  await plane?.stop();
}

// Mocha's globals exist only while mocha loads spec files; at module top level they register on the root suite.
if (typeof after === 'function') after(stopSharedKube);

export interface KubeHandle {
  /** The running control plane. Only valid once the suite's `before` hooks have run. */
  plane(): KubeControlPlane;
  kubeconfigPath(): string;
  /** This test's namespace (fresh for every test). */
  namespace(): string;
  /** What a process needs to talk to this cluster: `KUBECONFIG`. */
  env(): NodeJS.ProcessEnv;
}

let namespaceCounter = 0;

/** Registers mocha hooks on the current suite: start (or reuse) the shared control plane, a namespace per test. */
export function useKube(): KubeHandle {
  let plane: KubeControlPlane | undefined;
  let namespace: string | undefined;
  const need = (): KubeControlPlane => {
    if (plane === undefined) throw new Error('the control plane is not running yet: use the handle inside hooks or tests');
    return plane;
  };

  before(async function () {
    // The first run builds kube-apiserver & co. from Go modules (several minutes on two cores); later runs start in
    // seconds.
    this.timeout(1_800_000);
    plane = await acquire();
  });
  beforeEach(async function () {
    this.timeout(60_000);
    namespace = `t${process.pid}-${++namespaceCounter}`;
    await createNamespace(need(), namespace);
  });
  afterEach(async () => {
    if (namespace === undefined) return;
    // Deletion finishes in the background (the namespace controller empties it); nothing waits for it.
    const res = await need().request('DELETE', `/api/v1/namespaces/${namespace}`);
    if (res.status !== 200 && res.status !== 202 && res.status !== 404) throw new Error(`deleting namespace ${namespace}: HTTP ${res.status} ${res.body}`);
    namespace = undefined;
  });

  return {
    plane: need,
    kubeconfigPath: () => need().kubeconfigPath,
    namespace: () => {
      if (namespace === undefined) throw new Error('no namespace outside a test');
      return namespace;
    },
    env: () => ({ KUBECONFIG: need().kubeconfigPath }),
  };
}

async function createNamespace(plane: KubeControlPlane, name: string): Promise<void> {
  const res = await plane.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name } });
  if (res.status !== 201) throw new Error(`creating namespace ${name}: HTTP ${res.status} ${res.body}`);
  // Pod admission needs the namespace's `default` ServiceAccount, which the controller manager adds a moment later;
  // a ReplicaSet that tried too early would back off for a while.
  for (;;) {
    const sa = await plane.request('GET', `/api/v1/namespaces/${name}/serviceaccounts/default`);
    if (sa.status === 200) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
