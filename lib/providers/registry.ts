/**
 * The env provider registry: finds a provider plugin by `type`, validates its options, and hands out one cached
 * instance per (type, options) per run. Answers are cached as well, because Jsonnet calls `provide.<type>` once
 * per use and a definition may use the same secret many times.
 */
import { closest, distance } from 'fastest-levenshtein';
import type { z } from 'zod';
import { HakoError, ProviderError } from '../errors.js';
import type { EnvProvider, ProviderContext, ProviderPlugin } from './provider.js';

export class ProviderRegistry {
  readonly #plugins = new Map<string, ProviderPlugin>();
  readonly #instances = new Map<string, EnvProvider>();
  readonly #revealed = new Map<string, string>();

  constructor(plugins: readonly ProviderPlugin[]) {
    for (const plugin of plugins) {
      if (this.#plugins.has(plugin.type)) {
        throw new ProviderError(plugin.type, `Env provider type '${plugin.type}' is registered twice`);
      }
      this.#plugins.set(plugin.type, plugin);
    }
  }

  /**
   * Every value a provider has answered in this run, with the name it was asked by. Renderers use it to keep
   * secrets out of diffs (lib/plan/redact.ts): values are read to compare live state exactly, never to print.
   */
  revealedValues(): ReadonlyMap<string, string> {
    return this.#revealed;
  }

