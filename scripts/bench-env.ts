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

/**
 * `cacheHome`: the benchmark's own XDG_CACHE_HOME, so that hako's code caches (lib/cli/bundle-loader.ts) are the
 * ones its warm-up runs write, as a new user's first runs would, not whatever ~/.cache holds: caches written by
 * other builds' test runs of the same source, or by failed runs, measured a no-op deploy 15-25% slower.
 */
export function benchEnv(env: NodeJS.ProcessEnv = process.env, options: { cacheHome?: string } = {}): NodeJS.ProcessEnv {
  const clean = { ...env };
  for (const name of STARTUP_NOISE) delete clean[name];
  if (options.cacheHome !== undefined) clean.XDG_CACHE_HOME = options.cacheHome;
  return clean;
}

/** One line for a benchmark's report: which variables its children ran without, and whose code caches they used. */
export function benchEnvNote(env: NodeJS.ProcessEnv = process.env, options: { ownCaches?: boolean } = {}): string {
  const removed = STARTUP_NOISE.filter((name) => env[name] !== undefined);
  const variables =
    removed.length === 0 ? 'children ran with the caller environment (no start-up variables to remove)' : `children ran without ${removed.join(', ')} (scripts/bench-env.ts)`;
  return options.ownCaches ? `${variables}; hako's code caches: the benchmark's own, written by its warm-up runs` : variables;
}
