/**
 * `file` env provider: a `.env`-style file of `KEY=value` lines, read the way hako reads it (no quoting, no
 * `export`, no escapes), so existing hako env files mean the same thing.
 */
import { readFile } from '../util/fs-async.js';
import path from 'node:path';
import * as z from 'zod';
import { ProviderError } from '../errors.js';
import { KeyValueProvider } from './key-value-provider.js';
import type { ProviderContext, ProviderPlugin } from './provider.js';

export const fileProviderConfig = z.strictObject({
  path: z.string({ error: (issue) => (issue.input === undefined ? 'path must be set' : 'path must be a string') }),
});
export type FileProviderConfig = z.infer<typeof fileProviderConfig>;

/**
 * Parses env-file text as hako does: each line loses its line ending and leading whitespace; lines starting with
 * `#` are comments; the first `=` splits key from value (the key keeps trailing spaces, the value is verbatim and
 * may be empty); lines without `=` are ignored. Later duplicates win.
 */
export function parseEnvFile(text: string): Map<string, string> {
  const entries = new Map<string, string>();
  for (const rawLine of text.split('\n')) {
    const line = rawLine.replace(/\r$/, '').replace(/^[ \t\n\v\f\r\0]+/, '');
    if (line.startsWith('#')) continue;
    const eq = line.indexOf('=');
    if (eq < 0) continue;
    entries.set(line.slice(0, eq), line.slice(eq + 1));
  }
  return entries;
}

/** Relative provider paths resolve against the definition's directory; absolute ones stay. */
export function resolveProviderPath(context: ProviderContext, file: string): string {
  return path.resolve(context.rootPath, file);
}

/** Reads a provider's file, turning "not there" into an error that names the provider and the absolute path. */
export async function readProviderFile(type: string, absolutePath: string): Promise<string> {
  try {
    return await readFile(absolutePath, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : String((e as Error).message);
    throw new ProviderError(type, `${type} provider: cannot read ${absolutePath}: ${why}`, {
      cause: e,
      hint: 'Relative provider paths are resolved against the directory of the definition file.',
    });
  }
}

class FileProvider extends KeyValueProvider {
  constructor(readonly file: string) {
    super();
  }

  protected read(): Promise<Map<string, string>> {
    return readProviderFile('file', this.file).then(parseEnvFile);
  }
}

export const fileProvider: ProviderPlugin<FileProviderConfig> = {
  type: 'file',
  configSchema: fileProviderConfig,
  create: (config, context) => new FileProvider(resolveProviderPath(context, config.path)),
};
