/**
 * Jsonnet definitions through libjsonnet (@hanazuki/node-jsonnet), with hako's `provide.<type>` native functions.
 */
import path from 'node:path';
import { Jsonnet, JsonnetError } from '@hanazuki/node-jsonnet';
import { DefinitionError, HakoError, ProviderError, UsageError } from '../../errors.js';
import type { ProviderContext } from '../../providers/provider.js';
import type { ProviderRegistry } from '../../providers/registry.js';
import { interruption, untilStopped, type EvaluationLimits } from './interruptible.js';
import { jsonnetIssue, parseJsonnetError } from './jsonnet-errors.js';

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
}

const RESERVED_EXT_VARS = ['appId'];

export async function evaluateJsonnet(options: JsonnetEvaluationOptions): Promise<unknown> {
  const vm = new Jsonnet();
  for (const [kind, vars] of [['--ext-str', options.extStr], ['--ext-code', options.extCode]] as const) {
    for (const key of Object.keys(vars ?? {})) {
      if (RESERVED_EXT_VARS.includes(key)) {
        throw new UsageError(`${kind} ${key}=… is not allowed: hako sets the external variable '${key}' itself`, {
          hint: `std.extVar('${key}') is always the application id (${options.appId}), the definition file name without its extension.`,
        });
      }
    }
  }
  vm.extString('appId', options.appId);
  for (const [k, v] of Object.entries(options.extStr ?? {})) vm.extString(k, v);
  for (const [k, v] of Object.entries(options.extCode ?? {})) vm.extCode(k, v);
  // Same convention as the jsonnet CLI: with several -J, the right-most wins.
  for (const dir of options.jpath ?? []) vm.addJpath(path.resolve(dir));

  // libjsonnet only keeps the text of an error thrown by a native callback; keep the error itself so that the
  // issue carries our message (and hint) rather than `ProviderError: …`.
  let nativeError: Error | undefined;
  const limits = interruption(options.file, options);
  for (const type of options.providers.types()) {
    vm.nativeCallback(
      `provide.${type}`,
      async (rawOptions: unknown, name: unknown) => {
        try {
          return await untilStopped(provide(type, rawOptions, name, options), limits.signal);
        } catch (e) {
          nativeError = e instanceof Error ? e : new Error(String(e));
          throw new Error(nativeError.message);
        }
      },
      'options',
      'name',
    );
  }

  let output: string;
  try {
    output = await limits.run(vm.evaluateFile(options.file));
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
  if (options.providerMode === 'placeholder') return placeholder;

  const provider = options.providers.instance(type, providerOptions as Record<string, unknown>, options.context);
  const notFound = () => new ProviderError(type, `Could not lookup ${name} from ${type} provider with options=${rawOptions}`);
  if (options.providerMode === 'check') {
    if (provider.askKeys) {
      const keys = await provider.askKeys([name]);
      if (!keys.includes(name)) throw notFound();
    }
    return placeholder;
  }
  const answer = await provider.ask([name]);
  const value = Object.hasOwn(answer, name) ? answer[name] : undefined;
  if (value === undefined) throw notFound();
  return value;
}
