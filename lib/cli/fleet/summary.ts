/**
 * The end of a run of many apps: each app's result (a plan, a status report), then a summary table (app, result,
 * revision, duration) — or, with `--output json`, one JSON document holding all of it — and the exit code:
 * 0 when every app succeeded, 1 when any failed (`status` of an app without a service counts), `diff`'s 16 when an
 * app differs and none failed, 130 after Ctrl-C.
 */
import pc from 'picocolors';
import type { FleetOutcome } from '../../fleet/runner.js';
import type { OutputFormat } from '../cli-io-host.js';
import type { AppOutcome } from './app-task.js';
import { exitCodeOf } from './fleet-view.js';
import { formatDuration, outcomeWord } from './outcome.js';

export interface FleetReportOptions {
  readonly command: string;
  readonly output: OutputFormat;
  readonly color: boolean;
  readonly stdout: NodeJS.WriteStream;
  readonly stderr: NodeJS.WriteStream;
  /** Ctrl-C ended the run. */
  readonly aborted: boolean;
  /**
   * The text results as one document instead of one block per app (`show-definition`: one JSON or YAML document
   * keyed by app); the summary then goes to stderr so that stdout stays that document.
   */
  readonly combine?: (outcomes: readonly FleetOutcome<AppOutcome>[]) => Promise<string>;
}

export function fleetExitCode(outcomes: readonly FleetOutcome<AppOutcome>[], aborted: boolean): number {
  if (aborted) return 130;
  const codes = outcomes.map(exitCodeOf);
  if (outcomes.some((o) => o.status !== 'ok') || codes.some((c) => c !== 0 && c !== 16)) return 1;
  return codes.includes(16) ? 16 : 0;
}

/** Prints the results and the summary (or the JSON document) and returns the run's exit code. */
export async function printFleetReport(outcomes: readonly FleetOutcome<AppOutcome>[], options: FleetReportOptions): Promise<number> {
  const exitCode = fleetExitCode(outcomes, options.aborted);
  const counts = countWords(outcomes);
  if (options.output === 'json') {
    const document = {
      command: options.command,
      apps: outcomes.map((o) => {
        const { word, revision } = outcomeWord(o);
        return {
          app: o.entry.label,
          ...(o.entry.file === undefined ? {} : { file: o.entry.file }),
          result: word,
          exitCode: exitCodeOf(o),
          durationMs: Math.round(o.durationMs),
          ...(revision === undefined ? {} : { revision }),
          ...(o.value?.json === undefined && o.value?.data === undefined ? {} : { output: o.value?.json ?? o.value?.data }),
          ...(o.status === 'ok' ? {} : { error: (o.error as Error | undefined)?.message }),
        };
      }),
      summary: { apps: outcomes.length, results: counts, exitCode },
    };
    options.stdout.write(JSON.stringify(document, null, 2) + '\n');
    return exitCode;
  }
  if (options.combine !== undefined) {
    const combined = await options.combine(outcomes);
    if (combined !== '') options.stdout.write(combined.endsWith('\n') ? combined : `${combined}\n`);
  } else {
    for (const o of outcomes) {
      const text = o.value?.text;
      if (text === undefined) continue;
      const c = pc.createColors(options.color);
      options.stdout.write(`${c.bold(`==> ${o.entry.label}${o.entry.file === undefined ? '' : ` (${o.entry.file})`} <==`)}\n${text.replace(/\n$/, '')}\n\n`);
    }
  }
  const summaryStream = options.combine === undefined ? options.stdout : options.stderr;
  summaryStream.write(renderSummaryTable(outcomes, options.combine === undefined ? options.color : false) + '\n');
  return exitCode;
}

function countWords(outcomes: readonly FleetOutcome<AppOutcome>[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const o of outcomes) {
    const { word } = outcomeWord(o);
    counts[word] = (counts[word] ?? 0) + 1;
  }
  return counts;
}

export function renderSummaryTable(outcomes: readonly FleetOutcome<AppOutcome>[], color: boolean): string {
  const c = pc.createColors(color);
  const rows = outcomes.map((o) => {
    const { word, revision, failed } = outcomeWord(o);
    return { app: o.entry.label, word, revision: revision ?? '-', time: o.status === 'skipped' ? '-' : formatDuration(o.durationMs), failed, skipped: o.status === 'skipped' };
  });
  const width = (values: string[], title: string) => Math.max(title.length, ...values.map((v) => v.length));
  const w = {
    app: width(rows.map((r) => r.app), 'APP'),
    word: width(rows.map((r) => r.word), 'RESULT'),
    revision: width(rows.map((r) => r.revision), 'REVISION'),
  };
  const lines = [c.bold(`${'APP'.padEnd(w.app)}  ${'RESULT'.padEnd(w.word)}  ${'REVISION'.padEnd(w.revision)}  TIME`)];
  for (const r of rows) {
    const word = r.word.padEnd(w.word);
    const painted = r.failed ? c.red(word) : r.skipped ? c.dim(word) : c.green(word);
    lines.push(`${r.app.padEnd(w.app)}  ${painted}  ${r.revision.padEnd(w.revision)}  ${r.time}`);
  }
  const counts = Object.entries(countWords(outcomes)).map(([word, n]) => `${n} ${word}`);
  lines.push(`${outcomes.length} app${outcomes.length === 1 ? '' : 's'}: ${counts.join(', ')}`);
  return lines.join('\n');
}
