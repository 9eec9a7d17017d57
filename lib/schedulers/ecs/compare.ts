/**
 * Semantic comparison of the desired task definition / service with what ECS reports (reference §3.10, §4.3,
 * §4.5), with hako's quirks fixed (see the top of hako-behaviour.md, item 3):
 * - runtime_platform and ephemeral_storage are compared structurally (hako: always "changed");
 * - a DAEMON service's desired count is not compared (hako: always "changed");
 * - a partial deployment_configuration compares only the fields it sets (hako: compared nil with 200/100);
 * - the deployment circuit breaker is compared (hako: ignored);
 * - unordered lists compare as multisets, absent lists/maps equal empty ones, defaults ECS fills in are ignored.
 *
 * Service settings the request leaves out are not compared: UpdateService keeps their current value, so they
 * cannot be "changed" by applying it. Service settings the live response leaves out are unknown, not different:
 * AWS always echoes them, but emulators (moto) do not, and reporting drift that no update can fix would make
 * every deploy an update.
 */
import type { ecs } from '../../aws/ports.js';
import { describeDifference, differences, pruneEmpty, unlessDefault } from '../../plan/normalise-for-diff.js';
import { serviceShape, taskDefinitionShape, type ServiceLike, type TaskDefinitionLike } from './compare-shapes.js';
import { VERSION_LABEL } from './task-definition.js';

/** The outcome of a comparison: `reasons` name each differing field, e.g. `containers.app.memory: 1024 → 64`. */
export interface Comparison {
  readonly changed: boolean;
  readonly reasons: string[];
}

/** A comparison with the normalised shapes it was made on (what a plan shows as before/after). */
export interface ShapedComparison extends Comparison {
  /** Absent when there is no live counterpart. */
  readonly before?: Record<string, unknown>;
  readonly after: Record<string, unknown>;
}

/** Compares a task definition request with the latest live revision of its family (and that revision's tags). */
export function compareTaskDefinitionShapes(
  desired: ecs.RegisterTaskDefinitionCommandInput,
  actual: TaskDefinitionLike | undefined,
  actualTags: readonly ecs.Tag[] | undefined,
): ShapedComparison {
  const after = taskDefinitionShape(desired, desired.tags);
  if (actual === undefined) {
    return { changed: true, reasons: [`task definition ${desired.family ?? ''}: not registered yet`], after };
  }
  const before = taskDefinitionShape(actual, actualTags);
  const adopted = taskDefinitionShape(withoutLabelsNotLive(desired, actual), desired.tags);
  const reasons = differences(before, adopted).map(describeDifference);
  return { changed: reasons.length > 0, reasons, before, after: adopted };
}

/**
 * hako's version label on the desired containers whose live counterpart has none: a revision registered by another
 * tool (Terraform, ecspresso, the console) is not different just for lacking hako's label — that would make the
 * first `diff` after adopting a service (`hako init`) report every container. A live label with another hako
 * version still counts as a change, as in hako.
 */
function withoutLabelsNotLive(desired: ecs.RegisterTaskDefinitionCommandInput, actual: TaskDefinitionLike): ecs.RegisterTaskDefinitionCommandInput {
  const live = new Map((actual.containerDefinitions ?? []).map((c) => [c.name, c]));
  return {
    ...desired,
    containerDefinitions: desired.containerDefinitions?.map((c) => {
      const counterpart = live.get(c.name);
      if (counterpart === undefined || counterpart.dockerLabels?.[VERSION_LABEL] !== undefined || c.dockerLabels?.[VERSION_LABEL] === undefined) return c;
      const { [VERSION_LABEL]: _hako, ...labels } = c.dockerLabels;
      return { ...c, dockerLabels: labels };
    }),
  };
}

/** Does registering `desired` make a difference compared with `actual`? (§4.3 with the fixes above.) */
export function compareTaskDefinition(
  desired: ecs.RegisterTaskDefinitionCommandInput,
  actual: TaskDefinitionLike | undefined,
  actualTags: readonly ecs.Tag[] | undefined,
): Comparison {
  const { changed, reasons } = compareTaskDefinitionShapes(desired, actual, actualTags);
  return { changed, reasons };
}

type Shape = Record<string, unknown>;

function isObject(v: unknown): v is Shape {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/**
 * Restricts `actual` to what `desired` sets, one level deep for nested settings (deployment_configuration sets
 * fields independently): members `desired` lacks are dropped from both; members `actual` lacks take the desired
 * value (unknown = assume equal).
 */
function align(desired: Shape, actual: Shape, depth: number): [Shape, Shape] {
  const d: Shape = {};
  const a: Shape = {};
  for (const [key, want] of Object.entries(desired)) {
    if (want === undefined) continue;
    const have = actual[key];
    if (have === undefined) {
      d[key] = want;
      a[key] = want;
    } else if (depth > 0 && isObject(want) && isObject(have)) {
      [d[key], a[key]] = align(want, have, depth - 1);
    } else {
      d[key] = want;
      a[key] = have;
    }
  }
  return [d, a];
}

function serviceForDisplay(shape: Shape): Shape {
  return pruneEmpty({ ...shape, platform_version: unlessDefault(shape.platform_version as string | undefined, 'LATEST') });
}

/**
 * Compares an UpdateService request with the live service. The request's `taskDefinition` should be the ARN the
 * service would run after this deploy.
 */
export function compareServiceShapes(
  desired: ServiceLike,
  actual: ecs.Service,
): ShapedComparison & { before: Record<string, unknown> } {
  const want = serviceShape(desired);
  const have = serviceShape(actual);
  // ECS runs one task per instance of a DAEMON service: its desired count is ECS's, not ours.
  if (actual.schedulingStrategy === 'DAEMON') delete want.desired_count;
  const [after, before] = align(want, have, 1).map(serviceForDisplay) as [Shape, Shape];
  const reasons = differences(before, after).map(describeDifference);
  return { changed: reasons.length > 0, reasons, before, after };
}

/** Would applying `desired` (an UpdateService request) change the live service? (§3.10.3 with the fixes above.) */
export function compareService(desired: ServiceLike, actual: ecs.Service): Comparison {
  const { changed, reasons } = compareServiceShapes(desired, actual);
  return { changed, reasons };
}
