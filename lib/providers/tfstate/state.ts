/**
 * Terraform state files, format version 4 (written by Terraform 0.12 and later, and by OpenTofu): parsed once into
 * the few things lookups need — resources with their instances' attributes and sensitive paths, and the root
 * module's outputs with their `sensitive` flag. Anything else in the file (providers, private data, check results)
 * is ignored, and so are deposed objects: an address means the current object, as in Terraform.
 *
 * Errors never quote the file's text: a state holds secrets, and V8's JSON errors quote the input.
 */
import { ProviderError } from '../../errors.js';
import type { InstanceKey } from './address.js';

/** A step of a sensitive attribute path as the state records it (`get_attr` → attr, `index` → index). */
export type SensitiveStep = { readonly kind: 'attr'; readonly name: string } | { readonly kind: 'index'; readonly key: InstanceKey };

export interface StateInstance {
  /** count index or for_each key; absent for a single instance. */
  readonly key?: InstanceKey;
  readonly attributes: Readonly<Record<string, unknown>>;
  /** Paths Terraform marked sensitive in this instance's attributes (`sensitive_attributes`, Terraform ≥ 0.15). */
  readonly sensitivePaths: readonly (readonly SensitiveStep[])[];
}

export interface StateResource {
  /** The module instance path as written in the state (`module.a[0].module.b`); '' for the root module. */
  readonly module: string;
  readonly mode: 'managed' | 'data';
  readonly type: string;
  readonly name: string;
  readonly instances: readonly StateInstance[];
}

export interface StateOutput {
  readonly value: unknown;
  readonly sensitive: boolean;
}

export interface TerraformState {
  /** Where it was read from, for messages: the file path or the s3:// URL. */
  readonly source: string;
  readonly resources: readonly StateResource[];
  readonly outputs: ReadonlyMap<string, StateOutput>;
}

const SUPPORTED_VERSION = 4;

export function parseTerraformState(text: string, source: string): TerraformState {
  let root: unknown;
  try {
    root = JSON.parse(text);
  } catch {
    throw stateError(source, 'is not valid JSON', 'Point the url at a Terraform state file (terraform.tfstate), not at a configuration or plan.');
  }
  if (!isObject(root) || !('version' in root)) {
    throw stateError(source, 'is not a Terraform state (it has no "version")', 'Point the url at a Terraform state file (terraform.tfstate).');
  }
  if (root.version !== SUPPORTED_VERSION) {
    const backendPointer = isObject(root.backend);
    throw stateError(
      source,
      `has state format version ${JSON.stringify(root.version)}; hako reads version ${SUPPORTED_VERSION} (Terraform 0.12 and later)`,
      backendPointer
        ? "This looks like .terraform/terraform.tfstate, which only says where the real state is: give that location (e.g. s3://bucket/key)."
        : 'Upgrade the state by running terraform (0.12 or later) against it, e.g. `terraform apply -refresh-only`.',
    );
  }
  return { source, resources: resources(root.resources), outputs: outputs(root.outputs) };
}

function resources(value: unknown): StateResource[] {
  if (!Array.isArray(value)) return [];
  const out: StateResource[] = [];
  for (const r of value) {
    if (!isObject(r) || typeof r.type !== 'string' || typeof r.name !== 'string') continue;
    if (r.mode !== 'managed' && r.mode !== 'data') continue;
    const instances: StateInstance[] = [];
    for (const i of Array.isArray(r.instances) ? r.instances : []) {
      if (!isObject(i) || (typeof i.deposed === 'string' && i.deposed !== '')) continue;
      const key = typeof i.index_key === 'number' || typeof i.index_key === 'string' ? i.index_key : undefined;
      instances.push({
        ...(key === undefined ? {} : { key }),
        attributes: isObject(i.attributes) ? i.attributes : {},
        sensitivePaths: sensitivePaths(i.sensitive_attributes),
      });
    }
    out.push({ module: typeof r.module === 'string' ? r.module : '', mode: r.mode, type: r.type, name: r.name, instances });
  }
  return out;
}

/**
 * `sensitive_attributes` is a list of paths, each a list of `{type: 'get_attr', value: NAME}` or
 * `{type: 'index', value: KEY}` steps, where KEY is written either plainly or as cty's `{value, type}` pair.
 * A step we cannot read ends its path there, which marks more as sensitive rather than less.
 */
function sensitivePaths(value: unknown): SensitiveStep[][] {
  if (!Array.isArray(value)) return [];
  const paths: SensitiveStep[][] = [];
  for (const rawPath of value) {
    const steps: SensitiveStep[] = [];
    for (const step of Array.isArray(rawPath) ? rawPath : [rawPath]) {
      if (!isObject(step)) break;
      if (step.type === 'get_attr' && typeof step.value === 'string') {
        steps.push({ kind: 'attr', name: step.value });
        continue;
      }
      const key = isObject(step.value) ? step.value.value : step.value;
      if (step.type === 'index' && (typeof key === 'number' || typeof key === 'string')) {
        steps.push({ kind: 'index', key });
        continue;
      }
      break;
    }
    paths.push(steps);
  }
  return paths;
}

function outputs(value: unknown): Map<string, StateOutput> {
  const out = new Map<string, StateOutput>();
  if (!isObject(value)) return out;
  for (const [name, output] of Object.entries(value)) {
    if (!isObject(output)) continue;
    out.set(name, { value: output.value, sensitive: output.sensitive === true });
  }
  return out;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

function stateError(source: string, what: string, hint: string): ProviderError {
  return new ProviderError('tfstate', `tfstate provider: ${source} ${what}`, { hint });
}
