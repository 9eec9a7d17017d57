/**
 * The bundle's way to load the CLI (scripts/bundle.ts puts it in place of ./load-cli.ts in dist/bundle/main.cjs):
 * dist/bundle/cli.cjs, compiled with a V8 code cache; and, when a command first uses an AWS client, the SDK scripts
 * (aws-sdk-client-*.cjs and the chunks they share), each compiled with a cache of its own likewise.
 *
 * Compiling the ~700 KB bundle costs ~20 ms of every command's start-up, and compiling the functions a command then
 * runs as much again. Node ≥ 22.1 keeps compiled code between runs for any module (`module.enableCompileCache()`,
 * which bin/hako turns on); Node 20 offers it only for scripts (`vm.Script` with `cachedData`). So the CLI is
 * bundled as a CommonJS script and compiled here, with the cache V8 made on an earlier run of the same bundle by the
 * same Node: compile time drops to ~4 ms, and the functions that run come precompiled.
 *
 * - The cache lives in `${XDG_CACHE_HOME:-~/.cache}/hako/v8/`, a folder only its owner may write (V8 trusts the
 *   code it reads back; a cache anyone could write would be a way to run code as this user). Otherwise, and with
 *   NODE_DISABLE_COMPILE_CACHE=1 (Node's own switch), nothing is read or written.
 * - Its name holds the Node version and the SHA-256 of the bundle's text, which scripts/bundle.ts computes when it
 *   writes cli.cjs and puts here (hashing 700 KB at start-up, with node:crypto's own loading, cost ~5 ms): another
 *   build or another Node gets a cache of its own. (V8 rejects a cache made by another V8 or with other flags, but
 *   of the source it checks only the length: a cache must never be offered to a different bundle of the same
 *   length.) A cli.cjs whose size is not the one built with this file is loaded without any cache. A rejected
 *   cache is written anew after the run.
 * - The cache is made after the command has run, so that it holds the functions the command compiled on the way;
 *   and each command has its own (`…--deploy.bin`): a cache made by `show-definition` lacks what `deploy` runs,
 *   which deploy would then compile on every run (~10-25 ms of CPU). A command line whose first word is not one of
 *   hako's commands (scripts/bundle.ts lists them here) shares one cache, `…--other.bin`.
 * - The first GENERATIONS runs that read a cache write it again: what a run compiles adds to what it read, so the
 *   cache comes to hold what those runs ran together. A first run that did little (a failed request: none of the
 *   SDK's answer handling ran; `status` before any deploy) does not decide the cache for good. The generation is
 *   the file's first byte; V8's data follows.
 * - Only runs that succeed (exit 0, or 16 for `diff`) count as a generation. A failed run still adds what it
 *   compiled but leaves the cache at the first generation, so the runs that succeed later still add theirs: a new
 *   user's first three deploys, stopped by validation errors while the definition was being written, used to
 *   freeze a `deploy` cache that lacked everything after validation (a no-op deploy then spent ~10 ms more CPU on
 *   every run: 142 against 131 ms, bench-noop-deploy).
 * - `import()` inside a script compiled from a cache fails on Node 20 ("A dynamic import callback was not
 *   specified"), so the bundle's dynamic imports call `__himp` (scripts/bundle.ts rewrites them), which imports
 *   from here, next to the bundle. `import.meta` has no meaning in a script: `__hakoImportMetaUrl` and
 *   `__hakoImportMetaResolve` stand for the bundle's (the latter through require's resolution: hako's package
 *   exports name one file for every condition).
 * - With --debug (source maps for stack traces) the bundle is loaded by `require()`, which applies them.
 */
import { mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync, type Stats } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import vm from 'node:vm';
import type { CliModule } from './load-cli.js';

export type { CliModule } from './load-cli.js';

const bundleUrl = new URL('./cli.cjs', import.meta.url);
const bundleFile = fileURLToPath(bundleUrl);

/** cli.cjs as scripts/bundle.ts wrote it: the SHA-256 of its text (hex) and its size in bytes. */
declare const __HAKO_CLI_BUNDLE__: { readonly sha256: string; readonly size: number };
/** hako's command names, as lib/cli/commands/index.ts registers them (scripts/bundle.ts reads them). */
declare const __HAKO_COMMANDS__: readonly string[];
/** The SDK scripts as scripts/bundle.ts wrote them: one SHA-256 of them all, and each one's size in bytes. */
declare const __HAKO_SDK_SCRIPTS__: { readonly sha256: string; readonly sizes: Readonly<Record<string, number>> };

