/**
 * hako's own version, read from package.json at runtime so that it never drifts from the published package.
 * It ends up in the `cc.wanko.hako.version` docker label of every container and in the AWS user agent.
 */
import { readFileSync } from 'node:fs';

// Compiled, this file is dist/lib/version.js: the package root is two levels up (the same holds for lib/version.ts).
const packageJsonUrl = new URL('../../package.json', import.meta.url);

function readVersion(): string {
  const parsed: unknown = JSON.parse(readFileSync(packageJsonUrl, 'utf8'));
  if (typeof parsed === 'object' && parsed !== null && 'version' in parsed && typeof parsed.version === 'string') {
    return parsed.version;
  }
  throw new Error(`hako: no version in ${packageJsonUrl.pathname}`);
}

/** The version of this hako, e.g. `0.1.0`. */
export const HAKO_VERSION: string = readVersion();
