import { expect } from 'chai';
import { DeploymentError, HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import {
  applyRollback,
  listActiveRevisions,
  observeRollback,
  parseTaskDefinitionArn,
  planRollback,
  rollbackAfterFailedDeploy,
  type RollbackPayload,
} from '../../../../lib/schedulers/ecs/rollback.js';
import type { WaitContext, WaitFailed } from '../../../../lib/schedulers/ecs/wait.js';
import { FakeEcs, deployment, service, taskDefArn } from '../../../helpers/fake-ecs.js';

function ctxFor(ecs: FakeEcs): { ctx: WaitContext; io: RecordingIoHost } {
  const io = new RecordingIoHost();
  const vt = createVirtualTime();
  return { io, ctx: { ecs, io, clock: vt.clock, sleep: vt.sleep, backoff: { random: () => 0.5 } } };
}

const failed = (reason = 'New deployment is failing: tasks failed to start'): WaitFailed => ({
  status: 'failed',
  reason,
  service: service({ taskDefinition: taskDefArn('hello', 3) }),
  elapsedMs: 10_000,
  startedTaskIds: [],
  tasks: [],
});

async function rejection(p: Promise<unknown>): Promise<unknown> {
  return p.then(
    () => {
      throw new Error('expected a rejection');
    },
    (e: unknown) => e,
  );
}

describe('rollbackAfterFailedDeploy', () => {
  it('rolls back to the previous revision, deregisters the failed one, waits and reports rolled-back', async () => {
    const ecs = new FakeEcs();
    const { ctx, io } = ctxFor(ecs);
    const previous = taskDefArn('hello', 2);
    const failedArn = taskDefArn('hello', 3);
    ecs.enqueue('updateService', { service: service({ taskDefinition: previous }) });
    ecs.enqueue('deregisterTaskDefinition', {});
    ecs.enqueue('describeServices', {
      services: [service({ taskDefinition: previous, deployments: [deployment({ taskDefinition: previous, runningCount: 1, rolloutState: 'COMPLETED' })] })],
    });

    const err = await rejection(
      rollbackAfterFailedDeploy(ctx, {
        service: failed().service,
        previousTaskDefinitionArn: previous,
        failedTaskDefinitionArn: failedArn,
        registeredThisRun: true,
        outcome: failed(),
        timeoutMs: 60_000,
      }),
    );

    expect(err).to.be.instanceOf(DeploymentError).with.property('failure', 'rolled-back');
    expect((err as Error).message).to.equal(
      `Deployment failed: New deployment is failing: tasks failed to start. Rolled back to ${previous}`,
    );
    expect(ecs.methods()).to.deep.equal(['updateService', 'deregisterTaskDefinition', 'describeServices']);
    expect(ecs.callsOf('updateService')[0]).to.deep.equal({ cluster: service().clusterArn, service: service().serviceArn, taskDefinition: previous });
    expect(ecs.callsOf('deregisterTaskDefinition')[0]).to.deep.equal({ taskDefinition: failedArn });
    expect(io.lines).to.include(`Rolling back to ${previous}`);
  });

  it('on a first deploy rolls back nothing and deregisters nothing', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    const { ctx } = ctxFor(ecs);
    const err = await rejection(
      rollbackAfterFailedDeploy(ctx, {
        service: failed().service,
        failedTaskDefinitionArn: taskDefArn('hello', 1),
        registeredThisRun: true,
        outcome: failed(),
      }),
    );
    expect(err).to.be.instanceOf(DeploymentError).with.property('failure', 'failed');
    expect((err as Error).message).to.contain("Nothing to roll back to: this was the service's first deployment");
    expect(ecs.calls).to.have.length(0);
  });

  it('does not roll back a revision this run did not register; a timeout stays a timeout', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    const { ctx } = ctxFor(ecs);
    const outcome: WaitFailed = { ...failed('Timed out after 20m00s'), status: 'timed-out' };
    const err = await rejection(
      rollbackAfterFailedDeploy(ctx, {
        service: outcome.service,
        previousTaskDefinitionArn: taskDefArn('hello', 1),
        failedTaskDefinitionArn: taskDefArn('hello', 1),
        registeredThisRun: false,
        outcome,
      }),
    );
    expect(err).to.be.instanceOf(DeploymentError).with.property('failure', 'timed-out');
    expect((err as Error).message).to.equal('Deployment timed out: Timed out after 20m00s');
    expect(ecs.calls).to.have.length(0);
  });

  it('says so when the rollback itself does not complete', async () => {
    const ecs = new FakeEcs();
    const { ctx } = ctxFor(ecs);
    const previous = taskDefArn('hello', 2);
    ecs.enqueue('updateService', { service: service({ taskDefinition: previous }) });
    ecs.enqueue('deregisterTaskDefinition', {});
    ecs.enqueue('describeServices', {
      services: [service({ deployments: [deployment({ taskDefinition: previous, rolloutState: 'FAILED', rolloutStateReason: 'still broken' })] })],
    });
    ecs.enqueue('listTasks', { taskArns: [] });
    const err = await rejection(
      rollbackAfterFailedDeploy(ctx, {
        service: failed().service,
        previousTaskDefinitionArn: previous,
        failedTaskDefinitionArn: taskDefArn('hello', 3),
        registeredThisRun: true,
        outcome: failed(),
      }),
    );
    expect(err).to.be.instanceOf(DeploymentError).with.property('failure', 'failed');
    expect((err as Error).message).to.contain('did not complete either: New deployment is failing: still broken');
  });
});

