/**
 * Keeps provider values (secrets) out of rendered plans. `diff` and `--dry-run` read provider values so that the
 * comparison with live state is exact, but a plan is something users paste into tickets and CI logs: every value
 * a provider answered is replaced by a marker, and an env entry whose desired value came from a provider is masked
 * on both sides with a short hash, so a changed secret still shows as a change without showing either value.
 */
import { createHash } from 'node:crypto';
import type { Plan, Step } from './plan.js';

/** Values shorter than this are too likely to collide with ordinary text (`1`, `on`) to be masked by substring. */
const MIN_SECRET_LENGTH = 3;
const ENV_ENTRY = /^([A-Za-z_][A-Za-z0-9_.-]*)=([\s\S]*)$/;

function fingerprint(value: string): string {
  return createHash('sha256').update(value).digest('hex').slice(0, 8);
}

export function redactPlan(plan: Plan, revealed: ReadonlyMap<string, string>): Plan {
  const secrets = [...revealed.entries()].filter(([value]) => value.length >= MIN_SECRET_LENGTH).sort((a, b) => b[0].length - a[0].length);
  if (secrets.length === 0) return plan;
  return { steps: plan.steps.map((step) => redactStep(step, secrets)) };
}

function redactStep(step: Step, secrets: readonly (readonly [string, string])[]): Step {
  const maskedEnvNames = new Set<string>();
  const containsSecret = (s: string): boolean => secrets.some(([value]) => s.includes(value));
  const replaceSecrets = (s: string): string => secrets.reduce((acc, [value, name]) => acc.split(value).join(`(secret ${name})`), s);

  const walk = (value: unknown, side: 'after' | 'before'): unknown => {
    if (typeof value === 'string') {
      const env = ENV_ENTRY.exec(value);
      if (env && (maskedEnvNames.has(env[1]!) || (side === 'after' && containsSecret(env[2]!)))) {
        maskedEnvNames.add(env[1]!);
        return `${env[1]}=(from a provider, sha256:${fingerprint(env[2]!)})`;
      }
      return containsSecret(value) ? replaceSecrets(value) : value;
    }
    if (Array.isArray(value)) return value.map((v) => walk(v, side));
    if (value !== null && typeof value === 'object') {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, walk(v, side)]));
    }
    return value;
  };
  // `after` first: it decides which env names hold provider values, then `before` masks the same names.
  const after = step.after === undefined ? undefined : walk(step.after, 'after');
  const before = step.before === undefined ? undefined : walk(step.before, 'before');
  return { ...step, before, after };
}