interface Pending {
  readonly script: vm.Script;
  readonly cacheFile: string;
  readonly generation: number;
}

/** How many runs write a cache (see above): the first makes it, the next ones add what they compiled. */
const GENERATIONS = 3;
const pending: Pending[] = [];

/** What the bundle's rewritten `import()` and `import.meta` refer to (see above). */
function provideGlobals(): void {
  const g = globalThis as Record<string, unknown>;
  g.__himp = (specifier: string) => {
    // An SDK client: one of the bundle's CommonJS scripts (scripts/bundle.ts), loaded here with its code cache.
    const sdk = /^\.\/(aws-sdk-[\w.-]+)\.js$/.exec(specifier);
    if (sdk !== null) return Promise.resolve().then(() => requireSdkScript(`${sdk[1]!}.cjs`));
    return import(specifier.startsWith('./') || specifier.startsWith('../') ? new URL(specifier, bundleUrl).href : specifier);
  };
  g.__hakoImportMetaUrl = bundleUrl.href;
  g.__hakoImportMetaResolve = (specifier: string) => pathToFileURL(createRequire(bundleFile).resolve(specifier)).href;
}

export async function loadCli(): Promise<CliModule> {
  provideGlobals();
  const dir = debugging() ? undefined : cacheDir();
  if (dir === undefined) return createRequire(import.meta.url)(bundleFile) as CliModule;
  const source = readFileSync(bundleFile, 'utf8');
  // A cli.cjs the build did not write: run as written, with no cache.
  if (Buffer.byteLength(source) !== __HAKO_CLI_BUNDLE__.size) return createRequire(import.meta.url)(bundleFile) as CliModule;
  const command = process.argv[2] !== undefined && __HAKO_COMMANDS__.includes(process.argv[2]) ? process.argv[2] : 'other';
  const script = compile(bundleFile, source, path.join(dir, `cli-${process.version}-${process.arch}-${__HAKO_CLI_BUNDLE__.sha256.slice(0, 32)}--${command}.bin`));
  return run(script, bundleFile, createRequire(bundleFile)) as CliModule;
}

const bundleDir = path.dirname(bundleFile);
const sdkModules = new Map<string, { exports: unknown }>();

/**
 * One of the SDK scripts (`aws-sdk-client-ecs.cjs` and the chunks they share), run once as CommonJS would, compiled
 * with the code cache of an earlier run of the same build. Their caches live in a folder of their own per build,
 * one file per script, written after the command for the scripts this run compiled afresh.
 */
function requireSdkScript(name: string): unknown {
  const known = sdkModules.get(name);
  if (known !== undefined) return known.exports;
  const file = path.join(bundleDir, name);
  const nodeRequire = createRequire(file);
  // With --debug, Node's require() loads them all, applying their source maps.
  if (debugging()) return nodeRequire(file);
  const dir = sdkCacheDir();
  const source = readFileSync(file, 'utf8');
  // A script the build did not write (or no cache folder): run as written, with no cache.
  const cacheFile = dir !== undefined && __HAKO_SDK_SCRIPTS__.sizes[name] === Buffer.byteLength(source) ? path.join(dir, `${name}.bin`) : undefined;
  const script = compile(file, source, cacheFile);
  const localRequire = (specifier: string): unknown => {
    const chunk = /^\.\/([\w.-]+\.cjs)$/.exec(specifier);
    return chunk !== null ? requireSdkScript(chunk[1]!) : nodeRequire(specifier);
  };
  return run(script, file, Object.assign(localRequire, { resolve: nodeRequire.resolve, cache: nodeRequire.cache }), (module) => sdkModules.set(name, module));
}

const debugging = (): boolean => process.argv.includes('--debug') || process.env.HAKO_DEBUG === '1';

/**
 * Compiles a CommonJS script with the cache in `cacheFile` if V8 accepts it. The cache is (re)made after the command
 * when there was none, V8 rejected it, or it is of an early generation.
 */
