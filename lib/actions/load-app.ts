/**
 * evaluate → resolve plugins → normalise → expand env: the front half of every command. Nothing here changes
 * anything in AWS; provider reads (SSM, Secrets Manager) happen only in 'expand'/'check' modes.
 */
import type { z } from 'zod';
import type { AwsClients } from '../aws/ports.js';
import { evaluateDefinition, type EvaluatedDefinition, type ProviderMode } from '../definition/evaluate.js';
import { loadEnvironment, type Environment } from '../definition/environment.js';
import { expandEnv, type EnvMode } from '../definition/expand-env.js';
import type { AnyAppModel } from '../definition/model.js';
import { DefinitionError, ProviderError, type DefinitionIssue } from '../errors.js';
import { debug, warn, type IoHost } from '../io/io-host.js';
import { loadProviderPlugins, loadSchedulerPlugins, loadScriptPlugins, registerEnvProviderPlugins, scriptTypes } from '../plugin-loader.js';
import { builtinProviders } from '../providers/builtins.js';
import type { ProviderContext } from '../providers/provider.js';
import { ProviderRegistry } from '../providers/registry.js';
import { absoluteStateUrl } from '../providers/tfstate/location.js';
import type { SchedulerPlugin } from '../schedulers/scheduler.js';
import type { ScriptPlugin } from '../scripts/script.js';

export interface DefinitionSource {
  /** Path to the definition (.jsonnet, .json, .yml, .yaml). */
  readonly file: string;
  readonly jpath?: readonly string[];
  readonly extStr?: Readonly<Record<string, string>>;
  readonly extCode?: Readonly<Record<string, string>>;
  /** Unknown keys are errors instead of warnings. */
  readonly strict?: boolean;
  /** Env provider plugin modules for `std.native('provide.<type>')` (`--plugin`, `HAKO_PLUGINS`). */
  readonly plugins?: readonly string[];
  /**
   * The real environment the definition sees (the `env` provider, `std.native('env')`); `process.env` when
   * absent. It is read, never written: `envFiles` are laid over a copy.
   */
  readonly env?: Readonly<Record<string, string | undefined>>;
  /** `--envfile`: dotenv files laid over `env` in order, later ones winning (relative to the working directory). */
  readonly envFiles?: readonly string[];
  /**
   * `--tfstate`: the Terraform state `std.native('tfstate')(ADDRESS)` reads (a path relative to the working
   * directory, or s3://bucket/key). Absent: `HAKO_TFSTATE` from the environment above (env files included).
   */
  readonly tfstate?: string;
  /** Stops evaluation (Ctrl-C); it is also bounded by `evalTimeoutMs` (default 60 s). */
  readonly signal?: AbortSignal;
  readonly evalTimeoutMs?: number;
}

export interface LoadOptions extends DefinitionSource {
  readonly io: IoHost;
  readonly aws: () => AwsClients;
  /** Jsonnet `provide.*`: 'expand' reads values, 'check' checks keys exist (dry runs), 'placeholder' reads nothing. */
  readonly providerMode: ProviderMode;
  /** Container `#{VAR}` env: same three modes. */
  readonly envMode: EnvMode;
  readonly tag?: string;
  /** oneshot: start `app` plus these containers (and their dependencies). */
  readonly with?: readonly string[];
}

export interface LoadedApp {
  readonly evaluated: EvaluatedDefinition;
  /** ECS or a plugin's scheduler: narrow with `isEcsApp` (lib/schedulers/scheduler.ts). */
  readonly model: AnyAppModel;
  readonly warnings: readonly DefinitionIssue[];
  /** The script plugins the model's scripts name (built-in or third-party), by type. */
  readonly scriptPlugins: ReadonlyMap<string, ScriptPlugin>;
  /** The scheduler plugin this definition names, by its `scheduler.type` (empty for ECS). */
  readonly schedulerPlugins: ReadonlyMap<string, SchedulerPlugin>;
  readonly providers: ProviderRegistry;
  readonly providerContext: ProviderContext;
}

export interface EvaluatedSource {
  readonly evaluated: EvaluatedDefinition;
  readonly providers: ProviderRegistry;
  readonly providerContext: ProviderContext;
}

