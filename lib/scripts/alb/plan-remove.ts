/**
 * The remove planner (pure): delete only what this app owns. Its rules, its listeners (unless other apps' rules
 * still live on one: then it is kept, stops forwarding to the app and passes to an app whose rule stays), its
 * target group, and the load balancer only when this app created it and no listener of another app remains
 * (otherwise it passes to an app that stays).
 *
 * Copies of a name (duplicates.ts: an emulator's, or a crashed or concurrent run's) are not refused here as deploy
 * refuses them: a user who runs `remove` wants this app gone, so every copy this app owns is deleted by the same
 * rules, and each such step names the copy's ARN.
 */
import { CREATED_BY_TAG, OWNER_TAG } from '../ownership.js';
import type { AlbSettings } from './config.js';
import type { ObservedAlb, ObservedListener, ObservedLoadBalancerCopy, ObservedTargetGroup } from './observed.js';
import type { AlbPlan } from './plan.js';
import { answersFixedResponse, listenerOwnership, RELEASED_BY_TAG } from './compare.js';
import { albStep, unchanged, type AlbStep } from './steps.js';

/** Ownership against every target group copy this app owns (an untagged listener forwarding to one is the app's). */
function ownershipAmong(l: ObservedListener, appId: string, ownTargetGroupArns: readonly string[]): 'mine' | 'adoptable' | 'foreign' {
  const results = (ownTargetGroupArns.length === 0 ? [undefined] : ownTargetGroupArns).map((arn) => listenerOwnership(l, appId, arn));
  return results.includes('mine') ? 'mine' : results.includes('adoptable') ? 'adoptable' : 'foreign';
}

/** The steps for one load balancer copy: its rules and listeners of this app, then the load balancer itself. */
function planLoadBalancerRemove(
  s: AlbSettings,
  copy: ObservedLoadBalancerCopy,
  ownTargetGroupArns: readonly string[],
  /** Set when the name has several copies: titles then name the ARN. */
  copies: number,
  warnings: string[],
): AlbStep[] {
  const { loadBalancer: lb, listeners } = copy;
  const of = copies > 1 ? ` (${lb.arn})` : '';
  const portCopies = (port: number): number => listeners.filter((l) => l.port === port).length;
  const ruleSteps: AlbStep[] = [];
  const listenerSteps: AlbStep[] = [];
  let remainingListeners = 0;
  // An app that stays on the load balancer: it inherits the creator's right to delete it (see below).
  let heir: string | undefined;
  for (const l of listeners) {
    const listenerOf = portCopies(l.port) > 1 || copies > 1 ? ` (${l.arn})` : '';
    for (const r of l.rules) {
      if (r.tags[OWNER_TAG] !== s.appId) continue;
      const ruleOf = l.rules.filter((x) => x.priority === r.priority).length > 1 || listenerOf !== '' ? ` (${r.arn})` : '';
      ruleSteps.push(
        albStep(
          'delete-rule',
          'delete',
          `rule ${s.loadBalancerName}:${l.port} priority ${r.priority}`,
          `Delete rule on port ${l.port} (priority ${r.priority})${ruleOf}`,
          { ruleArn: r.arn, port: l.port, priority: r.priority },
          { before: { listener_port: l.port, priority: r.priority, host_header: r.hostHeader, path_pattern: r.pathPattern } },
        ),
      );
    }
    const res = `listener ${s.loadBalancerName}:${l.port}`;
    if (ownershipAmong(l, s.appId, ownTargetGroupArns) === 'foreign') {
      remainingListeners++;
      heir ??= l.tags[OWNER_TAG];
      continue;
    }
    const othersRules = l.rules.filter((r) => r.tags[OWNER_TAG] !== s.appId);
    if (othersRules.length > 0) {
      remainingListeners++;
      // The listener passes to an app whose rule stays on it: when that app leaves in turn, the listener is its
      // own and goes (or passes on again), so removing every app leaves nothing behind.
      const listenerHeir = othersRules.map((r) => r.tags[OWNER_TAG]).find((o) => o !== undefined);
      heir ??= listenerHeir;
      warnings.push(
        `listener on port ${l.port} is kept because ${othersRules.length} rule(s) of other apps use it; it now answers 404 by default` +
          (listenerHeir === undefined
            ? ` and stays tagged for ${s.appId} (no rule on it belongs to a hako app)`
            : ` and passes to ${listenerHeir}`),
      );
      // Already answering 404 when this app only held it for its rules: no call needed.
      if (!answersFixedResponse(l.defaultActions)) {
        listenerSteps.push(
          albStep('release-listener', 'update', res, `Keep listener on port ${l.port} for other apps' rules; default action → 404${listenerOf}`, {
            listenerArn: l.arn,
            port: l.port,
          }),
        );
      }
      if (listenerHeir !== undefined) {
        const handover = { [OWNER_TAG]: listenerHeir, [RELEASED_BY_TAG]: s.appId };
        listenerSteps.push(
          albStep('add-tags', 'update', res, `Hand listener on port ${l.port} over to ${listenerHeir}, whose rule stays on it${listenerOf}`, {
            resourceArn: l.arn,
            resource: res,
            tags: handover,
          }, { before: { tags: l.tags }, after: { tags: { ...l.tags, ...handover } } }),
        );
      }
      continue;
    }
    listenerSteps.push(
      albStep('delete-listener', 'delete', res, `Delete listener on port ${l.port}${listenerOf}`, { listenerArn: l.arn, port: l.port }, {
        before: { port: l.port, protocol: l.protocol },
      }),
    );
  }
  const steps = [...ruleSteps, ...listenerSteps];

  const lbRes = `load balancer ${s.loadBalancerName}`;
  if (lb.tags[CREATED_BY_TAG] !== s.appId) {
    steps.push(unchanged(lbRes, `Load balancer ${lb.name}${of} was not created by ${s.appId}; it is left in place`));
  } else if (remainingListeners > 0) {
    warnings.push(`load balancer ${lb.name}${of} is kept: ${remainingListeners} listener(s) of other apps remain on it`);
    if (heir !== undefined) {
      // The creator leaves first: hand the load balancer over to an app that stays, so that the last app to be
      // removed deletes it and removing every app leaves nothing behind.
      steps.push(
        albStep('add-tags', 'update', lbRes, `Keep load balancer ${lb.name}${of} for ${heir} and hand it over to it`, {
          resourceArn: lb.arn,
          resource: lbRes,
          tags: { [CREATED_BY_TAG]: heir },
        }, { before: { [CREATED_BY_TAG]: s.appId }, after: { [CREATED_BY_TAG]: heir } }),
      );
    } else {
      steps.push(unchanged(lbRes, `Load balancer ${lb.name}${of} is kept: ${remainingListeners} listener(s) of other apps remain`));
    }
  } else {
    steps.push(
      albStep('delete-load-balancer', 'delete', lbRes, `Delete load balancer ${lb.name}${of}`, { loadBalancerArn: lb.arn, name: lb.name }, {
        before: { name: lb.name, type: lb.type, dns_name: lb.dnsName },
      }),
    );
  }
  return steps;
}

