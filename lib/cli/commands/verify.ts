import { awsFor } from '../aws.js';
import type { AppContext, AppOutcome } from '../fleet/app-task.js';
import { withFleetOptions } from '../fleet/options.js';
import { runDefinitions } from '../fleet/run-definitions.js';
import { definitionSource, type DefinitionArgs } from '../options.js';
import type { CliCommand } from './command.js';

async function verifyOne(args: DefinitionArgs, app: AppContext): Promise<AppOutcome> {
  const { verify, renderVerifyReport } = await import('../../actions/verify.js');
  const report = await verify({ source: definitionSource(args, app.env), io: app.io, awsFor });
  return { exitCode: report.ok ? 0 : 1, result: report.ok ? 'verified' : 'check failed', text: renderVerifyReport(report), json: report };
}

export const verifyCommand: CliCommand = {
  command: 'verify <file..>',
  describe: 'Check, changing nothing, that what the definition refers to exists and is usable (exit 1 on any ✗)',
  builder: (y) => withFleetOptions(y),
  run: (args, context) => runDefinitions(args, context, { name: 'verify', task: verifyOne }),
};
