/**
 * The definitions a command reads, from the FILE arguments: each file as given, each directory as its definition
 * files. What a directory holds, and why:
 *
 * - its `*.jsonnet`, `*.json`, `*.yml` and `*.yaml` files (the extensions a definition may have), sorted by name so a
 *   run's order does not depend on the file system;
 * - not `*.libsonnet` (shared Jsonnet that other files import), not `hako.schema.json` (`hako schema`'s output, kept
 *   next to definitions for editors), not hidden files (`.foo.jsonnet`: editors' and tools' leftovers);
 * - not its sub-directories. Definition folders hold `lib/` and `plugins/` next to the apps, and per-environment
 *   folders (`prod/`, `staging/`) that must not be deployed together by accident. Recursion is one shell glob away
 *   when it is meant (`hako deploy apps/*\/`).
 *
 * A path that does not exist is kept: it fails as that one app ("No such file"), as it does alone, and the others
 * still run. The same file named twice (directly and through its directory) runs once.
 */
import { readdir, stat } from '../util/fs-async.js';
import path from 'node:path';
import { appIdOf } from '../definition/evaluate.js';
import { UsageError } from '../errors.js';

/** Extensions of definition files (what evaluate.ts reads). */
const DEFINITION_EXTENSIONS = new Set(['.jsonnet', '.json', '.yml', '.yaml']);
/** Files with a definition's extension that are not definitions. */
const NOT_DEFINITIONS = new Set(['hako.schema.json']);

/** One definition of a run: the file as the user wrote it (or as found in a directory) and the name it is shown by. */
export interface DefinitionEntry {
  /** Relative paths stay relative, as in messages for a single file. */
  readonly file: string;
  /**
   * What the run calls the app in its output: the app id the file name gives (`web` for `apps/web.jsonnet`), or,
   * when two files of the run share that name, the path without the extension (`prod/web`, `staging/web`).
   */
  readonly label: string;
}

/** Whether a directory entry is a definition (see the module comment). */
export function isDefinitionFileName(name: string): boolean {
  if (name.startsWith('.') || NOT_DEFINITIONS.has(name)) return false;
  return DEFINITION_EXTENSIONS.has(path.extname(name).toLowerCase());
}

async function kindOf(file: string): Promise<'directory' | 'other'> {
  try {
    return (await stat(file)).isDirectory() ? 'directory' : 'other';
  } catch {
    return 'other';
  }
}

/** Expands FILE arguments into definitions, in the order given (a directory's files sorted by name). */
export async function expandDefinitionArgs(args: readonly string[]): Promise<DefinitionEntry[]> {
  const files: string[] = [];
  for (const arg of args) {
    if ((await kindOf(arg)) !== 'directory') {
      files.push(arg);
      continue;
    }
    const names = (await readdir(arg, { withFileTypes: true }))
      .filter((d) => isDefinitionFileName(d.name) && (d.isFile() || d.isSymbolicLink()))
      .map((d) => d.name)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const inside: string[] = [];
    // A symbolic link is a definition when it leads to a file (not to a directory).
    for (const name of names) {
      const file = path.join(arg, name);
      if ((await kindOf(file)) !== 'directory') inside.push(file);
    }
    if (inside.length === 0) {
      throw new UsageError(`${arg} holds no definitions (*.jsonnet, *.json, *.yml, *.yaml)`, {
        hint: 'A directory is read without its sub-directories: name them (apps/*/) or the files themselves.',
      });
    }
    files.push(...inside);
  }
  return labelled(unique(files));
}

/** Drops a file named a second time (by its absolute path), keeping the first place it was named at. */
function unique(files: readonly string[]): string[] {
  const seen = new Set<string>();
  return files.filter((f) => {
    const key = path.resolve(f);
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/** Labels: the app id of the file name, unless another file of the run has the same one. */
export function labelled(files: readonly string[]): DefinitionEntry[] {
  const ids = files.map((f) => appIdOf(f));
  const count = new Map<string, number>();
  for (const id of ids) count.set(id, (count.get(id) ?? 0) + 1);
  const withoutExt = (file: string): string => {
    const relative = path.relative(process.cwd(), path.resolve(file)) || file;
    const ext = path.extname(relative);
    return ext ? relative.slice(0, -ext.length) : relative;
  };
  const paths = files.map(withoutExt);
  return files.map((file, i) => {
    const id = ids[i] as string;
    if (count.get(id) === 1) return { file, label: id };
    const short = paths[i] as string;
    // `web.jsonnet` and `web.yml` side by side: only the extension tells them apart.
    return { file, label: paths.filter((p) => p === short).length > 1 ? path.relative(process.cwd(), path.resolve(file)) || file : short };
  });
}
