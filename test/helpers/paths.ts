import { fileURLToPath } from 'node:url';
import path from 'node:path';

/** Repository root, computed from the compiled location (dist/test/helpers/paths.js). */
export const repoRoot = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..', '..');
export const fixturesDir = path.join(repoRoot, 'test', 'fixtures');
export const definitionsDir = path.join(repoRoot, 'definitions');
export const hakoBin = path.join(repoRoot, 'bin', 'hako');

export function fixture(...parts: string[]): string {
  return path.join(fixturesDir, ...parts);
}
