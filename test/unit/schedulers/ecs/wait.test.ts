import { expect } from 'chai';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { AbortedError } from '../../../../lib/errors.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { waitForDeployment, formatDeployments, formatDuration, type WaitContext } from '../../../../lib/schedulers/ecs/wait.js';
import { FakeEcs, awsError, deployment, event, service, taskDefArn } from '../../../helpers/fake-ecs.js';

const NEW = taskDefArn('hello', 2);
const OLD = taskDefArn('hello', 1);

function setup(): { ecs: FakeEcs; io: RecordingIoHost; vt: ReturnType<typeof createVirtualTime>; ctx: WaitContext } {
  const ecs = new FakeEcs();
  const io = new RecordingIoHost();
  const vt = createVirtualTime();
  // random 0.5 = no jitter, so requested sleeps are exact.
  return { ecs, io, vt, ctx: { ecs, io, clock: vt.clock, sleep: vt.sleep, backoff: { random: () => 0.5 } } };
}

const inProgress = (running: number, pending: number, events: ReturnType<typeof event>[] = []) => ({
  services: [
    service({
      events,
      deployments: [
        deployment({ taskDefinition: NEW, desiredCount: 2, runningCount: running, pendingCount: pending, rolloutState: 'IN_PROGRESS' }),
        deployment({ id: 'ecs-svc/0000', status: 'ACTIVE', taskDefinition: OLD, desiredCount: 2, runningCount: 2 - running, rolloutState: 'COMPLETED' }),
      ],
    }),
  ],
});

