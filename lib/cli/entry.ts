/**
 * What bin/hako runs. `hako --version` alone is answered here, with what yargs would print, before the rest of the
 * CLI loads (in the bundle that is one file of ~650 KB: scripts/bundle.ts); every other command line goes to
 * ./main.js.
 */
import type { MainStreams } from './main.js';
import { HAKO_VERSION } from '../version.js';

export async function main(argv: readonly string[], streams?: MainStreams): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    (streams?.stdout ?? process.stdout).write(`${HAKO_VERSION}\n`);
    return 0;
  }
  const cli = await import('./main.js');
  return streams === undefined ? cli.main(argv) : cli.main(argv, streams);
}
