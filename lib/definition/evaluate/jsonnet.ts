/**
 * Jsonnet definitions through libjsonnet (@hanazuki/node-jsonnet), with hako's `provide.<type>` native functions.
 */
import path from 'node:path';
import { DefinitionError, HakoError, ProviderError, UsageError } from '../../errors.js';
import type { ProviderContext } from '../../providers/provider.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { interruption, untilStopped, type EvaluationLimits } from './interruptible.js';
import { adoptHeadStart, nativeSignatures, type EvaluationSetup, type NativeImplementation } from './head-start.js';
import { jsonnetAddon } from './jsonnet-addon.js';
import { jsonnetIssue, parseJsonnetError } from './jsonnet-errors.js';
import type { Jsonnet } from '@hanazuki/node-jsonnet';

export type ProviderMode = 'expand' | 'check' | 'placeholder';

export interface JsonnetEvaluationOptions extends EvaluationLimits {
  /** The file as the user gave it: libjsonnet names files in errors relative to it. */
  readonly file: string;
  readonly appId: string;
  readonly jpath?: readonly string[];
  readonly extStr?: Readonly<Record<string, string>>;
  readonly extCode?: Readonly<Record<string, string>>;
  readonly providerMode: ProviderMode;
  readonly providers: ProviderRegistry;
  readonly context: ProviderContext;
  /** The Terraform state `std.native('tfstate')` reads: an absolute path or an s3:// URL (--tfstate, HAKO_TFSTATE). */
  readonly tfstate?: string;
  /** Called once the evaluation runs on libuv's thread pool (lib/definition/evaluate.ts). */
  readonly onEvaluating?: () => void;
  /** Told whether bin/hako's head start was adopted (head-start.ts), for --verbose. */
  readonly onHeadStart?: (adopted: boolean) => void;
}

const RESERVED_EXT_VARS = ['appId'];

export async function evaluateJsonnet(options: JsonnetEvaluationOptions): Promise<unknown> {
  for (const [kind, vars] of [['--ext-str', options.extStr], ['--ext-code', options.extCode]] as const) {
    for (const key of Object.keys(vars ?? {})) {
      if (RESERVED_EXT_VARS.includes(key)) {
        throw new UsageError(`${kind} ${key}=… is not allowed: hako sets the external variable '${key}' itself`, {
          hint: `std.extVar('${key}') is always the application id (${options.appId}), the definition file name without its extension.`,
        });
      }
    }
  }
  // The addon (libjsonnet, a native library) loads with the first evaluation, not with every command that could.
  const { Jsonnet, JsonnetError } = jsonnetAddon();

  // libjsonnet only keeps the text of an error thrown by a native callback; keep the error itself so that the
  // issue carries our message (and hint) rather than `ProviderError: …`.
  let nativeError: Error | undefined;
  const limits = interruption(options.file, options);
  const implementations = new Map<string, NativeImplementation>();
  const native = (name: string, fn: (...args: unknown[]) => unknown): void => {
    implementations.set(name, async (...args: unknown[]) => {
      try {
        // A provider call waiting on AWS is released at once on Ctrl-C or the evaluation timeout.
        return await untilStopped(Promise.resolve(fn(...args)), limits.signal);
      } catch (e) {
        nativeError = e instanceof Error ? e : new Error(String(e));
        throw new Error(nativeError.message);
      }
    });
  };
  const providerTypes = options.providers.types();
  for (const type of providerTypes) {
    native(`provide.${type}`, (rawOptions, name) => provide(type, rawOptions, name, options));
  }

  // `std.native('tfstate')(ADDRESS)` (ecspresso's name) reads the state given once for the run. That location
  // cannot come from the definition itself: a key in the definition is known only after evaluation, and this
  // function runs during it. So it comes from outside: --tfstate URL, else HAKO_TFSTATE (load-app.ts).
  if (providerTypes.includes('tfstate')) {
    native('tfstate', (address) => {
      if (options.tfstate === undefined) {
        throw new ProviderError('tfstate', `std.native('tfstate')(${JSON.stringify(address)}) needs the Terraform state's location`, {
          hint: "Pass --tfstate URL (a path or s3://bucket/key), set HAKO_TFSTATE, or use std.native('provide.tfstate')(std.toString({ url: ... }), ADDRESS).",
        });
      }
      return provide('tfstate', JSON.stringify({ url: options.tfstate }), address, options);
    });
  }

  // ecspresso's names and meanings (kayac/go-config): `env` falls back to the default when the variable is unset
  // or empty, `must_env` fails only when it is unset. They read the run's environment (real env + --envfile), and
  // their values are configuration like --ext-str: resolved in every mode and printed. Secrets belong in
  // `provide.env`, whose values show-definition keeps as placeholders and plans mask.
  native('env', (name, fallback) => lookupEnv(options, 'env', name) || fallback);
  native('must_env', (name) => {
    const value = lookupEnv(options, 'must_env', name);
    if (value === undefined) {
      throw new ProviderError('env', `must_env: environment variable ${String(name)} is not set`, {
        hint: 'Set it in the environment, or load it from a file with --envfile FILE.',
      });
    }
    return value;
  });

  const setup: EvaluationSetup = {
    file: options.file,
    cwd: process.cwd(),
    appId: options.appId,
    // Same convention as the jsonnet CLI: with several -J, the right-most wins.
    jpath: (options.jpath ?? []).map((dir) => path.resolve(dir)),
    extStr: Object.entries(options.extStr ?? {}),
    extCode: Object.entries(options.extCode ?? {}),
    natives: nativeSignatures(providerTypes),
  };

  let output: string;
  try {
    // bin/hako may have started this very evaluation already (head-start.ts); otherwise it starts here.
    const adopted = await adoptHeadStart(setup, implementations);
    options.onHeadStart?.(adopted !== undefined);
    const evaluation = adopted?.evaluation ?? start(new Jsonnet(), setup, implementations);
    options.onEvaluating?.();
    output = await limits.run(evaluation);
  } catch (e) {
    if (!(e instanceof JsonnetError)) throw e;
    const parsed = parseJsonnetError(e.message);
    let message = parsed.message;
    let cause: unknown = e;
    let hint: string | undefined;
    if (nativeError && message.replace(/^\w*Error: /, '') === nativeError.message) {
      message = nativeError.message;
      cause = nativeError;
      if (nativeError instanceof HakoError) hint = nativeError.hint;
    }
    throw new DefinitionError(options.file, [jsonnetIssue({ ...parsed, message }, options.file)], {
      summary: `Could not evaluate ${options.file}`,
      cause,
      ...(hint !== undefined ? { hint } : {}),
    });
  }
  return JSON.parse(output) as unknown;
}

