/**
 * What bin/hako runs. `hako --version` alone is answered here, with what yargs would print, before the rest of the
 * CLI loads (in the bundle that is one file of ~700 KB: scripts/bundle.ts); every other command line goes to
 * ./main.js. A one-definition command line first gets its Jsonnet evaluation started on libuv's thread pool, so
 * that it runs while the main thread loads the CLI (lib/definition/evaluate/head-start.ts).
 */
import type { MainStreams } from './main.js';
import { discardHeadStart, guessSetup, startHeadStart } from '../definition/evaluate/head-start.js';
import { cliFinished, loadCli } from './load-cli.js';
import { HAKO_VERSION } from '../version.js';

/** How long a head start nobody adopted may take to end before the process ends without it. */
const HEAD_START_GRACE_MS = 300;

export async function main(argv: readonly string[], streams?: MainStreams): Promise<number> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) {
    (streams?.stdout ?? process.stdout).write(`${HAKO_VERSION}\n`);
    return 0;
  }
  // Only for the process's own command line: a caller passing its own streams is a test or an embedding program.
  const guess = streams === undefined ? guessSetup(argv, process.env, process.cwd()) : undefined;
  // Started before the import: the import's compile holds the main thread for ~30 ms, and an evaluation queued
  // behind it would overlap less. A failure to start only loses the head start; the evaluation proper reports
  // its own errors.
  if (guess !== undefined) await startHeadStart(guess.setup, guess.speculation).catch(() => undefined);
  const cli = await loadCli();
  const exitCode = streams === undefined ? await cli.main(argv) : await cli.main(argv, streams);
  cliFinished(exitCode);
  // The command ended without adopting it (a usage error, a YAML file): it must not keep the process waiting.
  if (!(await discardHeadStart(HEAD_START_GRACE_MS))) {
    const { endStuckProcess } = await import('./signals.js');
    endStuckProcess(exitCode);
  }
  return exitCode;
}