function planTargetGroupRemove(s: AlbSettings, tg: ObservedTargetGroup, copies: number, warnings: string[]): AlbStep {
  const tgRes = `target group ${s.targetGroupName}`;
  const of = copies > 1 ? ` (${tg.arn})` : '';
  if (tg.tags[OWNER_TAG] !== s.appId) {
    const owner = tg.tags[OWNER_TAG];
    warnings.push(`${tgRes}${of} is not owned by ${s.appId} (${owner === undefined ? 'no owner tag' : `owner ${owner}`}); it is left in place`);
    return unchanged(tgRes, `Target group ${tg.name}${of} is not owned by ${s.appId}; it is left in place`);
  }
  return albStep('delete-target-group', 'delete', tgRes, `Delete target group ${tg.name}${of}`, { targetGroupArn: tg.arn, name: tg.name }, {
    before: { name: tg.name, protocol: tg.protocol, port: tg.port },
  });
}

export function planAlbRemove(settings: AlbSettings, observed: ObservedAlb): AlbPlan {
  const s = settings;
  const warnings: string[] = [];
  const targetGroups = observed.targetGroup ? [observed.targetGroup, ...observed.extraTargetGroups] : [];
  const ownTargetGroupArns = targetGroups.filter((tg) => tg.tags[OWNER_TAG] === s.appId).map((tg) => tg.arn);
  const loadBalancers: ObservedLoadBalancerCopy[] = observed.loadBalancer
    ? [{ loadBalancer: observed.loadBalancer, listeners: observed.listeners }, ...observed.extraLoadBalancers]
    : [];

  const steps: AlbStep[] = loadBalancers.flatMap((copy) => planLoadBalancerRemove(s, copy, ownTargetGroupArns, loadBalancers.length, warnings));
  if (loadBalancers.length === 0) steps.push(unchanged(`load balancer ${s.loadBalancerName}`, `ELBv2 ${s.loadBalancerName} doesn't exist`));
  // After every load balancer copy: a target group cannot go while a listener or rule still forwards to it.
  steps.push(...targetGroups.map((tg) => planTargetGroupRemove(s, tg, targetGroups.length, warnings)));
  if (targetGroups.length === 0) steps.push(unchanged(`target group ${s.targetGroupName}`, `Target group ${s.targetGroupName} doesn't exist`));
  return { steps, warnings };
}
