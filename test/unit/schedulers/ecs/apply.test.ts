import { expect } from 'chai';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { outputRef } from '../../../../lib/plan/outputs.js';
import { rolloutOf } from '../../../../lib/schedulers/ecs/apply.js';
import type {
  CreateServicePayload,
  RegisterTaskDefinitionPayload,
  ServiceUnchangedPayload,
  TaskDefinitionUnchangedPayload,
  UpdateServicePayload,
} from '../../../../lib/schedulers/ecs/steps.js';
import { appliedRollout, applyEcs, ownerLines } from '../../../helpers/ecs-apply.js';
import { FakeEcs, SERVICE_ARN, service, taskDefArn } from '../../../helpers/fake-ecs.js';

/** applyEcsSteps as it was: the steps applied in order, and what they started. */
async function applyEcsSteps(steps: Step[], ctx: { ecs: FakeEcs; io: RecordingIoHost; outputs?: Record<string, string> }) {
  return appliedRollout(await applyEcs(steps, { ecs: ctx.ecs }, { io: ctx.io, ...(ctx.outputs ? { outputs: ctx.outputs } : {}) }));
}

const register = (previousArn?: string): Step<RegisterTaskDefinitionPayload> => ({
  owner: 'ecs',
  kind: 'register-task-definition',
  action: 'create',
  resource: 'task definition hello',
  title: 'Register task definition hello',
  payload: { input: { family: 'hello', containerDefinitions: [{ name: 'app', image: 'busybox' }] }, ...(previousArn ? { previousArn } : {}) },
  outputs: { 'ecs:task-definition:hello:arn': undefined },
});
const tdUnchanged = (arn: string): Step<TaskDefinitionUnchangedPayload> => ({
  owner: 'ecs',
  kind: 'task-definition-unchanged',
  action: 'noop',
  resource: 'task definition hello',
  title: `Task definition isn't changed: ${arn}`,
  payload: { arn },
  outputs: { 'ecs:task-definition:hello:arn': arn },
});
const registered = outputRef('ecs:task-definition:hello:arn', 'new revision of task definition hello');
const update = (fromStep: boolean, current: string, taskDefinition?: string): Step<UpdateServicePayload> => ({
  owner: 'ecs',
  kind: 'update-service',
  action: 'update',
  resource: 'service hello',
  title: 'Update service hello',
  payload: {
    input: { cluster: 'default', service: 'hello', desiredCount: 2 },
    ...(fromStep ? { taskDefinition: registered } : taskDefinition ? { taskDefinition } : {}),
    currentTaskDefinitionArn: current,
  },
});
const create = (loadBalancers: CreateServicePayload['loadBalancers'] = []): Step<CreateServicePayload> => ({
  owner: 'ecs',
  kind: 'create-service',
  action: 'create',
  resource: 'service hello',
  title: 'Create service hello',
  payload: { input: { cluster: 'default', serviceName: 'hello', desiredCount: 1 }, taskDefinition: registered, loadBalancers, serviceRegistries: [] },
});
const svcUnchanged: Step<ServiceUnchangedPayload> = {
  owner: 'ecs',
  kind: 'service-unchanged',
  action: 'noop',
  resource: 'service hello',
  title: "Service isn't changed",
  payload: { serviceArn: SERVICE_ARN },
};

describe('applyEcsSteps', () => {
  it('registers, then updates the service with the new ARN; the previous revision is the one to roll back to', async () => {
    const ecs = new FakeEcs();
    const io = new RecordingIoHost();
    ecs.enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: taskDefArn('hello', 2) } });
    ecs.enqueue('updateService', { service: service({ taskDefinition: taskDefArn('hello', 2) }) });

    const result = await applyEcsSteps([register(taskDefArn('hello', 1)), update(true, taskDefArn('hello', 1))], { ecs, io });

    expect(ecs.callsOf('registerTaskDefinition')[0]).to.deep.equal(register().payload.input);
    expect(ecs.callsOf('updateService')[0]).to.deep.equal({ cluster: 'default', service: 'hello', desiredCount: 2, taskDefinition: taskDefArn('hello', 2) });
    expect(result).to.deep.include({
      registeredArn: taskDefArn('hello', 2),
      taskDefinitionArn: taskDefArn('hello', 2),
      previousTaskDefinitionArn: taskDefArn('hello', 1),
      serviceChanged: true,
    });
    expect(result.service?.serviceArn).to.equal(SERVICE_ARN);
    expect(ownerLines(io)).to.deep.equal([`Registered task definition: ${taskDefArn('hello', 2)}`, `Updated service: ${SERVICE_ARN}`]);
  });

  it('makes no call and reports no change when both are unchanged', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    const io = new RecordingIoHost();
    const result = await applyEcsSteps([tdUnchanged(taskDefArn('hello', 1)), svcUnchanged], { ecs, io });
    expect(ecs.calls).to.have.length(0);
    expect(result).to.deep.equal({ serviceChanged: false, taskDefinitionArn: taskDefArn('hello', 1) });
    expect(ownerLines(io)).to.deep.equal([`Task definition isn't changed: ${taskDefArn('hello', 1)}`, "Service isn't changed"]);
  });

  it('updates with the unchanged task definition (desired count only) and has nothing to roll back to', async () => {
    const ecs = new FakeEcs();
    const io = new RecordingIoHost();
    ecs.enqueue('updateService', { service: service() });
    const arn = taskDefArn('hello', 1);
    const result = await applyEcsSteps([tdUnchanged(arn), update(false, arn, arn)], { ecs, io });
    expect(result.serviceChanged).to.equal(true);
    expect(result.registeredArn).to.equal(undefined);
    expect(result.previousTaskDefinitionArn).to.equal(undefined);
    expect(result.taskDefinitionArn).to.equal(arn);
  });

  it('creates the service with resolved target groups; a created service has no previous revision', async () => {
    const ecs = new FakeEcs();
    const io = new RecordingIoHost();
    ecs.enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: taskDefArn('hello', 4) } });
    ecs.enqueue('createService', { service: service({ taskDefinition: taskDefArn('hello', 4) }) });
    // The alb script's target group step provides the ARN the binding refers to.
    const tgKey = 'alb:target-group:hako-hello:arn';
    const result = await applyEcsSteps(
      [register(taskDefArn('hello', 3)), create([{ targetGroupArn: outputRef(tgKey, 'ARN of target group hako-hello'), containerName: 'front', containerPort: 80 }])],
      { ecs, io, outputs: { [tgKey]: 'arn:tg/hako-hello' } },
    );
    expect(ecs.callsOf('createService')[0]).to.deep.equal({
      cluster: 'default',
      serviceName: 'hello',
      desiredCount: 1,
      taskDefinition: taskDefArn('hello', 4),
      loadBalancers: [{ targetGroupArn: 'arn:tg/hako-hello', containerName: 'front', containerPort: 80 }],
      clientToken: '00000000-0000-4000-8000-000000000001',
    });
    expect(result.previousTaskDefinitionArn).to.equal(undefined);
    expect(result.serviceChanged).to.equal(true);
    expect(io.lines).to.include(`Created service: ${SERVICE_ARN}`);
  });

  it('reads no rollout from steps owned by others', async () => {
    const other: Step = { owner: 'alb', kind: 'create-target-group', action: 'create', resource: 'tg', title: 't', payload: {} };
    const rollout = rolloutOf([{ id: 'alb:x', step: other, status: 'applied', attempts: 1, durationMs: 0, outputs: {} }]);
    expect({ ...rollout, serviceChanged: rollout.service !== undefined }).to.deep.equal({ serviceChanged: false });
  });
});
