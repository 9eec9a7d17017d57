/**
 * `hako rollback` end to end over a scripted ECS: plan the target, apply through the executor, wait.
 */
import { expect } from 'chai';
import { rollback } from '../../../lib/actions/service-ops.js';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { createVirtualTime } from '../../../lib/util/sleep.js';
import { ownerLines } from '../../helpers/ecs-apply.js';
import { deployment, FakeEcs, service, taskDefArn } from '../../helpers/fake-ecs.js';
import { fixture } from '../../helpers/paths.js';

describe('rollback action', () => {
  it('updates the service, deregisters the revision left, waits, and says each thing once', async () => {
    const ecs = new FakeEcs()
      .enqueue('describeServices', { services: [service({ taskDefinition: taskDefArn('hello', 3) })] })
      .enqueue('listTaskDefinitions', { taskDefinitionArns: [taskDefArn('hello', 3), taskDefArn('hello', 2)] })
      .enqueue('updateService', { service: service({ taskDefinition: taskDefArn('hello', 2) }) })
      .enqueue('deregisterTaskDefinition', {})
      .enqueue(
        'describeServices',
        { services: [service({ deployments: [deployment({ taskDefinition: taskDefArn('hello', 2), rolloutState: 'IN_PROGRESS' })] })] },
        { services: [service({ deployments: [deployment({ taskDefinition: taskDefArn('hello', 2), runningCount: 1, rolloutState: 'COMPLETED' })] })] },
      );
    const io = new RecordingIoHost();
    const time = createVirtualTime();
    await rollback({ source: { file: fixture('actions', 'hello.jsonnet') }, io, awsFor: () => () => awsClientsFromPorts({ ecs }), clock: time.clock, sleep: time.sleep });

    expect(ecs.callsOf('updateService')[0]).to.deep.equal({ cluster: service().clusterArn, service: service().serviceArn, taskDefinition: taskDefArn('hello', 2) });
    expect(ecs.callsOf('deregisterTaskDefinition')[0]).to.deep.equal({ taskDefinition: taskDefArn('hello', 3) });
    expect(ecs.callsOf('describeServices')).to.have.length(3);
    // What the CLI prints in text: the owners' lines (the executor's step events show only with --verbose).
    const count = (line: string): number => ownerLines(io).filter((l) => l === line).length;
    expect(count(`Current task definition is hello:3. Rolling back to ${taskDefArn('hello', 2)}`)).to.equal(1);
    expect(count(`Updated service: ${service().serviceArn}`)).to.equal(1);
    expect(count('Deployment completed')).to.equal(1);
  });
});
