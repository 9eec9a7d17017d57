/**
 * Wall time and Kubernetes API calls of real CLI runs of the kubernetes scheduler, against a control plane this
 * script starts (scripts/kube/control-plane.ts: etcd, kube-apiserver, controller manager, scheduler, kwok):
 * a first deploy (Service + Deployment of 2 pods, rollout watched), an unchanged redeploy, an env change (a new
 * ReplicaSet rolled out), an unschedulable change (ProgressDeadlineExceeded after 3 s, rolled back, exit 1), a
 * oneshot, and a remove. Each scenario runs in a fresh namespace, `runs` times; medians are printed with the calls
 * of the last run, counted from the CLI's own per-call debug messages (`kube.call`, split by operation).
 * The app is the integration tests' (test/fixtures/integration/kube/kweb.jsonnet).
 * Usage: node dist/scripts/bench-kube.js [runs=3]
 */
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { startKubeControlPlane } from './kube/control-plane.js';
import { repoRoot } from './moto.js';

const runs = Number(process.argv[2] ?? 3);
const hako = path.join(repoRoot, 'bin', 'hako');
const app = path.join(repoRoot, 'test', 'fixtures', 'integration', 'kube', 'kweb.jsonnet');
const out = (line: string) => process.stdout.write(`${line}\n`);

interface Run {
  ms: number;
  calls: Map<string, number>;
}

function hakoRun(env: NodeJS.ProcessEnv, namespace: string, verb: string, vars: Record<string, string>, expectCode = 0, extra: string[] = []): Run {
  const all = { greeting: 'hello', cpu: '256', deadline: '600', exit_code: '0', run_duration: '0s', namespace, ...vars };
  const args = [verb, app, ...Object.entries(all).flatMap(([k, v]) => ['--ext-str', `${k}=${v}`]), '--verbose', '--output', 'json', ...extra];
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, [hako, ...args], { cwd: repoRoot, env, encoding: 'utf8' });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== expectCode) throw new Error(`hako ${verb} exited ${r.status} (expected ${expectCode}): ${r.stderr}\n${r.stdout.slice(-3000)}`);
  const calls = new Map<string, number>();
  for (const line of r.stdout.split('\n')) {
    if (!line.startsWith('{')) continue;
    const m = JSON.parse(line) as { code?: string; data?: { operation?: string } };
    if (m.code !== 'kube.call') continue;
    const key = m.data?.operation ?? '?';
    calls.set(key, (calls.get(key) ?? 0) + 1);
  }
  return { ms, calls };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 === 1 ? s[(s.length - 1) / 2]! : (s[s.length / 2 - 1]! + s[s.length / 2]!) / 2;
}

const plane = await startKubeControlPlane({ log: () => undefined });
try {
  out(`control plane ready in ${plane.timings.total} ms (${Object.entries(plane.timings).filter(([k]) => k !== 'total').map(([k, v]) => `${k} ${v}`).join(', ')})`);
  const env = { ...process.env, NO_COLOR: '1', KUBECONFIG: plane.kubeconfigPath, KWEB_TOKEN: 'bench-token' };
  const results = new Map<string, Run[]>();
  const record = (what: string, r: Run) => results.set(what, [...(results.get(what) ?? []), r]);
  for (let i = 0; i < runs; i++) {
    const namespace = `bench-${i}`;
    const created = await plane.request('POST', '/api/v1/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: namespace } });
    if (created.status !== 201) throw new Error(`namespace ${namespace}: HTTP ${created.status}`);
    while ((await plane.request('GET', `/api/v1/namespaces/${namespace}/serviceaccounts/default`)).status !== 200) await new Promise((r) => setTimeout(r, 50));
    record('first deploy (Service + 2 pods, waited)', hakoRun(env, namespace, 'deploy', {}));
    record('unchanged redeploy (no write)', hakoRun(env, namespace, 'deploy', {}));
    record('diff, unchanged', hakoRun(env, namespace, 'diff', {}));
    record('env change (new ReplicaSet, waited)', hakoRun(env, namespace, 'deploy', { greeting: `run-${i}` }));
    record('unschedulable change: deadline 3 s, rollback', hakoRun(env, namespace, 'deploy', { greeting: `run-${i}`, cpu: String(1024 * 1000), deadline: '3' }, 1));
    record('oneshot (exit 0)', hakoRun(env, namespace, 'oneshot', {}, 0, ['--', 'true']));
    record('remove', hakoRun(env, namespace, 'remove', {}));
  }
  out(`\n${'scenario'.padEnd(46)} ${'median'.padStart(9)} ${'min'.padStart(8)} ${'max'.padStart(8)}   calls (last run)`);
  for (const [what, rs] of results) {
    const ms = rs.map((r) => r.ms);
    const calls = [...rs[rs.length - 1]!.calls].map(([k, n]) => `${k}×${n}`).join(', ');
    out(`${what.padEnd(46)} ${`${median(ms).toFixed(0)} ms`.padStart(9)} ${`${Math.min(...ms).toFixed(0)}`.padStart(8)} ${`${Math.max(...ms).toFixed(0)}`.padStart(8)}   ${calls}`);
  }
  out(`(n=${runs} per scenario; node ${process.version}; ${(await import('node:os')).cpus().length} CPUs)`);
} finally {
  await plane.stop();
}
