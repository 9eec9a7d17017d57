/**
 * `hako verify`'s vocabulary, shared by the scheduler and the scripts without either importing the other: a check
 * is a titled read-only question about AWS, answered ✓ (ok), ✗ (failed) or – (not checked, with the reason).
 * Checks are thunks so that the action decides how many run at once.
 */

export type CheckStatus = 'ok' | 'failed' | 'skipped';

export interface CheckResult {
  readonly status: CheckStatus;
  /** What was found, why it fails, or why it was not checked. */
  readonly detail?: string;
}

export interface VerifyCheck {
  /** `cluster hako-demo`, `task role arn:…`, `image busybox:1.36`. */
  readonly title: string;
  /** Reads only what it needs; never changes anything. An error thrown is reported as a failed check. */
  run(): Promise<CheckResult>;
}

/** A script's part: its own checks, and what it makes on deploy (so it need not exist yet). */
export interface ScriptVerification {
  readonly checks?: readonly VerifyCheck[];
  /** Resource keys (see below) the script creates when it deploys. */
  readonly provides?: readonly string[];
}

/** What the scheduler's checks are told: resources scripts create on deploy, key → the script's type. */
export interface VerifyContext {
  readonly provided: ReadonlyMap<string, string>;
}

/** The key of a CloudWatch Logs group, as scripts provide it and schedulers look it up. */
export function logGroupKey(region: string, group: string): string {
  return `logs:${region}:log-group:${group}`;
}

export const ok = (detail?: string): CheckResult => ({ status: 'ok', ...(detail === undefined ? {} : { detail }) });
export const failed = (detail: string): CheckResult => ({ status: 'failed', detail });
export const skipped = (detail: string): CheckResult => ({ status: 'skipped', detail });

export interface CheckOutcome extends CheckResult {
  readonly title: string;
}

/** Runs the checks, at most `limit` at a time, and returns their outcomes in the checks' order. */
export async function runChecks(checks: readonly VerifyCheck[], limit = 4): Promise<CheckOutcome[]> {
  const results: CheckOutcome[] = new Array(checks.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    for (;;) {
      const i = next++;
      if (i >= checks.length) return;
      const check = checks[i]!;
      try {
        results[i] = { title: check.title, ...(await check.run()) };
      } catch (e) {
        results[i] = { title: check.title, status: 'failed', detail: (e as Error).message };
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, checks.length) }, worker));
  return results;
}
