/** How the end of one app of a run reads: a word for the summary, and a line for the log. */
import { AbortedError, DefinitionError, DeploymentError, UsageError } from '../../errors.js';
import { SkippedError, type FleetOutcome } from '../../fleet/runner.js';
import { formatSeconds } from '../cli-io-host.js';
import type { AppOutcome } from './app-task.js';

export interface OutcomeWord {
  /** `deployed`, `unchanged`, `changes`, `invalid`, `rolled back`, `skipped`… */
  readonly word: string;
  readonly revision?: string;
  /** Counts as a failure of the run (a failed app, or a command result such as `status` of no service). */
  readonly failed: boolean;
}

function errorWord(error: unknown): string {
  if (error instanceof SkippedError) return 'skipped';
  // A deploy rolled back after a failed rollout failed all the same; `rolled back` alone is what `rollback` did.
  if (error instanceof DeploymentError) return error.failure === 'rolled-back' ? 'failed, rolled back' : error.failure === 'timed-out' ? 'timed out' : 'failed';
  if (error instanceof DefinitionError) return 'invalid';
  if (error instanceof AbortedError) return 'interrupted';
  if (error instanceof UsageError) return 'usage error';
  return 'failed';
}

export function outcomeWord(outcome: FleetOutcome<AppOutcome>): OutcomeWord {
  if (outcome.status !== 'ok' || outcome.value === undefined) return { word: errorWord(outcome.error), failed: outcome.status === 'failed' };
  const value = outcome.value;
  // A command's own non-zero exit (status of no service, verify with a ✗) fails the run too; `diff`'s 16 does not.
  const failed = value.exitCode !== 0 && value.exitCode !== 16;
  return { word: value.result, failed, ...(value.revision === undefined ? {} : { revision: value.revision }) };
}

/** `deployed web:4 in 3.2s`, `skipped: an app failed and --fail-fast stops the run`. */
export function describeOutcome(outcome: FleetOutcome<AppOutcome>): string {
  const { word, revision } = outcomeWord(outcome);
  if (outcome.status === 'skipped') return `${word}: ${(outcome.error as Error).message.replace(/^Skipped: /, '')}`;
  return `${word}${revision === undefined ? '' : ` ${revision}`} in ${formatDuration(outcome.durationMs)}`;
}

/** `850ms`, `3.2s`, `2m05s`. */
export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)}ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(1)}s`;
  return formatSeconds(ms);
}
