/**
 * The steps the `alb` planner emits and their payloads: the contract between the pure planners (plan.ts,
 * plan-remove.ts) and the applier (apply.ts). A resource created earlier in the same apply (a new load balancer,
 * target group or listener) is referred to by a ref to the output of the step that creates it (outputs.ts); the
 * executor fills it in before the applier sees the step.
 */
import type { elbv2 } from '../../aws/ports.js';
import type { Deferred } from '../../plan/outputs.js';
import type { OwnedStep, StepAction } from '../../plan/plan.js';

/** `Step.owner` of every step planned here. */
export const ALB_STEP_OWNER = 'alb';

/** A load balancer or target group: `arn` is a ref when an earlier step of the same apply creates it. */
export interface NamedRef {
  readonly name: string;
  readonly arn: Deferred;
}

/** A listener, possibly created earlier in the same apply (then `arn` is a ref to that step's output). */
export interface ListenerRef {
  readonly loadBalancer: NamedRef;
  readonly port: number;
  readonly arn: Deferred;
}

export interface AlbPayloads {
  'create-load-balancer': { readonly input: elbv2.CreateLoadBalancerCommandInput };
  'set-subnets': { readonly loadBalancer: NamedRef; readonly subnets: readonly string[] };
  'set-security-groups': { readonly loadBalancer: NamedRef; readonly securityGroups: readonly string[] };
  'modify-load-balancer-attributes': {
    readonly loadBalancer: NamedRef;
    readonly attributes: Readonly<Record<string, string>>;
  };
  /** Adds tags: the configured LB tags, or ownership when adopting a resource hako created without tags. */
  'add-tags': { readonly resourceArn: string; readonly resource: string; readonly tags: Readonly<Record<string, string>> };
  'create-target-group': {
    readonly input: Omit<elbv2.CreateTargetGroupCommandInput, 'VpcId'>;
    /** A ref when it is the VPC of a load balancer created earlier in the same apply. */
    readonly vpcId?: Deferred;
  };
  'modify-target-group': {
    readonly targetGroup: NamedRef;
    readonly healthCheckPath?: string;
    readonly matcher?: elbv2.Matcher;
  };
  'modify-target-group-attributes': {
    readonly targetGroup: NamedRef;
    readonly attributes: Readonly<Record<string, string>>;
  };
  'create-listener': {
    /** The listener this step creates: its ARN is this step's output. */
    readonly listener: Omit<ListenerRef, 'arn'>;
    readonly targetGroup: NamedRef;
    readonly protocol: string;
    readonly certificateArn?: string;
    readonly sslPolicy?: string;
    readonly tags: Readonly<Record<string, string>>;
  };
  'modify-listener': {
    readonly listenerArn: string;
    readonly port: number;
    readonly targetGroup: NamedRef;
    readonly protocol: string;
    readonly certificateArn?: string;
    readonly sslPolicy?: string;
  };
  /** Keeps a listener other apps' rules still use, but stops it forwarding to a target group being deleted. */
  'release-listener': { readonly listenerArn: string; readonly port: number };
  'delete-listener': { readonly listenerArn: string; readonly port: number };
  'create-rule': {
    readonly listener: ListenerRef;
    readonly priority: number;
    readonly conditions: readonly elbv2.RuleCondition[];
    readonly targetGroup: NamedRef;
    readonly tags: Readonly<Record<string, string>>;
  };
  'modify-rule': {
    readonly ruleArn: string;
    readonly port: number;
    readonly priority: number;
    readonly conditions: readonly elbv2.RuleCondition[];
    readonly targetGroup: NamedRef;
  };
  'delete-rule': { readonly ruleArn: string; readonly port: number; readonly priority: number };
  'delete-target-group': { readonly targetGroupArn: string; readonly name: string };
  'delete-load-balancer': { readonly loadBalancerArn: string; readonly name: string };
  /** Nothing to do (action `noop`): the resource already matches, or is not this app's to change. */
  unchanged: Record<string, never>;
}

export type AlbStepKind = keyof AlbPayloads;

/** A step planned by the alb script, narrowed by kind. */
export type AlbStep<K extends AlbStepKind = AlbStepKind> = OwnedStep<typeof ALB_STEP_OWNER, AlbPayloads, K>;

export function albStep<K extends AlbStepKind>(
  kind: K,
  action: StepAction,
  resource: string,
  title: string,
  payload: AlbPayloads[K],
  shapes: { before?: unknown; after?: unknown; outputs?: Readonly<Record<string, string | undefined>> } = {},
): AlbStep<K> {
  return {
    owner: ALB_STEP_OWNER,
    kind,
    action,
    resource,
    title,
    ...(shapes.before === undefined ? {} : { before: shapes.before }),
    ...(shapes.after === undefined ? {} : { after: shapes.after }),
    ...(shapes.outputs === undefined ? {} : { outputs: shapes.outputs }),
    payload,
  } as AlbStep<K>;
}

/** `step` declaring (also) `outputs`: how a planner makes the first step about a resource provide its ARN. */
export function withOutputs<S extends AlbStep>(step: S, outputs: Readonly<Record<string, string | undefined>>): S {
  return { ...step, outputs: { ...step.outputs, ...outputs } };
}

export function unchanged(resource: string, title: string, shape?: unknown): AlbStep<'unchanged'> {
  return albStep('unchanged', 'noop', resource, title, {}, { before: shape, after: shape });
}

/** Host-header and path-pattern conditions in the API's shape. */
export function ruleConditions(hostHeader: readonly string[], pathPattern: readonly string[]): elbv2.RuleCondition[] {
  const conditions: elbv2.RuleCondition[] = [];
  if (hostHeader.length > 0) conditions.push({ Field: 'host-header', HostHeaderConfig: { Values: [...hostHeader] } });
  if (pathPattern.length > 0) conditions.push({ Field: 'path-pattern', PathPatternConfig: { Values: [...pathPattern] } });
  return conditions;
}

export function tagList(tags: Readonly<Record<string, string>>): elbv2.Tag[] {
  return Object.entries(tags).map(([Key, Value]) => ({ Key, Value }));
}

export function attributeList(attrs: Readonly<Record<string, string>>): { Key: string; Value: string }[] {
  return Object.entries(attrs).map(([Key, Value]) => ({ Key, Value }));
}
