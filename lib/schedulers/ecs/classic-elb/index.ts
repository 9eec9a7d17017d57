/**
 * `scheduler.elb`, the classic load balancer: a part of the ECS scheduler (like service-discovery/ and
 * autoscaling/), planned and applied through it. Deploy plans its steps before the ECS steps — the service is
 * created bound to it, ECS checking that it exists — and decides the instance port the task definition maps;
 * remove deletes it after the service when this app created it; status shows where it forwards.
 */
import type { AwsClients } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import type { Step } from '../../../plan/plan.js';
import type { StatusSection } from '../../scheduler.js';
import type { EcsObserved } from '../observe.js';
import { classicElbSettings } from './config.js';
import { resolveStaticPort, withHostPort, type StaticPort } from '../static-host-port.js';
import { describeClassicElb, observeClassicElb } from './observe.js';
import { planClassicElbDeploy, planClassicElbRemove } from './plan.js';

export { applyClassicElbStep, isClassicElbGone, reconcileClassicElbStep } from './apply.js';
export { classicBinding } from './binding.js';
export { checkClassicElb } from './config.js';
export { CLASSIC_ELB_STEP_OWNER } from './plan.js';

export interface ClassicElbDeploy {
  /** The model the ECS planner works from: the bound container's host port is the instance port. */
  readonly model: AppModel;
  readonly steps: readonly Step[];
  readonly warnings: readonly string[];
  readonly instancePort?: StaticPort;
}

/** Observes and plans the classic load balancer's part of a deploy (nothing without `scheduler.elb`). Reads only. */
export async function planClassicElbForDeploy(model: AppModel, aws: AwsClients, ecsObserved: EcsObserved): Promise<ClassicElbDeploy> {
  const s = classicElbSettings(model);
  if (s === undefined) return { model, steps: [], warnings: [] };
  const observed = await observeClassicElb(await aws.elb(), s.name, { crossZone: s.crossZone !== undefined });
  // The instance port (../static-host-port.ts): what an existing load balancer forwards to is what the tasks must
  // listen on.
  const balancerPort = observed.loadBalancer?.ListenerDescriptions?.map((d) => d.Listener?.InstancePort).find((p) => p !== undefined && p > 0);
  const instancePort = await resolveStaticPort(await aws.ecs(), model, s, ecsObserved, balancerPort);
  const plan = planClassicElbDeploy(s, observed, instancePort.port, model.file);
  return { model: withHostPort(model, s, instancePort.port), steps: plan.steps, warnings: plan.warnings, instancePort };
}

/**
 * The classic load balancer's part of `remove`, applied after the service's delete step `afterStep` (undefined when
 * there is no service). Reads only.
 */
export async function planClassicElbForRemove(model: AppModel, aws: AwsClients, afterStep: string | undefined): Promise<readonly Step[]> {
  const s = classicElbSettings(model);
  if (s === undefined) return [];
  return planClassicElbRemove(s, await observeClassicElb(await aws.elb(), s.name, { tags: true }), afterStep);
}

/** hako's status lines: `<dns>:<port> -> <container>:<port>` per listener (no lines when it does not exist). */
export async function classicElbStatus(model: AppModel, aws: AwsClients): Promise<StatusSection | undefined> {
  const s = classicElbSettings(model);
  if (s === undefined) return undefined;
  const lb = await describeClassicElb(await aws.elb(), s.name);
  const lines = (lb?.ListenerDescriptions ?? []).map((d) => `  ${lb?.DNSName ?? s.name}:${d.Listener?.LoadBalancerPort ?? '?'} -> ${s.containerName}:${s.containerPort}`);
  return { header: 'Load balancer:', lines };
}
