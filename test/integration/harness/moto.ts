/**
 * One moto server for the whole integration run, shared by every test file that calls `useMoto()`.
 *
 * The server starts lazily in the first `before` that needs it, is reset before each test, and stops in a root
 * `after` hook (registered when this module is first imported by a spec file) or, failing that, when the test
 * process exits. A file asking for a different server environment (e.g. another `MOTO_ECS_SERVICE_RUNNING`)
 * gets a fresh server; files asking for the same one share it.
 */
import { startMoto, type MotoServer } from '../../../scripts/moto.js';

export const MOTO_REGION = 'ap-northeast-1';
export const MOTO_ACCOUNT_ID = '123456789012';

export interface UseMotoOptions {
  /** Server environment, e.g. `{ MOTO_ECS_SERVICE_RUNNING: '1' }` so services with desired count 1 look stable. */
  readonly env?: Record<string, string>;
  /** AWS_REGION in `env()`; default ap-northeast-1. */
  readonly region?: string;
}

export interface MotoHandle {
  /** `http://127.0.0.1:PORT`. Only valid once the suite's `before` hooks have run. */
  endpoint(): string;
  /** What a process needs to talk to this moto: endpoint, dummy credentials, region, no instance metadata. */
  env(): NodeJS.ProcessEnv;
  region(): string;
  server(): MotoServer;
}

let shared: { key: string; server: Promise<MotoServer> } | undefined;

async function acquire(env: Record<string, string>): Promise<MotoServer> {
  const key = JSON.stringify(Object.entries(env).sort(([a], [b]) => a.localeCompare(b)));
  if (shared !== undefined && shared.key !== key) await stopSharedMoto();
  if (shared === undefined) {
    const entry = { key, server: startMoto({ env }) };
    shared = entry;
    entry.server.catch(() => {
      if (shared === entry) shared = undefined;
    });
  }
  return shared.server;
}

/** Stops the shared server, if one runs. Safe to call more than once. */
export async function stopSharedMoto(): Promise<void> {
  const current = shared;
  shared = undefined;
  if (current === undefined) return;
  const server = await current.server.catch(() => undefined);
  await server?.stop();
}

// Mocha's globals exist only while mocha loads spec files; at module top level they register on the root suite.
if (typeof after === 'function') after(stopSharedMoto);

/**
 * Registers mocha hooks on the current suite: start (or reuse) the shared moto before its tests, reset all AWS
 * state and the ECS task transition before each test. Call it inside a `describe`.
 */
export function useMoto(options: UseMotoOptions = {}): MotoHandle {
  let server: MotoServer | undefined;
  const region = options.region ?? MOTO_REGION;
  const need = (): MotoServer => {
    if (server === undefined) throw new Error('moto is not running yet: use the handle inside hooks or tests');
    return server;
  };

  before(async function () {
    // The first start may create .venv-moto and pip-install moto.
    this.timeout(300_000);
    server = await acquire(options.env ?? {});
  });
  beforeEach(async () => {
    await need().reset();
    // /moto-api/reset keeps state-manager transitions; a test that set one must not leak it into the next.
    await unsetTaskTransition(handle);
  });

  const handle: MotoHandle = {
    endpoint: () => need().endpoint,
    server: need,
    region: () => region,
    env: () => ({
      AWS_ENDPOINT_URL: need().endpoint,
      AWS_ACCESS_KEY_ID: 'testing',
      AWS_SECRET_ACCESS_KEY: 'testing',
      AWS_REGION: region,
      AWS_EC2_METADATA_DISABLED: 'true',
    }),
  };
  return handle;
}

async function stateManager(moto: MotoHandle, action: 'set-transition' | 'unset-transition', body: unknown): Promise<void> {
  const res = await fetch(`${moto.endpoint()}/moto-api/state-manager/${action}`, { method: 'POST', body: JSON.stringify(body) });
  await res.arrayBuffer();
  if (!res.ok) throw new Error(`moto ${action} failed: HTTP ${res.status}`);
}

/** Keeps ECS tasks RUNNING until StopTask (instead of advancing one state per DescribeTasks). */
export function setTaskTransitionManual(moto: MotoHandle): Promise<void> {
  return stateManager(moto, 'set-transition', {
    model_name: 'ecs::task',
    transition: { progression: 'manual', times: 1_000_000 },
  });
}

/** Restores moto's default task progression (STOPPED on the 4th DescribeTasks). */
export function unsetTaskTransition(moto: MotoHandle): Promise<void> {
  return stateManager(moto, 'unset-transition', { model_name: 'ecs::task' });
}

/**
 * Sets `env` on this process (for code under test that builds clients in-process) and returns a function that
 * restores what was there. Pair it with before/after.
 */
export function applyProcessEnv(env: NodeJS.ProcessEnv): () => void {
  const saved = Object.keys(env).map((k) => [k, process.env[k]] as const);
  for (const [k, v] of Object.entries(env)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
  return () => {
    for (const [k, v] of saved) {
      if (v === undefined) delete process.env[k];
      else process.env[k] = v;
    }
  };
}
