import { awsFor } from '../aws.js';
import type { CliCommand } from './command.js';

interface Args {
  cluster: string;
  service: string;
  region?: string;
  output?: string;
  format?: 'jsonnet' | 'yaml' | 'json';
  force?: boolean;
  scheduler?: string;
}

export const initCommand: CliCommand = {
  command: 'init',
  describe: 'Write a definition from a live service and its task definition (hako diff on it then shows no changes)',
  builder: (y) =>
    y
      .option('cluster', { type: 'string', demandOption: true, describe: 'Cluster of the service' })
      .option('service', { type: 'string', demandOption: true, describe: 'The service; it becomes the app id, so the file is named after it' })
      .option('region', { type: 'string', describe: 'Region of the service (default: AWS_REGION / the profile)' })
      // -o names the file, as in the issue; the long name is --file because --output is the global text/json switch.
      .option('file', { alias: 'o', type: 'string', describe: 'Definition to write (default <service>.jsonnet)' })
      .option('format', { choices: ['jsonnet', 'yaml', 'json'] as const, describe: 'Default: from the file extension, else jsonnet' })
      .option('force', { type: 'boolean', describe: 'Overwrite the file if it exists' })
      .option('scheduler', { type: 'string', default: 'ecs', describe: 'The scheduler that reads the live app (a plugin module too)' })
      .example('hako init --cluster prod --service web', 'Writes web.jsonnet'),
  async run(args: Args & { file?: string }, { io }) {
    const { init } = await import('../../actions/init.js');
    await init({
      cluster: args.cluster,
      service: args.service,
      ...(args.region === undefined ? {} : { region: args.region }),
      ...(args.file === undefined ? {} : { output: args.file }),
      ...(args.format === undefined ? {} : { format: args.format }),
      force: args.force ?? false,
      ...(args.scheduler === undefined ? {} : { scheduler: args.scheduler }),
      io,
      awsFor,
    });
    return 0;
  },
};
