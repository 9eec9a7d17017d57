/**
 * A document as YAML, the way `show-definition --format yaml` prints it (no line folding). Its own module so that
 * the YAML library is loaded only for YAML output (`import()` of this module; a bundled `import('yaml')` would
 * give only the CommonJS default export).
 */
import { stringify } from 'yaml';

export function toYaml(value: unknown): string {
  return stringify(value, { lineWidth: 0 });
}
