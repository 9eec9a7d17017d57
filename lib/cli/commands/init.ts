import path from 'node:path';
import { UsageError } from '../../errors.js';
import { awsFor } from '../aws.js';
import type { AppContext, AppOutcome } from '../fleet/app-task.js';
import { DEFAULT_PARALLEL, parallelOf } from '../fleet/options.js';
import { runAlone, runMany } from '../fleet/run-definitions.js';
import { many } from '../options.js';
import type { CliCommand } from './command.js';

interface Args {
  cluster: string;
  service: string | string[];
  region?: string;
  output?: string;
  format?: 'jsonnet' | 'yaml' | 'json';
  force?: boolean;
  scheduler?: string;
  file?: string;
  parallel?: number;
  'fail-fast'?: boolean;
  debug?: boolean;
}

/** One service's arguments: `service` is one name, `file` where its definition goes. */
type OneArgs = Omit<Args, 'service'> & { service: string };

// write-definition.ts's EXTENSIONS, not imported here: that module loads the YAML writer, which `hako --help` need not.
const EXTENSIONS = { jsonnet: '.jsonnet', yaml: '.yml', json: '.json' } as const;

async function initOne(args: OneArgs, app: AppContext): Promise<AppOutcome> {
  const { init } = await import('../../actions/init.js');
  await init({
    cluster: args.cluster,
    service: args.service,
    ...(args.region === undefined ? {} : { region: args.region }),
    ...(args.file === undefined ? {} : { output: args.file }),
    ...(args.format === undefined ? {} : { format: args.format }),
    force: args.force ?? false,
    ...(args.scheduler === undefined ? {} : { scheduler: args.scheduler }),
    io: app.io,
    awsFor,
  });
  // Its own message names the file written (`Wrote web.jsonnet; check it with: hako diff web.jsonnet`).
  return { exitCode: 0, result: 'written' };
}

export const initCommand: CliCommand = {
  command: 'init',
  describe: 'Write a definition from a live service and its task definition (hako diff on it then shows no changes)',
  builder: (y) =>
    y
      .option('cluster', { type: 'string', demandOption: true, describe: 'Cluster of the service' })
      .option('service', {
        type: 'string',
        demandOption: true,
        describe: 'The service; it becomes the app id, so the file is named after it (repeatable, or a,b,c: one file each)',
      })
      .option('region', { type: 'string', describe: 'Region of the service (default: AWS_REGION / the profile)' })
      // -o names the file, as in the issue; the long name is --file because --output is the global text/json switch.
      .option('file', { alias: 'o', type: 'string', describe: 'Definition to write (default <service>.jsonnet); with several services, the directory to write them in' })
      .option('format', { choices: ['jsonnet', 'yaml', 'json'] as const, describe: 'Default: from the file extension, else jsonnet' })
      .option('force', { type: 'boolean', describe: 'Overwrite the file if it exists' })
      .option('scheduler', { type: 'string', default: 'ecs', describe: 'The scheduler that reads the live app (a plugin module too)' })
      .option('parallel', { type: 'number', default: DEFAULT_PARALLEL, describe: 'With several services: services read at once' })
      .option('fail-fast', { type: 'boolean', describe: 'With several services: after a failure, start no other' })
      .example('hako init --cluster prod --service web', 'Writes web.jsonnet')
      .example('hako init --cluster prod --service web,api,worker -o apps/', 'Writes apps/web.jsonnet, apps/api.jsonnet and apps/worker.jsonnet'),
  async run(args: Args, context) {
    const services = [...new Set(many(args.service).flatMap((s) => s.split(',')).map((s) => s.trim()).filter(Boolean))];
    const parallel = parallelOf(args);
    if (services.length <= 1) return runAlone<OneArgs>({ ...args, service: services[0] ?? '' }, context, { name: 'init', task: initOne });
    // Several services: -o is the directory their files go to (each named after its service, the app id).
    const { stat } = await import('node:fs/promises');
    const dir = args.file;
    if (dir !== undefined && !(await stat(dir).catch(() => undefined))?.isDirectory()) {
      throw new UsageError(`With several --service, -o names an existing directory to write their definitions in; ${dir} is not one`);
    }
    const ext = EXTENSIONS[args.format ?? 'jsonnet'];
    const entries = services.map((service) => ({ label: service, file: path.join(dir ?? '.', `${service}${ext}`) }));
    return runMany<OneArgs>(
      entries,
      (entry) => ({ ...args, service: entry.label, file: entry.file }),
      { parallel, failFast: args['fail-fast'] === true, debug: args.debug === true || context.env.HAKO_DEBUG === '1' },
      context,
      { name: 'init', task: initOne },
    );
  },
};
