/**
 * Copies the deploy planner must not choose between (pure). AWS keeps load balancer and target group names, a
 * listener's port and a rule's priority unique, but an emulator does not (moto makes a second load balancer or
 * listener for a repeated create), and an earlier run that crashed or ran at the same time may have left copies.
 * Planning on top of one copy would add to the mess (the next run added a second listener), so deploy stops and
 * names every copy; remove deletes all the copies this app owns (plan-remove.ts).
 */
import { DuplicateResourcesError, type DuplicateResource } from '../../errors.js';
import { OWNER_TAG } from '../ownership.js';
import type { AlbSettings } from './config.js';
import type { ObservedAlb, ObservedListener } from './observed.js';

function groupBy<T, K>(items: readonly T[], key: (item: T) => K): Map<K, T[]> {
  const groups = new Map<K, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/** Every resource of this app's concern that exists more than once, with all its copies' ARNs. */
export function albDuplicates(settings: AlbSettings, observed: ObservedAlb): DuplicateResource[] {
  const s = settings;
  const found: DuplicateResource[] = [];
  const { loadBalancer: lb, targetGroup: tg } = observed;
  if (lb && observed.extraLoadBalancers.length > 0) {
    found.push({ resource: `load balancer ${lb.name}`, arns: [lb.arn, ...observed.extraLoadBalancers.map((c) => c.loadBalancer.arn)] });
  }
  if (tg && observed.extraTargetGroups.length > 0) {
    found.push({ resource: `target group ${tg.name}`, arns: [tg.arn, ...observed.extraTargetGroups.map((t) => t.arn)] });
  }
  const mine = (tags: Readonly<Record<string, string>>): boolean => tags[OWNER_TAG] === s.appId;
  // Other apps' ports are theirs to sort out; this app's are the ports it declares, owns, or routes on.
  const ports = new Set([...s.listeners.map((l) => l.port), ...s.rules.map((r) => r.listenerPort)]);
  const concerns = (l: ObservedListener): boolean => ports.has(l.port) || mine(l.tags) || l.rules.some((r) => mine(r.tags));
  for (const [port, copies] of groupBy(observed.listeners, (l) => l.port)) {
    if (copies.length > 1 && copies.some(concerns)) {
      found.push({ resource: `listener ${s.loadBalancerName}:${port}`, arns: copies.map((l) => l.arn) });
    }
  }
  const declared = new Set(s.rules.map((r) => `${r.listenerPort}:${r.priority}`));
  for (const l of observed.listeners) {
    for (const [priority, copies] of groupBy(l.rules, (r) => r.priority)) {
      if (copies.length > 1 && (declared.has(`${l.port}:${priority}`) || copies.some((r) => mine(r.tags)))) {
        found.push({ resource: `rule ${s.loadBalancerName}:${l.port} priority ${priority}`, arns: copies.map((r) => r.arn) });
      }
    }
  }
  return found;
}

const DELETE_COMMAND: Record<string, string> = {
  'load balancer': 'aws elbv2 delete-load-balancer --load-balancer-arn ARN',
  'target group': 'aws elbv2 delete-target-group --target-group-arn ARN',
  listener: 'aws elbv2 delete-listener --listener-arn ARN',
  rule: 'aws elbv2 delete-rule --rule-arn ARN',
};

/** The error deploy stops with: every copy named, and how to get back to one. */
export function duplicatesError(settings: AlbSettings, duplicates: readonly DuplicateResource[]): DuplicateResourcesError {
  const commands = Object.entries(DELETE_COMMAND)
    .filter(([what]) => duplicates.some((d) => d.resource.startsWith(`${what} `)))
    .map(([, command]) => `\`${command}\``);
  const n = duplicates.length;
  return new DuplicateResourcesError(
    `Cannot plan load balancer ${settings.loadBalancerName} for ${settings.appId}: ${n === 1 ? 'a resource exists' : `${n} resources exist`} more than once`,
    duplicates,
    {
      hint:
        `Keep one copy of each — the one the service uses; for a load balancer the oldest is listed first — and delete the others ` +
        `(${commands.join(', ')}), or run \`hako remove\` to delete every copy this app owns; then deploy again.`,
    },
  );
}
