/**
 * Container env `#{VAR}` expansion through each container's `$providers`, as hako's EnvExpander does it.
 * Values are never put into errors or messages: they may be secrets.
 */
import { DefinitionError, ProviderError, type DefinitionIssue } from '../errors.js';
import { warn } from '../io/io-host.js';
import type { EnvProvider, ProviderContext } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import type { AnyAppModel, AppModel, Container } from './model.js';

export type EnvMode = 'expand' | 'check' | 'none';

/** A piece of an env value: literal text, or a `#{name}` reference (`name` is '' for `#{}`). */
export type EnvToken = { readonly kind: 'text'; readonly text: string } | { readonly kind: 'variable'; readonly name: string };

// Non-greedy up to the first `}`, and `.` stops at a newline, as in hako's Ruby regexp. There is no escape.
const INTERPOLATION = /#\{(.*?)\}/g;

/**
 * Splits an env value into literal text and `#{name}` references. A `#` not followed by `{`, or a `#{` that is
 * never closed, is literal text.
 */
export function tokenizeEnvValue(value: string): EnvToken[] {
  const tokens: EnvToken[] = [];
  let pos = 0;
  for (const match of value.matchAll(INTERPOLATION)) {
    if (match.index > pos) tokens.push({ kind: 'text', text: value.slice(pos, match.index) });
    tokens.push({ kind: 'variable', name: match[1] ?? '' });
    pos = match.index + match[0].length;
  }
  if (pos < value.length) tokens.push({ kind: 'text', text: value.slice(pos) });
  return tokens;
}

/**
 * Returns a new model whose containers' env values have `#{VAR}` expanded through each container's env_providers
 * (mode 'expand'), or are checked to exist via askKeys (mode 'check', values unchanged), or untouched ('none').
 * Also rejects `#{}` (Empty interpolation is not allowed). Errors are DefinitionError issues with path
 * `app.env.GREETING` / `sidecars.front.env.X`, listing every problem at once, with hako's message content.
 * Never includes resolved values in errors.
 */
export async function expandEnv<M extends AnyAppModel = AppModel>(model: M, mode: EnvMode, registry: ProviderRegistry, context: ProviderContext): Promise<M> {
  if (mode === 'none') return model;
  const issues: DefinitionIssue[] = [];
  const containers: Container[] = [];
  for (const container of model.containers) {
    containers.push(await expandContainer(container, mode, registry, context, issues));
  }
  if (issues.length > 0) {
    throw new DefinitionError(model.file, issues, {
      summary:
        issues.length === 1
          ? `Could not expand env variables in ${model.file}`
          : `Could not expand env variables in ${model.file} (${issues.length} problems)`,
      hint: 'Each `#{NAME}` in a container env value must be answered by one of that container\'s env.$providers.',
    });
  }
  return { ...model, containers };
}

async function expandContainer(
  container: Container,
  mode: 'expand' | 'check',
  registry: ProviderRegistry,
  context: ProviderContext,
  issues: DefinitionIssue[],
): Promise<Container> {
  const prefix = container.name === 'app' ? 'app' : `sidecars.${container.name}`;
  const parsed = container.env.map((v) => ({ name: v.name, tokens: tokenizeEnvValue(v.value) }));
  const wanted: string[] = [];
  let valid = true;
  for (const { name, tokens } of parsed) {
    for (const token of tokens) {
      if (token.kind !== 'variable') continue;
      if (token.name === '') {
        issues.push({ severity: 'error', path: `${prefix}.env.${name}`, message: 'Empty interpolation is not allowed' });
        valid = false;
      } else if (!wanted.includes(token.name)) {
        wanted.push(token.name);
      }
    }
  }
  if (wanted.length === 0) return container;

  const described = `$providers=${JSON.stringify(container.env_providers)}`;
  const resolved = new Map<string, string>();
  let remaining = wanted;
  let skipped = false;
  for (const [index, config] of container.env_providers.entries()) {
    if (remaining.length === 0) break;
    const { type, ...providerOptions } = config;
    let provider: EnvProvider;
    try {
      provider = registry.instance(type, providerOptions, context);
    } catch (e) {
      if (!(e instanceof ProviderError)) throw e;
      issues.push({ severity: 'error', path: `${prefix}.env.$providers.${index}`, message: e.message });
      return container;
    }
    if (mode === 'expand') {
      const answer = await provider.ask(remaining);
      for (const name of remaining) {
        const value = Object.hasOwn(answer, name) ? answer[name] : undefined;
        if (value !== undefined) resolved.set(name, value);
      }
      remaining = remaining.filter((n) => !resolved.has(n));
    } else {
      if (!provider.askKeys) {
        warn(
          context.io,
          'env.validate-skipped',
          `Env validation of container ${container.name} is skipped because the ${type} provider doesn't support ask_keys`,
          { container: container.name, provider: type },
        );
        skipped = true;
        break;
      }
      const found = new Set(await provider.askKeys(remaining));
      remaining = remaining.filter((n) => !found.has(n));
    }
  }

  if (!skipped && remaining.length > 0) {
    const verb = mode === 'expand' ? 'Could not resolve' : 'Could not find';
    for (const { name, tokens } of parsed) {
      const missing = [...new Set(tokens.flatMap((t) => (t.kind === 'variable' && remaining.includes(t.name) ? [t.name] : [])))];
      if (missing.length === 0) continue;
      issues.push({
        severity: 'error',
        path: `${prefix}.env.${name}`,
        message: `${verb} embedded variables from ${described}: ${JSON.stringify(missing)}`,
      });
    }
    valid = false;
  }
  if (mode === 'check' || !valid) return container;

  const env = parsed.map(({ name, tokens }) => ({
    name,
    value: tokens.map((t) => (t.kind === 'text' ? t.text : resolved.get(t.name) ?? '')).join(''),
  }));
  return { ...container, env };
}
