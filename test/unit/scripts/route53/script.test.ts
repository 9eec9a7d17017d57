import { expect } from 'chai';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { AppModel, ScriptEntry } from '../../../../lib/definition/model.js';
import { DefinitionError, DeploymentError, HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { route53ConfigSchema } from '../../../../lib/scripts/route53/config.js';
import { createRoute53Script, type DeleteRecordsPayload, type UpsertRecordsPayload } from '../../../../lib/scripts/route53/index.js';
import type { Script, ScriptContext } from '../../../../lib/scripts/script.js';
import { createVirtualTime, type VirtualTime } from '../../../../lib/util/sleep.js';
import { FakeLoadBalancers, FakeRoute53 } from '../../../helpers/fake-route53.js';
import { applyContext } from '../../../helpers/apply-context.js';

const APP = 'hello';
const LB_DNS = 'hako-hello-123.ap-northeast-1.elb.amazonaws.com';
const LB_ZONE = 'Z14GRHDCWA56QT';

function model(scripts: ScriptEntry[]): AppModel {
  return { id: APP, file: '/defs/hello.jsonnet', root_path: '/defs', scripts } as unknown as AppModel;
}

interface World {
  r53: FakeRoute53;
  zoneId: string;
  lbs: FakeLoadBalancers;
  io: RecordingIoHost;
  vt: VirtualTime;
  model: AppModel;
  script: Script;
  plan(): Promise<Step[]>;
  apply(steps: Step[]): Promise<void>;
  planRemove(): Promise<Step[]>;
  changes(): number;
}

function world(raw: Record<string, unknown>, options: { alb?: Record<string, unknown> | false; appId?: string; waitTimeoutMs?: number } = {}): World {
  const r53 = new FakeRoute53();
  const zoneId = r53.addZone('example.com');
  const lbs = new FakeLoadBalancers();
  const io = new RecordingIoHost();
  const vt = createVirtualTime();
  const aws = awsClientsFromPorts({ route53: r53, elbv2: lbs.port() });
  const context: ScriptContext = { appId: options.appId ?? APP, rootPath: '/defs', aws: () => aws, io, dryRun: false };
  const config = route53ConfigSchema.parse(raw);
  const scripts: ScriptEntry[] = options.alb === false ? [] : [{ type: 'alb', config: options.alb ?? {} }];
  scripts.push({ type: 'route53', config: raw });
  const m = model(scripts);
  const script = createRoute53Script(config, context, { sleep: vt.sleep, waitTimeoutMs: options.waitTimeoutMs ?? 60_000 });
  return {
    r53,
    zoneId,
    lbs,
    io,
    vt,
    model: m,
    script,
    plan: () => script.plan!(m, { forOneshot: false }),
    planRemove: () => script.planRemove!(m),
    async apply(steps) {
      for (const step of steps) await script.apply!(step, applyContext({ io, aws: () => aws }));
    },
    changes: () => r53.callsOf('changeResourceRecordSets').length,
  };
}

async function rejection(p: Promise<unknown>): Promise<unknown> {
  try {
    await p;
  } catch (e) {
    return e;
  }
  throw new Error('expected a rejection');
}

const OWNER_TXT = '"heritage=hako,hako/app=hello"';

describe('route53 script', () => {
  it('first deploy creates an A alias to the load balancer and its ownership TXT, then waits for INSYNC', async () => {
    const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] });
    w.lbs.add('hako-hello', { dnsName: LB_DNS, zoneId: LB_ZONE });
    w.r53.getChangeStatuses = ['PENDING', 'PENDING'];

    const steps = await w.plan();
    expect(steps).to.have.length(1);
    const [step] = steps as [Step];
    expect(step).to.deep.include({ owner: 'route53', kind: 'upsert-records', action: 'create' });
    expect(step.before).to.equal(undefined);
    expect(step.after).to.deep.equal([
      `www.example.com. A ALIAS dualstack.${LB_DNS}.`,
      `_hako-owner.www.example.com. TXT 300 ${OWNER_TXT}`,
    ]);
    expect(w.changes()).to.equal(0);

    await w.apply(steps);
    expect(w.changes()).to.equal(1);
    expect(w.r53.get(w.zoneId, 'www.example.com.', 'A')).to.deep.equal({
      Name: 'www.example.com.',
      Type: 'A',
      AliasTarget: { HostedZoneId: LB_ZONE, DNSName: `dualstack.${LB_DNS}.`, EvaluateTargetHealth: false },
    });
    expect(w.r53.get(w.zoneId, '_hako-owner.www.example.com.', 'TXT')?.ResourceRecords).to.deep.equal([{ Value: OWNER_TXT }]);
    expect(w.r53.callsOf('getChange')).to.have.length(3);
    expect(w.vt.sleeps).to.have.length(3);
    expect(w.io.lines).to.include('Upserted DNS records in example.com.: www.example.com. A, _hako-owner.www.example.com. TXT');
    expect(w.io.lines).to.include('DNS change C1 is INSYNC');
  });

  it('a second plan after apply is a noop and applying it calls nothing', async () => {
    const w = world({ hosted_zone: 'example.com.', records: [{ name: 'www', type: 'A' }, { name: 'www', type: 'AAAA' }] });
    w.lbs.add('hako-hello', { dnsName: LB_DNS });
    await w.apply(await w.plan());
    expect(w.changes()).to.equal(1);
    // One ownership record serves both types at the same name.
    const batch = w.r53.callsOf('changeResourceRecordSets')[0] as { ChangeBatch: { Changes: unknown[] } };
    expect(batch.ChangeBatch.Changes).to.have.length(3);

    const again = await w.plan();
    expect(again.map((s) => s.action)).to.deep.equal(['noop']);
    expect(again[0]?.before).to.deep.equal(again[0]?.after);
    await w.apply(again);
    expect(w.changes()).to.equal(1);
  });

  it('reads zones page by page', async () => {
    const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] });
    w.lbs.add('hako-hello', { dnsName: LB_DNS });
    w.r53.pageSize = 1;
    await w.apply(await w.plan());
    const again = await w.plan();
    expect(again[0]?.action).to.equal('noop');
    expect(w.r53.callsOf('listResourceRecordSets').length).to.be.greaterThan(4);
  });

  it('refuses to change a record that exists without an ownership record', async () => {
    const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] });
    w.lbs.add('hako-hello', { dnsName: LB_DNS });
    w.r53.put(w.zoneId, { Name: 'www.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] });
    const e = await rejection(w.plan());
    expect(e).to.be.instanceOf(HakoError);
    expect((e as Error).message).to.equal('www.example.com. A exists and is not owned by hello; set adopt: true to take it over');
    expect(w.changes()).to.equal(0);
  });

  it('adopts an unowned record with adopt: true', async () => {
    const w = world({ hosted_zone: 'example.com', adopt: true, records: [{ name: 'www', type: 'A' }] });
    w.lbs.add('hako-hello', { dnsName: LB_DNS, zoneId: LB_ZONE });
    w.r53.put(w.zoneId, { Name: 'www.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] });
    const steps = await w.plan();
    expect(steps[0]?.action).to.equal('update');
    expect(steps[0]?.before).to.deep.equal(['www.example.com. A 60 192.0.2.1']);
    await w.apply(steps);
    expect(w.r53.get(w.zoneId, 'www.example.com.', 'A')?.AliasTarget?.DNSName).to.equal(`dualstack.${LB_DNS}.`);
    expect(w.r53.get(w.zoneId, '_hako-owner.www.example.com.', 'TXT')?.ResourceRecords).to.deep.equal([{ Value: OWNER_TXT }]);
    expect((await w.plan())[0]?.action).to.equal('noop');
  });

  it('adopting a record that already matches only writes the ownership record', async () => {
    const w = world({ hosted_zone: 'example.com', adopt: true, records: [{ name: 'www', type: 'A' }] });
    w.lbs.add('hako-hello', { dnsName: LB_DNS, zoneId: LB_ZONE });
    w.r53.put(w.zoneId, {
      Name: 'www.example.com.',
      Type: 'A',
      AliasTarget: { HostedZoneId: LB_ZONE, DNSName: `${LB_DNS.toUpperCase()}`, EvaluateTargetHealth: false },
    });
    const [step] = (await w.plan()) as [Step<UpsertRecordsPayload>];
    expect(step.payload.changes.map((c) => `${c.name} ${c.type}`)).to.deep.equal(['_hako-owner.www.example.com. TXT']);
  });

  it('never touches a record owned by another app, even with adopt', async () => {
    const w = world({ hosted_zone: 'example.com', adopt: true, records: [{ name: 'www', type: 'A' }] });
    w.lbs.add('hako-hello', { dnsName: LB_DNS });
    w.r53.put(w.zoneId, {
      Name: '_hako-owner.www.example.com.',
      Type: 'TXT',
      TTL: 300,
      ResourceRecords: [{ Value: '"heritage=hako,hako/app=other"' }],
    });
    const e = await rejection(w.plan());
    expect((e as Error).message).to.equal('www.example.com. A is owned by app other; hako will not change it');
  });

  it('creates a CNAME to the load balancer DNS name with the given ttl (300 by default)', async () => {
    const w = world({
      hosted_zone: 'example.com',
      records: [
        { name: 'api', type: 'CNAME', ttl: 60 },
        { name: 'app.example.com.', type: 'CNAME' },
      ],
    });
    w.lbs.add('hako-hello', { dnsName: LB_DNS });
    await w.apply(await w.plan());
    expect(w.r53.get(w.zoneId, 'api.example.com.', 'CNAME')).to.deep.equal({
      Name: 'api.example.com.',
      Type: 'CNAME',
      TTL: 60,
      ResourceRecords: [{ Value: `${LB_DNS}.` }],
    });
    expect(w.r53.get(w.zoneId, 'app.example.com.', 'CNAME')?.TTL).to.equal(300);
    expect(w.r53.get(w.zoneId, '_hako-owner.api.example.com.', 'TXT')).to.not.equal(undefined);
  });

  it('writes explicit values without needing a load balancer or an alb script', async () => {
    const w = world(
      {
        hosted_zone: 'example.com',
        records: [
          { name: '@', type: 'TXT', value: 'v=spf1 -all' },
          { name: 'static', type: 'A', ttl: 120, value: ['192.0.2.10', '192.0.2.11'] },
        ],
      },
      { alb: false },
    );
    const steps = await w.plan();
    await w.apply(steps);
    expect(w.lbs.calls).to.have.length(0);
    expect(w.r53.get(w.zoneId, 'example.com.', 'TXT')?.ResourceRecords).to.deep.equal([{ Value: '"v=spf1 -all"' }]);
    expect(w.r53.get(w.zoneId, 'static.example.com.', 'A')).to.deep.include({ TTL: 120 });
    expect(w.r53.get(w.zoneId, '_hako-owner.example.com.', 'TXT')?.ResourceRecords).to.deep.equal([{ Value: OWNER_TXT }]);
    expect((await w.plan())[0]?.action).to.equal('noop');
  });

  it('plans "(known after apply)" when the load balancer does not exist yet, and resolves it at apply time', async () => {
    const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] }, { alb: { load_balancer_name: 'shared-lb' } });
    const steps = await w.plan();
    expect(steps[0]?.after).to.deep.equal([
      'www.example.com. A ALIAS (known after apply: load balancer shared-lb)',
      `_hako-owner.www.example.com. TXT 300 ${OWNER_TXT}`,
    ]);
    // The alb script creates it earlier in the same apply.
    w.lbs.add('shared-lb', { dnsName: 'shared-lb-9.elb.amazonaws.com', zoneId: LB_ZONE });
    await w.apply(steps);
    expect(w.r53.get(w.zoneId, 'www.example.com.', 'A')?.AliasTarget).to.deep.equal({
      HostedZoneId: LB_ZONE,
      DNSName: 'dualstack.shared-lb-9.elb.amazonaws.com.',
      EvaluateTargetHealth: false,
    });
  });

  it('fails clearly at apply when the load balancer still does not exist', async () => {
    const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] });
    const e = await rejection(w.plan().then((steps) => w.apply(steps)));
    expect((e as HakoError).code).to.equal('ROUTE53_LB_NOT_FOUND');
    expect(w.changes()).to.equal(0);
  });

  it('names the record when it needs a load balancer and the model has no alb script', async () => {
    const w = world({ hosted_zone: 'example.com', records: [{ name: 'txt', type: 'TXT', value: 'x' }, { name: 'www', type: 'A' }] }, { alb: false });
    const e = await rejection(w.plan());
    expect(e).to.be.instanceOf(DefinitionError);
    expect((e as DefinitionError).issues.map((i) => i.path)).to.deep.equal(['scripts[0].records[1]']);
    expect(w.r53.calls).to.have.length(0);
  });

  it('rejects a fully qualified name outside the zone', async () => {
    const w = world({ hosted_zone: 'example.com', records: [{ name: 'www.example.org.', type: 'TXT', value: 'x' }] });
    const e = await rejection(w.plan());
    expect((e as DefinitionError).issues.map((i) => i.path)).to.deep.equal(['scripts[1].records[0].name']);
  });

  it('finds the zone by id, and reports a missing zone', async () => {
    const w = world({ hosted_zone_id: '/hostedzone/Z0001FAKE', records: [{ name: 'www', type: 'TXT', value: 'x' }] });
    expect((await w.plan())[0]?.resource).to.equal('DNS records in example.com. (Z0001FAKE)');
    const missing = world({ hosted_zone: 'example.org', records: [{ name: 'www', type: 'TXT', value: 'x' }] });
    expect(((await rejection(missing.plan())) as HakoError).code).to.equal('ROUTE53_ZONE_NOT_FOUND');
  });

  it('does not wait when wait: false', async () => {
    const w = world({ hosted_zone: 'example.com', wait: false, records: [{ name: 'www', type: 'TXT', value: 'x' }] });
    await w.apply(await w.plan());
    expect(w.r53.callsOf('getChange')).to.have.length(0);
    expect(w.io.lines.some((l) => l.includes('INSYNC'))).to.equal(false);
  });

  it('gives up waiting after the timeout', async () => {
    const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'TXT', value: 'x' }] }, { waitTimeoutMs: 30_000 });
    w.r53.getChangeStatuses = Array.from({ length: 100 }, () => 'PENDING' as const);
    const e = await rejection(w.plan().then((steps) => w.apply(steps)));
    expect(e).to.be.instanceOf(DeploymentError);
    expect((e as DeploymentError).failure).to.equal('timed-out');
    expect(w.vt.sleeps.reduce((a, b) => a + b, 0)).to.be.at.most(30_000);
    expect(w.io.statuses.at(-1)).to.equal(undefined);
  });

  describe('planRemove', () => {
    it('deletes only the owned records and their ownership records, leaving the rest', async () => {
      const raw = {
        hosted_zone: 'example.com',
        adopt: false,
        records: [
          { name: 'www', type: 'A' },
          { name: 'legacy', type: 'A' },
          { name: 'gone', type: 'CNAME' },
        ],
      };
      const w = world({ ...raw, records: [{ name: 'www', type: 'A' }] });
      w.lbs.add('hako-hello', { dnsName: LB_DNS });
      await w.apply(await w.plan());
      // Same zone, a wider entry: `legacy` exists without ownership, `gone` does not exist.
      const remover = world(raw);
      for (const set of w.r53.all(w.zoneId)) remover.r53.put(remover.zoneId, set);
      remover.r53.put(remover.zoneId, { Name: 'legacy.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] });
      remover.r53.put(remover.zoneId, { Name: 'other.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.2' }] });

      const steps = await remover.planRemove();
      expect(steps.map((s) => `${s.kind} ${s.action}`)).to.deep.equal(['delete-records delete']);
      expect(steps[0]?.after).to.equal(undefined);
      expect(steps[0]?.before).to.deep.equal([
        `www.example.com. A ALIAS dualstack.${LB_DNS}.`,
        `_hako-owner.www.example.com. TXT 300 ${OWNER_TXT}`,
      ]);
      expect(remover.io.lines).to.include('Leaving legacy.example.com. A in place: it is not owned by hello');
      await remover.apply(steps);

      const left = remover.r53.all(remover.zoneId).map((s) => `${s.Name} ${s.Type}`);
      expect(left).to.have.members(['example.com. SOA', 'example.com. NS', 'legacy.example.com. A', 'other.example.com. A']);
      expect(remover.io.lines).to.include('Deleted DNS records in example.com.: www.example.com. A, _hako-owner.www.example.com. TXT');
      expect(await remover.planRemove()).to.deep.equal([]);
    });

    it('deletes an alias without the TTL some emulators echo for it', async () => {
      const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] });
      const alias = { HostedZoneId: LB_ZONE, DNSName: `dualstack.${LB_DNS}.`, EvaluateTargetHealth: false };
      w.r53.put(w.zoneId, { Name: 'www.example.com.', Type: 'A', TTL: 0, AliasTarget: alias });
      w.r53.put(w.zoneId, { Name: '_hako-owner.www.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: OWNER_TXT }] });
      const steps = await w.planRemove();
      const payload = steps[0]?.payload as DeleteRecordsPayload;
      expect(payload.recordSets[0]).to.deep.equal({ Name: 'www.example.com.', Type: 'A', AliasTarget: alias });
      await w.apply(steps);
      expect(w.r53.get(w.zoneId, 'www.example.com.', 'A')).to.equal(undefined);
    });

    it('plans nothing for records owned by another app', async () => {
      const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] }, { appId: 'other' });
      w.r53.put(w.zoneId, { Name: 'www.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.1' }] });
      w.r53.put(w.zoneId, { Name: '_hako-owner.www.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: OWNER_TXT }] });
      expect(await w.planRemove()).to.deep.equal([]);
    });

    it('retries with the current values when a record changed between plan and apply', async () => {
      const w = world({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'TXT', value: 'one' }] });
      await w.apply(await w.plan());
      const steps = await w.planRemove();
      w.r53.put(w.zoneId, { Name: 'www.example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"two"' }] });
      await w.apply(steps);
      expect(w.r53.all(w.zoneId).map((s) => s.Type)).to.have.members(['SOA', 'NS']);
      expect(w.changes()).to.equal(3);
    });
  });
});
