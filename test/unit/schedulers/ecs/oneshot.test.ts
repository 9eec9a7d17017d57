import { expect } from 'chai';
import { HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import type { EcsScheduler } from '../../../../lib/definition/model.js';
import type { ecs as ecsTypes } from '../../../../lib/aws/ports.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { buildRunTaskInput, runOneshot, type OneshotContext, type OneshotParams } from '../../../../lib/schedulers/ecs/oneshot.js';
import { buildTaskDefinition } from '../../../../lib/schedulers/ecs/task-definition.js';
import { applyEcs, ecsSchedulerOver, ownerLines } from '../../../helpers/ecs-apply.js';
import { FakeEcs, awsError, taskDefArn } from '../../../helpers/fake-ecs.js';
import { ecsModel } from './core-fixtures.js';

const TASK_ARN = 'arn:aws:ecs:ap-northeast-1:123456789012:task/default/0123abcd';
const TD = taskDefArn('hello-oneshot', 1);

const scheduler: EcsScheduler = {
  type: 'ecs',
  cluster: 'default',
  placement_constraints: [],
  placement_strategy: [],
  dynamic_port_mapping: true,
  tags: {},
  enable_execute_command: false,
};

function setup(): { ecs: FakeEcs; io: RecordingIoHost; vt: ReturnType<typeof createVirtualTime>; ctx: OneshotContext } {
  const ecs = new FakeEcs();
  const io = new RecordingIoHost();
  const vt = createVirtualTime();
  return { ecs, io, vt, ctx: { ecs, io, clock: vt.clock, sleep: vt.sleep, random: () => 0.5 } };
}

function params(p: Partial<OneshotParams> = {}): OneshotParams {
  return {
    model: { scheduler },
    taskDefinitionArn: TD,
    command: ['echo', 'hi'],
    env: [{ name: 'AWESOME', value: '1' }],
    overrides: {},
    noWait: false,
    ...p,
  };
}

const task = (lastStatus: string, containers: ecsTypes.Container[] = []): { tasks: ecsTypes.Task[] } => ({
  tasks: [{ taskArn: TASK_ARN, lastStatus, containers, ...(lastStatus === 'STOPPED' ? { stoppedReason: 'Essential container in task exited' } : {}) }],
});

describe('runOneshot', () => {
  it('sends hako RunTask parameters (§7.3 case 7)', () => {
    expect(buildRunTaskInput(params())).to.deep.equal({
      cluster: 'default',
      taskDefinition: TD,
      overrides: { containerOverrides: [{ name: 'app', command: ['echo', 'hi'], environment: [{ name: 'AWESOME', value: '1' }] }] },
      count: 1,
      placementConstraints: [],
      placementStrategy: [],
      startedBy: 'hako oneshot',
      propagateTags: 'TASK_DEFINITION',
      enableExecuteCommand: false,
    });
    const fargate: EcsScheduler = {
      ...scheduler,
      launch_type: 'FARGATE',
      platform_version: '1.4.0',
      network_configuration: { awsvpc_configuration: { subnets: ['subnet-1'], security_groups: ['sg-1'], assign_public_ip: 'DISABLED' } },
      placement_strategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
    };
    const input = buildRunTaskInput(params({ model: { scheduler: fargate }, overrides: { cpu: 128, memory: 128, memoryReservation: 256 }, env: [{ name: 'NOVALUE' }] }));
    expect(input.overrides?.containerOverrides?.[0]).to.deep.equal({
      name: 'app',
      cpu: 128,
      memory: 128,
      memoryReservation: 256,
      command: ['echo', 'hi'],
      environment: [{ name: 'NOVALUE' }],
    });
    expect(input).to.deep.include({
      launchType: 'FARGATE',
      platformVersion: '1.4.0',
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-1'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
      placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
    });
  });

  it('waits until STOPPED and returns exit code 0, reporting each container', async () => {
    const { ecs, io, vt, ctx } = setup();
    ecs.enqueue('runTask', task('PROVISIONING'));
    ecs.enqueue(
      'describeTasks',
      task('PENDING'),
      task('PENDING'),
      task('PENDING'),
      task('PENDING'),
      task('RUNNING'),
      task('STOPPED', [
        { name: 'app', exitCode: 0 },
        { name: 'log-router', reason: 'CannotPullContainerError' },
      ]),
    );
    const result = await runOneshot(ctx, params());
    expect(result.exitCode).to.equal(0);
    expect(result.stopped).to.equal(false);
    expect(ecs.callsOf('describeTasks')).to.have.length(6);
    expect(ecs.callsOf('describeTasks')[0]).to.deep.equal({ cluster: 'default', tasks: [TASK_ARN] });
    // An unchanged status lets the interval grow; a change halves it.
    expect(vt.sleeps).to.deep.equal([1000, 1000, 1500, 2250, 1688]);
    expect(io.lines).to.include.members([
      `Started task: ${TASK_ARN}`,
      'Oneshot task finished',
      'app has stopped with exit_code=0',
      'log-router has stopped without exit_code: reason=CannotPullContainerError',
    ]);
  });

  it("returns the app container's non-zero exit code", async () => {
    const { ecs, ctx } = setup();
    ecs.enqueue('runTask', task('PENDING'));
    ecs.enqueue('describeTasks', task('STOPPED', [{ name: 'sidecar', exitCode: 0 }, { name: 'app', exitCode: 3 }]));
    expect((await runOneshot(ctx, params())).exitCode).to.equal(3);
  });

  it('returns 127 when the app container has no exit code', async () => {
    const { ecs, io, ctx } = setup();
    ecs.enqueue('runTask', task('PENDING'));
    ecs.enqueue('describeTasks', task('STOPPED', [{ name: 'app', reason: 'OutOfMemoryError: Container killed' }]));
    expect((await runOneshot(ctx, params())).exitCode).to.equal(127);
    expect(io.lines).to.include('app has stopped without exit_code: reason=OutOfMemoryError: Container killed');
  });

  it('on abort stops the task, waits for STOPPED and returns 130 when the app has no exit code', async () => {
    const { ecs, io, vt, ctx } = setup();
    const ac = new AbortController();
    vt.onSleep = (_ms, now) => {
      if (now >= 2000) ac.abort();
    };
    ecs.enqueue('runTask', task('PENDING'));
    ecs.enqueue('describeTasks', task('RUNNING'), task('RUNNING'), task('STOPPING'), task('STOPPED', [{ name: 'app' }]));
    ecs.enqueue('stopTask', {});

    const result = await runOneshot(ctx, params({ signal: ac.signal }));

    expect(result.exitCode).to.equal(130);
    expect(result.stopped).to.equal(true);
    expect(ecs.callsOf('stopTask')).to.deep.equal([{ cluster: 'default', task: TASK_ARN, reason: 'Stopped by hako stop_oneshot' }]);
    expect(ecs.methods()).to.deep.equal(['runTask', 'describeTasks', 'describeTasks', 'stopTask', 'describeTasks', 'describeTasks']);
    expect(io.lines).to.include(`Stopping ${TASK_ARN}`);
  });

  // Ctrl-C interrupts the run: the app's code is what StopTask's SIGTERM made of it, not the command's result.
  it('on abort returns 130 even when the app has an exit code', async () => {
    const { ecs, ctx } = setup();
    const ac = new AbortController();
    ecs.enqueue('runTask', task('PENDING'));
    ecs.enqueue('describeTasks', (() => {
      ac.abort();
      return task('RUNNING');
    }) as never, task('STOPPED', [{ name: 'app', exitCode: 143 }]));
    ecs.enqueue('stopTask', {});
    const result = await runOneshot(ctx, params({ signal: ac.signal }));
    expect(result).to.deep.include({ exitCode: 130, stopped: true });
  });

  it('with --no-wait returns the task information without waiting', async () => {
    const { ecs, ctx } = setup();
    ecs.enqueue('runTask', task('PENDING'));
    const result = await runOneshot(ctx, params({ noWait: true }));
    expect(result.data).to.deep.equal({ cluster: 'default', task_arn: TASK_ARN });
    expect(result.exitCode).to.equal(0);
    expect(ecs.callsOf('describeTasks')).to.have.length(0);
  });

  it('reports the failures when no task started', async () => {
    const { ecs, io, ctx } = setup();
    ecs.enqueue('runTask', { tasks: [], failures: [{ arn: 'arn:ci/1', reason: 'RESOURCE:MEMORY' }] });
    const err = await runOneshot(ctx, params()).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(HakoError).with.property('message', 'No tasks started: RESOURCE:MEMORY');
    expect(io.lines).to.include('arn:ci/1 RESOURCE:MEMORY');
  });

  it('doubles the interval on throttling and reports the container instance once', async () => {
    const { ecs, io, vt, ctx } = setup();
    const throttle = awsError('ThrottlingException', 'Rate exceeded');
    ecs.enqueue('runTask', task('PENDING'));
    const ci = 'arn:aws:ecs:ap-northeast-1:123456789012:container-instance/default/ci1';
    const running = { tasks: [{ taskArn: TASK_ARN, lastStatus: 'RUNNING', containerInstanceArn: ci, startedAt: new Date(Date.UTC(2024, 0, 1)) }] };
    ecs.enqueue('describeTasks', running, throttle, throttle, running, task('STOPPED', [{ name: 'app', exitCode: 0 }]));
    ecs.enqueue('describeContainerInstances', { containerInstances: [{ containerInstanceArn: ci, ec2InstanceId: 'i-0abc' }] });
    await runOneshot(ctx, params());
    expect(vt.sleeps).to.deep.equal([1000, 2000, 4000, 4000]);
    expect(ecs.callsOf('describeContainerInstances')).to.have.length(1);
    expect(io.lines).to.include(`Container instance is ${ci} (i-0abc)`);
    expect(io.lines).to.include('Started at 2024-01-01 00:00:00Z');
  });
});

describe('oneshot task definition (planOneshot, then the register step)', () => {
  const model = ecsModel();
  const input = buildTaskDefinition(model, { family: 'ecs-oneshot' });
  const concurrent = () =>
    awsError('ClientException', 'Too many concurrent attempts to create a new revision of the specified family.');
  const oneshotOptions = { command: ['echo', 'hi'], env: [], overrides: {} };

  /** Plans the oneshot family's revision over the fake, then applies the plan as `hako oneshot` does. */
  async function registerOneshot(ecs: FakeEcs, io: RecordingIoHost, sleep?: (ms: number) => Promise<void>) {
    const steps = await ecsSchedulerOver({ ecs }, io).planOneshot!(model, oneshotOptions);
    const journal = await applyEcs(steps, { ecs }, { io, ...(sleep ? { sleep } : {}) });
    return { steps, arn: journal[0]?.outputs['ecs:task-definition:ecs-oneshot:arn'] };
  }

  it("reuses the latest revision when it isn't changed", async () => {
    const { ecs, io } = setup();
    ecs.enqueue('describeTaskDefinition', { taskDefinition: { ...input, taskDefinitionArn: TD } });
    ecs.enqueue('listTagsForResource', { tags: [] });
    const result = await registerOneshot(ecs, io);
    expect(result.arn).to.equal(TD);
    expect(result.steps.map((s) => s.action)).to.deep.equal(['noop']);
    expect(ecs.callsOf('listTagsForResource')[0]).to.deep.equal({ resourceArn: TD });
    expect(ownerLines(io)).to.deep.equal([`Task definition isn't changed: ${TD}`]);
  });

  it('registers when the family has no revision yet (ClientException)', async () => {
    const { ecs, io } = setup();
    ecs.enqueue('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'));
    ecs.enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: TD } });
    expect((await registerOneshot(ecs, io)).arn).to.equal(TD);
  });

  it('retries concurrent-revision conflicts with growing delays', async () => {
    const { ecs, io, vt } = setup();
    ecs.fallback('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'));
    ecs.enqueue('registerTaskDefinition', concurrent(), concurrent(), { taskDefinition: { taskDefinitionArn: taskDefArn('hello-oneshot', 2) } });
    const result = await registerOneshot(ecs, io, vt.sleep);
    expect(result.arn).to.equal(taskDefArn('hello-oneshot', 2));
    expect(ecs.callsOf('registerTaskDefinition')).to.have.length(3);
    // 2 s then 4 s, each with ±50% jitter (many oneshots race for the family: they must not retry in lockstep).
    expect(vt.sleeps).to.have.length(2);
    expect(vt.sleeps[0]!).to.be.within(1000, 3000);
    expect(vt.sleeps[1]!).to.be.within(2000, 6000);
    expect(io.lines.some((l) => l.startsWith('Retrying RegisterTaskDefinition of ecs-oneshot after'))).to.equal(true);
  });

  it('gives up after 10 attempts', async () => {
    const { ecs, io, vt } = setup();
    ecs.fallback('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'));
    ecs.fallback('registerTaskDefinition', concurrent());
    const err = await registerOneshot(ecs, io, vt.sleep).catch((e: unknown) => e);
    expect(err)
      .to.be.instanceOf(HakoError)
      .with.property('message', 'Unable to register task definition ecs-oneshot due to too many client errors');
    expect(ecs.callsOf('registerTaskDefinition')).to.have.length(10);
  });

  it('does not retry other errors', async () => {
    const { ecs, io } = setup();
    ecs.enqueue('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'));
    ecs.enqueue('registerTaskDefinition', awsError('ClientException', 'Container.image should not be null or empty.'));
    const err = await registerOneshot(ecs, io).catch((e: unknown) => e);
    expect((err as Error).message).to.equal('Container.image should not be null or empty.');
    expect(ecs.callsOf('registerTaskDefinition')).to.have.length(1);
  });
});
