/**
 * Loads the CLI proper (./main.ts). Compiled and unbundled, this is a plain import; the bundle's entry
 * (scripts/bundle.ts) replaces this module by ./bundle-loader.ts, which loads dist/bundle/cli.cjs with a V8 code
 * cache.
 */
import type * as Cli from './main.js';

export type CliModule = typeof Cli;

export function loadCli(): Promise<CliModule> {
  return import('./main.js');
}

/** Called once the command has finished, with its exit code (the bundle loader stores its code cache then). */
export function cliFinished(_exitCode: number): void {}
