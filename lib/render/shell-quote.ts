/**
 * POSIX shell quoting for commands hako prints for people to paste (`docker run …`). hako printed values as they
 * were, so a value with a space, a quote, a `$` or a newline broke the command or, worse, ran part of it.
 */

/** Words made only of these characters mean the same to `sh` quoted or not (no globbing, expansion or comment). */
const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/**
 * One shell word that `sh` reads back as exactly `value`: as is when that is safe, otherwise in single quotes
 * (inside which nothing is special), each `'` written as `'\''`. Newlines survive inside single quotes.
 */
export function shellQuote(value: string): string {
  if (SAFE.test(value)) return value;
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

/** Several words, each quoted, joined by single spaces. */
export function shellJoin(words: readonly string[]): string {
  return words.map(shellQuote).join(' ');
}
