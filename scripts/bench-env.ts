/**
 * The environment start-up benchmarks run their children in: the caller's, without the variables that make every
 * Node process do extra work at start-up, whatever it runs.
 *
 * NODE_EXTRA_CA_CERTS is the one that matters: Node 20 reads and parses the whole bundle it names before any user
 * code runs. On the machines this project is developed on it names the system's CA bundle, which adds ~80 ms of CPU
 * to `node -e 0` (~40 ms → ~120 ms) and to hako alike. A constant on both sides of a ratio hides what hako itself
 * costs: show-definition measured 1.82× node -e 0 with it and 3.37× without (same build, 20 interleaved pairs
 * each), so the figures compared with the targets are taken without it. The local emulator is plain HTTP: no
 * request needs those CAs.
 * NODE_OPTIONS would change both commands in ways of its own (a --require, heap flags): also left out.
 */
export const STARTUP_NOISE = ['NODE_EXTRA_CA_CERTS', 'NODE_OPTIONS'] as const;

export function benchEnv(env: NodeJS.ProcessEnv = process.env): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const name of STARTUP_NOISE) delete clean[name];
  return clean;
}

/** One line for a benchmark's report: which variables its children ran without. */
export function benchEnvNote(env: NodeJS.ProcessEnv = process.env): string {
  const removed = STARTUP_NOISE.filter((name) => env[name] !== undefined);
  return removed.length === 0 ? 'children ran with the caller environment (no start-up variables to remove)' : `children ran without ${removed.join(', ')} (scripts/bench-env.ts)`;
}
