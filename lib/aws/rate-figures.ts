/**
 * How fast hako may call each AWS API: token buckets (capacity = burst, refill = sustained requests per second) as
 * AWS publishes them for an account and region. A request takes a token from every bucket its operation belongs to.
 *
 * Sources (stored copies read 2026-12):
 * - ECS: "Request throttling for the Amazon ECS API" (AmazonECS/latest/APIReference/request-throttling.html), the
 *   table "Request token bucket sizes and refill rates": one bucket per category of actions.
 * - ELB: "Request throttling for the Elastic Load Balancing API" (elasticloadbalancing/latest/userguide/
 *   elb-api-throttling.html): an account-level bucket shared by every action (40, 10/s), plus one per category.
 *   ELBv2 and ELB (classic) have their own buckets.
 * - Route 53: "Throttling for Amazon Route 53 API requests" (Route53/latest/DeveloperGuide/throttling-api-requests
 *   .html): every request of the account from one bucket (50, 10/s).
 * - Every other service hako calls publishes no bucket figures for the calls hako makes; they get DEFAULT_FIGURE,
 *   a conservative guess, and the adaptive part of the budget (rate-budget.ts) lowers it if AWS disagrees.
 *
 * These are an account's default allowance (other tools share it; AWS raises it on request). The budget starts from
 * them, probes above them until AWS first throttles, and backs off when it does (rate-budget.ts). An account with
 * raised quotas can say so with HAKO_AWS_RATE_SCALE.
 */

export interface BucketFigure {
  /** Burst: requests allowed at once from a full bucket. */
  readonly capacity: number;
  /** Sustained requests per second. */
  readonly refillPerSecond: number;
}

/** A bucket an operation draws from: its key (unique within the service) and its figure. */
export interface BucketRef {
  readonly key: string;
  readonly figure: BucketFigure;
}

const fig = (capacity: number, refillPerSecond: number): BucketFigure => ({ capacity, refillPerSecond });

/** ECS categories and the operations hako calls in each (request-throttling.html). */
const ECS_CATEGORIES: readonly { readonly key: string; readonly figure: BucketFigure; readonly operations: readonly string[] }[] = [
  { key: 'cluster-read', figure: fig(50, 20), operations: ['DescribeClusters', 'ListClusters'] },
  { key: 'task-definition-modify', figure: fig(20, 1), operations: ['RegisterTaskDefinition', 'DeregisterTaskDefinition'] },
  { key: 'task-definition-read', figure: fig(50, 20), operations: ['DescribeTaskDefinition', 'ListTaskDefinitions', 'ListTaskDefinitionFamilies'] },
  { key: 'tag-read', figure: fig(50, 20), operations: ['ListTagsForResource'] },
  { key: 'tag-modify', figure: fig(20, 10), operations: ['TagResource', 'UntagResource'] },
  { key: 'cluster-resource-modify', figure: fig(100, 40), operations: ['RunTask', 'StartTask', 'StopTask'] },
  { key: 'cluster-resource-read', figure: fig(100, 20), operations: ['DescribeContainerInstances', 'DescribeTasks', 'ListContainerInstances', 'ListTasks'] },
  { key: 'service-modify', figure: fig(50, 5), operations: ['CreateService', 'DeleteService', 'UpdateService'] },
  { key: 'service-read', figure: fig(100, 20), operations: ['DescribeServices', 'ListServices'] },
];

const ELB_ACCOUNT: BucketRef = { key: 'account', figure: fig(40, 10) };
/** ELBv2's categories (elb-api-throttling.html); what is not listed is a mutating action. */
const ELBV2_RESOURCE_INTENSIVE = new Set(['CreateLoadBalancer', 'SetSubnets']);
const ELBV2_REGISTRATION = new Set(['RegisterTargets', 'DeregisterTargets']);
/** ELBv1's resource-intensive actions. */
const ELB_RESOURCE_INTENSIVE = new Set([
  'CreateLoadBalancer',
  'AttachLoadBalancerToSubnets',
  'DetachLoadBalancerFromSubnets',
  'EnableAvailabilityZonesForLoadBalancer',
  'DisableAvailabilityZonesForLoadBalancer',
]);

function elbCategory(operation: string, resourceIntensive: ReadonlySet<string>): BucketRef {
  if (resourceIntensive.has(operation)) return { key: 'resource-intensive', figure: fig(10, 0.2) };
  if (ELBV2_REGISTRATION.has(operation) || operation === 'RegisterInstancesWithLoadBalancer' || operation === 'DeregisterInstancesFromLoadBalancer') {
    return { key: 'registration', figure: fig(20, 4) };
  }
  if (operation.startsWith('Describe')) return { key: 'non-mutating', figure: fig(40, 10) };
  return { key: 'mutating', figure: fig(20, 3) };
}

/** For services without published figures for hako's calls: one bucket per service and region. */
export const DEFAULT_FIGURE: BucketFigure = fig(20, 10);

/** The buckets `operation` of `service` (hako's display names: ECS, ELBv2, ELB, Route53, …) draws from. */
export function bucketsFor(service: string, operation: string): readonly BucketRef[] {
  switch (service) {
    case 'ECS': {
      const category = ECS_CATEGORIES.find((c) => c.operations.includes(operation));
      // An operation the table does not list (new ones appear) gets the strictest read/modify bucket of its kind.
      if (category === undefined) return [{ key: 'unlisted', figure: fig(20, 1) }];
      return [{ key: category.key, figure: category.figure }];
    }
    case 'ELBv2':
      return [ELB_ACCOUNT, elbCategory(operation, ELBV2_RESOURCE_INTENSIVE)];
    case 'ELB':
      return [ELB_ACCOUNT, elbCategory(operation, ELB_RESOURCE_INTENSIVE)];
    case 'Route53':
      return [{ key: 'account', figure: fig(50, 10) }];
    default:
      return [{ key: 'service', figure: DEFAULT_FIGURE }];
  }
}
