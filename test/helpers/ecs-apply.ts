/**
 * Applies ECS scheduler steps as a deploy does — through the one executor, with the built-in ECS scheduler as
 * their owner — over hand-written fakes of our ports, on virtual time.
 */
import { unwrapStepFailure } from '../../lib/actions/deploy.js';
import type { AwsPorts, ecs } from '../../lib/aws/ports.js';
import { awsClientsFromPorts } from '../../lib/aws/static-clients.js';
import type { IoHost } from '../../lib/io/io-host.js';
import { Execution, type JournalEntry } from '../../lib/plan/executor.js';
import type { Step } from '../../lib/plan/plan.js';
import { rolloutOf } from '../../lib/schedulers/ecs/apply.js';
import { createEcsScheduler } from '../../lib/schedulers/ecs/scheduler.js';
import type { Scheduler } from '../../lib/schedulers/scheduler.js';
import { createVirtualTime, type Sleep } from '../../lib/util/sleep.js';
import { TEST_RUN_ID } from './apply-context.js';

export interface EcsApplyOptions {
  readonly io: IoHost;
  /** Output values earlier steps (of other owners) would have provided, e.g. a target group's ARN. */
  readonly outputs?: Readonly<Record<string, string>>;
  readonly sleep?: Sleep;
  readonly keepGoing?: boolean;
}

/** The ECS scheduler over the given fakes. */
export function ecsSchedulerOver(ports: Partial<AwsPorts>, io: IoHost, sleep?: Sleep): Scheduler {
  const time = createVirtualTime();
  return createEcsScheduler({
    appId: 'hello',
    rootPath: '/defs',
    file: '/defs/hello.jsonnet',
    aws: () => awsClientsFromPorts(ports),
    io,
    dryRun: false,
    clock: time.clock,
    sleep: sleep ?? time.sleep,
    runId: TEST_RUN_ID,
  });
}

/** Applies `steps` with the ECS scheduler as their owner; returns the journal. Throws the first failure. */
export async function applyEcs(steps: readonly Step[], ports: Partial<AwsPorts>, options: EcsApplyOptions): Promise<readonly JournalEntry[]> {
  const time = createVirtualTime();
  const scheduler = ecsSchedulerOver(ports, options.io, options.sleep);
  const execution = new Execution({
    context: { io: options.io, aws: () => awsClientsFromPorts(ports), sleep: options.sleep ?? time.sleep, clock: time.clock, runId: TEST_RUN_ID },
    applierFor: () => scheduler,
    ...(options.keepGoing ? { keepGoing: true } : {}),
  });
  const seeded: Step[] = options.outputs
    ? [{ owner: 'test', kind: 'provided', action: 'noop', resource: 'earlier steps', title: 'Earlier steps', payload: {}, outputs: options.outputs }]
    : [];
  try {
    await execution.run([...seeded, ...steps]);
  } catch (e) {
    // As the actions do: a failed step ends the run with the error its owner threw.
    throw unwrapStepFailure(e);
  }
  return execution.journal.filter((e) => e.step.owner !== 'test');
}

/** What a deploy's applied ECS steps started, in the shape tests assert on. */
export interface AppliedRollout {
  registeredArn?: string;
  taskDefinitionArn?: string;
  previousTaskDefinitionArn?: string;
  service?: ecs.Service;
  /** True when CreateService or UpdateService ran: there is a rollout to wait for. */
  serviceChanged: boolean;
}

export function appliedRollout(journal: readonly JournalEntry[]): AppliedRollout {
  const r = rolloutOf(journal);
  return { ...r, serviceChanged: r.service !== undefined };
}

/** The messages a step's owner printed (without the executor's own `step.*` journal events). */
export function ownerLines(io: { messages: readonly { code: string; message: string }[] }): string[] {
  return io.messages.filter((m) => !m.code.startsWith('step.') || m.code === 'step.unchanged').map((m) => m.message);
}
