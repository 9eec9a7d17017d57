/**
 * Applies the ECS steps of a deploy plan, in order: register the task definition, then create or update the
 * service. The only code in a deploy that mutates ECS; dry runs never reach it.
 */
import type { EcsApi, ecs } from '../../aws/ports.js';
import { HakoError } from '../../errors.js';
import { info, type IoHost } from '../../io/io-host.js';
import type { Step } from '../../plan/plan.js';
import {
  ECS_STEP_OWNER,
  resolveCreateServiceInput,
  resolveUpdateServiceInput,
  type EcsPayloads,
  type EcsStepKind,
} from './steps.js';

export interface EcsApplyContext {
  ecs: EcsApi;
  io: IoHost;
  /** Looks up a target group's ARN by name (the `alb` script may have created it earlier in this apply). */
  resolveTargetGroupArn?(name: string): Promise<string>;
  /** ARNs of Cloud Map services created earlier in this apply, by `registryKey` (see `applyServiceDiscoverySteps`). */
  registryArns?: ReadonlyMap<string, string>;
}

export interface EcsApplyResult {
  /** The revision registered by this apply, if one was. */
  registeredArn?: string;
  /** The task definition the service should run once the rollout finishes (what to wait for). */
  taskDefinitionArn?: string;
  /**
   * What a failed rollout rolls back to: the service's task definition before this apply. Absent when the service
   * was created by this apply (a first deploy has nothing to roll back to).
   */
  previousTaskDefinitionArn?: string;
  /** The service as CreateService/UpdateService returned it; absent when the service was left alone. */
  service?: ecs.Service;
  /** True when CreateService or UpdateService ran: there is a rollout to wait for. */
  serviceChanged: boolean;
}

function payloadOf<K extends EcsStepKind>(step: Step, _kind: K): EcsPayloads[K] {
  return step.payload as EcsPayloads[K];
}

/**
 * Executes the `ecs` steps (others are ignored: their owners apply them) and logs hako's phrases. API errors
 * propagate; the caller decides what a half-applied plan means.
 */
export async function applyEcsSteps(steps: readonly Step[], ctx: EcsApplyContext): Promise<EcsApplyResult> {
  const { ecs: api, io } = ctx;
  const result: EcsApplyResult = { serviceChanged: false };
  let createdService = false;
  let previousFromRegister: string | undefined;
  let previousFromUpdate: string | undefined;

  for (const step of steps) {
    if (step.owner !== ECS_STEP_OWNER) continue;
    const kind = step.kind as EcsStepKind;
    switch (kind) {
      case 'register-task-definition': {
        const p = payloadOf(step, kind);
        const res = await api.registerTaskDefinition(p.input);
        const arn = res.taskDefinition?.taskDefinitionArn;
        if (!arn) throw new HakoError('RegisterTaskDefinition returned no task definition ARN', 'ECS_UNEXPECTED_RESPONSE');
        result.registeredArn = arn;
        result.taskDefinitionArn = arn;
        previousFromRegister = p.previousArn;
        info(io, 'ecs.task-definition.registered', `Registered task definition: ${arn}`, { arn, previousArn: p.previousArn });
        break;
      }
      case 'task-definition-unchanged': {
        const p = payloadOf(step, kind);
        result.taskDefinitionArn = p.arn;
        info(io, 'ecs.task-definition.unchanged', `Task definition isn't changed: ${p.arn}`, { arn: p.arn });
        break;
      }
      case 'create-service': {
        const p = payloadOf(step, kind);
        const targetGroupArns = new Map<string, string>();
        for (const lb of p.loadBalancers) {
          if (lb.targetGroupArn !== undefined || targetGroupArns.has(lb.targetGroupName)) continue;
          if (!ctx.resolveTargetGroupArn) {
            throw new HakoError(`Cannot attach target group ${lb.targetGroupName}: its ARN is unknown`, 'ECS_UNRESOLVED_TARGET_GROUP');
          }
          targetGroupArns.set(lb.targetGroupName, await ctx.resolveTargetGroupArn(lb.targetGroupName));
        }
        const input = resolveCreateServiceInput(p, result.registeredArn, targetGroupArns, ctx.registryArns);
        const res = await api.createService(input);
        const service = res.service;
        if (!service) throw new HakoError('CreateService returned no service', 'ECS_UNEXPECTED_RESPONSE');
        result.service = service;
        result.serviceChanged = true;
        result.taskDefinitionArn = service.taskDefinition ?? input.taskDefinition;
        createdService = true;
        info(io, 'ecs.service.created', `Created service: ${service.serviceArn}`, { arn: service.serviceArn });
        break;
      }
      case 'update-service': {
        const p = payloadOf(step, kind);
        const input = resolveUpdateServiceInput(p, result.registeredArn, ctx.registryArns);
        const res = await api.updateService(input);
        const service = res.service;
        if (!service) throw new HakoError('UpdateService returned no service', 'ECS_UNEXPECTED_RESPONSE');
        result.service = service;
        result.serviceChanged = true;
        result.taskDefinitionArn = service.taskDefinition ?? input.taskDefinition ?? result.taskDefinitionArn;
        previousFromUpdate = p.currentTaskDefinitionArn;
        info(io, 'ecs.service.updated', `Updated service: ${service.serviceArn}`, { arn: service.serviceArn });
        break;
      }
      case 'service-unchanged':
        info(io, 'ecs.service.unchanged', "Service isn't changed", { arn: payloadOf(step, kind).serviceArn });
        break;
      default:
        throw new HakoError(`Unknown ECS step kind: ${String(step.kind)}`, 'INTERNAL');
    }
  }

  // A service created in this apply has no earlier state; a revision that existed before it is not "its" previous.
  const previous = createdService ? undefined : (previousFromUpdate ?? previousFromRegister);
  if (previous !== undefined && previous !== result.taskDefinitionArn) result.previousTaskDefinitionArn = previous;
  return result;
}
