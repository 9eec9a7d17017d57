/**
 * A real Kubernetes control plane on 127.0.0.1 for integration tests: etcd, kube-apiserver, kube-controller-manager,
 * kube-scheduler and kwok with one fake Node whose pods "run" (see kwok-config.ts). Nothing listens beyond loopback,
 * nothing is pulled from a registry, nothing persists: everything lives in a temporary directory removed by stop().
 *
 * Library use (tests): `const kube = await startKubeControlPlane()`, then `KUBECONFIG=kube.kubeconfigPath`,
 * `kube.stop()` at the end. CLI use (by hand): `node dist/scripts/kube/control-plane.js` prints an
 * `export KUBECONFIG=…` line and runs until Ctrl-C.
 *
 * Binaries: built by scripts/kube/build.sh into a cache outside the repository on first use (minutes), found there
 * afterwards (`HAKO_KUBE_CACHE` moves that cache). etcd: Debian's etcd-server, installed by
 * scripts/kube/install-etcd.sh when missing and running as root (`HAKO_ETCD` points elsewhere).
 */
import { spawn } from 'node:child_process';
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { freePort } from '../moto.js';
import { kwokConfig } from './kwok-config.js';
import { releaseReaper, startProcess, type ManagedProcess } from './processes.js';

/** Repository root (this file runs from dist/scripts/kube/). */
const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

export const KUBE_CONTEXT = 'hako-test';
export const KWOK_NODE_NAME = 'kwok-node-0';
/** The annotation kwok selects the nodes it manages by (`--manage-nodes-with-annotation-selector`). */
const KWOK_NODE_ANNOTATION = ['kwok.x-k8s.io/node', 'fake'] as const;

export interface StartKubeOptions {
  /** Directory holding kube-apiserver, kube-controller-manager, kube-scheduler and kwok; default: build or find them. */
  readonly binDir?: string;
  /** etcd binary; default: find or install it. */
  readonly etcd?: string;
  /** How long every component together may take to become ready, default 120 s. */
  readonly startTimeoutMs?: number;
  /** How long stop() lets each process shut down before SIGKILL, default 2 s (nothing needs to persist). */
  readonly stopGraceMs?: number;
  /** Progress lines (default: stderr). */
  readonly log?: (line: string) => void;
}

export interface KubeControlPlane {
  /** A kubeconfig with one cluster, one user (bearer token) and the current context `hako-test`. */
  readonly kubeconfigPath: string;
  /** `https://127.0.0.1:PORT`. */
  readonly server: string;
  readonly token: string;
  readonly context: string;
  /** The API server's CA bundle (PEM). */
  readonly ca: string;
  /** The fake node every pod is scheduled to. */
  readonly nodeName: string;
  /** The CRI-format file kwok serves as every container's log; append lines to it (see criLogLine). */
  readonly podLogFile: string;
  /** The temporary directory holding certificates, data and each process's log (`<name>.log`). */
  readonly dir: string;
  /** Milliseconds from start to each component being ready, and in total. */
  readonly timings: Readonly<Record<string, number>>;
  /** One authenticated request to the API server (for test set-up: namespaces), JSON in and text out. */
  request(method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: string }>;
  /**
   * Stops kwok, the scheduler, the controller manager, the API server and etcd, in that order, and removes `dir`.
   * Resolves with how many milliseconds each took to exit.
   */
  stop(): Promise<Readonly<Record<string, number>>>;
}

/** The directory with the control-plane binaries, building them first when they are missing (minutes, once). */
export async function ensureKubeBinaries(log: (line: string) => void = stderrLine): Promise<string> {
  const script = path.join(repoRoot, 'scripts', 'kube', 'build.sh');
  const cached = await run('bash', [script, '--bin-dir']);
  if (cached.code === 0) return cached.stdout.trim();
  log(`kube: control-plane binaries missing in ${cached.stdout.trim()}; building them (bash scripts/kube/build.sh)`);
  const built = await run('bash', [script], true);
  if (built.code !== 0) throw new Error(`scripts/kube/build.sh failed (exit ${built.code}); its output is above`);
  return built.stdout.trim().split('\n').pop() ?? '';
}