function compile(file: string, source: string, cacheFile: string | undefined): vm.Script {
  let stored: Buffer | undefined;
  try {
    stored = cacheFile === undefined ? undefined : readFileSync(cacheFile);
  } catch {
    stored = undefined;
  }
  const generation = stored !== undefined && stored.length > 1 ? stored[0]! : 0;
  const cachedData = generation > 0 ? stored!.subarray(1) : undefined;
  const wrapped = `(function (exports, require, module, __filename, __dirname) {${source}\n})`;
  const script = new vm.Script(wrapped, { filename: file, ...(cachedData === undefined ? {} : { cachedData }) });
  if (cacheFile !== undefined) {
    const fresh = cachedData === undefined || script.cachedDataRejected === true;
    if (fresh) pending.push({ script, cacheFile, generation: 1 });
    else if (generation < GENERATIONS) pending.push({ script, cacheFile, generation: generation + 1 });
  }
  return script;
}

/** Runs a compiled script as CommonJS runs a module; `register` sees its module before it runs, as require's cache does. */
function run(script: vm.Script, file: string, require: (specifier: string) => unknown, register?: (module: { exports: unknown }) => void): unknown {
  const module = { exports: {} as unknown };
  register?.(module);
  const wrapper = script.runInThisContext() as (...args: unknown[]) => void;
  wrapper(module.exports, require, module, file, path.dirname(file));
  return module.exports;
}

let sdkDir: string | undefined | null = null;

/** This build's folder of SDK script caches, made once if missing; undefined when caching is off or unsafe. */
function sdkCacheDir(): string | undefined {
  if (sdkDir !== null) return sdkDir;
  const dir = cacheDir();
  sdkDir = dir === undefined ? undefined : path.join(dir, `sdk-${process.version}-${process.arch}-${__HAKO_SDK_SCRIPTS__.sha256.slice(0, 32)}`);
  if (sdkDir !== undefined) {
    try {
      // Inside the owner-only folder cacheDir() checked: nobody else can have made it.
      mkdirSync(sdkDir, { mode: 0o700 });
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') sdkDir = undefined;
    }
  }
  return sdkDir;
}

/** Whether a run with this exit code counts as a generation of the caches it wrote (see above). */
const succeeded = (exitCode: number): boolean => exitCode === 0 || exitCode === 16;

/** Stores the code caches this run made (best effort: a cache that cannot be written is no error). */
export function cliFinished(exitCode: number): void {
  const dirs = new Set<string>();
  for (const p of pending.splice(0)) {
    try {
      const generation = succeeded(exitCode) ? p.generation : 1;
      const data = Buffer.concat([Buffer.from([generation]), p.script.createCachedData()]);
      // Written aside and renamed: a concurrent run reads either no cache or a whole one.
      const temporary = `${p.cacheFile}.${process.pid}.tmp`;
      writeFileSync(temporary, data, { mode: 0o600 });
      renameSync(temporary, p.cacheFile);
      dirs.add(path.dirname(p.cacheFile));
    } catch {
      // A read-only home, a full disk: the next run compiles as this one did.
    }
  }
  const top = cacheDir();
  if (dirs.size > 0 && top !== undefined) {
    try {
      pruneOldCaches(top);
    } catch {
      // Best effort, as above.
    }
  }
}

/**
 * Each build leaves caches of cli.cjs (~0.6-0.8 MB per command used) and a folder of SDK script caches: those of
 * the builds written most recently stay, for a few installed versions in turn.
 */
const KEPT_BUILDS = 4;

function pruneOldCaches(dir: string): void {
  for (const kind of [/^cli-.+\.bin$/, /^sdk-v[^/]+$/]) {
    // A build's files: its cli caches (one per command, `…--deploy.bin`) or its SDK folder. Its age: its newest.
    const builds = new Map<string, { files: string[]; written: number }>();
    for (const f of readdirSync(dir).filter((name) => kind.test(name))) {
      const build = f.replace(/(--[a-z-]+)?\.bin$/, '');
      const entry = builds.get(build) ?? { files: [], written: 0 };
      entry.files.push(path.join(dir, f));
      entry.written = Math.max(entry.written, statSync(path.join(dir, f)).mtimeMs);
      builds.set(build, entry);
    }
    const old = [...builds.values()].sort((a, b) => b.written - a.written).slice(KEPT_BUILDS);
    for (const file of old.flatMap((b) => b.files)) rmSync(file, { recursive: true, force: true });
  }
}

/** The cache folder, made if missing; undefined when off or when others could write into it. */
function cacheDir(): string | undefined {
  if (process.env.NODE_DISABLE_COMPILE_CACHE) return undefined;
  const base = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  const dir = path.join(base, 'hako', 'v8');
  let stat: Stats;
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    stat = statSync(dir);
  } catch {
    return undefined;
  }
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) return undefined;
  if ((stat.mode & 0o022) !== 0) return undefined;
  return dir;
}
