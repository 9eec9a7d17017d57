/**
 * A scripted fake of our EcsApi port. Each method answers from its own queue, in order; a queued entry is a
 * response, an Error to throw, or a function of the input. When a queue is empty the method's fallback answers
 * (if set), else the call fails loudly so a test never passes on an unplanned call.
 */
import { ECS_MUTATING_METHODS, type EcsApi, type ecs } from '../../lib/aws/ports.js';
import { awsError } from './aws-errors.js';

export type EcsMethod = keyof EcsApi;
type Input<M extends EcsMethod> = Parameters<EcsApi[M]>[0];
type Output<M extends EcsMethod> = Awaited<ReturnType<EcsApi[M]>>;
/** Responses may omit `$metadata`; the fake fills it in. */
type Answer<M extends EcsMethod> = Omit<Output<M>, '$metadata'> | Error | ((input: Input<M>) => Omit<Output<M>, '$metadata'> | Promise<Omit<Output<M>, '$metadata'>>);

export interface EcsCall {
  method: EcsMethod;
  input: unknown;
}

export interface FakeEcsOptions {
  /** Any mutating call throws (for dry-run tests). */
  forbidMutations?: boolean;
}

export { awsError };

export class FakeEcs implements EcsApi {
  readonly calls: EcsCall[] = [];
  private readonly queues = new Map<EcsMethod, unknown[]>();
  private readonly fallbacks = new Map<EcsMethod, unknown>();

  constructor(private readonly options: FakeEcsOptions = {}) {}

  /** Appends answers to the method's queue. */
  enqueue<M extends EcsMethod>(method: M, ...answers: Answer<M>[]): this {
    const q = this.queues.get(method) ?? [];
    q.push(...answers);
    this.queues.set(method, q);
    return this;
  }

  /** Answers every call once the queue is empty (a steady state, e.g. a rollout stuck IN_PROGRESS). */
  fallback<M extends EcsMethod>(method: M, answer: Answer<M>): this {
    this.fallbacks.set(method, answer);
    return this;
  }

  callsOf<M extends EcsMethod>(method: M): Input<M>[] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input as Input<M>);
  }

  methods(): EcsMethod[] {
    return this.calls.map((c) => c.method);
  }

  /** Answers still queued (a test can assert its whole script was consumed). */
  pending(method: EcsMethod): number {
    return this.queues.get(method)?.length ?? 0;
  }

  private async answer(method: EcsMethod, input: unknown): Promise<never> {
    this.calls.push({ method, input });
    if (this.options.forbidMutations && (ECS_MUTATING_METHODS as readonly string[]).includes(method)) {
      throw new Error(`FakeEcs: mutating call ${method} is forbidden in this test`);
    }
    const q = this.queues.get(method);
    let a: unknown;
    if (q && q.length > 0) a = q.shift();
    else if (this.fallbacks.has(method)) a = this.fallbacks.get(method);
    else throw new Error(`FakeEcs: unexpected call ${method}(${JSON.stringify(input)})`);
    if (a instanceof Error) throw a;
    const out: unknown = typeof a === 'function' ? await (a as (i: unknown) => unknown)(input) : a;
    return { $metadata: {}, ...(out as object) } as never;
  }

  describeServices(input: Input<'describeServices'>) { return this.answer('describeServices', input); }
  describeTaskDefinition(input: Input<'describeTaskDefinition'>) { return this.answer('describeTaskDefinition', input); }
  listTaskDefinitions(input: Input<'listTaskDefinitions'>) { return this.answer('listTaskDefinitions', input); }
  listTagsForResource(input: Input<'listTagsForResource'>) { return this.answer('listTagsForResource', input); }
  describeTasks(input: Input<'describeTasks'>) { return this.answer('describeTasks', input); }
  listTasks(input: Input<'listTasks'>) { return this.answer('listTasks', input); }
  describeClusters(input: Input<'describeClusters'>) { return this.answer('describeClusters', input); }
  listServices(input: Input<'listServices'>) { return this.answer('listServices', input); }
  describeContainerInstances(input: Input<'describeContainerInstances'>) { return this.answer('describeContainerInstances', input); }
  registerTaskDefinition(input: Input<'registerTaskDefinition'>) { return this.answer('registerTaskDefinition', input); }
  deregisterTaskDefinition(input: Input<'deregisterTaskDefinition'>) { return this.answer('deregisterTaskDefinition', input); }
  createService(input: Input<'createService'>) { return this.answer('createService', input); }
  updateService(input: Input<'updateService'>) { return this.answer('updateService', input); }
  deleteService(input: Input<'deleteService'>) { return this.answer('deleteService', input); }
  runTask(input: Input<'runTask'>) { return this.answer('runTask', input); }
  stopTask(input: Input<'stopTask'>) { return this.answer('stopTask', input); }
}

// ---------------------------------------------------------------------------------------------------------------
// Builders for ECS shapes used across tests.


export const CLUSTER_ARN = 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/default';
export const SERVICE_ARN = 'arn:aws:ecs:ap-northeast-1:123456789012:service/default/hello';

export function taskDefArn(family: string, revision: number): string {
  return `arn:aws:ecs:ap-northeast-1:123456789012:task-definition/${family}:${revision}`;
}

export function deployment(d: Partial<ecs.Deployment> & { taskDefinition: string }): ecs.Deployment {
  return { id: 'ecs-svc/1111', status: 'PRIMARY', desiredCount: 1, runningCount: 0, pendingCount: 0, ...d };
}

export function service(s: Partial<ecs.Service> = {}): ecs.Service {
  return {
    serviceName: 'hello',
    serviceArn: SERVICE_ARN,
    clusterArn: CLUSTER_ARN,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    pendingCount: 0,
    taskDefinition: taskDefArn('hello', 1),
    events: [],
    deployments: [],
    ...s,
  };
}

/** A service event ECS would write; `id` orders them (newer events get larger ids). */
export function event(id: number, message: string): ecs.ServiceEvent {
  return { id: `ev-${id}`, createdAt: new Date(Date.UTC(2024, 0, 1, 0, 0, id)), message };
}
