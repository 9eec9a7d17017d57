/**
 * The deploy action end to end over a scripted ECS: apply → wait → (on failure) automatic rollback, on virtual
 * time. The pieces are tested alone in test/unit/schedulers/ecs; this checks the action wires them together.
 */
import { expect } from 'chai';
import { deploy } from '../../../lib/actions/deploy.js';
import { loadApp } from '../../../lib/actions/load-app.js';
import type { ecs } from '../../../lib/aws/ports.js';
import type { AppModel } from '../../../lib/definition/model.js';
import { buildTaskDefinition } from '../../../lib/schedulers/ecs/task-definition.js';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import { AbortedError, DeploymentError } from '../../../lib/errors.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { createVirtualTime } from '../../../lib/util/sleep.js';
import { awsError, deployment, FakeEcs, service, taskDefArn } from '../../helpers/fake-ecs.js';
import { fixture } from '../../helpers/paths.js';

const REV1 = taskDefArn('hello', 1);
const REV2 = taskDefArn('hello', 2);

function scriptedEcs(rolloutOfRev2: 'COMPLETED' | 'FAILED', rollback: 'COMPLETED' | 'FAILED' = 'COMPLETED'): FakeEcs {
  const stable = service({ taskDefinition: REV1, deployments: [deployment({ id: 'ecs-svc/old', taskDefinition: REV1, runningCount: 1, rolloutState: 'COMPLETED' })] });
  const rollingOut = service({ taskDefinition: REV2, deployments: [deployment({ id: 'ecs-svc/new', taskDefinition: REV2, rolloutState: 'IN_PROGRESS' })] });
  const afterRollout = service({
    taskDefinition: REV2,
    deployments: [deployment({ id: 'ecs-svc/new', taskDefinition: REV2, runningCount: rolloutOfRev2 === 'COMPLETED' ? 1 : 0, rolloutState: rolloutOfRev2, rolloutStateReason: 'tasks failed to start' })],
  });
  const rollingBack = service({ taskDefinition: REV1, deployments: [deployment({ id: 'ecs-svc/back', taskDefinition: REV1, rolloutState: 'IN_PROGRESS' })] });
  const rolledBack = service({
    taskDefinition: REV1,
    deployments: [deployment({ id: 'ecs-svc/back', taskDefinition: REV1, runningCount: rollback === 'COMPLETED' ? 1 : 0, rolloutState: rollback, rolloutStateReason: 'still broken' })],
  });
  return new FakeEcs()
    .enqueue('describeServices', { services: [stable] }, { services: [rollingOut] }, { services: [afterRollout] }, { services: [rolledBack] })
    // The family's latest revision differs from the definition (another image): a new revision is needed.
    .enqueue('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'))
    .enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: REV2 } })
    .enqueue('updateService', { service: rollingOut }, { service: rollingBack })
    .enqueue('deregisterTaskDefinition', { taskDefinition: { taskDefinitionArn: REV2, status: 'INACTIVE' } })
    .fallback('listTasks', { taskArns: [] })
    .fallback('describeTasks', { tasks: [], failures: [] });
}

/** Revision 1 as ECS would describe it after registering exactly what the fixture asks for. */
async function liveRevision1(): Promise<ecs.TaskDefinition> {
  const loaded = await loadApp({ file: fixture('actions', 'hello.jsonnet'), io: new RecordingIoHost(), aws: () => awsClientsFromPorts({}), providerMode: 'placeholder', envMode: 'none' });
  const input = buildTaskDefinition(loaded.model as AppModel, { family: 'hello' });
  return { ...input, taskDefinitionArn: REV1, revision: 1, status: 'ACTIVE' } as ecs.TaskDefinition;
}

async function run(ecs: FakeEcs, timeoutMs = 600_000) {
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  const promise = deploy({
    source: { file: fixture('actions', 'hello.jsonnet') },
    io,
    awsFor: () => () => awsClientsFromPorts({ ecs }),
    timeoutMs,
    clock: time.clock,
    sleep: time.sleep,
  });
  return { io, promise };
}

