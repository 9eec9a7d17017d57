/**
 * Looking an address up in a parsed state, and saying precisely why not when it is not there: which part of the
 * address is missing, and the closest addresses (or keys) that do exist, because a typo in a long address is
 * otherwise hard to spot.
 */
import { distance } from 'fastest-levenshtein';
import {
  formatKey,
  formatModules,
  formatPath,
  formatTarget,
  type PathStep,
  type TerraformAddress,
} from './address.js';
import type { SensitiveStep, StateInstance, TerraformState } from './state.js';

export type Lookup =
  | { readonly found: true; readonly value: unknown; readonly sensitive: boolean }
  | { readonly found: false; readonly message: string; readonly suggestions: readonly string[] };

const MAX_SUGGESTIONS = 3;

export function lookupAddress(state: TerraformState, address: TerraformAddress): Lookup {
  if (address.kind === 'output') {
    const output = state.outputs.get(address.name);
    if (output === undefined) {
      return missing(`no output "${address.name}" in ${state.source}`, nearestTargets(state, address));
    }
    return walk(`output.${address.name}`, output.value, address.path, () => output.sensitive);
  }

  const module = formatModules(address.modules);
  const resource = state.resources.find((r) => r.module === module && r.mode === address.mode && r.type === address.type && r.name === address.name);
  const target = formatTarget(address);
  if (resource === undefined) return missing(`${target} is not in ${state.source}`, nearestTargets(state, address));

  const instance = resource.instances.find((i) => i.key === address.key);
  if (instance === undefined) {
    const base = formatTarget({ ...address, key: undefined });
    const keys = resource.instances.flatMap((i) => (i.key === undefined ? [] : [formatKey(i.key)]));
    const listed = keys.length > 10 ? `${keys.slice(0, 10).join(', ')}, …` : keys.join(', ');
    const detail =
      resource.instances.length === 0
        ? `${base} has no instances in ${state.source}`
        : keys.length === 0
          ? `${base} is a single instance (no count or for_each): drop the index ${formatKey(address.key!)}`
          : address.key === undefined
            ? `${base} has several instances (count or for_each): add an index, one of ${listed}`
            : `${target} is not in ${state.source}; ${base} has ${listed}`;
    return missing(detail, nearestTargets(state, address));
  }
  return walk(target, instance.attributes, address.path, (depth) => isSensitive(instance, address.path.slice(0, depth)));
}

/**
 * Follows `path` into `root`. `sensitiveAt(depth)` says whether the value reached after `depth` steps is, or
 * contains, something Terraform marked sensitive; it is asked for the final value only.
 */
function walk(target: string, root: unknown, path: readonly PathStep[], sensitiveAt: (depth: number) => boolean): Lookup {
  let value = root;
  for (const [depth, step] of path.entries()) {
    const here = target + formatPath(path.slice(0, depth));
    const wanted = step.kind === 'attr' ? step.name : step.key;
    if (Array.isArray(value)) {
      if (typeof wanted !== 'number') {
        const what = step.kind === 'attr' ? `attribute "${step.name}"` : `key ${JSON.stringify(wanted)}`;
        return missing(`${here} is a list (${value.length} items); it has no ${what}, index it with a number`, value.length > 0 ? [`${here}[0]`] : []);
      }
      if (wanted >= value.length) {
        return missing(`${here}${formatKey(wanted)} is out of range: ${here} has ${value.length} items`, value.length > 0 ? [`${here}[${value.length - 1}]`] : []);
      }
      value = value[wanted];
    } else if (value !== null && typeof value === 'object') {
      const object = value as Record<string, unknown>;
      if (typeof wanted === 'number' || !Object.hasOwn(object, wanted)) {
        const what = step.kind === 'attr' ? `attribute "${step.name}"` : `key ${formatKey(wanted)}`;
        const near = nearest(String(wanted), Object.keys(object)).map((k) => here + formatPath([{ kind: 'attr', name: k }]));
        return missing(`${here} has no ${what}`, near);
      }
      value = object[wanted];
    } else {
      return missing(`${here} is ${describe(value)}; it has no ${step.kind === 'attr' ? `attribute "${step.name}"` : `index ${formatKey(wanted)}`}`, []);
    }
  }
  return { found: true, value, sensitive: sensitiveAt(path.length) };
}

/** Sensitive when a marked path and the requested one overlap: one leads into the other. */
function isSensitive(instance: StateInstance, path: readonly PathStep[]): boolean {
  return instance.sensitivePaths.some((marked) => {
    const n = Math.min(marked.length, path.length);
    for (let i = 0; i < n; i++) if (!sameStep(marked[i]!, path[i]!)) return false;
    return true;
  });
}

/** `.name` and `["name"]` are the same step into a map or object; a number only matches a number. */
function sameStep(marked: SensitiveStep, step: PathStep): boolean {
  const a = marked.kind === 'attr' ? marked.name : marked.key;
  const b = step.kind === 'attr' ? step.name : step.key;
  return a === b;
}

function describe(value: unknown): string {
  if (value === null) return 'null';
  if (typeof value === 'string') return 'a string';
  if (typeof value === 'number') return 'a number';
  if (typeof value === 'boolean') return 'a boolean';
  return typeof value;
}

function missing(message: string, suggestions: readonly string[]): Lookup {
  return { found: false, message, suggestions };
}

/** Every resource instance and output the state holds, as addresses (`module.net.aws_subnet.private[0]`, `output.x`). */
export function stateTargets(state: TerraformState): string[] {
  const targets: string[] = [];
  for (const r of state.resources) {
    const prefix = `${r.module === '' ? '' : `${r.module}.`}${r.mode === 'data' ? 'data.' : ''}${r.type}.${r.name}`;
    for (const i of r.instances) targets.push(i.key === undefined ? prefix : prefix + formatKey(i.key));
  }
  for (const name of state.outputs.keys()) targets.push(`output.${name}`);
  return targets;
}

/** The targets closest to the one asked for, each with the asked attribute path appended. */
function nearestTargets(state: TerraformState, address: TerraformAddress): string[] {
  const suffix = formatPath(address.path);
  return nearest(formatTarget(address), stateTargets(state)).map((t) => t + suffix);
}

/**
 * Up to three candidates, closest first, that are close enough to be the intended one. A prefix counts as close
 * whatever the edit distance: `cidr` means `cidr_block` more likely than `id`.
 */
function nearest(word: string, candidates: readonly string[]): string[] {
  const limit = Math.max(3, Math.floor(word.length / 2));
  const prefix = (a: string, b: string): boolean => Math.min(a.length, b.length) >= 3 && (a.startsWith(b) || b.startsWith(a));
  const ranked = [...new Set(candidates)]
    .map((c) => ({ c, d: prefix(word, c) ? Math.min(1, distance(word, c)) : distance(word, c) }))
    .filter(({ d }) => d <= limit)
    .sort((a, b) => a.d - b.d || (a.c < b.c ? -1 : 1));
  return ranked.slice(0, MAX_SUGGESTIONS).map(({ c }) => c);
}
