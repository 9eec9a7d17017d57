/**
 * Live object × the server's dry-run answer → "does applying change anything", and the shapes a plan shows.
 *
 * Both sides come from the same API server, so every default it fills in (strategy, terminationMessagePath,
 * imagePullPolicy, clusterIP…) is on both: what remains to normalise away is only what the server keeps about the
 * object rather than in it — managedFields, resourceVersion, generation, uid, creationTimestamp, status, and the
 * Deployment controller's revision annotation. What is left differs exactly when an apply would change the object.
 * Pure.
 */
import { deepEqual } from '../../plan/normalise-for-diff.js';
import { REVISION_ANNOTATION } from './labels.js';

type Obj = Record<string, unknown>;

function isObject(v: unknown): v is Obj {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

const SERVER_METADATA = ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp', 'selfLink'] as const;
const SERVER_ANNOTATIONS = [REVISION_ANNOTATION] as const;

/** The object without what the server keeps about it: what an apply can change. */
export function comparable(object: unknown): Obj | undefined {
  if (!isObject(object)) return undefined;
  const { status: _status, ...rest } = structuredClone(object);
  const metadata = isObject(rest.metadata) ? rest.metadata : {};
  for (const key of SERVER_METADATA) delete metadata[key];
  if (isObject(metadata.annotations)) {
    for (const key of SERVER_ANNOTATIONS) delete metadata.annotations[key];
    if (Object.keys(metadata.annotations).length === 0) delete metadata.annotations;
  }
  return { ...rest, metadata };
}

/** True when applying would change the live object (absent counts as a change). */
export function wouldChange(live: unknown, dryRun: unknown): boolean {
  return live === undefined || !deepEqual(comparable(live), comparable(dryRun));
}

/** The text a container receives for a value hako wrote with every `$` doubled (manifests.ts `literal`). */
function unescaped(text: string): string {
  return text.split('$$').join('$');
}

/**
 * An env list as `NAME=value` lines: how every plan in hako shows env, so that provider values are masked on both
 * sides by the one redaction (lib/plan/redact.ts) and a changed value reads as one changed line. Values are shown
 * as the container gets them: the redaction finds provider values only as the provider gave them.
 */
function envLines(env: unknown): unknown {
  if (!Array.isArray(env)) return env;
  return env.map((e: unknown) => {
    if (!isObject(e) || typeof e.name !== 'string') return e;
    if (e.valueFrom !== undefined) return `${e.name}=(from ${JSON.stringify(e.valueFrom)})`;
    return `${e.name}=${typeof e.value === 'string' ? unescaped(e.value) : ''}`;
  });
}

function texts(list: unknown): unknown {
  return Array.isArray(list) ? list.map((v) => (typeof v === 'string' ? unescaped(v) : v)) : list;
}

/** Containers (under `containers`/`initContainers`) with env as lines and command/args as the container gets them. */
function withEnvLines(value: unknown, key = ''): unknown {
  if (Array.isArray(value)) return value.map((v) => (key === 'containers' || key === 'initContainers' ? container(v) : withEnvLines(v)));
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) out[k] = withEnvLines(v, k);
  return out;
}

function container(value: unknown): unknown {
  if (!isObject(value)) return value;
  const out: Obj = {};
  for (const [k, v] of Object.entries(value)) out[k] = k === 'env' ? envLines(v) : k === 'command' || k === 'args' ? texts(v) : withEnvLines(v, k);
  return out;
}

/** A pod template's `metadata.creationTimestamp: null`, which the server adds to both sides and means nothing. */
function withoutNullTimestamps(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutNullTimestamps);
  if (!isObject(value)) return value;
  return Object.fromEntries(Object.entries(value).filter(([k, v]) => !(k === 'creationTimestamp' && v === null)).map(([k, v]) => [k, withoutNullTimestamps(v)]));
}

/** What a plan shows of an object: its comparable form with env as `NAME=value` lines. */
export function displayShape(object: unknown): unknown {
  const c = comparable(object);
  return c === undefined ? undefined : withEnvLines(withoutNullTimestamps(c));
}

/**
 * A creation's dry-run answer holds values the server only picks when it stores the object (a Service's cluster
 * IP: the dry run shows a placeholder address); the plan says so instead of showing an address that will not be.
 */
export function createdShape(object: unknown): unknown {
  const shape = displayShape(object);
  if (!isObject(shape) || shape.kind !== 'Service' || !isObject(shape.spec)) return shape;
  const spec: Obj = { ...shape.spec };
  if (spec.clusterIP !== undefined && spec.clusterIP !== 'None') spec.clusterIP = '(known after apply)';
  if (Array.isArray(spec.clusterIPs) && spec.clusterIP === '(known after apply)') spec.clusterIPs = ['(known after apply)'];
  return { ...shape, spec };
}