/** evaluate only: the definition as the user's Jsonnet/YAML produced it (hako's `show-definition`). */
export async function evaluateSource(
  options: DefinitionSource & Pick<LoadOptions, 'io' | 'aws' | 'providerMode'> & { readonly onEvaluating?: () => void },
): Promise<EvaluatedSource> {
  const environment = await loadEnvironment(options.env ?? process.env, options.envFiles ?? []);
  const extraProviders = await loadProviderPlugins(options.plugins ?? [], process.cwd());
  const providers = new ProviderRegistry([...builtinProviders(), ...extraProviders]);
  // rootPath is known only after evaluation resolved the file; providers are created lazily, so a getter works.
  let rootPath = process.cwd();
  const providerContext: ProviderContext = {
    get rootPath() {
      return rootPath;
    },
    aws: options.aws,
    io: options.io,
    env: environment,
  };
  const evaluated = await evaluateDefinition({
    file: options.file,
    jpath: options.jpath,
    extStr: options.extStr,
    extCode: options.extCode,
    signal: options.signal,
    timeoutMs: options.evalTimeoutMs,
    providerMode: options.providerMode,
    providers,
    context: providerContext,
    tfstate: stateLocation(options.tfstate, environment),
    ...(options.onEvaluating === undefined ? {} : { onEvaluating: options.onEvaluating }),
    onHeadStart: (adopted) =>
      debug(options.io, 'definition.head-start', adopted ? 'Evaluation: adopted the head start bin/hako gave it' : 'Evaluation: started afresh', { adopted }),
  });
  rootPath = evaluated.rootPath;
  return { evaluated, providers, providerContext };
}

/**
 * Where `std.native('tfstate')` reads: given once per run from outside the definition (a definition key would be
 * known only after the evaluation that needs it). The flag wins over the variable; an env file may set the variable,
 * so one `--envfile prod.env` can choose both the values and the state of an environment.
 */
function stateLocation(flag: string | undefined, environment: Environment): string | undefined {
  const url = flag ?? (Object.hasOwn(environment, 'HAKO_TFSTATE') ? environment.HAKO_TFSTATE : undefined);
  return url === undefined || url === '' ? undefined : absoluteStateUrl(url, process.cwd());
}

/**
 * Validation's modules: the definition schema and the built-in scripts' config schemas, which zod builds as they
 * load (~15 ms), and the built-in schedulers' checks. Loaded once libjsonnet evaluates the definition on a thread
 * of its own, not before: in the CLI bundle they are built on the main thread as soon as they are imported.
 */
async function validationModules() {
  // The evaluation's native functions (providers) are answered on the main thread: libjsonnet's thread stops at
  // each call until the main thread takes it. Loading a module holds the main thread for up to ~15 ms, so a turn
  // of the event loop before each lets a call that came meanwhile be answered first.
  const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));
  await turn();
  const normalise = await import('../definition/normalise.js');
  await turn();
  const scripts = await import('../scripts/builtins.js');
  await turn();
  const schedulers = await import('../schedulers/builtins.js');
  return [normalise, scripts, schedulers] as const;
}

/**
 * The script and scheduler types an evaluated definition names, before validation: `scripts[].type`, plus `alb`
 * for `scheduler.elb_v2` (validated with the alb script's schema, and an `alb` entry once normalised).
 */
function namedTypes(raw: unknown): { scripts: string[]; scheduler?: string } {
  const root = typeof raw === 'object' && raw !== null ? (raw as { scheduler?: unknown }) : {};
  const scheduler = typeof root.scheduler === 'object' && root.scheduler !== null ? (root.scheduler as { elb_v2?: unknown; type?: unknown }) : {};
  const scripts = [...scriptTypes(raw), ...(scheduler.elb_v2 !== undefined ? ['alb'] : [])];
  return { scripts, ...(typeof scheduler.type === 'string' ? { scheduler: scheduler.type } : {}) };
}

