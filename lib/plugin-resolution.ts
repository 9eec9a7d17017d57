/**
 * Lets plugins import hako (and zod) wherever they live: registers plugin-resolve-hooks.ts once, lazily, when the
 * first plugin is imported, so runs without plugins pay nothing (the hooks run on a thread of their own).
 */
import { register } from 'node:module';
import { HAKO_PACKAGE } from './version.js';

let registered = false;

export function letPluginsResolveHako(): void {
  if (registered) return;
  registered = true;
  // Self-reference: from anywhere inside the package (dist/lib or the CLI bundle) this is dist/lib/index.js.
  const entry = import.meta.resolve(HAKO_PACKAGE);
  register(new URL('./plugin-resolve-hooks.js', entry), { data: { entry } });
}
