/**
 * Listeners and rules of the deploy plan. A declared port is created, reconciled when this app owns the listener,
 * or reported (another app's listener: route with a rule instead; one its owner released, held by an heir for
 * rules only, is claimed back). Rules forward to the app's target group;
 * a priority held by another app's rule is reported; rules and listeners the app owns but no longer declares go.
 */
import { OWNER_TAG } from '../ownership.js';
import {
  actionLabel,
  forwardsOnlyTo,
  isReleasedListener,
  listenerOwnership,
  listenerShape,
  ownerPhrase,
  RELEASED_BY_TAG,
  sameList,
} from './compare.js';
import type { ObservedRule } from './observed.js';
import { listenerArnKey, listenerArnRef, ruleArnKey } from './outputs.js';
import type { DeployPlanInput } from './plan.js';
import { albStep, ruleConditions, unchanged, type AlbStep, type NamedRef } from './steps.js';

export interface PlanParts {
  readonly lbRef: NamedRef;
  readonly tgRef: NamedRef;
  readonly issue: (path: string, message: string) => void;
  readonly steps: AlbStep[];
  readonly warnings: string[];
}

function ruleMatches(r: ObservedRule, hostHeader: readonly string[], pathPattern: readonly string[], tgArn: string | undefined): boolean {
  return r.otherConditions === 0 && sameList(r.hostHeader, hostHeader) && sameList(r.pathPattern, pathPattern) && forwardsOnlyTo(r.actions, tgArn);
}

