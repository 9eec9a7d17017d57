import { awsFor } from '../aws.js';
import { definitionSource, withDefinitionOptions, type DefinitionArgs } from '../options.js';
import type { CliCommand } from './command.js';

export const verifyCommand: CliCommand = {
  command: 'verify <file>',
  describe: 'Check, changing nothing, that what the definition refers to exists and is usable (exit 1 on any ✗)',
  builder: (y) => withDefinitionOptions(y),
  async run(args: DefinitionArgs & { output?: 'text' | 'json' }, { io, env }) {
    const { verify, renderVerifyReport } = await import('../../actions/verify.js');
    const report = await verify({ source: definitionSource(args, env), io, awsFor });
    io.result(args.output === 'json' ? JSON.stringify(report, null, 2) : renderVerifyReport(report));
    return report.ok ? 0 : 1;
  },
};
