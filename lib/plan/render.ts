/**
 * Plan → text for `diff` and `deploy --dry-run`: one line per step, a unified diff (live → desired) of the step's
 * normalised shapes when they differ, and a summary line. Pure; the caller sends the text through IoHost.
 */
import { structuredPatch } from 'diff';
import pc from 'picocolors';
import { stringify } from 'yaml';
import type { Plan, Step, StepAction } from './plan.js';
import { deepEqual } from './normalise-for-diff.js';

export interface RenderOptions {
  readonly color: boolean;
}

type Colors = Pick<typeof pc, 'green' | 'red' | 'yellow' | 'dim' | 'bold' | 'cyan'>;

function colors(enabled: boolean): Colors {
  return enabled ? pc.createColors(true) : pc.createColors(false);
}

const MARK: Record<StepAction, string> = { create: '+', update: '~', delete: '-', noop: '=' };

function toText(value: unknown): string {
  if (value === undefined) return '';
  // Text documents (a rendered nginx config) diff line by line as they are, not as a YAML block scalar.
  if (typeof value === 'string') return value.endsWith('\n') ? value : value + '\n';
  return stringify(value, { indent: 2, lineWidth: 0, sortMapEntries: false });
}

/**
 * The unified diff of a step's `before` → `after`, indented, without file headers; '' when they are equal.
 * Creations show every line as added, deletions every line as removed.
 */
export function renderStepDiff(step: Step, color: boolean): string {
  if (deepEqual(step.before, step.after)) return '';
  const c = colors(color);
  const patch = structuredPatch('live', 'desired', toText(step.before), toText(step.after), '', '', { context: 3 });
  const out: string[] = [];
  patch.hunks.forEach((hunk, i) => {
    if (i > 0) out.push(c.dim('    ⋯'));
    for (const line of hunk.lines) {
      if (line.startsWith('\\')) continue; // "\ No newline at end of file"
      const body = `    ${line}`;
      out.push(line.startsWith('+') ? c.green(body) : line.startsWith('-') ? c.red(body) : c.dim(body));
    }
  });
  return out.join('\n');
}

function stepLine(step: Step, c: Colors): string {
  const mark = MARK[step.action];
  const line = `${mark} ${step.title}`;
  switch (step.action) {
    case 'create':
      return c.green(line);
    case 'update':
      return c.yellow(line);
    case 'delete':
      return c.red(line);
    case 'noop':
      return c.dim(line);
  }
}

/** `Plan: 1 to register, 0 to create, 1 to update` (`, N to delete` when there are deletions) or `No changes.` */
export function renderSummary(plan: Plan): string {
  const changing = plan.steps.filter((s) => s.action !== 'noop');
  if (changing.length === 0) return 'No changes.';
  // Registering a revision is a creation, but users think of it apart from creating resources.
  const register = changing.filter((s) => s.action === 'create' && s.kind.startsWith('register-')).length;
  const create = changing.filter((s) => s.action === 'create').length - register;
  const update = changing.filter((s) => s.action === 'update').length;
  const del = changing.filter((s) => s.action === 'delete').length;
  const parts = [`${register} to register`, `${create} to create`, `${update} to update`];
  if (del > 0) parts.push(`${del} to delete`);
  return `Plan: ${parts.join(', ')}`;
}

/** The whole plan as text: each step's line and diff, then the summary. No trailing newline. */
export function renderPlan(plan: Plan, options: RenderOptions): string {
  const c = colors(options.color);
  const blocks = plan.steps.map((step) => {
    const diff = step.action === 'noop' ? '' : renderStepDiff(step, options.color);
    return diff ? `${stepLine(step, c)}\n${diff}` : stepLine(step, c);
  });
  blocks.push(c.bold(renderSummary(plan)));
  return blocks.join('\n');
}
