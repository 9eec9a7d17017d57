/**
 * Turns libjsonnet's error text into located issues. libjsonnet reports
 *   `STATIC ERROR: lib.libsonnet:3:3: expected a comma before next field.`
 *   `RUNTIME ERROR: boom\n\tmain.jsonnet:1:14-31\tfunction <f>\n\tmain.jsonnet:(3:6)-(4:2)\tobject <anonymous>\n…`
 * The file named may be an imported .libsonnet, not the file the user evaluated.
 */
import type { DefinitionIssue } from '../../errors.js';

export interface JsonnetLocation {
  readonly file: string;
  readonly line: number;
  readonly column: number;
}

export interface ParsedJsonnetError {
  readonly kind: 'static' | 'runtime' | 'other';
  readonly message: string;
  /** Where the error happened: the static error's position, or the innermost user frame of the stack trace. */
  readonly location?: JsonnetLocation;
  /** Every located stack frame, innermost first (runtime errors only). */
  readonly trace: readonly JsonnetLocation[];
}

// `file:3:5`, `file:3:5-20`, or `file:(3:5)-(4:2)`; the file part is taken non-greedily.
const LOCATION = String.raw`(.+?):(?:(\d+):(\d+)(?:-\d+)?|\((\d+):(\d+)\)-\(\d+:\d+\))`;
const STATIC_RE = new RegExp(String.raw`^STATIC ERROR: ${LOCATION}: ([\s\S]*)$`);
const FRAME_RE = new RegExp(String.raw`^\t${LOCATION}(?:\t|$)`);
const STDLIB_FILES = new Set(['std.jsonnet', '<std>', '<builtin>']);

export function parseJsonnetError(text: string): ParsedJsonnetError {
  const trimmed = text.replace(/\s+$/, '');
  const staticMatch = STATIC_RE.exec(trimmed);
  if (staticMatch) {
    return { kind: 'static', message: staticMatch[6]!.trim(), location: toLocation(staticMatch), trace: [] };
  }
  if (trimmed.startsWith('RUNTIME ERROR: ')) {
    const lines = trimmed.slice('RUNTIME ERROR: '.length).split('\n');
    const messageLines: string[] = [];
    const trace: JsonnetLocation[] = [];
    let inTrace = false;
    for (const line of lines) {
      if (line.startsWith('\t')) inTrace = true;
      if (!inTrace) {
        messageLines.push(line);
        continue;
      }
      const frame = FRAME_RE.exec(line);
      if (frame) trace.push(toLocation(frame));
    }
    const location = trace.find((l) => !STDLIB_FILES.has(l.file)) ?? trace[0];
    return { kind: 'runtime', message: messageLines.join('\n').trim(), ...(location ? { location } : {}), trace };
  }
  return { kind: 'other', message: trimmed, trace: [] };
}

/** One issue for the error, located when libjsonnet said where. */
export function jsonnetIssue(parsed: ParsedJsonnetError, fallbackFile: string): DefinitionIssue {
  const { location } = parsed;
  if (!location) return { severity: 'error', file: fallbackFile, message: parsed.message };
  return { severity: 'error', file: location.file, line: location.line, column: location.column, message: parsed.message };
}

function toLocation(m: RegExpExecArray): JsonnetLocation {
  return {
    file: m[1]!,
    line: Number(m[2] ?? m[4]),
    column: Number(m[3] ?? m[5]),
  };
}
