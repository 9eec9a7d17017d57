/**
 * A command's work for one definition, written once and used both ways: alone (`hako deploy app.jsonnet`, printed
 * exactly as the command always printed) and as one app of a run of many (its messages prefixed by the app, its
 * result gathered for the end of the run).
 */
import type { AppLocks } from '../../fleet/locks.js';
import type { IoHost } from '../../io/io-host.js';
import type { Plan } from '../../plan/plan.js';
import type { OutputFormat } from '../cli-io-host.js';

export interface AppContext {
  /** The app's IoHost: the CLI's own when alone, the app's lane of the run's output otherwise. */
  readonly io: IoHost;
  readonly env: NodeJS.ProcessEnv;
  readonly output: OutputFormat;
  /** Whether the text result may be coloured (stdout's colour). */
  readonly color: boolean;
  /** Ctrl-C, for commands that stop cleanly on it. */
  readonly signal?: AbortSignal;
  /** A run of many apps: what the app shares with others is locked through these (lib/fleet/locks.ts). */
  readonly locks?: AppLocks;
}

export interface AppOutcome {
  /** The exit code the command alone ends with for this app (0; `diff` 16; `status` 1 for no service…). */
  readonly exitCode: number;
  /** One or two words for the summary: `deployed`, `unchanged`, `changes`, `valid`, `unavailable`… */
  readonly result: string;
  /** What runs after it (`web:4`), when the command knows. */
  readonly revision?: string;
  /** The result as text (a plan, a status report), as the command prints it without --output json. */
  readonly text?: string;
  /** The result as a JSON document, as the command prints it with --output json. */
  readonly json?: unknown;
  /**
   * The result as data when the command prints text even with --output json (`show-definition` prints the model
   * in its --format): what a run of many apps puts in its document.
   */
  readonly data?: unknown;
}

export type AppTask<A> = (args: A, app: AppContext) => Promise<AppOutcome>;

/** Prints an outcome's result as the command alone always has: JSON with --output json when it has one, else text. */
export function printOutcome(io: IoHost, output: OutputFormat, outcome: AppOutcome): void {
  if (output === 'json' && outcome.json !== undefined) io.result(JSON.stringify(outcome.json, null, 2));
  else if (outcome.text !== undefined) io.result(outcome.text);
}

/** A plan as a result: the text rendering and the JSON document (`printPlan`'s two forms). */
export async function planResult(plan: Plan, color: boolean): Promise<{ text: string; json: unknown }> {
  const [{ renderPlan }, { planToJson }] = await Promise.all([import('../../plan/render.js'), import('../render/plan-json.js')]);
  return { text: renderPlan(plan, { color }), json: planToJson(plan) };
}
