/**
 * `hako verify`: checks, without changing anything, that what the definition refers to exists and is usable.
 * Generic: the scheduler names its checks (`verify`), scripts add theirs and say what they create on deploy; this
 * runs them a few at a time through read-only ports and reports a checklist.
 */
import type { AwsClients } from '../aws/ports.js';
import type { AppModel } from '../definition/model.js';
import { PluginError } from '../errors.js';
import { runChecks, type CheckOutcome, type VerifyCheck } from '../verify/checks.js';
import type { IoHost } from '../io/io-host.js';
import type { DefinitionSource } from './load-app.js';
import { callScheduler, prepareApp } from './prepare.js';

export interface VerifyOptions {
  readonly source: DefinitionSource;
  readonly io: IoHost;
  readonly awsFor: (region: string | undefined) => () => AwsClients;
  /** Checks running at once (default 4): enough to be quick, few enough not to be throttled. */
  readonly concurrency?: number;
}

export interface VerifyReport {
  readonly ok: boolean;
  readonly checks: readonly CheckOutcome[];
}

const MARK = { ok: '✓', failed: '✗', skipped: '–' } as const;

export function renderVerifyReport(report: VerifyReport): string {
  const lines = report.checks.map((c) => `${MARK[c.status]} ${c.title}${c.detail ? `: ${c.detail}` : ''}`);
  const count = (status: CheckOutcome['status']) => report.checks.filter((c) => c.status === status).length;
  lines.push('', `${count('ok')} ok, ${count('failed')} failed, ${count('skipped')} not checked`);
  return lines.join('\n');
}

export async function verify(options: VerifyOptions): Promise<VerifyReport> {
  // Read-only ports (dryRun): verify must not be able to change anything, whatever a check does.
  const prepared = await prepareApp({ ...options.source, io: options.io, awsFor: options.awsFor, dryRun: true, providerMode: 'placeholder', envMode: 'none' });
  const model = prepared.model;
  const checks: VerifyCheck[] = [];
  const provided = new Map<string, string>();
  for (const s of prepared.scripts) {
    if (!s.script.verify) continue;
    try {
      const part = await s.script.verify(model as AppModel);
      checks.push(...(part.checks ?? []));
      for (const key of part.provides ?? []) provided.set(key, s.type);
    } catch (cause) {
      throw new PluginError(s.type, `Script ${s.type} (scripts[${s.index}]) failed in verify: ${(cause as Error).message}`, { cause });
    }
  }
  const schedulerChecks = await callScheduler(prepared, 'verify', 'verify', (fn) => fn(model, { provided }));
  const outcomes = await runChecks([...schedulerChecks, ...checks], options.concurrency ?? 4);
  return { ok: outcomes.every((c) => c.status !== 'failed'), checks: outcomes };
}