export async function loadApp(options: LoadOptions): Promise<LoadedApp> {
  const { io } = options;
  let loading: ReturnType<typeof validationModules> | undefined;
  const load = (): ReturnType<typeof validationModules> => {
    if (loading === undefined) {
      loading = validationModules();
      // Awaited below, unless evaluation fails first: then nobody waits for it.
      loading.catch(() => undefined);
    }
    return loading;
  };
  const { evaluated, providers, providerContext } = await evaluateSource({ ...options, onEvaluating: load });
  const [{ normaliseDefinition }, { builtinScriptSchemas, loadBuiltinScript }, { builtinSchedulerSchemas, builtinSchedulerValidate, isBuiltinScheduler }] = await load();
  // Validation needs the config schemas of the built-in scripts the definition names, not their code
  // (lib/scripts/builtins.ts).
  const thirdPartyScripts = await loadScriptPlugins(evaluated);
  const named = namedTypes(evaluated.raw);
  const scriptSchemas = new Map<string, z.ZodType>([
    ...(await builtinScriptSchemas(named.scripts)),
    ...[...thirdPartyScripts].map(([type, p]) => [type, p.configSchema] as const),
  ]);
  const schedulerPlugins = await loadSchedulerPlugins(evaluated);
  // Built-in schedulers other than ECS are validated by their config schemas exactly as plugins are.
  const schedulerSchemas = new Map<string, z.ZodType>([
    ...(await builtinSchedulerSchemas(named.scheduler === undefined ? [] : [named.scheduler])),
    ...[...schedulerPlugins].map(([type, p]) => [type, p.configSchema] as const),
  ]);
  const { model, warnings } = normaliseDefinition(evaluated, {
    tag: options.tag,
    with: options.with,
    strict: options.strict,
    scriptSchemas,
    schedulerSchemas,
  });
  // What the platform would refuse only late (ECS: at RegisterTaskDefinition, after other steps ran): checked by the
  // scheduler's registration, before any AWS call and in every command (show-definition lints it too).
  const type = model.scheduler.type;
  const validate = isBuiltinScheduler(type) ? builtinSchedulerValidate(type) : schedulerPlugins.get(type)?.validate;
  const schedulerIssues = (validate?.(model) ?? []).filter((i) => i.severity === 'error');
  if (schedulerIssues.length > 0) {
    throw new DefinitionError(model.file, [...schedulerIssues, ...warnings], { hint: `Fix the definition; ${model.scheduler.type} would reject it.` });
  }
  // The file as the user named it (relative paths stay relative) rather than the resolved absolute path.
  for (const w of warnings) warn(io, 'definition.warning', `${options.file}: ${w.path ? `${w.path}: ` : ''}${w.message}`, w);

  // The code of the built-in scripts this app uses (scheduler.elb_v2 is an `alb` entry by now).
  const scriptPlugins = new Map(thirdPartyScripts);
  for (const { type } of model.scripts) {
    if (scriptPlugins.has(type)) continue;
    const builtin = await loadBuiltinScript(type);
    if (builtin !== undefined) scriptPlugins.set(type, builtin);
  }

  await loadEnvProviderPlugins(model, providers, providerContext);
  const expanded = await expandEnv(model, options.envMode, providers, providerContext);
  return { evaluated, model: expanded, warnings, scriptPlugins, schedulerPlugins, providers, providerContext };
}

/**
 * `$providers` entries naming a plugin (a path or a package) are imported and registered under that spec, then
 * created once with their options — in every env mode, so a bad option or a plugin that fails to start is reported
 * with its path (`app.env.$providers[0]`) even by a show-definition that reads no value.
 */
async function loadEnvProviderPlugins(model: AnyAppModel, providers: ProviderRegistry, context: ProviderContext): Promise<void> {
  const entries = model.containers.flatMap((c) =>
    c.env_providers.map((p, i) => ({ type: p.type, options: p, path: `${c.name === 'app' ? 'app' : `sidecars.${c.name}`}.env.$providers[${i}]` })),
  );
  const builtin = new Set(providers.types());
  await registerEnvProviderPlugins(providers, entries, model.root_path, model.file);
  const issues: DefinitionIssue[] = [];
  for (const entry of entries) {
    if (builtin.has(entry.type) || !providers.get(entry.type)) continue;
    const { type, ...providerOptions } = entry.options;
    try {
      providers.instance(type, providerOptions, context);
    } catch (e) {
      if (!(e instanceof ProviderError)) throw e;
      issues.push({ severity: 'error', path: entry.path, message: e.message });
    }
  }
  if (issues.length > 0) {
    throw new DefinitionError(model.file, issues, { hint: 'Check the options the env provider plugin expects.' });
  }
}
