/**
 * The deploy action end to end over a scripted ECS: apply → wait → (on failure) automatic rollback, on virtual
 * time. The pieces are tested alone in test/unit/schedulers/ecs; this checks the action wires them together.
 */
import { expect } from 'chai';
import { deploy } from '../../../lib/actions/deploy.js';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import { DeploymentError } from '../../../lib/errors.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { createVirtualTime } from '../../../lib/util/sleep.js';
import { awsError, deployment, FakeEcs, service, taskDefArn } from '../../helpers/fake-ecs.js';
import { fixture } from '../../helpers/paths.js';

const REV1 = taskDefArn('hello', 1);
const REV2 = taskDefArn('hello', 2);

function scriptedEcs(rolloutOfRev2: 'COMPLETED' | 'FAILED'): FakeEcs {
  const stable = service({ taskDefinition: REV1, deployments: [deployment({ id: 'ecs-svc/old', taskDefinition: REV1, runningCount: 1, rolloutState: 'COMPLETED' })] });
  const rollingOut = service({ taskDefinition: REV2, deployments: [deployment({ id: 'ecs-svc/new', taskDefinition: REV2, rolloutState: 'IN_PROGRESS' })] });
  const afterRollout = service({
    taskDefinition: REV2,
    deployments: [deployment({ id: 'ecs-svc/new', taskDefinition: REV2, runningCount: rolloutOfRev2 === 'COMPLETED' ? 1 : 0, rolloutState: rolloutOfRev2, rolloutStateReason: 'tasks failed to start' })],
  });
  const rollingBack = service({ taskDefinition: REV1, deployments: [deployment({ id: 'ecs-svc/back', taskDefinition: REV1, rolloutState: 'IN_PROGRESS' })] });
  const rolledBack = service({ taskDefinition: REV1, deployments: [deployment({ id: 'ecs-svc/back', taskDefinition: REV1, runningCount: 1, rolloutState: 'COMPLETED' })] });
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

async function run(ecs: FakeEcs) {
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  const promise = deploy({
    source: { file: fixture('actions', 'hello.jsonnet') },
    io,
    awsFor: () => () => awsClientsFromPorts({ ecs }),
    timeoutMs: 600_000,
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
});
