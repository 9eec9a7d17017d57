/**
 * The environment a definition is evaluated in: what the `env` provider, `std.native('env')` and
 * `std.native('must_env')` read. It is data handed down the evaluation, never `process.env` itself: one process may
 * evaluate several definitions (the programmatic API, a future multi-app command), each with its own env files, and
 * loading one app's files must not leak into the next — or into the AWS SDK's own configuration.
 */
import { readFile } from '../util/fs-async.js';
import { DefinitionError, type DefinitionIssue } from '../errors.js';
import { parseDotenv } from './dotenv.js';

/** Variable name → value. A null-prototype object: a variable named `__proto__` is data like any other. */
export type Environment = Readonly<Record<string, string>>;

/**
 * `base` (the real environment) with each env file laid over it in order: a file's value wins over the real
 * environment, and a later file over an earlier one. That is ecspresso's order (it `os.Setenv`s each `--envfile`
 * over the environment) and the one that makes `--envfile prod.env` mean what it says even when a stale `export`
 * sits in the shell; a one-off override is another, later `--envfile`. Paths are as the user gave them (relative
 * to the working directory) and name the file in errors, with the line and column of every malformed line.
 */
export async function loadEnvironment(base: Readonly<Record<string, string | undefined>>, files: readonly string[]): Promise<Environment> {
  const env = Object.create(null) as Record<string, string>;
  for (const [key, value] of Object.entries(base)) if (value !== undefined) env[key] = value;
  for (const file of files) {
    for (const [key, value] of await readEnvFile(file)) env[key] = value;
  }
  return env;
}

async function readEnvFile(file: string): Promise<ReadonlyMap<string, string>> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
    const message = `Cannot read env file ${file}: ${why}`;
    throw new DefinitionError(file, [{ severity: 'error', file, message }], {
      summary: message,
      cause: e,
      hint: '--envfile paths are relative to the working directory.',
    });
  }
  const { entries, problems } = parseDotenv(text);
  if (problems.length > 0) {
    const issues: DefinitionIssue[] = problems.map((p) => ({ severity: 'error', file, line: p.line, column: p.column, message: p.message }));
    throw new DefinitionError(file, issues, {
      summary: problems.length === 1 ? `Invalid env file ${file}` : `Invalid env file ${file} (${problems.length} problems)`,
      hint: 'Env files hold KEY=value lines (dotenv rules: # comments, optional export, single or double quotes).',
    });
  }
  return entries;
}