describe('waitForDeployment', () => {
  it('waits through IN_PROGRESS until the new PRIMARY deployment is COMPLETED, reporting events and counts', async () => {
    const { ecs, io, vt, ctx } = setup();
    const started = service({ events: [event(1, 'old news')] });
    ecs.enqueue(
      'describeServices',
      inProgress(0, 1, [event(2, '(service hello) has started 1 tasks: (task aaaa1111).'), event(1, 'old news')]),
      inProgress(0, 1, [event(2, '(service hello) has started 1 tasks: (task aaaa1111).'), event(1, 'old news')]),
      inProgress(1, 1, [
        event(4, '(service hello) has started 1 tasks: (task bbbb2222).'),
        event(3, '(service hello) registered 1 targets'),
        event(2, '(service hello) has started 1 tasks: (task aaaa1111).'),
      ]),
      { services: [service({ deployments: [deployment({ taskDefinition: NEW, desiredCount: 2, runningCount: 2, rolloutState: 'COMPLETED' })] })] },
    );

    const outcome = await waitForDeployment(ctx, started, { taskDefinitionArn: NEW, timeoutMs: 600_000, circuitBreaker: false });

    expect(outcome.status).to.equal('completed');
    expect(outcome.startedTaskIds).to.deep.equal(['aaaa1111', 'bbbb2222']);
    expect(ecs.callsOf('describeServices')).to.have.length(4);
    expect(ecs.callsOf('describeServices')[0]).to.deep.equal({ cluster: started.clusterArn, services: [started.serviceArn] });
    // Each event once, oldest first; the event known before the wait is not repeated.
    const events = io.messages.filter((m) => m.code === 'ecs.service.event').map((m) => m.message);
    expect(events).to.deep.equal([
      '2024-01-01 00:00:02Z: (service hello) has started 1 tasks: (task aaaa1111).',
      '2024-01-01 00:00:03Z: (service hello) registered 1 targets',
      '2024-01-01 00:00:04Z: (service hello) has started 1 tasks: (task bbbb2222).',
    ]);
    // Counts only when they change: polls 1 and 2 are identical.
    const progress = io.messages.filter((m) => m.code === 'ecs.deployment.progress').map((m) => m.message);
    expect(progress).to.deep.equal([
      'primary: running 0/2, pending 1 (in progress); active: running 2/2, pending 0',
      'primary: running 1/2, pending 1 (in progress); active: running 1/2, pending 0',
      'primary: running 2/2, pending 0',
    ]);
    expect(vt.sleeps).to.deep.equal([1000, 1500, 2250]);
    expect(io.statuses.at(-1)).to.equal(undefined);
    expect(io.statuses.filter((s) => s !== undefined)).to.have.length(4);
  });

  it('does not complete while the PRIMARY deployment runs another task definition', async () => {
    const { ecs, ctx } = setup();
    ecs.enqueue(
      'describeServices',
      { services: [service({ deployments: [deployment({ taskDefinition: OLD, runningCount: 1, rolloutState: 'COMPLETED' })] })] },
      { services: [service({ deployments: [deployment({ taskDefinition: NEW, runningCount: 1, rolloutState: 'COMPLETED' })] })] },
    );
    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, circuitBreaker: false });
    expect(outcome.status).to.equal('completed');
    expect(ecs.callsOf('describeServices')).to.have.length(2);
  });

  it('without rolloutState, completes when the only deployment runs its desired count', async () => {
    const { ecs, ctx } = setup();
    ecs.enqueue(
      'describeServices',
      {
        services: [
          service({
            deployments: [
              deployment({ taskDefinition: NEW, desiredCount: 1, runningCount: 1 }),
              deployment({ status: 'ACTIVE', taskDefinition: OLD, desiredCount: 0, runningCount: 1 }),
            ],
          }),
        ],
      },
      { services: [service({ deployments: [deployment({ taskDefinition: NEW, desiredCount: 1, runningCount: 0 })] })] },
      { services: [service({ deployments: [deployment({ taskDefinition: NEW, desiredCount: 1, runningCount: 1 })] })] },
    );
    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, circuitBreaker: false });
    expect(outcome.status).to.equal('completed');
    expect(ecs.callsOf('describeServices')).to.have.length(3);
  });

  it('fails on a FAILED rollout with ECS reason and describes the started tasks', async () => {
    const { ecs, io, ctx } = setup();
    ecs.enqueue('describeServices', {
      services: [
        service({
          events: [event(5, '(service hello) has started 1 tasks: (task cccc3333).')],
          deployments: [
            deployment({
              taskDefinition: NEW,
              rolloutState: 'FAILED',
              rolloutStateReason: 'ECS deployment circuit breaker: tasks failed to start.',
            }),
          ],
        }),
      ],
    });
    ecs.enqueue('describeTasks', {
      tasks: [
        {
          taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/default/cccc3333',
          taskDefinitionArn: NEW,
          lastStatus: 'STOPPED',
          stoppedReason: 'Essential container in task exited',
          containers: [
            { name: 'front', lastStatus: 'STOPPED', exitCode: 0 },
            { name: 'app', lastStatus: 'STOPPED', exitCode: 1, reason: 'OutOfMemoryError' },
          ],
        },
      ],
    });

    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, timeoutMs: 60_000, circuitBreaker: true });

    expect(outcome.status).to.equal('failed');
    if (outcome.status === 'completed') return;
    expect(outcome.reason).to.equal('New deployment is failing: ECS deployment circuit breaker: tasks failed to start.');
    expect(ecs.callsOf('describeTasks')[0]).to.deep.equal({ cluster: service().clusterArn, tasks: ['cccc3333'] });
    expect(outcome.tasks[0]?.stoppedReason).to.equal('Essential container in task exited');
    expect(outcome.tasks[0]?.containers.map((c) => [c.name, c.exitCode])).to.deep.equal([
      ['app', 1],
      ['front', 0],
    ]);
    expect(io.lines).to.include('    Container app: last_status=STOPPED exit_code=1 reason="OutOfMemoryError"');
  });

  it('fails when started tasks outnumber twice the desired count (no circuit breaker)', async () => {
    const { ecs, io, ctx } = setup();
    const started = (n: number) => event(n, `(service hello) has started 1 tasks: (task ${String(n).padStart(4, '0')}abcd).`);
    const poll = (evs: ReturnType<typeof event>[]) => ({
      services: [service({ events: evs, deployments: [deployment({ taskDefinition: NEW, desiredCount: 1, rolloutState: 'IN_PROGRESS' })] })],
    });
    ecs.enqueue('describeServices', poll([started(1)]), poll([started(2), started(1)]), poll([started(3), started(2), started(1)]));
    ecs.enqueue('describeTasks', { tasks: [] });

    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, timeoutMs: 600_000, circuitBreaker: false });

    expect(outcome.status).to.equal('failed');
    if (outcome.status === 'completed') return;
    expect(outcome.reason).to.equal('Some started tasks are stopped. It seems new deployment is failing to start');
    expect(outcome.startedTaskIds).to.have.length(3);
    expect(ecs.callsOf('describeServices')).to.have.length(3);
    expect(io.codes()).to.include('ecs.deployment.tasks-stopping');
  });

  it("uses the deployment's failedTasks and lists its stopped tasks when events name none", async () => {
    const { ecs, ctx } = setup();
    ecs.enqueue('describeServices', {
      services: [service({ deployments: [deployment({ id: 'ecs-svc/2222', taskDefinition: NEW, desiredCount: 1, failedTasks: 3, rolloutState: 'IN_PROGRESS' })] })],
    });
    ecs.enqueue('listTasks', { taskArns: ['arn:aws:ecs:ap-northeast-1:123456789012:task/default/dddd'] });
    ecs.enqueue('describeTasks', { tasks: [{ taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/default/dddd', lastStatus: 'STOPPED' }] });

    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, circuitBreaker: false });

    expect(outcome.status).to.equal('failed');
    expect(ecs.callsOf('listTasks')[0]).to.deep.include({ startedBy: 'ecs-svc/2222', desiredStatus: 'STOPPED' });
    if (outcome.status !== 'completed') expect(outcome.tasks.map((t) => t.taskArn)).to.deep.equal(['arn:aws:ecs:ap-northeast-1:123456789012:task/default/dddd']);
  });

  it('with the circuit breaker on, leaves failure to ECS instead of counting started tasks', async () => {
    const { ecs, ctx } = setup();
    const evs = [1, 2, 3, 4].map((n) => event(n, `(service hello) has started 1 tasks: (task ${n}${n}${n}${n}).`)).reverse();
    ecs.enqueue(
      'describeServices',
      { services: [service({ events: evs, deployments: [deployment({ taskDefinition: NEW, desiredCount: 1, failedTasks: 4, rolloutState: 'IN_PROGRESS' })] })] },
      { services: [service({ events: evs, deployments: [deployment({ taskDefinition: NEW, desiredCount: 1, runningCount: 1, rolloutState: 'COMPLETED' })] })] },
    );
    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, circuitBreaker: true });
    expect(outcome.status).to.equal('completed');
  });

  it('times out, and stops polling, once the timeout has passed', async () => {
    const { ecs, io, vt, ctx } = setup();
    ecs.fallback('describeServices', inProgress(0, 1));
    ecs.fallback('describeTasks', { tasks: [] });
    ecs.fallback('listTasks', { taskArns: [] });

    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, timeoutMs: 30_000, circuitBreaker: false });

    expect(outcome.status).to.equal('timed-out');
    if (outcome.status === 'completed') return;
    expect(outcome.reason).to.equal('Timed out after 30s');
    // 1 + 1.5 + 2.25 + 3.375 + 5.063 + 7.594 + 10 = 30.28 s: the 8th poll would be past the limit.
    expect(ecs.callsOf('describeServices')).to.have.length(7);
    expect(vt.clock.now()).to.be.greaterThan(30_000);
    expect(vt.clock.now()).to.be.lessThan(45_000);
    expect(io.codes()).to.include('ecs.deployment.timed-out');
  });

  it('times out on time, not at the next poll, and reports the wait with its limit for the status line', async () => {
    const { ecs, io, vt, ctx } = setup();
    ecs.fallback('describeServices', inProgress(0, 2));
    ecs.fallback('listTasks', { taskArns: [] });
    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, timeoutMs: 2600, circuitBreaker: false });
    expect(outcome.status).to.equal('timed-out');
    // Polls at 0, 1000 and 2500 ms; the next 2250 ms pause is cut at the deadline.
    expect(vt.sleeps).to.deep.equal([1000, 1500, 101]);
    expect(vt.clock.now()).to.equal(2601);
    expect(io.statuses.filter((l) => l !== undefined).length).to.be.greaterThan(0);
  });

  it('backs off harder on ThrottlingException and keeps going', async () => {
    const { ecs, io, vt, ctx } = setup();
    const throttle = awsError('ThrottlingException', 'Rate exceeded');
    ecs.enqueue('describeServices', inProgress(0, 1), throttle, throttle, throttle, {
      services: [service({ deployments: [deployment({ taskDefinition: NEW, desiredCount: 2, runningCount: 2, rolloutState: 'COMPLETED' })] })],
    });

    const outcome = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, circuitBreaker: false });

    expect(outcome.status).to.equal('completed');
    expect(ecs.callsOf('describeServices')).to.have.length(5);
    // First a normal 1 s wait (the next one would be 1.5 s), then doubling from there per throttle.
    expect(vt.sleeps).to.deep.equal([1000, 3000, 6000, 12_000]);
    expect(io.codes().filter((c) => c === 'ecs.throttled')).to.have.length(3);
  });

  it('propagates API errors other than throttling', async () => {
    const { ecs, ctx } = setup();
    ecs.enqueue('describeServices', awsError('AccessDeniedException', 'not allowed'));
    const err = await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, circuitBreaker: false }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(Error).with.property('name', 'AccessDeniedException');
  });

  it('stops with AbortedError when the signal fires, and clears the status line', async () => {
    const { ecs, io, vt, ctx } = setup();
    const ac = new AbortController();
    vt.onSleep = (_ms, now) => {
      if (now > 3000) ac.abort();
    };
    ecs.fallback('describeServices', inProgress(0, 1));
    const err = await waitForDeployment({ ...ctx, signal: ac.signal }, service(), { taskDefinitionArn: NEW, circuitBreaker: false }).catch(
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AbortedError);
    expect(ecs.callsOf('describeServices')).to.have.length(3);
    expect(io.statuses.at(-1)).to.equal(undefined);
  });

  it('polls DescribeServices about 6 times a minute during a long rollout', async () => {
    const { ecs, vt, ctx } = setup();
    ecs.fallback('describeServices', inProgress(1, 1));
    ecs.fallback('listTasks', { taskArns: [] });
    await waitForDeployment(ctx, service(), { taskDefinitionArn: NEW, timeoutMs: 5 * 60_000, circuitBreaker: false });
    const calls = ecs.callsOf('describeServices').length;
    expect(vt.clock.now()).to.be.greaterThan(5 * 60_000);
    // 7 polls in the first 30 s, then one every 10 s.
    expect(calls).to.equal(34);
  });
});

