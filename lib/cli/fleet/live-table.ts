/**
 * The table a run of many apps redraws in place on a terminal: one row per app in flight (what it does now, the
 * counts its wait reports, how long it has run), then a line counting the rest. Pure: the view draws it.
 */
import pc from 'picocolors';
import { formatSeconds } from '../cli-io-host.js';

export type AppPhase = 'queued' | 'running' | 'waiting' | 'done';

export interface AppRow {
  readonly label: string;
  readonly state: AppPhase;
  /** What it does now: a step, a wait, or the lock it waits for. */
  readonly doing: string;
  /** Counts from a wait (`running 1/2, pending 1`). */
  readonly detail?: string;
  readonly startedAt?: number;
  readonly failed?: boolean;
}

export interface TableSize {
  readonly columns: number;
  readonly rows: number;
}

function fit(text: string, width: number): string {
  if (width <= 0) return '';
  if (text.length <= width) return text.padEnd(width);
  return width <= 1 ? text.slice(0, width) : `${text.slice(0, width - 1)}…`;
}

/** The lines to draw (none when nothing is in flight and nothing is left). */
export function renderLiveTable(command: string, apps: readonly AppRow[], now: number, startedAt: number, size: TableSize, color: boolean): string[] {
  const c = pc.createColors(color);
  const inFlight = apps.filter((a) => a.state === 'running' || a.state === 'waiting');
  const done = apps.filter((a) => a.state === 'done');
  const failed = done.filter((a) => a.failed).length;
  const queued = apps.filter((a) => a.state === 'queued').length;
  const width = Math.max(40, size.columns - 1);
  const labelWidth = Math.min(24, Math.max(...apps.map((a) => a.label.length), 3));
  const timeWidth = 7;
  const detailWidth = Math.min(28, Math.max(0, ...inFlight.map((a) => a.detail?.length ?? 0)));
  const doingWidth = Math.max(10, width - labelWidth - detailWidth - timeWidth - 4);
  // Room for the rows and the count line; rows past it are counted instead of drawn.
  const room = Math.max(1, size.rows - 2);
  const shown = inFlight.slice(0, inFlight.length > room ? room - 1 : room);
  const lines = shown.map((a) => {
    const elapsed = a.startedAt === undefined ? '' : formatSeconds(now - a.startedAt);
    const doing = fit(a.doing, doingWidth);
    const row = `${fit(a.label, labelWidth)} ${a.state === 'waiting' ? c.dim(doing) : doing} ${fit(a.detail ?? '', detailWidth)} ${elapsed.padStart(timeWidth - 1)}`;
    return row;
  });
  if (shown.length < inFlight.length) lines.push(c.dim(`… ${inFlight.length - shown.length} more in flight`));
  const parts = [`${done.length}/${apps.length} done`];
  if (failed > 0) parts.push(c.red(`${failed} failed`));
  parts.push(`${inFlight.length} running`, `${queued} queued`);
  lines.push(c.cyan(`hako ${command}: `) + parts.join(c.dim(' · ')) + c.dim(` · ${formatSeconds(now - startedAt)}`));
  return lines;
}
