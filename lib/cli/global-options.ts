/** hako's global options, as declared to yargs (lib/cli/yargs-cli.ts) and read by lib/cli/quick-argv.ts. */
import type { QuickOptionSpec } from './quick-argv.js';

export const GLOBAL_OPTIONS: Readonly<Record<string, QuickOptionSpec>> = {
  debug: { type: 'boolean', describe: 'Show stack traces and debug messages (also HAKO_DEBUG=1)', global: true },
  color: { type: 'boolean', describe: 'Colour output: --color forces it, --no-color turns it off (default: per stream, when it is a terminal; NO_COLOR, FORCE_COLOR)', global: true },
  verbose: { alias: 'v', type: 'boolean', describe: 'Debug messages (each AWS call, deployment details)', global: true },
  output: { choices: ['text', 'json'], describe: 'json: the result as one JSON document on stdout, messages and errors as JSON lines on stderr', global: true },
  region: { type: 'string', describe: 'AWS region when the definition has no scheduler.region (wins over AWS_REGION, AWS_DEFAULT_REGION and the profile)', global: true },
  profile: { type: 'string', describe: 'AWS shared config profile (wins over AWS_PROFILE)', global: true },
};