describe('wait formatting', () => {
  it('formats durations and deployment counts', () => {
    expect(formatDuration(5_000)).to.equal('5s');
    expect(formatDuration(65_000)).to.equal('1m05s');
    expect(formatDuration(3_723_000)).to.equal('1h02m03s');
    expect(formatDeployments([deployment({ taskDefinition: NEW, desiredCount: 3, runningCount: 1, pendingCount: 2, failedTasks: 1 })])).to.equal(
      'primary: running 1/3, pending 2, failed 1',
    );
  });
});

describe('waitForDeployment: which deployment is ours', () => {
  it('follows the PRIMARY deployment the update answered with, by id', async () => {
    const ecs = new FakeEcs();
    const io = new RecordingIoHost();
    const vt = createVirtualTime();
    const ctx: WaitContext = { ecs, io, clock: vt.clock, sleep: vt.sleep, backoff: { random: () => 0.5 } };
    const ours = deployment({ id: 'ecs-svc/new', taskDefinition: NEW, rolloutState: 'IN_PROGRESS' });
    ecs.enqueue(
      'describeServices',
      // Someone else's deployment took over: not ours, keep waiting.
      { services: [service({ deployments: [deployment({ id: 'ecs-svc/other', taskDefinition: NEW, runningCount: 1, rolloutState: 'COMPLETED' })] })] },
      { services: [service({ deployments: [{ ...ours, runningCount: 1, rolloutState: 'COMPLETED' }] })] },
    );
    const outcome = await waitForDeployment(ctx, service({ deployments: [ours] }), { taskDefinitionArn: NEW, circuitBreaker: false });
    expect(outcome.status).to.equal('completed');
    expect(ecs.callsOf('describeServices')).to.have.length(2);
  });

  it('records every task a "has started" event names', async () => {
    const ecs = new FakeEcs();
    const io = new RecordingIoHost();
    const vt = createVirtualTime();
    ecs.enqueue('describeServices', {
      services: [
        service({
          events: [event(2, '(service hello) has started 2 tasks: (task 1a2b) (task 3c4d).'), event(1, '(service hello) has stopped 1 running tasks: (task 9f9f).')],
          deployments: [deployment({ taskDefinition: NEW, desiredCount: 2, runningCount: 2, rolloutState: 'COMPLETED' })],
        }),
      ],
    });
    const outcome = await waitForDeployment({ ecs, io, clock: vt.clock, sleep: vt.sleep }, service(), { taskDefinitionArn: NEW, circuitBreaker: false });
    expect(outcome.startedTaskIds).to.deep.equal(['1a2b', '3c4d']);
  });
});
