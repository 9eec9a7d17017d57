/**
 * YAML definitions, read the way hako (Ruby Psych, YAML 1.1) reads them, plus hako's `!include`:
 * - YAML 1.1 scalars (`yes`/`on` are booleans, `010` is octal, `1:30` is 90); timestamps stay the text written.
 * - `!include <path>` on a scalar is replaced by that file's document, the path resolved against the directory of
 *   the file being read (so nested includes are relative to the including file).
 * - `<<` merges positionally, as Psych does: keys before `<<` are overwritten by merged keys, keys after override
 *   them. This holds for `<<: *alias`, `<<: [*a, *b]` (earlier sources win among themselves) and `<<: !include f`.
 * We walk the parsed document ourselves instead of using the yaml package's `toJS`, because its merge keeps
 * existing keys regardless of position, which would change what existing hako definitions mean.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import YAML, { type Document, type LineCounter as LineCounterT, type Node as YamlNode } from 'yaml';
import { DefinitionError, type DefinitionIssue } from '../../errors.js';
import { decodeUtf8 } from './encoding.js';

const INCLUDE_TAG = '!include';

/**
 * Limits that keep a hostile or broken file from hanging hako (YAML is parsed on the main thread, where Ctrl-C
 * cannot interrupt it): aliases may expand to at most MAX_ALIAS_NODES values in all (a "billion laughs" file
 * expands nine lines into 10^9), a file may be at most MAX_FILE_BYTES, and a definition may read at most
 * MAX_INCLUDES files through `!include` (includes repeated through aliases count each time).
 */
export const YAML_LIMITS = { MAX_ALIAS_NODES: 100_000, MAX_FILE_BYTES: 10 * 1024 * 1024, MAX_INCLUDES: 1_000 } as const;

interface Budget {
  aliasNodes: number;
  includes: number;
  /** The outermost alias being expanded: where an exceeded alias budget is reported. */
  aliasSite?: YamlNode;
}
const STR_TAG = 'tag:yaml.org,2002:str';

interface IncludeSite {
  readonly file: string;
  readonly absolute: string;
  readonly line: number;
  readonly column: number;
}

interface Frame {
  /** The file as we name it to the user: the top file as given, includes joined onto it. */
  readonly file: string;
  readonly absolute: string;
  readonly doc: Document.Parsed;
  readonly lines: LineCounterT;
  /** Where this file was included from, outermost first. */
  readonly chain: readonly IncludeSite[];
  readonly includes: boolean;
  /** The definition file the user asked for; DefinitionErrors name it. */
  readonly top: string;
  /** Shared by a definition and every file it includes. */
  readonly budget: Budget;
}

/** Loads a YAML definition file (following `!include`) into a plain JSON-like value. */
export function loadYamlFile(file: string): unknown {
  return loadFile(file, path.resolve(file), [], file, { aliasNodes: 0, includes: 0 });
}

/** Parses YAML text with the same semantics but without `!include` (used by the `yaml` env provider). */
export function parseYamlText(text: string, file: string): unknown {
  const frame = parseFrame(text, file, path.resolve(file), [], false, file, { aliasNodes: 0, includes: 0 });
  return convertRoot(frame);
}

function loadFile(file: string, absolute: string, chain: readonly IncludeSite[], top: string, budget: Budget): unknown {
  let bytes: Buffer;
  try {
    bytes = readFileSync(absolute);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const site = chain.at(-1);
    const message = `Cannot read ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`;
    if (!site) throw new DefinitionError(top, [{ severity: 'error', file, message }], { summary: message, cause: e });
    throw new DefinitionError(top, [issueAt(site, `Cannot include ${file}: ${code === 'ENOENT' ? 'no such file' : (e as Error).message}`, chain.slice(0, -1))], {
      summary: `Could not load ${top}`,
      cause: e,
    });
  }
  const site = chain.at(-1);
  const refuse = (message: string): never => {
    const issue = site ? issueAt(site, `${file}: ${message}`, chain.slice(0, -1)) : { severity: 'error' as const, file, message };
    throw new DefinitionError(top, [issue], { summary: `Could not load ${top}` });
  };
  if (bytes.length > YAML_LIMITS.MAX_FILE_BYTES) {
    refuse(`${(bytes.length / 1024 / 1024).toFixed(1)} MiB is more than a definition may be (${YAML_LIMITS.MAX_FILE_BYTES / 1024 / 1024} MiB)`);
  }
  const decoded = decodeUtf8(bytes, file);
  if ('issue' in decoded) {
    const issue = { ...decoded.issue, message: withChain(decoded.issue.message, chain) };
    throw new DefinitionError(top, [issue], { summary: `Could not load ${top}` });
  }
  return convertRoot(parseFrame(decoded.text, file, absolute, chain, true, top, budget));
}

