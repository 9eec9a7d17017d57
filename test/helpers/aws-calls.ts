import { isMutatingOperation } from '../../lib/aws/ports.js';
import type { CliResult } from './cli.js';

/**
 * `Service Operation` for every AWS call a `--verbose --output json` run reported (its `aws.call` messages, JSON
 * lines on stderr; stdout holds the command's result).
 */
export function awsCalls(r: CliResult): string[] {
  return r.stderr
    .split('\n')
    .filter((line) => line.startsWith('{'))
    .map((line) => JSON.parse(line) as { code: string; data?: { service?: string; operation?: string } })
    .filter((m) => m.code === 'aws.call')
    .map((m) => `${m.data?.service ?? '?'} ${m.data?.operation ?? '?'}`);
}

/** The calls among `calls` (as `awsCalls` gives them) that change something in AWS. */
export function mutatingCalls(calls: readonly string[]): string[] {
  return calls.filter((c) => isMutatingOperation(c.split(' ')[1] ?? ''));
}
