/**
 * A head start for the Jsonnet evaluation of a one-definition command line (`hako deploy app.jsonnet`).
 *
 * A process's first libjsonnet evaluation takes 15–40 ms on a thread of libuv's pool (most of it parsing its
 * standard library, which the installed patch does once per process: scripts/jsonnet/stdlib-shared.patch), while
 * the main thread spends longer loading and setting up the CLI bundle before it reaches the evaluation. bin/hako
 * therefore starts the evaluation from a guess at the command line, before the bundle loads, and the real
 * evaluation (jsonnet.ts) adopts it if — and only if — it was started exactly as the real one would be: same file
 * as given, working directory, application id, jpath, external variables and native functions. A wrong guess is
 * discarded and costs some thread time, never a different result.
 *
 * Native functions (providers) are the definition's only way out: in the head start they wait until the real
 * evaluation binds them to its own implementations (mode, providers, environment, limits). An evaluation that is
 * never adopted has its callbacks refused, so nothing it asks for is read.
 *
 * The state lives on `globalThis`: the CLI's entry (dist/bundle/main.cjs) and the rest of the CLI (cli.cjs) are
 * separate bundles, each with its own copy of this module.
 */
import path from 'node:path';
import { jsonnetAddon } from './jsonnet-addon.js';

export type NativeImplementation = (...args: unknown[]) => unknown;

/** How the evaluation was set up: a head start is adopted only when this is equal, field by field. */
export interface EvaluationSetup {
  /** As given by the user: libjsonnet names files in errors relative to it. */
  readonly file: string;
  readonly cwd: string;
  readonly appId: string;
  /** Absolute, in the order added. */
  readonly jpath: readonly string[];
  readonly extStr: readonly (readonly [string, string])[];
  readonly extCode: readonly (readonly [string, string])[];
  /** Native function names and their parameter names, in the order registered. */
  readonly natives: readonly (readonly [string, readonly string[]])[];
}

/** The native functions every evaluation registers for the given provider types (jsonnet.ts registers these). */
export function nativeSignatures(providerTypes: readonly string[]): [string, string[]][] {
  return [
    ...providerTypes.map((type): [string, string[]] => [`provide.${type}`, ['options', 'name']]),
    ...(providerTypes.includes('tfstate') ? [['tfstate', ['address']] as [string, string[]]] : []),
    ['env', ['name', 'default']],
    ['must_env', ['name']],
  ];
}

/**
 * The built-in env providers' types, in lib/providers/builtins.ts's order (a unit test keeps the two equal): the
 * head start must know the native functions without loading the providers' code.
 */
export const BUILTIN_PROVIDER_TYPES: readonly string[] = ['file', 'yaml', 'env', 'ssm', 'secretsmanager', 'tfstate'];

/** The commands whose one FILE is a definition to evaluate. */
const EVALUATING_COMMANDS = new Set(['show-definition', 'deploy', 'diff', 'status', 'oneshot', 'rollback', 'stop', 'remove', 'verify']);
/** Options that change the evaluation's set-up or its native functions: with any of them, no head start. */
const SETUP_OPTION = /^(-J|--jpath|--ext-str|--ext-code|--plugin)(=|$)/;

/**
 * What the head start may answer by itself before it is adopted, so that the evaluation need not wait for the CLI
 * to load (a definition calls its providers early, and what follows the call is half of the evaluation). Each
 * answer is recorded and checked against the real implementation at adoption: a wrong one discards the head start.
 */
export interface Speculation {
  /** `provide.<type>` answers its `${NAME}` placeholder (commands that read no provider value). */
  readonly placeholders: boolean;
  /** `env` / `must_env` read this environment (no --envfile on the command line). */
  readonly env?: Readonly<Record<string, string | undefined>>;
}

interface RecordedCall {
  readonly name: string;
  readonly args: readonly unknown[];
  readonly answer: unknown;
}

interface HeadStart {
  readonly setup: EvaluationSetup;
  readonly evaluation: Promise<string>;
  readonly calls: readonly RecordedCall[];
  /** Binds the native functions (adoption) or, with undefined, refuses them (discard). */
  readonly settle: (implementations: ReadonlyMap<string, NativeImplementation> | undefined) => void;
  /** From now on, calls wait for `settle`: the recorded answers are all there will be. */
  readonly stopSpeculating: () => void;
  readonly pending: () => boolean;
}

const KEY = Symbol.for('hako.jsonnet.headStart');
type Holder = { [KEY]?: HeadStart };
const holder = globalThis as Holder;

/** Commands that evaluate with placeholders for provider values (show-definition unless --expand). */
const PLACEHOLDER_COMMANDS = new Set(['show-definition', 'status', 'rollback', 'stop', 'remove', 'verify']);

/**
 * The evaluation set-up a command line implies, when it is a plain one-definition command line; undefined otherwise
 * (then nothing is started). A guess: the real set-up decides at adoption.
 */
