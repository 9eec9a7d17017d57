/**
 * Module resolution hooks registered (node:module `register`) before the first plugin is imported. A plugin file
 * outside any project — next to a definition, with hako installed globally — has no node_modules of its own, so
 * `import { z } from 'hako-ecs'` (or `from 'zod'`) fails. When, and only when, Node's own resolution fails for a
 * bare specifier, it is resolved again as if imported by hako itself: hako's package (self-reference) and its
 * dependencies. A plugin with its own node_modules keeps its own copies.
 *
 * Runs on Node's hooks thread: keep it free of imports from the rest of lib/.
 */
interface ResolveContext {
  parentURL?: string;
  conditions?: readonly string[];
  importAttributes?: Record<string, string>;
}
type NextResolve = (specifier: string, context: ResolveContext) => Promise<{ url: string }>;

let entry: string | undefined;
let root: string | undefined;

/** `data.entry`: the URL of hako's main module (dist/lib/index.js). */
export function initialize(data: { entry: string }): void {
  entry = data.entry;
  root = new URL('../../', data.entry).href;
}

function isBare(specifier: string): boolean {
  return !/^(?:\.{0,2}\/|[a-z][a-z0-9+.-]*:)/i.test(specifier);
}

export async function resolve(specifier: string, context: ResolveContext, next: NextResolve): Promise<{ url: string }> {
  try {
    return await next(specifier, context);
  } catch (error) {
    const code = (error as { code?: unknown }).code;
    const fromHako = context.parentURL !== undefined && root !== undefined && context.parentURL.startsWith(root);
    if (code !== 'ERR_MODULE_NOT_FOUND' || entry === undefined || !isBare(specifier) || fromHako) throw error;
    return next(specifier, { ...context, parentURL: entry });
  }
}
