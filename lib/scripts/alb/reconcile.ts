/**
 * The alb script's part in the executor's fault rules (lib/plan/executor.ts).
 *
 * `reconcileAlbStep`: after a create failed with an unknown outcome (5xx, connection dropped after sending) or with
 * "Duplicate…" (a repeated request that had worked the first time), observe whether the lost call took effect and
 * return the outputs of what it made, so that the executor adopts it instead of creating another. ELBv2 creates
 * carry no idempotency token, and an emulator makes a second load balancer or listener for a repeated create, so
 * observing is what keeps a retry from duplicating. What counts as "what the lost call made" is strict: the same
 * name, port or priority *and* the ownership tags the create sets (tags are written in the same call), so a
 * resource another app made in the meantime is never adopted; the create is then repeated and fails clearly.
 *
 * `isAlbTargetGone`: whether a delete's error means its target is already gone, from what ELBv2 answers.
 */
import type { Elbv2Api, elbv2 } from '../../aws/ports.js';
import { warn, type IoHost } from '../../io/io-host.js';
import type { StepOutcome } from '../../plan/executor.js';
import { known } from '../../plan/outputs.js';
import { awsErrorCode } from '../../util/backoff.js';
import { forwardsOnlyTo, sameList } from './compare.js';
import { describeAllListeners, describeNonDefaultRules, describeTags, loadBalancersNamed, targetGroupsNamed } from './observe.js';
import { toRule } from './observed.js';
import { albTargetGroupArnKey, listenerArnKey, loadBalancerArnKey, loadBalancerVpcKey, outcomeOf, ruleArnKey } from './outputs.js';
import type { AlbStep } from './steps.js';

interface Candidate {
  readonly arn: string;
}

function tagMap(tags: readonly elbv2.Tag[] | undefined): Record<string, string> {
  return Object.fromEntries((tags ?? []).map((t) => [t.Key ?? '', t.Value ?? '']));
}

/** The candidates whose tags include every tag the create set: those the lost call (or an earlier one of ours) made. */
async function taggedLike<T extends Candidate>(api: Elbv2Api, candidates: readonly T[], wanted: Readonly<Record<string, string>>): Promise<T[]> {
  if (candidates.length === 0) return [];
  const tags = await describeTags(api, candidates.map((c) => c.arn));
  return candidates.filter((c) => Object.entries(wanted).every(([k, v]) => tags.get(c.arn)?.[k] === v));
}

/** The first match; several mean an earlier run already left copies, which the next plan reports (duplicates.ts). */
function adopt<T extends Candidate>(matches: readonly T[], what: string, io: IoHost): T | undefined {
  if (matches.length > 1) {
    warn(io, 'alb.reconcile.duplicates', `${what} exists ${matches.length} times (${matches.map((m) => m.arn).join(', ')}); adopting the first — the next plan will stop and name the copies`);
  }
  return matches[0];
}

/** What the lost create made, as its outputs; undefined when it made nothing (the create is then repeated). */
export async function reconcileAlbStep(step: AlbStep, api: Elbv2Api, io: IoHost): Promise<StepOutcome | undefined> {
  switch (step.kind) {
    case 'create-load-balancer': {
      const { input } = step.payload;
      const name = input.Name ?? '';
      const named = (await loadBalancersNamed(api, name)).map((lb) => ({ ...lb, arn: lb.LoadBalancerArn }));
      const lb = adopt(await taggedLike(api, named, tagMap(input.Tags)), `load balancer ${name}`, io);
      return lb && outcomeOf({ [loadBalancerArnKey(name)]: lb.arn, [loadBalancerVpcKey(name)]: lb.VpcId });
    }
    case 'create-target-group': {
      const name = step.payload.input.Name ?? '';
      const named = (await targetGroupsNamed(api, name)).map((tg) => ({ ...tg, arn: tg.TargetGroupArn }));
      const tg = adopt(await taggedLike(api, named, tagMap(step.payload.input.Tags)), `target group ${name}`, io);
      return tg && outcomeOf({ [albTargetGroupArnKey(name)]: tg.arn });
    }
    case 'create-listener': {
      const p = step.payload;
      const onPort = (await describeAllListeners(api, known(p.listener.loadBalancer.arn)))
        .filter((l) => l.Port === p.listener.port && l.ListenerArn !== undefined)
        .map((l) => ({ arn: l.ListenerArn! }));
      const what = `listener ${p.listener.loadBalancer.name}:${p.listener.port}`;
      const listener = adopt(await taggedLike(api, onPort, p.tags), what, io);
      return listener && outcomeOf({ [listenerArnKey(p.listener.loadBalancer.name, p.listener.port)]: listener.arn });
    }
    case 'create-rule': {
      const p = step.payload;
      const want = toRule({ Priority: String(p.priority), Conditions: [...p.conditions] }, undefined);
      const target = known(p.targetGroup.arn);
      const same = (await describeNonDefaultRules(api, known(p.listener.arn)))
        .map((r) => toRule(r, undefined))
        .filter(
          (r) =>
            r.priority === p.priority &&
            r.otherConditions === 0 &&
            sameList(r.hostHeader, want.hostHeader) &&
            sameList(r.pathPattern, want.pathPattern) &&
            forwardsOnlyTo(r.actions, target),
        );
      const what = `rule ${p.listener.loadBalancer.name}:${p.listener.port} priority ${p.priority}`;
      const rule = adopt(await taggedLike(api, same, p.tags), what, io);
      return rule && outcomeOf({ [ruleArnKey(p.listener.loadBalancer.name, p.listener.port, p.priority)]: rule.arn });
    }
    default:
      return undefined;
  }
}

/**
 * ELBv2's answers for deleting what no longer exists (API reference, Errors of each Delete* action):
 * DeleteListener → ListenerNotFound; DeleteRule → RuleNotFound; DeleteTargetGroup → TargetGroupNotFound (AWS
 * documents only ResourceInUse, and moto answers TargetGroupNotFound); DeleteLoadBalancer of a missing one
 * succeeds on AWS ("If the load balancer does not exist or has already been deleted, the call succeeds"), moto and
 * older emulators answer LoadBalancerNotFound. A rule or listener whose listener or load balancer went first is
 * gone too. The SDK names the codes with an `Exception` suffix; both spellings count. Anything else (ResourceInUse,
 * OperationNotPermitted, another resource's NotFound) is a real failure.
 */
const GONE_CODES: Partial<Record<AlbStep['kind'], readonly string[]>> = {
  'delete-load-balancer': ['LoadBalancerNotFound'],
  'delete-target-group': ['TargetGroupNotFound'],
  'delete-listener': ['ListenerNotFound', 'LoadBalancerNotFound'],
  'delete-rule': ['RuleNotFound', 'ListenerNotFound', 'LoadBalancerNotFound'],
};

export function isAlbTargetGone(step: AlbStep, error: unknown): boolean {
  const code = awsErrorCode(error)?.replace(/Exception$/, '');
  return code !== undefined && (GONE_CODES[step.kind] ?? []).includes(code);
}
