/**
 * Whether to colour one output stream. Decided per stream: `hako diff > plan.txt` in a terminal writes the plan
 * to a file (no colour) while warnings still reach the terminal (colour).
 *
 * Order: `--color` / `--no-color` (explicit, wins); `NO_COLOR` set and not empty (no-color.org) → off;
 * `FORCE_COLOR` → on, unless it is `0` or `false` (the supports-color convention); otherwise on when the stream
 * is a terminal that is not `TERM=dumb`.
 */
export function wantsColor(flag: boolean | undefined, env: NodeJS.ProcessEnv, stream: { readonly isTTY?: boolean }): boolean {
  if (flag !== undefined) return flag;
  if (env.NO_COLOR) return false;
  const force = env.FORCE_COLOR;
  if (force !== undefined) return force !== '0' && force !== 'false';
  return Boolean(stream.isTTY) && env.TERM !== 'dumb';
}
