/**
 * The route53 script under the one executor: UPSERTs repeated after a lost answer change nothing twice, and a
 * DELETE whose records are already gone — its own first attempt worked but lost its answer, or another remove got
 * there first — ends as done, on Route 53's InvalidChangeBatch and on moto's InvalidInput alike.
 */
import { expect } from 'chai';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { AppModel } from '../../../../lib/definition/model.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { Execution } from '../../../../lib/plan/executor.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { route53ConfigSchema } from '../../../../lib/scripts/route53/config.js';
import { createRoute53Script } from '../../../../lib/scripts/route53/index.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { applyContext } from '../../../helpers/apply-context.js';
import { FakeLoadBalancers, FakeRoute53 } from '../../../helpers/fake-route53.js';

const raw = { hosted_zone: 'example.com', records: [{ name: 'www', type: 'TXT', value: 'hello' }] };

function world() {
  const r53 = new FakeRoute53();
  r53.changeStatus = 'INSYNC';
  const zoneId = r53.addZone('example.com');
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  const aws = awsClientsFromPorts({ route53: r53, elbv2: new FakeLoadBalancers().port() });
  const model = { id: 'hello', file: '/defs/hello.jsonnet', root_path: '/defs', scripts: [{ type: 'route53', config: raw }] } as unknown as AppModel;
  const script = createRoute53Script(route53ConfigSchema.parse(raw), { appId: 'hello', rootPath: '/defs', aws: () => aws, io, dryRun: false }, { sleep: time.sleep });
  const run = async (steps: Step[], keepGoing = false) => {
    const execution = new Execution({
      context: applyContext({ io, aws: () => aws, sleep: time.sleep, clock: time.clock }),
      applierFor: () => ({ apply: script.apply! }),
      keepGoing,
    });
    await execution.run(steps);
    return execution;
  };
  const records = () => r53.all(zoneId).filter((s) => s.Type === 'TXT').map((s) => s.Name);
  return { r53, io, script, model, run, records };
}

describe('route53 script under the executor', () => {
  it('repeats an UPSERT whose answer was lost: the records exist once', async () => {
    const w = world();
    w.r53.loseChangeAnswers = 1;
    const execution = await w.run(await w.script.plan!(w.model, { forOneshot: false }));
    expect(execution.journal.map((e) => `${e.status}:${e.attempts}`)).to.deep.equal(['applied:2']);
    expect(w.records()).to.have.members(['www.example.com.', '_hako-owner.www.example.com.']);
  });

  for (const code of ['InvalidChangeBatch', 'InvalidInput'] as const) {
    it(`a DELETE repeated after its lost answer finds the records gone (${code}) and ends as done`, async () => {
      const w = world();
      w.r53.missingDeleteCode = code;
      await w.run(await w.script.plan!(w.model, { forOneshot: false }));
      const steps = await w.script.planRemove!(w.model);
      w.r53.loseChangeAnswers = 1;
      const execution = await w.run(steps, true);
      expect(execution.journal.map((e) => `${e.step.kind}:${e.status}:${e.attempts}`)).to.deep.equal(['delete-records:applied:2']);
      expect(execution.left).to.deep.equal([]);
      expect(w.records()).to.deep.equal([]);
      expect(w.io.codes()).to.include('route53.records.gone');
      expect(w.io.lines).to.include('DNS records in example.com. were already gone: www.example.com. TXT, _hako-owner.www.example.com. TXT');
    });
  }

  it('a DELETE planned before another remove deleted the records ends as done', async () => {
    const w = world();
    await w.run(await w.script.plan!(w.model, { forOneshot: false }));
    const planned = await w.script.planRemove!(w.model);
    await w.run(await w.script.planRemove!(w.model));
    const execution = await w.run(planned, true);
    expect(execution.journal.map((e) => e.status)).to.deep.equal(['applied']);
    expect(execution.left).to.deep.equal([]);
  });
});