describe('planRollback', () => {
  const revs = (...n: number[]) => n.map((r) => taskDefArn('hello', r));

  it('targets the highest ACTIVE revision below the current one, whatever order ECS listed them in', () => {
    const plan = planRollback({ service: service({ taskDefinition: taskDefArn('hello', 5) }), taskDefinitions: revs(5, 1, 3, 10, 2) }, {});
    expect(plan.steps).to.have.length(1);
    const payload = plan.steps[0]?.payload as RollbackPayload;
    expect(payload.taskDefinition).to.equal(taskDefArn('hello', 3));
    expect(payload.deregister).to.equal(taskDefArn('hello', 5));
    expect(plan.steps[0]?.title).to.equal(`Current task definition is hello:5. Rolling back to ${taskDefArn('hello', 3)}`);
    expect(plan.steps[0]?.before).to.deep.equal({ task_definition: 'hello:5' });
    expect(plan.steps[0]?.after).to.deep.equal({ task_definition: 'hello:3' });
  });

  it('compares revisions as numbers (10 is above 9)', () => {
    const plan = planRollback({ service: service({ taskDefinition: taskDefArn('hello', 10) }), taskDefinitions: revs(9, 10, 1) }, {});
    expect((plan.steps[0]?.payload as RollbackPayload).taskDefinition).to.equal(taskDefArn('hello', 9));
  });

  it('targets revision N with --to, and refuses one that is not ACTIVE', () => {
    const observed = { service: service({ taskDefinition: taskDefArn('hello', 5) }), taskDefinitions: revs(1, 2, 5) };
    expect((planRollback(observed, { to: 1 }).steps[0]?.payload as RollbackPayload).taskDefinition).to.equal(taskDefArn('hello', 1));
    expect(() => planRollback(observed, { to: 4 })).to.throw(HakoError, 'hello:4 is not an ACTIVE task definition (ACTIVE revisions: 1, 2, 5)');
    expect(() => planRollback(observed, { to: 5 })).to.throw(HakoError, 'already the current task definition');
  });

  it('refuses to pick a target when the current revision is INACTIVE', () => {
    expect(() => planRollback({ service: service({ taskDefinition: taskDefArn('hello', 5) }), taskDefinitions: revs(1, 2) }, {})).to.throw(
      HakoError,
      'Cannot find rollback target from INACTIVE task_definition!',
    );
  });

  it("reports hako's message when there is no lower revision", () => {
    expect(() => planRollback({ service: service({ taskDefinition: taskDefArn('hello', 1) }), taskDefinitions: revs(1) }, {})).to.throw(
      HakoError,
      `Unable to find rollback target. ${taskDefArn('hello', 1)} is INACTIVE?`,
    );
  });

  it('fails when the service does not exist', () => {
    expect(() => planRollback({ taskDefinitions: [] }, {})).to.throw(HakoError, 'Unable to find service');
  });
});

describe('observeRollback and applyRollback', () => {
  it('pages through ACTIVE revisions and keeps only the exact family', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('listTaskDefinitions', { taskDefinitionArns: [taskDefArn('hello', 1), taskDefArn('hello-oneshot', 4)], nextToken: 't1' });
    ecs.enqueue('listTaskDefinitions', { taskDefinitionArns: [taskDefArn('hello', 2)] });
    expect(await listActiveRevisions(ecs, 'hello')).to.deep.equal([taskDefArn('hello', 1), taskDefArn('hello', 2)]);
    expect(ecs.callsOf('listTaskDefinitions')).to.deep.equal([
      { familyPrefix: 'hello', status: 'ACTIVE' },
      { familyPrefix: 'hello', status: 'ACTIVE', nextToken: 't1' },
    ]);
  });

  it('observes no service when it is INACTIVE', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('describeServices', { services: [service({ status: 'INACTIVE' })] });
    expect(await observeRollback(ecs, 'default', 'hello')).to.deep.equal({ taskDefinitions: [] });
  });

  it('updates the service, deregisters the revision left, waits and logs completion', async () => {
    const ecs = new FakeEcs();
    const { ctx, io } = ctxFor(ecs);
    ecs.enqueue('describeServices', { services: [service({ taskDefinition: taskDefArn('hello', 3) })] });
    ecs.enqueue('listTaskDefinitions', { taskDefinitionArns: [taskDefArn('hello', 3), taskDefArn('hello', 2)] });
    const plan = planRollback(await observeRollback(ecs, 'default', 'hello'));

    ecs.enqueue('updateService', { service: service({ taskDefinition: taskDefArn('hello', 2) }) });
    ecs.enqueue('deregisterTaskDefinition', {});
    ecs.enqueue(
      'describeServices',
      { services: [service({ deployments: [deployment({ taskDefinition: taskDefArn('hello', 2), rolloutState: 'IN_PROGRESS' })] })] },
      { services: [service({ deployments: [deployment({ taskDefinition: taskDefArn('hello', 2), runningCount: 1, rolloutState: 'COMPLETED' })] })] },
    );
    await applyRollback(ctx, plan);

    expect(ecs.callsOf('updateService')[0]).to.deep.equal({
      cluster: service().clusterArn,
      service: service().serviceArn,
      taskDefinition: taskDefArn('hello', 2),
    });
    expect(ecs.callsOf('deregisterTaskDefinition')[0]).to.deep.equal({ taskDefinition: taskDefArn('hello', 3) });
    expect(ecs.callsOf('describeServices')).to.have.length(3);
    expect(io.lines).to.include.members([`Updated service: ${service().serviceArn}`, 'Deployment completed']);
  });

  it('parses task definition ARNs and short names', () => {
    expect(parseTaskDefinitionArn(taskDefArn('my-app_2', 12))).to.deep.equal({ family: 'my-app_2', revision: 12 });
    expect(parseTaskDefinitionArn('hello:3')).to.deep.equal({ family: 'hello', revision: 3 });
    expect(parseTaskDefinitionArn('hello')).to.equal(undefined);
  });
});