function parseFrame(
  text: string,
  file: string,
  absolute: string,
  chain: readonly IncludeSite[],
  includes: boolean,
  top: string,
  budget: Budget,
): Frame {
  const lines = new YAML.LineCounter();
  const docs = YAML.parseAllDocuments(text, {
    version: '1.1',
    lineCounter: lines,
    prettyErrors: true,
    customTags: [{ tag: INCLUDE_TAG, resolve: (s: string) => s }],
    // `<<` may repeat (several merges); any other repeated key is an error, unlike Psych which keeps the last.
    uniqueKeys: (a, b) => !isMergeKey(a) && YAML.isScalar(a) && YAML.isScalar(b) && a.value === b.value,
  });
  const issues: DefinitionIssue[] = [];
  for (const doc of docs) {
    for (const err of doc.errors) {
      const pos = err.linePos?.[0];
      issues.push({
        severity: 'error',
        file,
        line: pos?.line ?? 1,
        column: pos?.col ?? 1,
        message: withChain(err.message.replace(/ at line \d+, column \d+:[\s\S]*$/, ''), chain),
      });
    }
  }
  if (issues.length > 0) {
    throw new DefinitionError(top, issues, { summary: `Could not parse YAML in ${top}` });
  }
  const doc = docs[0] ?? new YAML.Document(null);
  return { file, absolute, doc: doc as Document.Parsed, lines, chain, includes, top, budget };
}

function convertRoot(frame: Frame): unknown {
  return convert(frame.doc.contents as YamlNode | null, frame, new Set());
}

function convert(node: YamlNode | null | undefined, frame: Frame, resolving: Set<YamlNode>): unknown {
  if (node === null || node === undefined) return null;
  // Inside an alias's expansion every value counts against the alias budget.
  if (resolving.size > 0 && ++frame.budget.aliasNodes > YAML_LIMITS.MAX_ALIAS_NODES) {
    fail(frame, frame.budget.aliasSite ?? node, `aliases expand to more than ${YAML_LIMITS.MAX_ALIAS_NODES} values (an alias bomb?); write the repeated part out or use fewer nested aliases`);
  }
  if (YAML.isAlias(node)) {
    const target = node.resolve(frame.doc) as YamlNode | undefined;
    if (!target) fail(frame, node, `Unknown alias *${node.source}`);
    if (resolving.has(target)) fail(frame, node, `Recursive alias *${node.source}`);
    if (resolving.size === 0) frame.budget.aliasSite = node;
    resolving.add(target);
    try {
      return convert(target, frame, resolving);
    } finally {
      resolving.delete(target);
    }
  }
  if (YAML.isScalar(node)) {
    if (node.tag === INCLUDE_TAG) return include(node, frame);
    return scalarValue(node);
  }
  if (node.tag === INCLUDE_TAG) fail(frame, node, '!include must be applied to a scalar (a file path)');
  if (YAML.isMap(node)) {
    const out: Record<string, unknown> = {};
    for (const pair of node.items) {
      const keyNode = pair.key as YamlNode | null;
      const valueNode = pair.value as YamlNode | null;
      if (isMergeKey(keyNode)) {
        const source = convert(valueNode, frame, resolving);
        if (!merge(out, source)) setKey(out, '<<', source);
        continue;
      }
      setKey(out, keyString(convert(keyNode, frame, resolving)), convert(valueNode, frame, resolving));
    }
    return out;
  }
  if (YAML.isSeq(node)) {
    return node.items.map((item) => convert(item as YamlNode | null, frame, resolving));
  }
  return null;
}

