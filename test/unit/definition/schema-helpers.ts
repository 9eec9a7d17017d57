/** Builders shared by the schema / normalise tests: an evaluated definition as evaluate.ts would hand it over. */
import { z } from 'zod';
import type { EvaluatedDefinition } from '../../../lib/definition/evaluate.js';
import { DefinitionError, formatIssue, type DefinitionIssue } from '../../../lib/errors.js';
import { normaliseDefinition, type NormaliseOptions, type NormaliseResult } from '../../../lib/definition/normalise.js';

export function evaluated(raw: unknown, file = '/defs/hello.jsonnet'): EvaluatedDefinition {
  return { file, appId: file.replace(/^.*\//, '').replace(/\.[^.]*$/, ''), rootPath: '/defs', format: 'jsonnet', raw };
}

/** Stand-ins for the script plugins' schemas (the real ones live in lib/scripts; these keep the tests local). */
export const fakeScriptSchemas: ReadonlyMap<string, z.ZodType> = new Map<string, z.ZodType>([
  [
    'nginx_front',
    z.looseObject({
      backend_port: z.number().int(),
      s3: z.looseObject({ region: z.string(), bucket: z.string(), prefix: z.string().optional() }),
    }),
  ],
  ['create_aws_cloud_watch_logs_log_group', z.looseObject({})],
  [
    'listener_thing',
    z.looseObject({ listeners: z.array(z.looseObject({ port: z.number().int().min(1).max(65535) })) }),
  ],
  ['strict_thing', z.strictObject({ name: z.string() })],
]);

export function minimal(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    scheduler: { type: 'ecs', region: 'ap-northeast-1', cluster: 'eagletmt', desired_count: 1 },
    app: { image: 'busybox', cpu: 32, memory: 64 },
    ...extra,
  };
}

export function normalise(raw: unknown, options: Partial<NormaliseOptions> = {}): NormaliseResult {
  return normaliseDefinition(evaluated(raw), { scriptSchemas: fakeScriptSchemas, ...options });
}

/** The issues a definition produces (empty when it normalises), formatted `path: message`. */
export function issuesOf(raw: unknown, options: Partial<NormaliseOptions> = {}): { errors: string[]; warnings: string[] } {
  let issues: readonly DefinitionIssue[];
  try {
    issues = normalise(raw, options).warnings;
  } catch (e) {
    if (!(e instanceof DefinitionError)) throw e;
    issues = e.issues;
  }
  return {
    errors: issues.filter((i) => i.severity === 'error').map(formatIssue),
    warnings: issues.filter((i) => i.severity === 'warning').map(formatIssue),
  };
}
