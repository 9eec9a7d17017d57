/**
 * `--envfile` files: dotenv's `KEY=value` format, parsed strictly. dotenv (and Node's `util.parseEnv`) skip a
 * line they cannot read without a word, so a typo silently drops a variable; a deploy tool should say which line
 * is wrong instead, so this parser follows dotenv's rules but reports every malformed line with its position.
 *
 * The rules:
 * - Blank lines, and lines whose first non-blank character is `#`, are ignored. Lines end at `\n` (or `\r\n`).
 * - `KEY=value`, optionally prefixed by `export `; spaces around `=` are allowed. KEY is letters, digits, `_`, `.`
 *   and `-`, not starting with a digit, `.` or `-`.
 * - An unquoted value runs to the end of the line without its surrounding blanks; ` #` (a blank, then `#`)
 *   starts a comment, so `URL=http://x/#top` keeps its `#` (dotenv would cut it, shells and docker do not).
 * - `'single'` and `` `backtick` `` quoted values are literal; `"double"` quoted values turn `\n`, `\r`, `\t`, `\"`
 *   and `\\` into the character (any other `\x` stays as written). Quoted values may span lines (PEM keys); after
 *   the closing quote only blanks and a `# comment` may follow.
 * - No `$VAR` expansion: values are taken as written. A KEY given twice keeps its last value.
 *
 * This is not the `file` provider's format, which is hako's own (no quotes, no `export`) and stays as it was.
 */

/** One malformed line. `line` and `column` are 1-based. */
export interface DotenvProblem {
  readonly line: number;
  readonly column: number;
  readonly message: string;
}

export interface ParsedDotenv {
  readonly entries: ReadonlyMap<string, string>;
  readonly problems: readonly DotenvProblem[];
}

const KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = { n: '\n', r: '\r', t: '\t', '"': '"', '\\': '\\' };

export function parseDotenv(text: string): ParsedDotenv {
  const entries = new Map<string, string>();
  const problems: DotenvProblem[] = [];
  const lines = text.split('\n').map((l) => l.replace(/\r$/, ''));
  for (let index = 0; index < lines.length; index++) {
    const lineNo = index + 1;
    const raw = lines[index]!;
    const trimmed = raw.trimStart();
    if (trimmed === '' || trimmed.startsWith('#')) continue;
    const indent = raw.length - trimmed.length;

    const exported = /^export[ \t]+/.exec(trimmed);
    const body = exported ? trimmed.slice(exported[0].length) : trimmed;
    const bodyColumn = indent + (exported ? exported[0].length : 0) + 1;
    const eq = body.indexOf('=');
    if (eq < 0) {
      problems.push({ line: lineNo, column: bodyColumn, message: `expected KEY=value, got "${truncate(body)}"` });
      continue;
    }
    const key = body.slice(0, eq).trimEnd();
    if (!KEY.test(key)) {
      problems.push({
        line: lineNo,
        column: bodyColumn,
        message: `invalid variable name "${truncate(key)}" (letters, digits, _, . and -, not starting with a digit)`,
      });
      continue;
    }
    const afterEq = body.slice(eq + 1);
    const valueText = afterEq.trimStart();
    const valueColumn = bodyColumn + eq + 1 + (afterEq.length - valueText.length);
    const quote = valueText[0];
    if (quote === '"' || quote === "'" || quote === '`') {
      const quoted = readQuoted(lines, index, valueText, valueColumn, quote);
      if ('problem' in quoted) {
        problems.push(quoted.problem);
        index = quoted.lastLine;
        continue;
      }
      entries.set(key, quoted.value);
      index = quoted.lastLine;
      continue;
    }
    entries.set(key, unquoted(valueText));
  }
  return { entries, problems };
}

/** An unquoted value: up to a blank-then-`#` comment, without surrounding blanks. */
function unquoted(text: string): string {
  const comment = /[ \t]#/.exec(text);
  return (comment ? text.slice(0, comment.index) : text).trim();
}

type Quoted = { value: string; lastLine: number } | { problem: DotenvProblem; lastLine: number };

/**
 * Reads a quoted value that starts at `text` (the rest of line `start`, beginning with the quote) and may run on
 * over the following lines until the matching unescaped quote.
 */
function readQuoted(lines: readonly string[], start: number, text: string, column: number, quote: string): Quoted {
  let value = '';
  let rest = text.slice(1);
  let lineIndex = start;
  for (;;) {
    for (let i = 0; i < rest.length; i++) {
      const ch = rest[i]!;
      if (quote === '"' && ch === '\\' && i + 1 < rest.length) {
        const next = rest[i + 1]!;
        value += DOUBLE_QUOTE_ESCAPES[next] ?? `\\${next}`;
        i++;
        continue;
      }
      if (ch === quote) {
        const after = rest.slice(i + 1);
        const trailing = after.trim();
        if (trailing !== '' && !trailing.startsWith('#')) {
          // Column of rest[0]: just after the opening quote on the first line, 1 on continuation lines.
          const restColumn = lineIndex === start ? column + 1 : 1;
          const problem = {
            line: lineIndex + 1,
            column: restColumn + i + 1 + (after.length - after.trimStart().length),
            message: `unexpected text after the closing ${quote}: "${truncate(trailing)}"`,
          };
          return { problem, lastLine: lineIndex };
        }
        return { value, lastLine: lineIndex };
      }
      value += ch;
    }
    if (lineIndex + 1 >= lines.length) {
      return { problem: { line: start + 1, column, message: `unterminated ${quote}-quoted value (no closing ${quote})` }, lastLine: lineIndex };
    }
    lineIndex++;
    value += '\n';
    rest = lines[lineIndex]!;
  }
}

function truncate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}