  /**
   * Adds a plugin under `type` (for `$providers` plugins: the spec the definition wrote, which may differ from the
   * plugin's own `type`). Registering a taken type is a ProviderError.
   */
  register(type: string, plugin: ProviderPlugin): void {
    if (this.#plugins.has(type)) throw new ProviderError(type, `Env provider type '${type}' is registered twice`);
    this.#plugins.set(type, plugin);
  }

  get(type: string): ProviderPlugin | undefined {
    return this.#plugins.get(type);
  }

  /** Registered provider types, in registration order. */
  types(): string[] {
    return [...this.#plugins.keys()];
  }

  /**
   * Created once per (type, options JSON) per run and cached; the instance's answers are cached too (Jsonnet may
   * call a native function many times with the same name). Validates options with plugin.configSchema: invalid →
   * ProviderError naming the provider and the bad option.
   */
  instance(type: string, options: Record<string, unknown>, context: ProviderContext): EnvProvider {
    const plugin = this.#plugins.get(type);
    if (!plugin) {
      const known = this.types();
      const suggestion = nearest(type, known);
      throw new ProviderError(type, `Unknown env provider type '${type}'`, {
        hint:
          `Known provider types: ${known.join(', ') || '(none)'}.` +
          (suggestion !== undefined ? ` Did you mean '${suggestion}'?` : ''),
      });
    }
    const key = `${context.rootPath}\0${type}\0${canonicalJson(options)}`;
    const cached = this.#instances.get(key);
    if (cached) return cached;

    const parsed = plugin.configSchema.safeParse(options);
    if (!parsed.success) {
      throw new ProviderError(type, `${type} provider: ${describeOptionIssues(parsed.error, plugin.configSchema)}`, {
        hint: `Check the options of the '${type}' provider (given ${JSON.stringify(options)}).`,
      });
    }
    let inner: EnvProvider;
    try {
      inner = plugin.create(parsed.data, context);
    } catch (cause) {
      if (cause instanceof HakoError) throw cause;
      // A third-party plugin's own failure: report it as the provider's, not as an internal error with a stack.
      throw new ProviderError(type, `${type} provider failed to start: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
    }
    // Configuration values (tfstate) print like any other definition value: only their sensitive ones are secrets.
    const created = withCachedAnswers(inner, type, plugin.values === 'configuration', (name, value) => this.#revealed.set(value, name));
    this.#instances.set(key, created);
    return created;
  }
}

/** JSON with object keys sorted, so `{a,b}` and `{b,a}` share one instance. */
function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      return Object.fromEntries(Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
    }
    return v;
  });
}

function describeOptionIssues(error: z.ZodError, schema: z.ZodType): string {
  const known = knownOptions(schema);
  return error.issues
    .map((issue) => {
      if (issue.code === 'unrecognized_keys') {
        return issue.keys
          .map((k) => {
            const near = nearest(k, known);
            return `unknown option '${k}'` + (near !== undefined ? ` (did you mean '${near}'?)` : '');
          })
          .join('; ');
      }
      const where = issue.path.map(String).join('.');
      // Custom messages such as hako's `path must be set` already name the option.
      return where && !issue.message.startsWith(`${where} `) ? `${where}: ${issue.message}` : issue.message;
    })
    .join('; ');
}

/** The closest candidate, if it is close enough to be a plausible typo. */
function nearest(word: string, candidates: readonly string[]): string | undefined {
  if (candidates.length === 0) return undefined;
  const best = closest(word, [...candidates]);
  return distance(word, best) <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

function knownOptions(schema: z.ZodType): string[] {
  const shape = (schema as unknown as { shape?: Record<string, unknown> }).shape;
  return shape && typeof shape === 'object' ? Object.keys(shape) : [];
}

/** A provider's own failure (not one of ours) becomes a ProviderError naming it, so users see no stack trace. */
async function asProviderError<T>(type: string, method: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (cause) {
    if (cause instanceof HakoError) throw cause;
    throw new ProviderError(type, `${type} provider failed in ${method}: ${cause instanceof Error ? cause.message : String(cause)}`, { cause });
  }
}

/**
 * Wraps a provider so each name is asked at most once per run. Names a provider did not know are remembered as
 * absent. `askKeys` stays absent when the provider has none: callers test for it to decide whether they can
 * validate without reading values. `onSecret` hears every value that must be masked: all of them, or for a
 * configuration provider only those its `askSensitive` names.
 */
function withCachedAnswers(inner: EnvProvider, type: string, configuration: boolean, onSecret: (name: string, value: string) => void): EnvProvider {
  const values = new Map<string, string | undefined>();
  const exists = new Map<string, boolean>();
  const sensitive = new Map<string, boolean>();
  const innerAskSensitive = inner.askSensitive?.bind(inner);

  const askSensitive = async (names: readonly string[]): Promise<string[]> => {
    const missing = [...new Set(names)].filter((n) => !sensitive.has(n));
    if (missing.length > 0) {
      const found = new Set(innerAskSensitive ? await asProviderError(type, 'askSensitive', () => innerAskSensitive(missing)) : []);
      for (const name of missing) sensitive.set(name, found.has(name));
    }
    return [...new Set(names)].filter((n) => sensitive.get(n) === true);
  };

  const ask = async (names: readonly string[]): Promise<Record<string, string>> => {
    const missing = [...new Set(names)].filter((n) => !values.has(n));
    if (missing.length > 0) {
      const answer = await asProviderError(type, 'ask', () => inner.ask(missing));
      const answered: string[] = [];
      for (const name of missing) {
        const value = Object.hasOwn(answer, name) ? answer[name] : undefined;
        if (value !== undefined && typeof value !== 'string') {
          throw new ProviderError(type, `${type} provider answered ${name} with a ${typeof value}, not a string`);
        }
        values.set(name, value);
        exists.set(name, value !== undefined);
        if (value !== undefined) answered.push(name);
      }
      const secrets = configuration ? new Set(await askSensitive(answered)) : undefined;
      for (const name of answered) if (secrets === undefined || secrets.has(name)) onSecret(name, values.get(name)!);
    }
    const result: Record<string, string> = {};
    for (const name of names) {
      const value = values.get(name);
      if (value !== undefined) result[name] = value;
    }
    return result;
  };

  const provider: EnvProvider = { ask };
  if (innerAskSensitive) provider.askSensitive = askSensitive;
  const innerExplain = inner.explainMissing?.bind(inner);
  if (innerExplain) provider.explainMissing = (name) => asProviderError(type, 'explainMissing', () => innerExplain(name));
  const innerAskKeys = inner.askKeys?.bind(inner);
  if (innerAskKeys) {
    provider.askKeys = async (names: readonly string[]): Promise<string[]> => {
      const missing = [...new Set(names)].filter((n) => !exists.has(n));
      if (missing.length > 0) {
        const found = new Set(await asProviderError(type, 'askKeys', () => innerAskKeys(missing)));
        for (const name of missing) exists.set(name, found.has(name));
      }
      return [...new Set(names)].filter((n) => exists.get(n) === true);
    };
  }
  return provider;
}
