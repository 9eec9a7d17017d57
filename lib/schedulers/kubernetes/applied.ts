/**
 * What hako last applied to a live object, read back from the object itself: server-side apply records, per field
 * manager, the set of fields it owns (`metadata.managedFields[].fieldsV1`). Taking exactly those fields of the live
 * object gives hako's applied configuration (client-go's `Extract…` functions do the same).
 *
 * Why it matters: an apply *is* the manager's whole intent — a field hako owned and leaves out of its next apply is
 * removed. So `stop` (replicas 0), `rollback` (another pod template) and a failed deploy's recovery (what was
 * applied before) re-apply this configuration with one part changed, and nothing else moves. Pure.
 */
import { FIELD_MANAGER } from '../../kube/ports.js';

/** A fieldsV1 trie: `f:<field>`, `k:<json key of a list item>`, `v:<json value of a set item>`, `i:<index>`, `.` (the node itself). */
export interface FieldSet {
  readonly [key: string]: FieldSet;
}

interface ManagedFieldsEntry {
  readonly manager?: string;
  readonly operation?: string;
  readonly subresource?: string;
  readonly fieldsType?: string;
  readonly fieldsV1?: object;
}

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function sameJson(a: unknown, b: unknown): boolean {
  if (isObject(a) && isObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => sameJson(a[k], b[k]));
  }
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => sameJson(v, b[i]));
  return a === b;
}

/** A child: a leaf (`{}`) owns the whole value; anything else owns the listed parts of it. */
function child(value: unknown, fields: FieldSet): unknown {
  const parts = Object.keys(fields).filter((k) => k !== '.');
  return parts.length === 0 ? structuredClone(value) : extractFields(value, fields);
}

function listItemMatches(item: unknown, key: string, index: number): boolean {
  if (key.startsWith('k:')) {
    const wanted = JSON.parse(key.slice(2)) as Record<string, unknown>;
    return isObject(item) && Object.entries(wanted).every(([k, v]) => sameJson(item[k], v));
  }
  if (key.startsWith('v:')) return sameJson(item, JSON.parse(key.slice(2)));
  if (key.startsWith('i:')) return Number(key.slice(2)) === index;
  return false;
}

/** The parts of `value` that `fields` names, in the value's own order. */
export function extractFields(value: unknown, fields: FieldSet): unknown {
  if (Array.isArray(value)) {
    const keys = Object.keys(fields).filter((k) => k !== '.');
    const out: unknown[] = [];
    value.forEach((item, index) => {
      const key = keys.find((k) => listItemMatches(item, k, index));
      if (key === undefined) return;
      const part = child(item, fields[key]!);
      // An associative item always carries its key fields, or the server could not tell which item it is.
      out.push(key.startsWith('k:') && isObject(part) ? { ...(JSON.parse(key.slice(2)) as object), ...part } : part);
    });
    return out;
  }
  if (isObject(value)) {
    const out: Record<string, unknown> = {};
    for (const [key, sub] of Object.entries(fields)) {
      if (!key.startsWith('f:')) continue;
      const name = key.slice(2);
      if (Object.hasOwn(value, name)) out[name] = child(value[name], sub);
    }
    return out;
  }
  return structuredClone(value);
}

/** The fields hako's applies own on the object (its `Apply` entry), or undefined when hako never applied it. */
export function appliedFields(object: { metadata?: { managedFields?: readonly ManagedFieldsEntry[] } }): FieldSet | undefined {
  const entry = object.metadata?.managedFields?.find(
    (f) => f.manager === FIELD_MANAGER && f.operation === 'Apply' && (f.subresource ?? '') === '' && (f.fieldsType ?? 'FieldsV1') === 'FieldsV1',
  );
  return entry?.fieldsV1 as FieldSet | undefined;
}

/** When hako's last apply changed the object, by the server's clock (RFC 3339, seconds); undefined if unknown. */
export function appliedAt(object: { metadata?: { managedFields?: readonly (ManagedFieldsEntry & { time?: string })[] } }): string | undefined {
  return object.metadata?.managedFields?.find((f) => f.manager === FIELD_MANAGER && f.operation === 'Apply' && (f.subresource ?? '') === '')?.time;
}

/**
 * hako's applied configuration of a live object: identity (apiVersion, kind, name, namespace) plus exactly the
 * fields hako owns, with their live values. Undefined when hako owns nothing there.
 */
export function appliedConfiguration<T extends { apiVersion?: string; kind?: string; metadata?: { name?: string; namespace?: string; managedFields?: readonly ManagedFieldsEntry[] } }>(
  object: T,
): Record<string, unknown> | undefined {
  const fields = appliedFields(object);
  if (fields === undefined) return undefined;
  const extracted = extractFields(object, fields) as Record<string, unknown>;
  const metadata = isObject(extracted.metadata) ? extracted.metadata : {};
  return {
    ...extracted,
    apiVersion: object.apiVersion,
    kind: object.kind,
    metadata: { ...metadata, name: object.metadata?.name, namespace: object.metadata?.namespace },
  };
}
