/**
 * Renders the front nginx server block byte for byte as hako's ERB templates did (nginx.conf.erb and
 * nginx.location.conf.erb): existing front images and the configs already in S3 compare equal, so a redeploy
 * with an unchanged definition uploads nothing.
 */
import type { AllowOnlyFrom, FrontLocation } from './config.js';

export interface FrontConfigInput {
  /** `backend` (the linked container) or `localhost` (awsvpc: containers share the task's network namespace). */
  readonly backendHost: string;
  readonly backendPort: number | string;
  /** Path → options, in the order they are rendered. */
  readonly locations: Readonly<Record<string, FrontLocation>>;
  readonly clientMaxBodySize?: string | null;
}

const PROXY_LINES = [
  'proxy_set_header Host $host;',
  'proxy_set_header Connection ""; # for upstream keepalive',
  'proxy_http_version 1.1;         # for upstream keepalive',
  'proxy_connect_timeout 5s;',
  'proxy_send_timeout 20s;',
  'proxy_read_timeout 20s;',
];

function flatten(values: AllowOnlyFrom): string[] {
  return values.flatMap((v) => (Array.isArray(v) ? flatten(v) : [v]));
}

/** The body of one `location` block, before indentation. Each entry is one line. */
function locationBody(location: FrontLocation, listen: string): string[] {
  const lines: string[] = [];
  // hako tests `if allow_only_from`: an empty list still denies everyone, only null/absent leaves it open.
  if (location.allow_only_from !== undefined && location.allow_only_from !== null) {
    for (const ip of flatten(location.allow_only_from)) lines.push(`allow ${ip};`);
    lines.push('deny all;');
  }
  lines.push('', `proxy_pass http://${listen};`, ...PROXY_LINES);
  return lines;
}

/** The complete server block, ending with a newline. */
export function renderFrontConfig(input: FrontConfigInput): string {
  const listen = `${input.backendHost}:${String(input.backendPort)}`;
  let out = 'server {\n  listen 80;\n\n';
  if (input.clientMaxBodySize !== undefined && input.clientMaxBodySize !== null) {
    out += `  client_max_body_size ${input.clientMaxBodySize};\n`;
  }
  out += '\n';
  for (const [path, location] of Object.entries(input.locations)) {
    out += `  location ${path} {\n`;
    // ERB prefixes every line of the location template, including the empty one, with four spaces; the
    // template's own newline after the body then leaves one empty line before the closing brace.
    for (const line of locationBody(location, listen)) out += `    ${line}\n`;
    out += '\n  }\n';
  }
  out += '}\n';
  return out;
}
