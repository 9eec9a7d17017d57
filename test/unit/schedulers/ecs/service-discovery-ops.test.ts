import { expect } from 'chai';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { applySdStep, type SdApplyContext } from '../../../../lib/schedulers/ecs/service-discovery/apply.js';
import {
  observeSdRemoval,
  observeSdStatus,
  planSdRemoval,
  renderSdStatus,
  sdServiceIdFromArn,
} from '../../../../lib/schedulers/ecs/service-discovery/ops.js';
import { TEST_RUN_ID } from '../../../helpers/apply-context.js';

/** Applies the Cloud Map steps one by one, as the executor hands them to the ECS scheduler. */
async function applyServiceDiscoverySteps(steps: readonly Step[], ctx: SdApplyContext): Promise<void> {
  for (const step of steps) await applySdStep(step, ctx, TEST_RUN_ID);
}
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { liveService } from './core-fixtures.js';
import { FakeServiceDiscovery } from './fake-service-discovery.js';

const NS = 'ns-1111111111111111';

function withService(): { sd: FakeServiceDiscovery; arn: string; id: string } {
  const sd = new FakeServiceDiscovery();
  sd.addNamespace(NS, 'local');
  const s = sd.addService({ Name: 'web', NamespaceId: NS, DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 60 }] } });
  return { sd, arn: s.Arn!, id: s.Id! };
}

describe('service discovery remove and status (§4.10, §4.11)', () => {
  it('takes the service id after service/ in the registry ARN', () => {
    expect(sdServiceIdFromArn('arn:aws:servicediscovery:ap-northeast-1:012345678901:service/srv-abc')).to.equal('srv-abc');
  });

  it('plans one delete per registered Cloud Map service and skips registries whose service is gone', async () => {
    const { sd, arn, id } = withService();
    const live = liveService({ serviceRegistries: [{ registryArn: arn }, { registryArn: `${arn.replace(id, 'srv-gone')}` }] });
    const observed = await observeSdRemoval(sd, live);
    expect(observed.missing).to.deep.equal(['srv-gone']);
    const plan = planSdRemoval(observed);
    expect(plan.steps.map((s) => [s.owner, s.kind, s.action, s.title])).to.deep.equal([
      ['service-discovery', 'delete-sd-service', 'delete', `Delete service discovery service web (${id})`],
    ]);
    expect(sd.methods().filter((m) => m === 'deleteService')).to.deep.equal([]);
  });

  it('retries DeleteService while the service is in use, then says it deleted it', async () => {
    const { sd, arn, id } = withService();
    sd.deleteInUse = 2;
    const plan = planSdRemoval(await observeSdRemoval(sd, liveService({ serviceRegistries: [{ registryArn: arn }] })));
    const vt = createVirtualTime();
    const io = new RecordingIoHost();
    await applyServiceDiscoverySteps(plan.steps, { serviceDiscovery: sd, io, sleep: vt.sleep, deleteRetryMs: 10_000 });
    expect(sd.count('deleteService')).to.equal(3);
    expect(vt.sleeps).to.deep.equal([10_000, 10_000]);
    expect(io.messages.filter((m) => m.level === 'warn')).to.have.length(2);
    expect(io.lines).to.include(`Deleted service discovery service web (${id})`);
    expect(sd.services.size).to.equal(0);
  });

  it('gives up after the bounded attempts with hako error', async () => {
    const { sd, arn, id } = withService();
    sd.deleteInUse = 100;
    const plan = planSdRemoval(await observeSdRemoval(sd, liveService({ serviceRegistries: [{ registryArn: arn }] })));
    const vt = createVirtualTime();
    const outcome = await applyServiceDiscoverySteps(plan.steps, { serviceDiscovery: sd, io: new RecordingIoHost(), sleep: vt.sleep, deleteAttempts: 3 }).then(
      () => 'resolved',
      (e: Error) => e.message,
    );
    expect(outcome).to.equal(`Unable to delete service discovery service web (${id})`);
    expect(sd.count('deleteService')).to.equal(3);
    expect(sd.services.size).to.equal(1);
  });

  it('status: <service>.<namespace> instance_count=<n>, then each instance', async () => {
    const { sd, arn } = withService();
    const entries = await observeSdStatus(sd, [arn]);
    expect(renderSdStatus(entries)).to.deep.equal(['  web.local instance_count=1', '    i-1 AWS_INSTANCE_IPV4=10.0.0.1']);
  });
});
