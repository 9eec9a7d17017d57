/**
 * hako's own version, read from package.json at runtime so that it never drifts from the published package.
 * It ends up in the `cc.wanko.hako.version` docker label of every container and in the AWS user agent.
 */
import { readFileSync } from 'node:fs';

// Compiled, this file is dist/lib/version.js: the package root is two levels up (the same holds for lib/version.ts).
const packageJsonUrl = new URL('../../package.json', import.meta.url);

const packageJson: unknown = JSON.parse(readFileSync(packageJsonUrl, 'utf8'));

function readField(field: 'version' | 'name'): string {
  const value = typeof packageJson === 'object' && packageJson !== null ? (packageJson as Record<string, unknown>)[field] : undefined;
  if (typeof value === 'string') return value;
  throw new Error(`hako: no ${field} in ${packageJsonUrl.pathname}`);
}

/** The version of this hako, e.g. `0.1.0`. */
export const HAKO_VERSION: string = readField('version');

/** The npm package hako is published as (the command is `hako`): what plugins import. */
export const HAKO_PACKAGE: string = readField('name');