export function guessSetup(argv: readonly string[], env: NodeJS.ProcessEnv, cwd: string): { setup: EvaluationSetup; speculation: Speculation } | undefined {
  const [command, ...rest] = argv;
  if (command === undefined || !EVALUATING_COMMANDS.has(command)) return undefined;
  if ((env.HAKO_PLUGINS ?? '').trim() !== '') return undefined;
  const end = rest.indexOf('--');
  const words = end === -1 ? rest : rest.slice(0, end);
  if (words.some((w) => SETUP_OPTION.test(w))) return undefined;
  const files = words.filter((w) => !w.startsWith('-') && /\.(jsonnet|json)$/i.test(w));
  if (files.length !== 1) return undefined;
  const file = files[0]!;
  const base = path.basename(file);
  const setup: EvaluationSetup = {
    file,
    cwd,
    appId: base.slice(0, -path.extname(base).length),
    jpath: [],
    extStr: [],
    extCode: [],
    natives: nativeSignatures(BUILTIN_PROVIDER_TYPES),
  };
  const speculation: Speculation = {
    placeholders: PLACEHOLDER_COMMANDS.has(command) && !words.some((w) => w.startsWith('--expand')),
    ...(words.some((w) => w.startsWith('--envfile')) ? {} : { env }),
  };
  return { setup, speculation };
}

/** The head start's own answer to a native call, or undefined when only the real implementation can answer. */
function speculate(speculation: Speculation, name: string, args: readonly unknown[]): { answer: unknown } | undefined {
  const [first, second] = args;
  if (name.startsWith('provide.') && name !== 'provide.tfstate') {
    if (!speculation.placeholders || typeof second !== 'string' || second === '' || typeof first !== 'string') return undefined;
    return { answer: `\${${second}}` };
  }
  const env = speculation.env;
  if (env === undefined || typeof first !== 'string' || first === '') return undefined;
  const value = Object.hasOwn(env, first) ? env[first] : undefined;
  if (name === 'env') return { answer: value || second };
  if (name === 'must_env' && value !== undefined) return { answer: value };
  return undefined;
}

/** Starts evaluating `setup` now, unless a head start is already held. */
export async function startHeadStart(setup: EvaluationSetup, speculation: Speculation): Promise<void> {
  if (holder[KEY] !== undefined) return;
  const { Jsonnet } = jsonnetAddon();
  const vm = new Jsonnet();
  vm.extString('appId', setup.appId);
  let bind!: (implementations: ReadonlyMap<string, NativeImplementation> | undefined) => void;
  let speculating = true;
  const bound = new Promise<ReadonlyMap<string, NativeImplementation> | undefined>((resolve) => {
    bind = resolve;
  });
  const calls: RecordedCall[] = [];
  for (const [name, params] of setup.natives) {
    vm.nativeCallback(
      name,
      async (...args: unknown[]) => {
        const guess = speculating ? speculate(speculation, name, args) : undefined;
        if (guess !== undefined) {
          calls.push({ name, args, answer: guess.answer });
          return guess.answer;
        }
        const implementation = (await bound)?.get(name);
        if (implementation === undefined) throw new Error('evaluation discarded');
        return implementation(...args);
      },
      ...params,
    );
  }
  let running = true;
  const evaluation = vm.evaluateFile(setup.file);
  const done = (): void => {
    running = false;
  };
  evaluation.then(done, done);
  const stopSpeculating = (): void => {
    speculating = false;
  };
  holder[KEY] = { setup, evaluation, calls, settle: bind, stopSpeculating, pending: () => running };
}

/**
 * The head start's evaluation, with its native functions bound to `implementations`, if one was started with
 * exactly `setup` and every answer it gave by itself is the one `implementations` give; undefined otherwise (the
 * head start is then discarded). Taken once.
 */
export async function adoptHeadStart(
  setup: EvaluationSetup,
  implementations: ReadonlyMap<string, NativeImplementation>,
): Promise<{ readonly evaluation: Promise<string> } | undefined> {
  const start = holder[KEY];
  if (start === undefined) return undefined;
  delete holder[KEY];
  const discard = (): undefined => {
    start.settle(undefined);
    start.evaluation.catch(() => undefined);
    return undefined;
  };
  start.stopSpeculating();
  if (!sameSetup(start.setup, setup)) return discard();
  for (const call of start.calls) {
    const implementation = implementations.get(call.name);
    if (implementation === undefined) return discard();
    let answer: unknown;
    try {
      answer = await implementation(...call.args);
    } catch {
      return discard();
    }
    if (!Object.is(answer, call.answer)) return discard();
  }
  start.settle(implementations);
  // Wrapped: an async function returning the promise itself would wait for the evaluation, outside its limits.
  return { evaluation: start.evaluation };
}
/**
 * Discards a head start nobody adopted (the command failed before evaluating, or evaluated YAML). Resolves once it
 * has ended, or to `false` if it is still computing after `graceMs` (an endless loop: the caller ends the process,
 * which would otherwise wait for libuv's thread).
 */
export async function discardHeadStart(graceMs: number): Promise<boolean> {
  const start = holder[KEY];
  if (start === undefined) return true;
  delete holder[KEY];
  start.settle(undefined);
  const ended = start.evaluation.then(
    () => true,
    () => true,
  );
  if (!start.pending()) return true;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<false>((resolve) => {
    timer = setTimeout(() => resolve(false), graceMs);
  });
  try {
    return await Promise.race([ended, late]);
  } finally {
    clearTimeout(timer);
  }
}

function sameSetup(a: EvaluationSetup, b: EvaluationSetup): boolean {
  const fields = (s: EvaluationSetup): string => JSON.stringify([s.file, s.cwd, s.appId, s.jpath, s.extStr, s.extCode, s.natives]);
  return fields(a) === fields(b);
}
