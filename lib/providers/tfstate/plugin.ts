/**
 * `tfstate` env provider: values from a Terraform state, by address (`aws_lb_target_group.app.arn`,
 * `module.net.aws_subnet.private[0].id`, `output.NAME`; grammar in ./address.ts). Options: `url` (a local path,
 * relative to the definition, or `s3://bucket/key`) and `region` (of the bucket; default: the run's region).
 *
 * Terraform values are configuration, not secrets (`values: 'configuration'`): they are read in every mode and
 * print in show-definition and plans, except what Terraform itself marks sensitive — outputs with
 * `"sensitive": true` and instance `sensitive_attributes` — which are masked like any secret.
 *
 * Values become env strings: strings as they are; numbers and booleans as JSON writes them; null as ''; lists and
 * maps as compact JSON, as fujiwara/tfstate-lookup (ecspresso's tfstate) gives them, so Jsonnet can take a whole
 * list with `std.parseJson(std.native('tfstate')('output.subnet_ids'))` instead of indexing a count it must know.
 */
import * as z from 'zod';
import type { EnvProvider, ProviderContext, ProviderPlugin } from '../provider.js';
import { AddressSyntaxError, parseAddress, type TerraformAddress } from './address.js';
import { describeLocation, parseStateUrl, readStateText, type StateLocation } from './location.js';
import { lookupAddress, type Lookup } from './lookup.js';
import { parseTerraformState, type TerraformState } from './state.js';

export const tfstateProviderConfig = z.strictObject({
  url: z.string({ error: (issue) => (issue.input === undefined ? 'url must be set' : 'url must be a string') }).min(1, 'url must not be empty'),
  region: z.string().min(1).optional(),
});
export type TfstateProviderConfig = z.infer<typeof tfstateProviderConfig>;

const GRAMMAR_HINT =
  'Terraform addresses look like aws_lb_target_group.app.arn, data.aws_vpc.main.id, module.net.aws_subnet.private[0].id, ' +
  'aws_subnet.this["a"].id or output.NAME.';

/** A value as an env string (see the module comment). */
export function envString(value: unknown): string {
  if (typeof value === 'string') return value;
  if (value === null || value === undefined) return '';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

type Resolved = { readonly address: TerraformAddress; readonly lookup: Lookup } | { readonly syntax: AddressSyntaxError };

class TfstateProvider implements EnvProvider {
  readonly #state: () => Promise<TerraformState>;
  readonly #resolved = new Map<string, Promise<Resolved>>();

  constructor(state: () => Promise<TerraformState>) {
    this.#state = state;
  }

  /** Unknown names (and names that are no address at all) are absent, so a `$providers` chain goes on. */
  async ask(names: readonly string[]): Promise<Record<string, string>> {
    const result: Record<string, string> = {};
    for (const name of names) {
      const resolved = await this.#resolve(name);
      if ('lookup' in resolved && resolved.lookup.found) result[name] = envString(resolved.lookup.value);
    }
    return result;
  }

  async askKeys(names: readonly string[]): Promise<string[]> {
    return this.#filter(names, (l) => l.found);
  }

  async askSensitive(names: readonly string[]): Promise<string[]> {
    return this.#filter(names, (l) => l.found && l.sensitive);
  }

  async explainMissing(name: string): Promise<{ message: string; hint?: string }> {
    const resolved = await this.#resolve(name);
    if ('syntax' in resolved) return { message: `tfstate: ${resolved.syntax.message}`, hint: GRAMMAR_HINT };
    const { lookup } = resolved;
    if (lookup.found) return { message: `tfstate: ${name} exists` };
    const suggestion = lookup.suggestions.length > 0 ? `; did you mean ${lookup.suggestions.join(', ')}?` : '';
    return { message: `tfstate: ${name} not found: ${lookup.message}${suggestion}`, hint: GRAMMAR_HINT };
  }

  async #filter(names: readonly string[], keep: (lookup: Lookup) => boolean): Promise<string[]> {
    const kept: string[] = [];
    for (const name of names) {
      const resolved = await this.#resolve(name);
      if ('lookup' in resolved && keep(resolved.lookup)) kept.push(name);
    }
    return kept;
  }

  #resolve(name: string): Promise<Resolved> {
    let resolved = this.#resolved.get(name);
    if (resolved === undefined) {
      resolved = this.#lookup(name);
      this.#resolved.set(name, resolved);
    }
    return resolved;
  }

  async #lookup(name: string): Promise<Resolved> {
    let address: TerraformAddress;
    try {
      address = parseAddress(name);
    } catch (e) {
      if (e instanceof AddressSyntaxError) return { syntax: e };
      throw e;
    }
    return { address, lookup: lookupAddress(await this.#state(), address) };
  }
}

/**
 * The plugin, with its own cache of states: each location is read and parsed once per run, however many provider
 * instances (different options spelling the same file, `provide.tfstate` and `std.native('tfstate')`) ask for it.
 * `builtinProviders()` makes a fresh plugin per run, so nothing is cached across runs in one process.
 */
export function createTfstateProviderPlugin(): ProviderPlugin<TfstateProviderConfig> {
  const states = new Map<string, Promise<TerraformState>>();
  const load = (location: StateLocation, context: ProviderContext): Promise<TerraformState> => {
    const source = describeLocation(location);
    const cacheKey = location.kind === 's3' ? `${source}\0${location.region ?? ''}` : source;
    let state = states.get(cacheKey);
    if (state === undefined) {
      state = readStateText(location, context).then((text) => parseTerraformState(text, source));
      states.set(cacheKey, state);
    }
    return state;
  };
  return {
    type: 'tfstate',
    values: 'configuration',
    configSchema: tfstateProviderConfig,
    create: (config, context) => {
      const location = parseStateUrl(config.url, context.rootPath, config.region);
      return new TfstateProvider(() => load(location, context));
    },
  };
}
