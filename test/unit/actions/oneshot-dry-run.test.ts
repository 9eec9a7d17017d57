import { expect } from 'chai';
import { oneshot } from '../../../lib/actions/oneshot.js';
import { awsClientsFromPorts } from '../../../lib/aws/static-clients.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { awsError, FakeEcs } from '../../helpers/fake-ecs.js';
import { fixture } from '../../helpers/paths.js';

describe('oneshot action, dry run', () => {
  it('plans the <app>-oneshot family without running anything, and says which hako oneshot options it ignores', async () => {
    const ecs = new FakeEcs({ forbidMutations: true }).fallback('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'));
    const io = new RecordingIoHost();
    const outcome = await oneshot({
      source: { file: fixture('actions', 'batch.jsonnet') },
      io,
      awsFor: () => () => awsClientsFromPorts({ ecs }),
      command: ['rake', 'db:migrate'],
      dryRun: true,
    });
    if (!outcome.dryRun) throw new Error('expected a dry-run outcome');
    expect(outcome.plan.steps.map((s) => s.kind)).to.deep.equal(['register-task-definition']);
    expect((outcome.plan.steps[0]!.payload as { input: { family: string } }).input.family).to.equal('batch-oneshot');
    expect(ecs.methods()).to.deep.equal(['describeTaskDefinition']);
    expect(io.codes()).to.include.members(['ecs.oneshot.notification-unsupported', 'ecs.oneshot.scale-out-unsupported']);
  });
});