describe('deploy action, rollout', () => {
  it('registers, updates, waits for the new deployment and reports completion', async () => {
    const ecs = scriptedEcs('COMPLETED');
    const { io, promise } = await run(ecs);
    await promise;
    expect(ecs.methods().filter((m) => !m.startsWith('describe') && !m.startsWith('list'))).to.deep.equal(['registerTaskDefinition', 'updateService']);
    expect(ecs.callsOf('updateService')[0]!.taskDefinition).to.equal(REV2);
    expect(io.lines).to.include.members([`Registered task definition: ${REV2}`, 'Deployment completed']);
  });

  it('rolls back to the previous revision when the rollout fails, deregisters the failed one, and says so', async () => {
    const ecs = scriptedEcs('FAILED');
    const { io, promise } = await run(ecs);
    let error: unknown;
    try {
      await promise;
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(DeploymentError);
    expect((error as DeploymentError).failure).to.equal('rolled-back');
    expect((error as Error).message).to.include(REV1.split('/').pop()!);
    const updates = ecs.callsOf('updateService').map((u) => u.taskDefinition);
    expect(updates).to.deep.equal([REV2, REV1]);
    expect(ecs.callsOf('deregisterTaskDefinition').map((d) => d.taskDefinition)).to.deep.equal([REV2]);
    expect(io.lines).not.to.include('Deployment completed');
    expect(ecs.pending('describeServices')).to.equal(0);
  });

  it('says the rollout failed and rolled back, with the calls that did it', async () => {
    const ecs = scriptedEcs('FAILED');
    const { io, promise } = await run(ecs);
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DeploymentError).with.property('failure', 'rolled-back');
    expect((err as Error).message).to.equal(`Deployment failed: New deployment is failing: tasks failed to start. Rolled back to ${REV1}`);
    expect(ecs.callsOf('updateService')[1]).to.deep.equal({ cluster: service().clusterArn, service: service().serviceArn, taskDefinition: REV1 });
    expect(ecs.callsOf('deregisterTaskDefinition')[0]).to.deep.equal({ taskDefinition: REV2 });
    expect(io.lines).to.include(`Rolling back to ${REV1}`);
  });

  it('on a first deploy rolls back nothing and deregisters nothing', async () => {
    const created = service({ taskDefinition: REV1, deployments: [deployment({ id: 'ecs-svc/first', taskDefinition: REV1, rolloutState: 'FAILED', rolloutStateReason: 'tasks failed to start' })] });
    const ecs = new FakeEcs()
      .enqueue('describeServices', { services: [] }, { services: [created] })
      .enqueue('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'))
      .enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: REV1 } })
      .enqueue('createService', { service: service({ taskDefinition: REV1, deployments: [deployment({ id: 'ecs-svc/first', taskDefinition: REV1, rolloutState: 'IN_PROGRESS' })] }) })
      .fallback('listTasks', { taskArns: [] })
      .fallback('describeTasks', { tasks: [], failures: [] });
    const { promise } = await run(ecs);
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DeploymentError).with.property('failure', 'failed');
    expect((err as Error).message).to.contain("Nothing to roll back to: this was the service's first deployment");
    expect(ecs.methods().filter((m) => m === 'updateService' || m === 'deregisterTaskDefinition')).to.deep.equal([]);
  });

  it('does not roll back when this run registered no revision; a timeout stays a timeout', async () => {
    const stuck = service({ taskDefinition: REV1, desiredCount: 2, deployments: [deployment({ id: 'ecs-svc/same', taskDefinition: REV1, desiredCount: 2, rolloutState: 'IN_PROGRESS' })] });
    const ecs = new FakeEcs()
      .enqueue('describeServices', { services: [service({ taskDefinition: REV1, desiredCount: 2 })] })
      .enqueue('describeTaskDefinition', { taskDefinition: await liveRevision1(), tags: [] })
      .enqueue('updateService', { service: stuck })
      .fallback('describeServices', { services: [stuck] })
      .fallback('listTasks', { taskArns: [] })
      .fallback('describeTasks', { tasks: [], failures: [] });
    const { promise } = await run(ecs, 60_000);
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DeploymentError).with.property('failure', 'timed-out');
    expect((err as Error).message).to.equal('Deployment timed out: Timed out after 1m00s');
    expect(ecs.methods().filter((m) => m === 'registerTaskDefinition' || m === 'deregisterTaskDefinition')).to.deep.equal([]);
    expect(ecs.callsOf('updateService')).to.have.length(1);
  });

  it('says so when the rollback itself does not complete', async () => {
    const ecs = scriptedEcs('FAILED', 'FAILED');
    const { promise } = await run(ecs);
    const err = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DeploymentError).with.property('failure', 'failed');
    expect((err as Error).message).to.contain('did not complete either: New deployment is failing: still broken');
  });

  it('Ctrl-C during the wait ends with 130 and says the ECS deployment goes on, with the commands to watch or undo it', async () => {
    const rollingOut = service({ taskDefinition: REV2, deployments: [deployment({ id: 'ecs-svc/new', taskDefinition: REV2, rolloutState: 'IN_PROGRESS' })] });
    const ecs = new FakeEcs()
      .enqueue('describeServices', { services: [service({ taskDefinition: REV1 })] })
      .enqueue('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'))
      .enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: REV2 } })
      .enqueue('updateService', { service: rollingOut })
      .fallback('describeServices', { services: [rollingOut] });
    const io = new RecordingIoHost();
    const time = createVirtualTime();
    const controller = new AbortController();
    time.onSleep = (_ms, now) => {
      if (now > 5000) controller.abort();
    };
    const err = await deploy({
      source: { file: fixture('actions', 'hello.jsonnet') },
      io,
      awsFor: () => () => awsClientsFromPorts({ ecs }),
      clock: time.clock,
      sleep: time.sleep,
      signal: controller.signal,
    }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(AbortedError).with.property('exitCode', 130);
    expect((err as Error).message).to.equal('Interrupted: the ECS deployment of hello to hello:2 goes on without hako');
    expect((err as AbortedError).hint).to.contain('hako rollback').and.to.contain('hako status');
    expect(ecs.methods().filter((m) => m === 'updateService')).to.have.length(1);
  });
});