export function planListenersAndRules(input: DeployPlanInput, parts: PlanParts): void {
  const { settings: s, observed } = input;
  const { lbRef, tgRef, issue, steps, warnings } = parts;
  const tg = observed.targetGroup;
  // An untagged target group of this name is adopted by the same plan (hako created it before ownership tags).
  const tgOwner = tg?.tags[OWNER_TAG];
  const ownTgArn = tgOwner === undefined || tgOwner === s.appId ? tg?.arn : undefined;
  const byPort = new Map(observed.listeners.map((l) => [l.port, l]));
  const declaredPorts = new Set(s.listeners.map((l) => l.port));
  const declaredRules = new Set(s.rules.map((r) => `${r.listenerPort}:${r.priority}`));
  const ownedTag = { [OWNER_TAG]: s.appId };
  const listenerSteps: AlbStep[] = [];

  s.listeners.forEach((d, k) => {
    const res = `listener ${s.loadBalancerName}:${d.port}`;
    const desired = listenerShape(d, [`forward to ${s.targetGroupName}`]);
    const live = byPort.get(d.port);
    if (!live) {
      listenerSteps.push(
        albStep(
          'create-listener',
          'create',
          res,
          `Create ${d.protocol} listener on port ${d.port} forwarding to ${s.targetGroupName}`,
          {
            listener: { loadBalancer: lbRef, port: d.port },
            targetGroup: tgRef,
            protocol: d.protocol,
            ...(d.certificateArn === undefined ? {} : { certificateArn: d.certificateArn }),
            ...(d.sslPolicy === undefined ? {} : { sslPolicy: d.sslPolicy }),
            tags: ownedTag,
          },
          { after: desired, outputs: { [listenerArnKey(s.loadBalancerName, d.port)]: undefined } },
        ),
      );
      return;
    }
    let ownership = listenerOwnership(live, s.appId, ownTgArn);
    // Its owner left and an heir only holds it for rules: declaring the port takes it back, rules stay.
    const releasedBy = ownership === 'foreign' && isReleasedListener(live) ? live.tags[RELEASED_BY_TAG] : undefined;
    if (releasedBy !== undefined) ownership = 'adoptable';
    if (ownership === 'foreign') {
      issue(
        `listeners[${k}].port`,
        `port ${d.port} of load balancer ${s.loadBalancerName} is the ${ownerPhrase(live.tags, 'listener')}; ` +
          `declare a rules entry ({ listener_port: ${d.port}, priority, host_header or path_pattern }) to route to this app instead`,
      );
      return;
    }
    if (ownership === 'adoptable') {
      listenerSteps.push(
        albStep(
          'add-tags',
          'update',
          res,
          releasedBy === undefined
            ? `Adopt listener on port ${d.port} (tag ${OWNER_TAG}=${s.appId})`
            : `Claim listener on port ${d.port} released by ${releasedBy} (tag ${OWNER_TAG}=${s.appId})`,
          { resourceArn: live.arn, resource: res, tags: ownedTag },
          releasedBy === undefined ? {} : { before: { tags: live.tags }, after: { tags: { ...live.tags, ...ownedTag } } },
        ),
      );
    }
    const liveShape = listenerShape(
      {
        port: live.port,
        protocol: live.protocol ?? '',
        ...(live.certificateArn === undefined ? {} : { certificateArn: live.certificateArn }),
        ...(d.sslPolicy === undefined || live.sslPolicy === undefined ? {} : { sslPolicy: live.sslPolicy }),
      },
      actionLabel(live.defaultActions, tg),
    );
    const differs =
      live.protocol !== d.protocol ||
      (d.certificateArn !== undefined && live.certificateArn !== d.certificateArn) ||
      (d.sslPolicy !== undefined && live.sslPolicy !== d.sslPolicy) ||
      !forwardsOnlyTo(live.defaultActions, tg?.arn);
    if (differs) {
      listenerSteps.push(
        albStep(
          'modify-listener',
          'update',
          res,
          `Update listener on port ${d.port}`,
          {
            listenerArn: live.arn,
            port: d.port,
            targetGroup: tgRef,
            protocol: d.protocol,
            ...(d.certificateArn === undefined ? {} : { certificateArn: d.certificateArn }),
            ...(d.sslPolicy === undefined ? {} : { sslPolicy: d.sslPolicy }),
          },
          { before: liveShape, after: desired },
        ),
      );
    } else if (ownership === 'mine') {
      listenerSteps.push(unchanged(res, `Listener on port ${d.port} is up to date`, desired));
    }
  });

  const ruleSteps: AlbStep[] = [];
  s.rules.forEach((r, j) => {
    const res = `rule ${s.loadBalancerName}:${r.listenerPort} priority ${r.priority}`;
    const live = byPort.get(r.listenerPort);
    if (!live && !declaredPorts.has(r.listenerPort)) {
      issue(
        `rules[${j}].listener_port`,
        `load balancer ${s.loadBalancerName} has no listener on port ${r.listenerPort}; declare one in listeners, or use the port of an existing listener`,
      );
      return;
    }
    const desired = {
      listener_port: r.listenerPort,
      priority: r.priority,
      ...(r.hostHeader.length > 0 ? { host_header: r.hostHeader } : {}),
      ...(r.pathPattern.length > 0 ? { path_pattern: r.pathPattern } : {}),
      action: [`forward to ${s.targetGroupName}`],
    };
    const conditions = ruleConditions(r.hostHeader, r.pathPattern);
    const existing = live?.rules.find((x) => x.priority === r.priority);
    if (!existing) {
      ruleSteps.push(
        albStep('create-rule', 'create', res, `Create rule on port ${r.listenerPort} (priority ${r.priority}) forwarding to ${s.targetGroupName}`, {
          // A listener declared but not there yet is created earlier in this plan: its ARN is known after apply.
          listener: { loadBalancer: lbRef, port: r.listenerPort, arn: live ? live.arn : listenerArnRef(s.loadBalancerName, r.listenerPort) },
          priority: r.priority,
          conditions,
          targetGroup: tgRef,
          tags: ownedTag,
        }, { after: desired, outputs: { [ruleArnKey(s.loadBalancerName, r.listenerPort, r.priority)]: undefined } }),
      );
      return;
    }
    if (existing.tags[OWNER_TAG] !== s.appId) {
      issue(
        `rules[${j}].priority`,
        `priority ${r.priority} on listener port ${r.listenerPort} is taken by the ${ownerPhrase(existing.tags, 'rule')} (${existing.arn}); choose another priority`,
      );
      return;
    }
    if (ruleMatches(existing, r.hostHeader, r.pathPattern, tg?.arn)) {
      ruleSteps.push(unchanged(res, `Rule on port ${r.listenerPort} (priority ${r.priority}) is up to date`, desired));
      return;
    }
    ruleSteps.push(
      albStep('modify-rule', 'update', res, `Update rule on port ${r.listenerPort} (priority ${r.priority})`, {
        ruleArn: existing.arn,
        port: r.listenerPort,
        priority: r.priority,
        conditions,
        targetGroup: tgRef,
      }, {
        before: {
          listener_port: r.listenerPort,
          priority: r.priority,
          ...(existing.hostHeader.length > 0 ? { host_header: existing.hostHeader } : {}),
          ...(existing.pathPattern.length > 0 ? { path_pattern: existing.pathPattern } : {}),
          action: actionLabel(existing.actions, tg),
        },
        after: desired,
      }),
    );
  });

  // Rules and listeners this app owns but no longer declares. Stale rules go first, so their priorities are free.
  const staleRuleSteps: AlbStep[] = [];
  const staleListenerSteps: AlbStep[] = [];
  for (const l of observed.listeners) {
    for (const r of l.rules) {
      if (r.tags[OWNER_TAG] === s.appId && !declaredRules.has(`${l.port}:${r.priority}`)) {
        staleRuleSteps.push(
          albStep(
            'delete-rule',
            'delete',
            `rule ${s.loadBalancerName}:${l.port} priority ${r.priority}`,
            `Delete rule on port ${l.port} (priority ${r.priority}), no longer declared`,
            { ruleArn: r.arn, port: l.port, priority: r.priority },
            { before: { listener_port: l.port, priority: r.priority, host_header: r.hostHeader, path_pattern: r.pathPattern } },
          ),
        );
      }
    }
    if (l.tags[OWNER_TAG] === s.appId && !declaredPorts.has(l.port)) {
      const othersRules = l.rules.filter((r) => r.tags[OWNER_TAG] !== s.appId || declaredRules.has(`${l.port}:${r.priority}`));
      if (othersRules.length > 0 && !forwardsOnlyTo(l.defaultActions, ownTgArn)) {
        // Handed to this app when its owner left, only to hold rules: nothing to declare, nothing to warn about.
        staleListenerSteps.push(
          unchanged(
            `listener ${s.loadBalancerName}:${l.port}`,
            `Listener on port ${l.port} is held for ${othersRules.length} rule(s) on it; not declared here, so it is left as it is`,
            { port: l.port, protocol: l.protocol, default_action: actionLabel(l.defaultActions, tg) },
          ),
        );
        continue;
      }
      if (othersRules.length > 0) {
        warnings.push(
          `listener on port ${l.port} is no longer declared but is kept: ${othersRules.length} rule(s) still use it`,
        );
        continue;
      }
      staleListenerSteps.push(
        albStep('delete-listener', 'delete', `listener ${s.loadBalancerName}:${l.port}`, `Delete listener on port ${l.port}, no longer declared`, {
          listenerArn: l.arn,
          port: l.port,
        }, { before: { port: l.port, protocol: l.protocol, default_action: actionLabel(l.defaultActions, tg) } }),
      );
    }
  }
  steps.push(...staleRuleSteps, ...listenerSteps, ...ruleSteps, ...staleListenerSteps);
}
