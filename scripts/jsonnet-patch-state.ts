/**
 * Whether the installed libjsonnet carries scripts/jsonnet/stdlib-shared.patch (postinstall applies it, and goes on
 * without it when it does not apply): start-up figures differ by ~35 ms with and without, so benchmarks say which.
 * The check is the postinstall script's own (scripts/patch-jsonnet.mjs, plain JavaScript).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from './moto.js';

export async function jsonnetPatchState(): Promise<string> {
  const { isPatched } = (await import(pathToFileURL(path.join(repoRoot, 'scripts', 'patch-jsonnet.mjs')).href)) as { isPatched(): boolean };
  return isPatched()
    ? 'libjsonnet: stdlib-shared patch applied (std.jsonnet parsed and analysed once per process)'
    : 'libjsonnet: stdlib-shared patch NOT applied (std.jsonnet parsed once per file and again per evaluation)';
}
