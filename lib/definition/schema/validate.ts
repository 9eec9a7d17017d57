/**
 * Validation of a whole evaluated definition: shape (zod), unknown keys, cross-references and each script's
 * config against its plugin's schema. Collects everything before anyone decides to stop.
 */
import type { z } from 'zod';
import type { DefinitionIssue } from '../../errors.js';
import { dropNulls } from './common.js';
import { crossCheck, sidecarsKey } from './cross-checks.js';
import { definitionSchema, definitionWithPluginSchedulerSchema, type DefinitionInput } from './definition.js';
import { describeValue, error, formatPath, zodIssuesToDefinitionIssues } from './issues.js';
import { findUnknownKeys, withoutUnknownKeys } from './unknown-keys.js';

export interface ValidateOptions {
  readonly strict?: boolean;
  readonly with?: readonly string[];
  readonly scriptSchemas: ReadonlyMap<string, z.ZodType>;
  /**
   * Config schemas of the scheduler plugins available, by `scheduler.type`. A type other than `ecs` that is not
   * here is an error "no plugin for scheduler type X".
   */
  readonly schedulerSchemas?: ReadonlyMap<string, z.ZodType>;
}

export interface ValidationResult {
  readonly errors: DefinitionIssue[];
  readonly warnings: DefinitionIssue[];
  /** The parsed definition; set only when there is no error. */
  readonly definition?: DefinitionInput;
}

type Obj = Record<string, unknown>;

/**
 * How every schema here parses. `jitless`: zod compiles an object schema's first parse into a specialised function
 * (new Function), which pays off only over many parses; a run parses each schema once or twice, and building those
 * functions made the first parse of a definition cost ~15 ms instead of ~4.5 ms.
 */
const PARSE = { reportInput: true, jitless: true } as const;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function validateScripts(raw: Obj, options: ValidateOptions): DefinitionIssue[] {
  const scripts = raw['scripts'];
  if (!Array.isArray(scripts)) return [];
  return scripts.flatMap((entry: unknown, i): DefinitionIssue[] => {
    if (!isObject(entry) || typeof entry['type'] !== 'string' || entry['type'] === '') return [];
    const prefix = `scripts[${i}]`;
    const { type, ...rest } = entry;
    const config = dropNulls(rest);
    const schema = options.scriptSchemas.get(type as string);
    if (!schema) return [error(`${prefix}.type`, `no plugin for script type "${type as string}"`)];
    const parsed = schema.safeParse(withoutUnknownKeys(schema, config), PARSE);
    return [
      ...(parsed.success ? [] : zodIssuesToDefinitionIssues(parsed.error.issues, prefix)),
      ...findUnknownKeys(schema, config, { prefix, strict: options.strict ?? false }),
    ];
  });
}

/**
 * `scheduler.elb_v2` becomes an `alb` script entry, so the alb plugin's own schema must accept it too. Its issues
 * are merged by path with ours: where we already reported something, ours stays (it names elb_v2's keys).
 */
function validateElbV2(raw: Obj, options: ValidateOptions, issues: DefinitionIssue[]): void {
  const scheduler = isObject(raw['scheduler']) ? raw['scheduler'] : undefined;
  const elbV2 = scheduler && scheduler['type'] === 'ecs' ? scheduler['elb_v2'] : undefined;
  const schema = options.scriptSchemas.get('alb');
  if (!isObject(elbV2) || !schema) return;
  const config = dropNulls(elbV2);
  const prefix = 'scheduler.elb_v2';
  const parsed = schema.safeParse(withoutUnknownKeys(schema, config), PARSE);
  const theirs = [
    ...(parsed.success ? [] : zodIssuesToDefinitionIssues(parsed.error.issues, prefix)),
    ...findUnknownKeys(schema, config, { prefix, strict: options.strict ?? false }),
  ];
  for (const issue of theirs) {
    if (!issues.some((i) => i.path === issue.path)) issues.push(issue);
  }
}

/** A plugin scheduler's keys (all but `type`) against the plugin's schema, with `scheduler.<key>` paths. */
function validatePluginScheduler(scheduler: Obj, schema: z.ZodType, options: ValidateOptions): DefinitionIssue[] {
  const { type: _type, ...rest } = scheduler;
  const config = dropNulls(rest);
  const parsed = schema.safeParse(withoutUnknownKeys(schema, config), PARSE);
  return [
    ...(parsed.success ? [] : zodIssuesToDefinitionIssues(parsed.error.issues, 'scheduler')),
    ...findUnknownKeys(schema, config, { prefix: 'scheduler', strict: options.strict ?? false }),
  ];
}

function validateWith(raw: Obj, names: readonly string[] | undefined): DefinitionIssue[] {
  if (names === undefined) return [];
  const key = sidecarsKey(raw);
  const sidecars = isObject(raw[key]) ? (raw[key] as Obj) : {};
  return names
    .filter((name) => name !== 'app' && !Object.prototype.hasOwnProperty.call(sidecars, name))
    .map((name) => error(undefined, `container "${name}" (requested with --container) is not defined in ${key}`));
}

function dedupe(issues: DefinitionIssue[]): DefinitionIssue[] {
  const seen = new Set<string>();
  return issues.filter((i) => {
    const k = `${i.severity}\u0000${i.path ?? ''}\u0000${i.message}`;
    if (seen.has(k)) return false;
    seen.add(k);
    return true;
  });
}

/** Validates an evaluated definition. Never throws; the caller decides what errors mean. */
export function validateDefinition(raw: unknown, options: ValidateOptions): ValidationResult {
  if (!isObject(raw)) {
    return { errors: [error(undefined, `the definition must be an object, got ${describeValue(raw)}`)], warnings: [] };
  }
  const issues: DefinitionIssue[] = [];
  // An ignored additional_containers is not validated: its mistakes cannot matter.
  const input: Obj = { ...raw };
  if (sidecarsKey(raw) === 'sidecars' && input['additional_containers'] != null && input['sidecars'] != null) {
    delete input['additional_containers'];
  }
  const schedulerType = isObject(raw['scheduler']) ? raw['scheduler']['type'] : undefined;
  const pluginScheduler = typeof schedulerType === 'string' && schedulerType !== '' && schedulerType !== 'ecs';
  if (pluginScheduler) {
    const schedulerSchema = options.schedulerSchemas?.get(schedulerType);
    if (schedulerSchema) issues.push(...validatePluginScheduler(raw['scheduler'] as Obj, schedulerSchema, options));
    else issues.push(error(formatPath(['scheduler', 'type']), `no plugin for scheduler type "${schedulerType}"`));
  }
  const schema = pluginScheduler ? definitionWithPluginSchedulerSchema : definitionSchema;
  const parsed = schema.safeParse(input, PARSE);
  if (!parsed.success) issues.push(...zodIssuesToDefinitionIssues(parsed.error.issues, ''));
  issues.push(...findUnknownKeys(schema, input, { strict: options.strict ?? false }));
  issues.push(...crossCheck(raw));
  validateElbV2(raw, options, issues);
  issues.push(...validateScripts(raw, options));
  issues.push(...validateWith(raw, options.with));
  const all = dedupe(issues);
  const errors = all.filter((i) => i.severity === 'error');
  const warnings = all.filter((i) => i.severity === 'warning');
  if (errors.length > 0 || !parsed.success) return { errors, warnings };
  return { errors, warnings, definition: parsed.data as DefinitionInput };
}
