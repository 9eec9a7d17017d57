/**
 * `hako init`: write a definition from a live app. Generic: the scheduler's registration reads what runs
 * (`init`, lib/schedulers/scheduler.ts); this writes the file, after checking that it validates as a definition
 * and that its name gives the app id the scheduler deploys as (the file name is the app id).
 */
import { existsSync } from 'node:fs';
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { AwsClients } from '../aws/ports.js';
import { readOnlyAwsClients } from '../aws/static-clients.js';
import { appIdOf } from '../definition/evaluate.js';
import { normaliseDefinition } from '../definition/normalise.js';
import { EXTENSIONS, formatDefinition, formatOfFile, type DefinitionFormat } from '../definition/write-definition.js';
import { HakoError, UsageError } from '../errors.js';
import { info, warn, type IoHost } from '../io/io-host.js';
import { importPlugin } from '../plugin-loader.js';
import { builtinSchedulers } from '../schedulers/registry.js';
import type { InitNote, SchedulerPlugin } from '../schedulers/scheduler.js';
import { builtinScripts } from '../scripts/registry.js';
import { HAKO_VERSION } from '../version.js';

export interface InitOptions {
  readonly cluster: string;
  readonly service: string;
  readonly region?: string;
  /** Default `<service>.<format extension>`. */
  readonly output?: string;
  /** Default: from the output's extension, else jsonnet. */
  readonly format?: DefinitionFormat;
  readonly force?: boolean;
  /** `scheduler.type` of the written definition (default ecs); a plugin by module path or package too. */
  readonly scheduler?: string;
  readonly io: IoHost;
  readonly awsFor: (region: string | undefined) => () => AwsClients;
  /** Resolves relative paths (default: the working directory). */
  readonly cwd?: string;
}

export interface InitOutcome {
  readonly file: string;
  readonly format: DefinitionFormat;
  readonly notes: readonly InitNote[];
}

/** File names are at most 255 bytes on the file systems people use. */
const MAX_FILE_NAME = 255;

function outputFile(options: InitOptions): { file: string; format: DefinitionFormat } {
  const cwd = options.cwd ?? process.cwd();
  if (options.output !== undefined) {
    const byName = formatOfFile(options.output);
    if (byName === undefined) throw new UsageError(`-o ${options.output}: a definition file ends in .jsonnet, .yml, .yaml or .json`);
    if (options.format !== undefined && options.format !== byName) {
      throw new UsageError(`--format ${options.format} does not match the extension of ${options.output}`);
    }
    return { file: path.resolve(cwd, options.output), format: byName };
  }
  const format = options.format ?? 'jsonnet';
  return { file: path.resolve(cwd, `${options.service}${EXTENSIONS[format]}`), format };
}

/** The service name must be usable as the file name, since the file name is what hako deploys it as. */
function checkAppId(service: string, file: string): void {
  const base = path.basename(file);
  if (service.includes('/') || service === '.' || service === '..' || service === '' || Buffer.byteLength(base) > MAX_FILE_NAME) {
    throw new HakoError(`The service name ${service} cannot be a definition file name, and the file name is the app id`, 'INIT_BAD_APP_ID', 1, {
      hint: 'hako deploys an app as the service named after its definition file; this service cannot be managed under its own name.',
    });
  }
  const appId = appIdOf(file);
  if (appId !== service) {
    throw new UsageError(`The app id is the file name: ${base} would manage the service ${appId}, not ${service}`, {
      hint: `Name the file ${service}${path.extname(base)} (in any directory).`,
    });
  }
}

async function resolveScheduler(type: string, cwd: string): Promise<SchedulerPlugin> {
  const builtin = builtinSchedulers().find((p) => p.type === type);
  if (builtin) return builtin;
  return (await importPlugin(type, cwd, 'scheduler', `--scheduler ${type}`)) as SchedulerPlugin;
}

export async function init(options: InitOptions): Promise<InitOutcome> {
  const { io } = options;
  const { file, format } = outputFile(options);
  checkAppId(options.service, file);
  if (existsSync(file) && !options.force) {
    throw new HakoError(`${file} exists`, 'INIT_FILE_EXISTS', 1, { hint: 'Pass --force to overwrite it, or -o to write elsewhere.' });
  }
  const type = options.scheduler ?? 'ecs';
  const plugin = await resolveScheduler(type, options.cwd ?? process.cwd());
  if (typeof plugin.init !== 'function') {
    throw new UsageError(`The ${type} scheduler cannot write a definition from a live app (its registration has no init)`);
  }
  // Reading only: a write here would be a bug, and the read-only ports refuse it.
  const aws = readOnlyAwsClients(options.awsFor(options.region)());
  const appId = appIdOf(file);
  const result = await plugin.init(
    { cluster: options.cluster, service: options.service, appId, ...(options.region === undefined ? {} : { region: options.region }) },
    { aws: () => aws, io },
  );
  // What hako writes must load in hako: validate it as `show-definition` would, before writing anything.
  const { warnings } = normaliseDefinition(
    { file, appId, rootPath: path.dirname(file), format: format === 'yaml' ? 'yaml' : format, raw: result.definition },
    { scriptSchemas: new Map(builtinScripts().map((s) => [s.type, s.configSchema])), schedulerSchemas: new Map([[type, plugin.configSchema]]) },
  );
  for (const w of warnings) warn(io, 'init.definition-warning', `${w.path ?? ''}: ${w.message}`, w);
  const header = [
    `Written by hako ${HAKO_VERSION} init from service ${options.service} in cluster ${options.cluster}${options.region ? ` (${options.region})` : ''}.`,
    'Defaults are left out; secrets are references (value_from), never values.',
  ];
  await mkdir(path.dirname(file), { recursive: true });
  await writeFile(file, formatDefinition(result.definition, format, header));
  for (const note of result.notes) {
    const text = note.path ? `${note.path}: ${note.message}` : note.message;
    if (note.level === 'warn') warn(io, 'init.note', text, note);
    else info(io, 'init.note', text, note);
  }
  info(io, 'init.written', `Wrote ${path.relative(options.cwd ?? process.cwd(), file) || file}; check it with: hako diff ${path.relative(options.cwd ?? process.cwd(), file)}`, {
    file,
    format,
  });
  return { file, format, notes: result.notes };
}
