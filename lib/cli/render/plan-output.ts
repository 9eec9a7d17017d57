import type { Plan } from '../../plan/plan.js';
import type { CliIoHost } from '../cli-io-host.js';

/** Prints a plan as the command's result: coloured text (when stdout takes colour), or one JSON document. */
export async function printPlan(io: CliIoHost, plan: Plan, extra: { readonly docker?: readonly string[] } = {}): Promise<void> {
  if (io.output === 'json') {
    const { planToJson } = await import('./plan-json.js');
    io.result(JSON.stringify({ ...planToJson(plan), ...(extra.docker === undefined ? {} : { docker: extra.docker }) }, null, 2));
    return;
  }
  const { renderPlan } = await import('../../plan/render.js');
  io.result(renderPlan(plan, { color: io.color }));
  // hako's dry run printed how to run the oneshot locally; the lines are shell-quoted, ready to paste.
  if (extra.docker !== undefined) io.result(extra.docker.join('\n'));
}