/**
 * Psych's merge: a mapping is merged in place (`hash.merge!`), so existing keys keep their position and take the
 * merged value, new keys are appended. A sequence of mappings is first combined with earlier ones winning.
 * Returns false when the value cannot be merged; Psych then keeps `<<` as an ordinary key.
 */
function merge(target: Record<string, unknown>, source: unknown): boolean {
  if (isPlainObject(source)) {
    for (const [k, v] of Object.entries(source)) setKey(target, k, v);
    return true;
  }
  if (Array.isArray(source) && source.every(isPlainObject)) {
    const combined: Record<string, unknown> = {};
    for (const item of [...source].reverse()) for (const [k, v] of Object.entries(item)) setKey(combined, k, v);
    for (const [k, v] of Object.entries(combined)) setKey(target, k, v);
    return true;
  }
  return false;
}

function include(node: YAML.Scalar, frame: Frame): unknown {
  if (!frame.includes) fail(frame, node, '!include is only supported in definition files');
  if (++frame.budget.includes > YAML_LIMITS.MAX_INCLUDES) fail(frame, node, `more than ${YAML_LIMITS.MAX_INCLUDES} files included (includes repeated through aliases count each time)`);
  const relative = String(node.value);
  const absolute = path.resolve(path.dirname(frame.absolute), relative);
  const file = path.isAbsolute(relative) ? relative : path.join(path.dirname(frame.file), relative);
  const site: IncludeSite = { file: frame.file, absolute: frame.absolute, ...position(frame, node) };
  const chain = [...frame.chain, site];
  if (chain.some((s) => s.absolute === absolute)) {
    const files = [...chain.map((s) => s.file), file];
    throw new DefinitionError(frame.top, [issueAt(site, `Include cycle: ${files.join(' -> ')}`, frame.chain)], {
      summary: `Could not load ${frame.top}`,
    });
  }
  return loadFile(file, absolute, chain, frame.top, frame.budget);
}

function scalarValue(node: YAML.Scalar): unknown {
  const value: unknown = node.value;
  // Psych turns timestamps into Time objects that hako later prints as the text written; keep the text.
  if (value instanceof Date) return node.source ?? value.toISOString();
  if (value instanceof Uint8Array) return Buffer.from(value).toString('utf8');
  if (typeof value === 'symbol') return value.description ?? '';
  if (typeof value === 'bigint') return Number(value);
  return value ?? null;
}

function isMergeKey(node: unknown): boolean {
  if (!YAML.isScalar(node) || node.tag === STR_TAG) return false;
  const value: unknown = node.value;
  return value === '<<' || (typeof value === 'symbol' && value.description === '<<');
}

function keyString(key: unknown): string {
  if (key === null || key === undefined) return '';
  return typeof key === 'object' ? JSON.stringify(key) : String(key);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

// defineProperty so that a key named `__proto__` is data, not a prototype change.
function setKey(target: Record<string, unknown>, key: string, value: unknown): void {
  if (Object.hasOwn(target, key)) target[key] = value;
  else Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

function position(frame: Frame, node: YamlNode): { line: number; column: number } {
  const offset = node.range?.[0] ?? 0;
  const pos = frame.lines.linePos(offset);
  return { line: pos.line, column: pos.col };
}

function fail(frame: Frame, node: YamlNode, message: string): never {
  const site = { file: frame.file, absolute: frame.absolute, ...position(frame, node) };
  throw new DefinitionError(frame.top, [issueAt(site, message, frame.chain)], { summary: `Could not load ${frame.top}` });
}

function issueAt(site: IncludeSite, message: string, chain: readonly IncludeSite[]): DefinitionIssue {
  return { severity: 'error', file: site.file, line: site.line, column: site.column, message: withChain(message, chain) };
}

function withChain(message: string, chain: readonly IncludeSite[]): string {
  if (chain.length === 0) return message;
  const from = [...chain].reverse().map((s) => `${s.file}:${s.line}:${s.column}`);
  return `${message} (included from ${from.join(', from ')})`;
}
