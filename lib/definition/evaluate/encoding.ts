/**
 * Definitions must be UTF-8. Node and libjsonnet both turn other bytes (a Latin-1 `é`) into U+FFFD without a
 * word, so `café` would reach ECS as `caf�`. Files we read ourselves are decoded strictly and a bad byte is
 * reported at its line and column; for what libjsonnet reads (imports), a U+FFFD in the evaluated value is
 * reported at its JSON path.
 */
import type { DefinitionIssue } from '../../errors.js';
import { formatPath } from '../schema/issues.js';

const strict = new TextDecoder('utf-8', { fatal: true });

/** The text of `bytes`, or the issue locating the first byte that is not UTF-8. */
export function decodeUtf8(bytes: Uint8Array, file: string): { text: string } | { issue: DefinitionIssue } {
  try {
    return { text: strict.decode(bytes) };
  } catch {
    const offset = badOffset(bytes);
    const good = new TextDecoder('utf-8').decode(bytes.subarray(0, offset));
    const lines = good.split('\n');
    const bad = bytes[offset] ?? 0;
    return {
      issue: {
        severity: 'error',
        file,
        line: lines.length,
        column: lines.at(-1)!.length + 1,
        message: `byte 0x${bad.toString(16).padStart(2, '0').toUpperCase()} is not UTF-8: save the file as UTF-8`,
      },
    };
  }
}

/** Offset of the first byte that does not start or continue a valid UTF-8 sequence. */
function badOffset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const b = bytes[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    for (let k = 1; k <= need; k++) {
      const c = bytes[i + k];
      if (c === undefined || (c & 0xc0) !== 0x80) return i;
    }
    // Overlongs, surrogates and values past U+10FFFF: let the strict decoder judge this one sequence.
    try {
      strict.decode(bytes.subarray(i, i + need + 1));
    } catch {
      return i;
    }
    i += need + 1;
  }
  return bytes.length;
}

/** Issues for every string (key or value) in an evaluated definition that holds U+FFFD. */
export function replacementCharIssues(value: unknown, file: string): DefinitionIssue[] {
  const issues: DefinitionIssue[] = [];
  const message = 'contains U+FFFD (�), which stands for bytes that are not UTF-8: save the file it comes from (an import?) as UTF-8';
  const walk = (v: unknown, path: PropertyKey[]): void => {
    if (typeof v === 'string') {
      if (v.includes('\uFFFD')) issues.push({ severity: 'error', file, path: formatPath(path) || '(top level)', message });
    } else if (Array.isArray(v)) {
      v.forEach((item, i) => walk(item, [...path, i]));
    } else if (v !== null && typeof v === 'object') {
      for (const [k, item] of Object.entries(v)) {
        if (k.includes('\uFFFD')) issues.push({ severity: 'error', file, path: formatPath([...path, k]), message: `key ${message}` });
        walk(item, [...path, k]);
      }
    }
  };
  walk(value, []);
  return issues;
}
