/**
 * Small comparisons and readable shapes shared by the deploy and remove planners.
 */
import { OWNER_TAG } from '../ownership.js';
import type { AlbSettings, ListenerSettings } from './config.js';
import type { ObservedAction, ObservedListener, ObservedTargetGroup } from './observed.js';

export const sameList = (a: readonly string[], b: readonly string[]): boolean =>
  a.length === b.length && a.every((x, i) => x === b[i]);

/** True when the actions are exactly one forward to `arn`. */
export function forwardsOnlyTo(actions: readonly ObservedAction[], arn: string | undefined): boolean {
  return (
    arn !== undefined &&
    actions.length === 1 &&
    actions[0]!.type === 'forward' &&
    sameList(actions[0]!.targetGroupArns, [arn])
  );
}

/**
 * Whether this app owns a listener: tagged for it, or untagged and forwarding only to the app's own target group
 * (a listener hako created before ownership tags; it is adopted by tagging it).
 */
export function listenerOwnership(
  listener: ObservedListener,
  appId: string,
  /** The app's own target group (tagged for it, or being adopted in this plan); undefined when it has none. */
  ownTargetGroupArn: string | undefined,
): 'mine' | 'adoptable' | 'foreign' {
  const owner = listener.tags[OWNER_TAG];
  if (owner === appId) return 'mine';
  if (owner === undefined && forwardsOnlyTo(listener.defaultActions, ownTargetGroupArn)) return 'adoptable';
  return 'foreign';
}

/**
 * Set on a listener its owner released when it left (hako:app then names the heir, an app whose rule stays on it):
 * names the app that released it. A released listener only holds rules; it answers 404 by default.
 */
export const RELEASED_BY_TAG = 'hako:released-by';

/** True when the actions are the single fixed response a released listener answers with. */
export function answersFixedResponse(actions: readonly ObservedAction[]): boolean {
  return actions.length === 1 && actions[0]!.type === 'fixed-response';
}

/**
 * A listener released by the app that declared it and held by an heir only for the heir's rules: an app that
 * declares its port may claim it back (as its first owner would have kept it), rules and all.
 */
export function isReleasedListener(listener: ObservedListener): boolean {
  return listener.tags[RELEASED_BY_TAG] !== undefined && answersFixedResponse(listener.defaultActions);
}

export function actionLabel(actions: readonly ObservedAction[], tg: ObservedTargetGroup | undefined): string[] {
  return actions.map((a) =>
    a.type === 'forward' ? `forward to ${a.targetGroupArns.map((arn) => (arn === tg?.arn ? tg.name : arn)).join(', ')}` : a.type,
  );
}

export function diffAttributes(desired: Readonly<Record<string, string>>, live: Readonly<Record<string, string>> | undefined) {
  const changed = Object.fromEntries(Object.entries(desired).filter(([k, v]) => live?.[k] !== v));
  const before = Object.fromEntries(Object.keys(desired).map((k) => [k, live?.[k] ?? null]));
  return { changed, before };
}

export function apiMatcher(m: NonNullable<AlbSettings['matcher']>): { HttpCode?: string; GrpcCode?: string } {
  return {
    ...(m.httpCode === undefined ? {} : { HttpCode: m.httpCode }),
    ...(m.grpcCode === undefined ? {} : { GrpcCode: m.grpcCode }),
  };
}

export function ownerPhrase(tags: Readonly<Record<string, string>>, what: string): string {
  const owner = tags[OWNER_TAG];
  return owner === undefined ? `${what} not managed by hako` : `${what} of app ${owner}`;
}

export function listenerShape(l: ListenerSettings, forwardTo: string[]): Record<string, unknown> {
  return {
    port: l.port,
    protocol: l.protocol,
    ...(l.certificateArn === undefined ? {} : { certificate_arn: l.certificateArn }),
    ...(l.sslPolicy === undefined ? {} : { ssl_policy: l.sslPolicy }),
    default_action: forwardTo,
  };
}
