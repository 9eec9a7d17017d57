import { expect } from 'chai';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { hasChanges } from '../../../../lib/plan/plan.js';
import type { Plan } from '../../../../lib/plan/plan.js';
import { planRemove, planStop } from '../../../../lib/schedulers/ecs/stop-remove.js';
import { applyEcs, ownerLines } from '../../../helpers/ecs-apply.js';
import { FakeEcs, CLUSTER_ARN, SERVICE_ARN, service } from '../../../helpers/fake-ecs.js';

const model = { id: 'hello', scheduler: { cluster: 'default' } };

/** Applies a stop or remove plan as the commands do: through the executor, the ECS scheduler as owner. */
async function applyStopRemove(ctx: { ecs: FakeEcs; io: RecordingIoHost }, plan: Plan): Promise<void> {
  await applyEcs(plan.steps, { ecs: ctx.ecs }, { io: ctx.io });
}
/** What the CLI prints in text. */
const lines = (io: RecordingIoHost): string[] => ownerLines(io);

describe('stop and remove', () => {
  it('plans a no-op that says the service does not exist, and applies it without calls', async () => {
    for (const plan of [planStop(undefined, model), planRemove(undefined, model)]) {
      expect(hasChanges(plan)).to.equal(false);
      expect(plan.steps.map((s) => s.title)).to.deep.equal(["Service hello doesn't exist"]);
      const ecs = new FakeEcs({ forbidMutations: true });
      const io = new RecordingIoHost();
      await applyStopRemove({ ecs, io }, plan);
      expect(ecs.calls).to.have.length(0);
      expect(lines(io)).to.deep.equal(["Service hello doesn't exist"]);
    }
  });

  it('stop sets the desired count to 0', async () => {
    const plan = planStop(service({ desiredCount: 3 }), model);
    expect(plan.steps[0]).to.deep.include({ action: 'update', before: { desired_count: 3 }, after: { desired_count: 0 } });
    const ecs = new FakeEcs();
    const io = new RecordingIoHost();
    ecs.enqueue('updateService', { service: service({ desiredCount: 0 }) });
    await applyStopRemove({ ecs, io }, plan);
    expect(ecs.callsOf('updateService')).to.deep.equal([{ cluster: CLUSTER_ARN, service: SERVICE_ARN, desiredCount: 0 }]);
    expect(lines(io)).to.deep.equal([`${SERVICE_ARN} is stopped`]);
  });

  it('stop of a service already at 0 is a no-op that says so, applied without calls', async () => {
    const plan = planStop(service({ desiredCount: 0 }), model);
    expect(hasChanges(plan)).to.equal(false);
    expect(plan.steps.map((s) => [s.kind, s.action, s.title])).to.deep.equal([['service-stopped', 'noop', 'Service hello is already stopped (desired count 0)']]);
    const ecs = new FakeEcs({ forbidMutations: true });
    const io = new RecordingIoHost();
    await applyStopRemove({ ecs, io }, plan);
    expect(ecs.calls).to.have.length(0);
    expect(lines(io)).to.deep.equal(['Service hello is already stopped (desired count 0)']);
  });

  it('remove scales to zero, then deletes', async () => {
    const plan = planRemove(service(), model);
    expect(plan.steps.map((s) => [s.kind, s.action])).to.deep.equal([
      ['stop-service', 'update'],
      ['delete-service', 'delete'],
    ]);
    const ecs = new FakeEcs();
    const io = new RecordingIoHost();
    ecs.enqueue('updateService', { service: service({ desiredCount: 0 }) });
    ecs.enqueue('deleteService', { service: service({ status: 'DRAINING' }) });
    await applyStopRemove({ ecs, io }, plan);
    expect(ecs.methods()).to.deep.equal(['updateService', 'deleteService']);
    expect(ecs.callsOf('deleteService')).to.deep.equal([{ cluster: CLUSTER_ARN, service: SERVICE_ARN }]);
    expect(lines(io).at(-1)).to.equal(`${SERVICE_ARN} is deleted`);
    expect(lines(io)).to.not.include(`${SERVICE_ARN} is stopped`);
  });

  it('remove deletes a DAEMON service without scaling it', async () => {
    const plan = planRemove(service({ schedulingStrategy: 'DAEMON' }), model);
    expect(plan.steps.map((s) => s.kind)).to.deep.equal(['delete-service']);
  });
});
