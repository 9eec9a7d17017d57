import pc from 'picocolors';
import { DefinitionError, HakoError, formatIssue } from '../../errors.js';
import { errorToJson } from './error-json.js';

export interface RenderedError {
  readonly text: string;
  readonly exitCode: number;
}

/**
 * Renders any thrown value once: a red one-line summary, the definition issues (each with its path or
 * file:line:column), the hint, and the stack only when asked (`--debug` / `HAKO_DEBUG=1`). Anything that is not
 * a HakoError is a bug in hako and says so.
 */
export function renderError(error: unknown, options: { color: boolean; debug: boolean; cwd?: string; output?: 'text' | 'json' }): RenderedError {
  if (options.output === 'json') {
    const json = errorToJson(error, options.debug);
    return { text: relativeTo(JSON.stringify(json) + '\n', options.cwd, options.debug, true), exitCode: typeof json.exitCode === 'number' ? json.exitCode : 1 };
  }
  const c = pc.createColors(options.color);
  const lines: string[] = [];
  let exitCode = 1;
  if (error instanceof HakoError) {
    exitCode = error.exitCode;
    lines.push(c.red(`Error: ${error.message}`));
    if (error instanceof DefinitionError) {
      for (const issue of error.issues) {
        const mark = issue.severity === 'error' ? c.red('✗') : c.yellow('!');
        lines.push(`  ${mark} ${formatIssue(issue)}`);
      }
    }
    const cause = error.cause instanceof Error && !(error.cause instanceof HakoError) ? error.cause.message : undefined;
    if (cause && !error.message.includes(cause) && !(error instanceof DefinitionError)) lines.push(`  caused by: ${cause}`);
    if (error.hint) lines.push(c.dim(`Hint: ${error.hint}`));
  } else {
    const message = error instanceof Error ? error.message : String(error);
    lines.push(c.red(`Internal error: ${message}`));
    lines.push(c.dim('This is a bug in hako. Rerun with --debug for a stack trace and report it.'));
  }
  if (options.debug && error instanceof Error && error.stack) {
    lines.push(c.dim(error.stack));
    let cause = error.cause;
    while (cause instanceof Error) {
      lines.push(c.dim(`Caused by: ${cause.stack ?? cause.message}`));
      cause = cause.cause;
    }
  }
  return { text: relativeTo(lines.join('\n') + '\n', options.cwd, options.debug, false), exitCode };
}

/** Paths under the working directory read as the user typed them (definitions/app.jsonnet), not absolute. */
function relativeTo(text: string, cwd: string | undefined, debug: boolean, json: boolean): string {
  if (!cwd || debug) return text;
  const prefix = cwd.endsWith('/') ? cwd : `${cwd}/`;
  return text.split(json ? JSON.stringify(prefix).slice(1, -1) : prefix).join('');
}
