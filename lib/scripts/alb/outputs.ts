/**
 * The outputs the alb script's steps provide (lib/plan/outputs.ts): ARNs of what they create, known only after
 * apply. Later alb steps refer to them, and the service's target group binding (contribute.ts) carries a ref to the
 * target group's ARN, so the scheduler binds to what this script created without looking into this module.
 *
 * Only the alb script builds these keys; every other owner sees the refs in its payload or in the model.
 */
import type { StepOutcome } from '../../plan/executor.js';
import { outputRef, type OutputRef } from '../../plan/outputs.js';

/** Key of the target group's ARN. Every deploy plan provides it: known now when the group exists, else after apply. */
export function albTargetGroupArnKey(name: string): string {
  return `alb:target-group:${name}:arn`;
}

export function loadBalancerArnKey(name: string): string {
  return `alb:load-balancer:${name}:arn`;
}

export function loadBalancerVpcKey(name: string): string {
  return `alb:load-balancer:${name}:vpc-id`;
}

export function listenerArnKey(loadBalancerName: string, port: number): string {
  return `alb:listener:${loadBalancerName}:${port}:arn`;
}

export function ruleArnKey(loadBalancerName: string, port: number, priority: number): string {
  return `alb:rule:${loadBalancerName}:${port}:${priority}:arn`;
}

export function targetGroupArnRef(name: string): OutputRef {
  return outputRef(albTargetGroupArnKey(name), `ARN of target group ${name}`);
}

export function loadBalancerArnRef(name: string): OutputRef {
  return outputRef(loadBalancerArnKey(name), `ARN of load balancer ${name}`);
}

export function loadBalancerVpcRef(name: string): OutputRef {
  return outputRef(loadBalancerVpcKey(name), `VPC of load balancer ${name}`);
}

export function listenerArnRef(loadBalancerName: string, port: number): OutputRef {
  return outputRef(listenerArnKey(loadBalancerName, port), `ARN of listener ${loadBalancerName}:${port}`);
}

/**
 * A step's outcome from the values a response told. One without the ARN provides nothing: a step that needs it
 * then fails naming the missing value, instead of running with a hole in it.
 */
export function outcomeOf(entries: Readonly<Record<string, string | undefined>>): StepOutcome {
  return { outputs: Object.fromEntries(Object.entries(entries).filter((e): e is [string, string] => e[1] !== undefined)) };
}