/** The etcd binary, installing Debian's etcd-server when it is missing and we may (root with apt-get). */
export async function ensureEtcd(): Promise<string> {
  const result = await run('bash', [path.join(repoRoot, 'scripts', 'kube', 'install-etcd.sh')], true);
  if (result.code !== 0) throw new Error('no etcd for the Kubernetes control plane (see the message above)');
  return result.stdout.trim();
}

/** Starts the whole control plane and waits until a Deployment could roll out on the fake node. */
export async function startKubeControlPlane(options: StartKubeOptions = {}): Promise<KubeControlPlane> {
  const log = options.log ?? stderrLine;
  const [binDir, etcd] = await Promise.all([options.binDir ?? ensureKubeBinaries(log), options.etcd ?? ensureEtcd()]);
  let lastError: Error | undefined;
  // A port found free can be taken by someone else before our process binds it; start again on fresh ports.
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      return await launch(binDir, etcd, options, log);
    } catch (e) {
      lastError = e as Error;
      if (!/address already in use/i.test(lastError.message)) throw lastError;
      log('kube: a port was taken meanwhile; starting again on other ports');
    }
  }
  throw lastError ?? new Error('the control plane did not start');
}

async function launch(binDir: string, etcdBin: string, options: StartKubeOptions, log: (line: string) => void): Promise<KubeControlPlane> {
  const started = Date.now();
  const timings: Record<string, number> = {};
  const deadline = started + (options.startTimeoutMs ?? 120_000);
  const grace = options.stopGraceMs ?? 2000;
  const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-kube-'));
  const certDir = path.join(dir, 'certs');
  mkdirSync(certDir);
  const file = (name: string) => path.join(dir, name);
  const bin = (name: string) => path.join(binDir, name);
  const procs: ManagedProcess[] = [];

  const token = randomBytes(24).toString('hex');
  writeFileSync(file('tokens.csv'), `${token},admin,admin-uid,"system:masters"\n`, { mode: 0o600 });
  const sa = generateKeyPairSync('rsa', {
    modulusLength: 2048,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
  writeFileSync(file('sa.pub'), sa.publicKey);
  writeFileSync(file('sa.key'), sa.privateKey, { mode: 0o600 });
  const podLogFile = file('pod-logs.log');
  writeFileSync(podLogFile, '');
  writeFileSync(file('kwok.yaml'), kwokConfig(podLogFile));

  const [etcdPort, etcdPeerPort, apiPort, cmPort, schedPort, kwokPort] = await Promise.all(Array.from({ length: 6 }, () => freePort()));
  const server = `https://127.0.0.1:${apiPort}`;
  const etcdUrl = `http://127.0.0.1:${etcdPort}`;
  const start = (name: string, command: string, args: string[]) => {
    const p = startProcess(name, command, args, file(`${name}.log`));
    procs.push(p);
    return p;
  };

  const stop = async () => {
    const took: Record<string, number> = {};
    for (const p of [...procs].reverse()) {
      const t = Date.now();
      await p.stop(grace);
      took[p.name] = Date.now() - t;
    }
    releaseReaper();
    rmSync(dir, { recursive: true, force: true });
    return took;
  };

  /** Polls `ready` until it holds; fails with the log tail of whichever process has died, or at the deadline. */
  const waitFor = async (what: string, owner: ManagedProcess, ready: () => Promise<boolean>) => {
    while (!(await ready().catch(() => false))) {
      const dead = procs.find((p) => p.exited());
      if (dead) throw new Error(`${dead.name} exited while waiting for ${what} (${dead.logFile}):\n${dead.tail()}`);
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last lines of ${owner.logFile}:\n${owner.tail()}`);
      await sleep(100);
    }
    timings[what] = Date.now() - started;
  };

  try {
    const etcd = start('etcd', etcdBin, [
      '--name=hako-test',
      `--data-dir=${file('etcd-data')}`,
      `--listen-client-urls=${etcdUrl}`,
      `--advertise-client-urls=${etcdUrl}`,
      `--listen-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-advertise-peer-urls=http://127.0.0.1:${etcdPeerPort}`,
      `--initial-cluster=hako-test=http://127.0.0.1:${etcdPeerPort}`,
      '--log-level=warn',
    ]);
    await waitFor('etcd', etcd, async () => (await httpGet(`${etcdUrl}/health`)).includes('"health":"true"'));

    const apiserver = start('kube-apiserver', bin('kube-apiserver'), [
      `--etcd-servers=${etcdUrl}`,
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${apiPort}`,
      `--cert-dir=${certDir}`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${file('sa.pub')}`,
      `--service-account-signing-key-file=${file('sa.key')}`,
      `--token-auth-file=${file('tokens.csv')}`,
      '--authorization-mode=AlwaysAllow',
      '--endpoint-reconciler-type=none',
      // Pod logs come from kwok's kubelet endpoint on the node's InternalIP (127.0.0.1), self-signed.
      '--kubelet-preferred-address-types=InternalIP',
    ]);
    let ca = '';
    const api = (method: string, urlPath: string, body?: unknown) => apiRequest(server, token, ca, method, urlPath, body);
    await waitFor('kube-apiserver', apiserver, async () => {
      ca ||= readFileSync(path.join(certDir, 'apiserver.crt'), 'utf8');
      return (await api('GET', '/readyz')).body === 'ok';
    });

    const kubeconfigPath = file('kubeconfig');
    writeFileSync(kubeconfigPath, kubeconfig(server, ca, token), { mode: 0o600 });
    const kubeconfigArgs = [`--kubeconfig=${kubeconfigPath}`, '--leader-elect=false', '--bind-address=127.0.0.1'];

    const controllerManager = start('kube-controller-manager', bin('kube-controller-manager'), [
      ...kubeconfigArgs,
      `--secure-port=${cmPort}`,
      `--service-account-private-key-file=${file('sa.key')}`,
      `--root-ca-file=${path.join(certDir, 'apiserver.crt')}`,
      '--use-service-account-credentials=false',
      // A node whose heartbeat is late has its pods marked NotReady, and kwok never marks them Ready again: on two
      // busy cores a late heartbeat is normal, and must not turn a test's running pods unavailable.
      '--node-monitor-grace-period=2m',
    ]);
    const scheduler = start('kube-scheduler', bin('kube-scheduler'), [...kubeconfigArgs, `--secure-port=${schedPort}`]);
    const kwok = start('kwok', bin('kwok'), [
      `--kubeconfig=${kubeconfigPath}`,
      `--config=${file('kwok.yaml')}`,
      '--manage-all-nodes=false',
      `--manage-nodes-with-annotation-selector=${KWOK_NODE_ANNOTATION.join('=')}`,
      '--node-ip=127.0.0.1',
      // Heartbeats as a kubelet sends them (a Lease renewed every 10 s). Without it kwok patches the node's status
      // every 45 s, past the controller manager's 40 s grace period, and the node flaps NotReady.
      '--node-lease-duration-seconds=40',
      `--node-port=${kwokPort}`,
      `--server-address=127.0.0.1:${kwokPort}`,
    ]);

    const created = await api('POST', '/api/v1/nodes', fakeNode());
    if (created.status !== 201) throw new Error(`creating node ${KWOK_NODE_NAME} failed: HTTP ${created.status} ${created.body}`);

    await Promise.all([
      waitFor('kube-controller-manager', controllerManager, async () => (await httpGet(`https://127.0.0.1:${cmPort}/healthz`)) === 'ok'),
      waitFor('kube-scheduler', scheduler, async () => (await httpGet(`https://127.0.0.1:${schedPort}/healthz`)) === 'ok'),
      waitFor(`node ${KWOK_NODE_NAME} Ready (kwok)`, kwok, async () => {
        const node = JSON.parse((await api('GET', `/api/v1/nodes/${KWOK_NODE_NAME}`)).body) as NodeStatusView;
        return node.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') ?? false;
      }),
      // Pods need their namespace's `default` ServiceAccount (admission); the controller manager creates it.
      waitFor('ServiceAccount default/default', controllerManager, async () => (await api('GET', '/api/v1/namespaces/default/serviceaccounts/default')).status === 200),
    ]);
    timings.total = Date.now() - started;
    log(`kube: control plane ready at ${server} in ${timings.total} ms (logs in ${dir})`);
    return { kubeconfigPath, server, token, context: KUBE_CONTEXT, ca, nodeName: KWOK_NODE_NAME, podLogFile, dir, timings, request: api, stop };
  } catch (e) {
    // Keep the directory: its logs are what explains the failure.
    for (const p of [...procs].reverse()) await p.stop(0);
    releaseReaper();
    throw new Error(`Kubernetes control plane failed to start: ${(e as Error).message}\n(all logs: ${dir})`, { cause: e });
  }
}

interface NodeStatusView {
  status?: { conditions?: { type: string; status: string }[] };
}

function fakeNode(): unknown {
  const resources = { cpu: '32', memory: '256Gi', pods: '110' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name: KWOK_NODE_NAME,
      annotations: { [KWOK_NODE_ANNOTATION[0]]: KWOK_NODE_ANNOTATION[1], 'node.alpha.kubernetes.io/ttl': '0' },
      labels: {
        'kubernetes.io/hostname': KWOK_NODE_NAME,
        'kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'node-role.kubernetes.io/agent': '',
        type: 'kwok',
      },
    },
    spec: {},
    status: { capacity: resources, allocatable: resources },
  };
}

