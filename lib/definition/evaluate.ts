/**
 * Evaluation: definition file → raw JSON value. The extension decides the reader: Jsonnet for `.jsonnet` and
 * `.json` (as hako does, so a `.json` file's keys come out sorted like any Jsonnet output), YAML for `.yml`/`.yaml`
 * (document key order kept, with hako's `!include`). Nothing is validated here; normalisation does that.
 */
import { readFile, stat } from '../util/fs-async.js';
import path from 'node:path';
import { AbortedError, DefinitionError } from '../errors.js';
import type { ProviderContext } from '../providers/provider.js';
import type { ProviderRegistry } from '../providers/registry.js';
import { decodeUtf8, replacementCharIssues } from './evaluate/encoding.js';
import type { EvaluationLimits } from './evaluate/interruptible.js';
import { evaluateJsonnet, type ProviderMode } from './evaluate/jsonnet.js';

export type { ProviderMode } from './evaluate/jsonnet.js';

/** `signal` and `timeoutMs` bound the evaluation (evaluate/interruptible.ts). */
export interface EvaluateOptions extends EvaluationLimits {
  /** Path as the user gave it. */
  file: string;
  /**
   * Called once libjsonnet evaluates on a thread of its own (Jsonnet and JSON files only): the caller may use the
   * main thread meanwhile, as load-app does to build the validation schemas.
   */
  onEvaluating?: () => void;
  /** Told whether the CLI's head start of this evaluation was adopted (evaluate/head-start.ts). */
  onHeadStart?: (adopted: boolean) => void;
  /** -J/--jpath, searched after the importing file's directory. */
  jpath?: readonly string[];
  /** --ext-str K=V */
  extStr?: Readonly<Record<string, string>>;
  /** --ext-code K=V (Jsonnet code) */
  extCode?: Readonly<Record<string, string>>;
  /**
   * What Jsonnet's `provide.<type>(options, name)` returns: the value ('expand'), `${name}` after checking the
   * name exists where the provider can list keys ('check', dry runs), or `${name}` without asking ('placeholder').
   */
  providerMode: ProviderMode;
  providers: ProviderRegistry;
  /** Its `rootPath` is replaced by the definition file's directory for the native functions. */
  context: ProviderContext;
  /** The Terraform state `std.native('tfstate')` reads: an absolute path or an s3:// URL. */
  tfstate?: string;
}

export interface EvaluatedDefinition {
  /** Absolute path. */
  file: string;
  /** Basename minus its LAST extension ('foo.bar.jsonnet' -> 'foo.bar'). */
  appId: string;
  /** Absolute directory of the file. */
  rootPath: string;
  format: 'jsonnet' | 'json' | 'yaml';
  /** The evaluated JSON value, key order preserved as produced. */
  raw: unknown;
}

const FORMATS: Readonly<Record<string, EvaluatedDefinition['format']>> = {
  '.jsonnet': 'jsonnet',
  '.json': 'json',
  '.yml': 'yaml',
  '.yaml': 'yaml',
};

/** The application id hako derives from a definition path: the basename without its last extension. */
export function appIdOf(file: string): string {
  const base = path.basename(file);
  const ext = path.extname(base);
  return ext ? base.slice(0, -ext.length) : base;
}

export async function evaluateDefinition(options: EvaluateOptions): Promise<EvaluatedDefinition> {
  const given = options.file;
  const absolute = path.resolve(given);
  const ext = path.extname(given).toLowerCase();
  const format = FORMATS[ext];
  if (format === undefined) {
    const message = `Unknown extension: ${given}`;
    throw new DefinitionError(given, [{ severity: 'error', file: given, message }], {
      summary: message,
      hint: `Definition files must end in ${Object.keys(FORMATS).join(', ')}.`,
    });
  }
  await assertReadableFile(given, absolute);

  const appId = appIdOf(absolute);
  const rootPath = path.dirname(absolute);
  let raw: unknown;
  switch (format) {
    case 'jsonnet':
    case 'json': {
      // libjsonnet would read bytes that are not UTF-8 as U+FFFD without a word: check the file it is given, and
      // what comes out for the files it imports.
      const decoded = decodeUtf8(await readFile(absolute), given);
      if ('issue' in decoded) throw new DefinitionError(given, [decoded.issue], { summary: `Could not evaluate ${given}` });
      // Provider paths resolve against the definition's directory whatever the caller put in the context.
      raw = await evaluateJsonnet({ ...options, file: given, appId, context: { ...options.context, rootPath } });
      const replaced = replacementCharIssues(raw, given);
      if (replaced.length > 0) throw new DefinitionError(given, replaced);
      break;
    }
    case 'yaml': {
      // The YAML parser is loaded for YAML definitions only (a quarter megabyte that Jsonnet ones do not need).
      const { loadYamlFile } = await import('./evaluate/yaml-loader.js');
      // Synchronous, and bounded by the loader's size and alias limits rather than by the timeout.
      raw = loadYamlFile(given);
      if (options.signal?.aborted) throw new AbortedError(`Interrupted while evaluating ${given}`);
      break;
    }
  }
  return { file: absolute, appId, rootPath, format, raw };
}

async function assertReadableFile(given: string, absolute: string): Promise<void> {
  let isFile: boolean;
  try {
    isFile = (await stat(absolute)).isFile();
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    const message = code === 'ENOENT' ? `No such file: ${given}` : `Cannot read ${given}: ${(e as Error).message}`;
    throw new DefinitionError(given, [{ severity: 'error', file: given, message }], { summary: message, cause: e });
  }
  if (!isFile) {
    const message = `Not a file: ${given}`;
    throw new DefinitionError(given, [{ severity: 'error', file: given, message }], { summary: message });
  }
}
