/**
 * Writing a definition document as a person would: Jsonnet with bare keys, single quotes and trailing commas,
 * short lists on one line; YAML; or JSON. `hako init` is its user. Pure.
 */
import { stringify as toYaml } from 'yaml';

export type DefinitionFormat = 'jsonnet' | 'yaml' | 'json';

/** The format a file name asks for by its extension, if any. */
export function formatOfFile(file: string): DefinitionFormat | undefined {
  const lower = file.toLowerCase();
  if (lower.endsWith('.jsonnet')) return 'jsonnet';
  if (lower.endsWith('.yml') || lower.endsWith('.yaml')) return 'yaml';
  if (lower.endsWith('.json')) return 'json';
  return undefined;
}

export const EXTENSIONS: Readonly<Record<DefinitionFormat, string>> = { jsonnet: '.jsonnet', yaml: '.yml', json: '.json' };

const JSONNET_KEYWORDS = new Set([
  'assert', 'else', 'error', 'false', 'for', 'function', 'if', 'import', 'importstr', 'importbin', 'in', 'local',
  'null', 'tailstrict', 'then', 'self', 'super', 'true',
]);

function jsonnetString(s: string): string {
  let out = "'";
  for (const ch of s) {
    const code = ch.codePointAt(0) ?? 0;
    if (ch === '\\') out += '\\\\';
    else if (ch === "'") out += "\\'";
    else if (ch === '\n') out += '\\n';
    else if (ch === '\t') out += '\\t';
    else if (ch === '\r') out += '\\r';
    else if (code < 0x20 || code === 0x7f) out += `\\u${code.toString(16).padStart(4, '0')}`;
    else out += ch;
  }
  return out + "'";
}

function jsonnetKey(key: string): string {
  return /^[A-Za-z_][A-Za-z0-9_]*$/.test(key) && !JSONNET_KEYWORDS.has(key) ? key : jsonnetString(key);
}

function isScalar(v: unknown): boolean {
  return v === null || typeof v !== 'object';
}

function jsonnetValue(value: unknown, indent: string): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return jsonnetString(value);
  if (typeof value === 'number' || typeof value === 'boolean') return JSON.stringify(value);
  const inner = indent + '  ';
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    const inline = `[${value.map((v) => jsonnetValue(v, inner)).join(', ')}]`;
    // Short lists of scalars read best on one line: ['CMD-SHELL', 'curl -f http://localhost/'].
    if (value.every(isScalar) && inline.length + indent.length <= 100 && !inline.includes('\n')) return inline;
    return `[\n${value.map((v) => `${inner}${jsonnetValue(v, inner)},\n`).join('')}${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${jsonnetKey(k)}: ${jsonnetValue(v, inner)},\n`).join('')}${indent}}`;
}

/** The document in `format`, with `header` (lines of prose) as a leading comment where the format has comments. */
export function formatDefinition(document: Record<string, unknown>, format: DefinitionFormat, header: readonly string[] = []): string {
  switch (format) {
    case 'jsonnet':
      return `${header.map((l) => `// ${l}\n`).join('')}${jsonnetValue(document, '')}\n`;
    case 'yaml':
      return `${header.map((l) => `# ${l}\n`).join('')}${toYaml(document, { lineWidth: 0 })}`;
    case 'json':
      return JSON.stringify(document, null, 2) + '\n';
  }
}