function start(vm: Jsonnet, setup: EvaluationSetup, implementations: ReadonlyMap<string, NativeImplementation>): Promise<string> {
  vm.extString('appId', setup.appId);
  for (const [k, v] of setup.extStr) vm.extString(k, v);
  for (const [k, v] of setup.extCode) vm.extCode(k, v);
  for (const dir of setup.jpath) vm.addJpath(dir);
  for (const [name, params] of setup.natives) vm.nativeCallback(name, implementations.get(name)!, ...params);
  return vm.evaluateFile(setup.file);
}

function lookupEnv(options: JsonnetEvaluationOptions, fn: string, name: unknown): string | undefined {
  if (typeof name !== 'string' || name === '') {
    throw new ProviderError('env', `${fn}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  const env = options.context.env;
  return Object.hasOwn(env, name) ? env[name] : undefined;
}

async function provide(type: string, rawOptions: unknown, name: unknown, options: JsonnetEvaluationOptions): Promise<string> {
  const fn = `provide.${type}`;
  if (typeof rawOptions !== 'string') {
    throw new ProviderError(type, `${fn}: options must be a JSON string, got ${JSON.stringify(rawOptions)}`, {
      hint: `Build it with std.toString({ ... }), e.g. std.native('${fn}')(std.toString({ path: 'app.env' }), 'NAME').`,
    });
  }
  if (typeof name !== 'string' || name === '') {
    throw new ProviderError(type, `${fn}: name must be a non-empty string, got ${JSON.stringify(name)}`);
  }
  let providerOptions: unknown;
  try {
    providerOptions = JSON.parse(rawOptions);
  } catch (e) {
    throw new ProviderError(type, `${fn}: options is not valid JSON: ${rawOptions}`, {
      cause: e,
      hint: 'Build the options with std.toString({ ... }) rather than by hand.',
    });
  }
  if (providerOptions === null || typeof providerOptions !== 'object' || Array.isArray(providerOptions)) {
    throw new ProviderError(type, `${fn}: options must be a JSON object, got ${rawOptions}`);
  }
  const placeholder = `\${${name}}`;
  // Configuration providers (tfstate) are read in every mode: their values describe infrastructure (a cluster, a
  // subnet) that even status or remove act on, and they are not secrets. Their sensitive values are the exception.
  const configuration = options.providers.get(type)?.values === 'configuration';
  if (options.providerMode === 'placeholder' && !configuration) return placeholder;

  const provider = options.providers.instance(type, providerOptions as Record<string, unknown>, options.context);
  const notFound = async (): Promise<ProviderError> => {
    const why = await provider.explainMissing?.(name);
    if (why === undefined) return new ProviderError(type, `Could not lookup ${name} from ${type} provider with options=${rawOptions}`);
    return new ProviderError(type, why.message, why.hint === undefined ? {} : { hint: why.hint });
  };
  const sensitive = configuration && (await provider.askSensitive?.([name]))?.includes(name) === true;
  if (options.providerMode !== 'expand' && (!configuration || sensitive)) {
    if (provider.askKeys) {
      const keys = await provider.askKeys([name]);
      if (!keys.includes(name)) throw await notFound();
    }
    return placeholder;
  }
  const answer = await provider.ask([name]);
  const value = Object.hasOwn(answer, name) ? answer[name] : undefined;
  if (value === undefined) throw await notFound();
  return value;
}