function kubeconfig(server: string, ca: string, token: string): string {
  // JSON is YAML: no YAML writer needed.
  return `${JSON.stringify(
    {
      apiVersion: 'v1',
      kind: 'Config',
      clusters: [{ name: KUBE_CONTEXT, cluster: { server, 'certificate-authority-data': Buffer.from(ca).toString('base64') } }],
      users: [{ name: 'admin', user: { token } }],
      contexts: [{ name: KUBE_CONTEXT, context: { cluster: KUBE_CONTEXT, user: 'admin', namespace: 'default' } }],
      'current-context': KUBE_CONTEXT,
    },
    null,
    2,
  )}\n`;
}

function apiRequest(server: string, token: string, ca: string, method: string, urlPath: string, body?: unknown): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    const req = https.request(
      `${server}${urlPath}`,
      {
        method,
        ca,
        timeout: 5000,
        headers: { authorization: `Bearer ${token}`, accept: 'application/json', ...(payload ? { 'content-type': 'application/json' } : {}) },
      },
      (res) => {
        let text = '';
        res.setEncoding('utf8').on('data', (d: string) => (text += d));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('timeout', () => req.destroy(new Error(`${method} ${urlPath} timed out`)));
    req.on('error', reject);
    req.end(payload);
  });
}

/** GET without credentials; self-signed serving certificates (component health endpoints) are accepted. */
function httpGet(url: string): Promise<string> {
  if (!url.startsWith('https:')) return fetch(url, { signal: AbortSignal.timeout(2000) }).then((r) => r.text());
  return new Promise((resolve, reject) => {
    const req = https.get(url, { rejectUnauthorized: false, timeout: 2000 }, (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (d: string) => (text += d));
      res.on('end', () => resolve(text));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', reject);
  });
}

function run(command: string, args: string[], showStderr = false): Promise<{ code: number; stdout: string }> {
  return new Promise((resolve, reject) => {
    let stdout = '';
    const child = spawn(command, args, { stdio: ['ignore', 'pipe', showStderr ? 'inherit' : 'ignore'] });
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.once('error', reject);
    child.once('close', (code) => resolve({ code: code ?? 1, stdout }));
  });
}

function stderrLine(line: string): void {
  process.stderr.write(`${line}\n`);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

// ---- CLI: node dist/scripts/kube/control-plane.js ----

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const kube = await startKubeControlPlane();
  process.stdout.write(`export KUBECONFIG=${kube.kubeconfigPath}\n`);
  process.stderr.write('kube: running; Ctrl-C stops it\n');
  const keepAlive = setInterval(() => undefined, 1 << 30);
  for (const sig of ['SIGINT', 'SIGTERM'] as const) {
    process.once(sig, () => {
      clearInterval(keepAlive);
      void kube.stop().then(() => process.stderr.write('kube: stopped\n'));
    });
  }
}
