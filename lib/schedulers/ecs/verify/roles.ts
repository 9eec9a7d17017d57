/**
 * Task and execution roles: they exist and ECS tasks may assume them (their trust policy lets the service
 * principal `ecs-tasks.amazonaws.com` call sts:AssumeRole). A role that exists but does not trust ECS fails only
 * when a task starts, with an error far from its cause.
 */
import type { IamApi } from '../../../aws/ports.js';
import { isAwsError } from '../../../aws/aws-error.js';
import { failed, ok, type CheckResult, type VerifyCheck } from '../../../verify/checks.js';

export const ECS_TASKS_PRINCIPAL = 'ecs-tasks.amazonaws.com';

/** `arn:aws:iam::123:role/path/name` → `name` (GetRole takes the name without the path). */
export function roleName(arn: string): string {
  return arn.slice(arn.lastIndexOf('/') + 1);
}

function list(v: unknown): unknown[] {
  return v === undefined ? [] : Array.isArray(v) ? v : [v];
}

/** Pure: whether an AssumeRolePolicyDocument (IAM answers it URL-encoded) lets `principal` assume the role. */
export function trusts(document: string | undefined, principal: string): boolean {
  if (document === undefined) return false;
  let parsed: { Statement?: unknown };
  try {
    parsed = JSON.parse(document.trim().startsWith('{') ? document : decodeURIComponent(document)) as { Statement?: unknown };
  } catch {
    return false;
  }
  return list(parsed.Statement).some((raw) => {
    const s = raw as { Effect?: string; Action?: unknown; Principal?: { Service?: unknown } | string };
    const actions = list(s.Action).map(String);
    const services = typeof s.Principal === 'object' ? list(s.Principal.Service).map(String) : [];
    return s.Effect === 'Allow' && actions.some((a) => a === 'sts:AssumeRole' || a === 'sts:*' || a === '*') && services.includes(principal);
  });
}

export function roleCheck(what: string, arn: string, iam: () => Promise<IamApi>): VerifyCheck {
  return {
    title: `${what} ${arn}`,
    async run(): Promise<CheckResult> {
      let document: string | undefined;
      try {
        document = (await (await iam()).getRole({ RoleName: roleName(arn) })).Role?.AssumeRolePolicyDocument;
      } catch (e) {
        if (isAwsError(e, 'NoSuchEntity', 'NoSuchEntityException')) return failed('no such role');
        throw e;
      }
      return trusts(document, ECS_TASKS_PRINCIPAL) ? ok(`exists and trusts ${ECS_TASKS_PRINCIPAL}`) : failed(`exists but does not trust ${ECS_TASKS_PRINCIPAL} (its trust policy must allow sts:AssumeRole to that service)`);
    },
  };
}
