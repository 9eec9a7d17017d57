// Module resolution hooks (run on Node's loader thread): append each resolved URL to $HAKO_TRACE_FILE.
import { appendFileSync } from 'node:fs';

type Next = (specifier: string, context: unknown) => Promise<{ url: string }>;

export async function resolve(specifier: string, context: unknown, next: Next): Promise<{ url: string }> {
  const result = await next(specifier, context);
  if (process.env.HAKO_TRACE_FILE) appendFileSync(process.env.HAKO_TRACE_FILE, result.url + '\n');
  return result;
}
