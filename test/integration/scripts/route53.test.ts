/**
 * The route53 script against moto through createAwsClients: an A alias to a real (emulated) ALB and its
 * ownership TXT record are written, a redeploy changes nothing, remove deletes exactly what the app owns.
 * State is read back with plain SDK clients, not through the code under test.
 */
import { expect } from 'chai';
import {
  ChangeResourceRecordSetsCommand,
  CreateHostedZoneCommand,
  ListResourceRecordSetsCommand,
  Route53Client,
  type ResourceRecordSet,
} from '@aws-sdk/client-route-53';
import { CreateLoadBalancerCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { createAwsClients } from '../../../lib/aws/factory.js';
import type { AwsClients } from '../../../lib/aws/ports.js';
import type { AppModel } from '../../../lib/definition/model.js';
import { HakoError } from '../../../lib/errors.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import type { Step } from '../../../lib/plan/plan.js';
import { route53Script } from '../../../lib/scripts/route53/index.js';
import type { Script } from '../../../lib/scripts/script.js';
import { createSecurityGroup, defaultNetwork, motoClientConfig } from '../harness/aws.js';
import { applyProcessEnv, useMoto } from '../harness/moto.js';
import { applyContext } from '../../helpers/apply-context.js';

const APP = 'dns-app';

describe('integration: route53 script against moto', () => {
  const moto = useMoto();
  let restoreEnv: () => void;
  let aws: AwsClients;
  let io: RecordingIoHost;
  let route53: Route53Client;
  let zoneId: string;
  let lbDnsName: string;
  let lbZoneId: string;

  before(() => {
    restoreEnv = applyProcessEnv({ ...moto.env(), AWS_PROFILE: undefined, AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' });
  });
  after(() => restoreEnv());

  beforeEach(async () => {
    aws = createAwsClients({ region: moto.region(), userAgentVersion: 'integration' });
    io = new RecordingIoHost();
    route53 = new Route53Client(motoClientConfig(moto));
    const zone = await route53.send(new CreateHostedZoneCommand({ Name: 'example.com', CallerReference: `ref-${Date.now()}` }));
    zoneId = zone.HostedZone!.Id!.replace('/hostedzone/', '');

    const { subnetIds } = await defaultNetwork(moto);
    const sg = await createSecurityGroup(moto, `${APP}-lb`);
    const elbv2 = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
    const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: `hako-${APP}`, Subnets: subnetIds, SecurityGroups: [sg] }));
    elbv2.destroy();
    lbDnsName = lb.LoadBalancers![0]!.DNSName!;
    lbZoneId = lb.LoadBalancers![0]!.CanonicalHostedZoneId!;
  });
  afterEach(() => route53.destroy());

  const config = { hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] };
  const model = {
    id: APP,
    file: `/defs/${APP}.jsonnet`,
    root_path: '/defs',
    scripts: [
      { type: 'alb', config: {} },
      { type: 'route53', config },
    ],
  } as unknown as AppModel;

  function script(): Script {
    return route53Script.create(route53Script.configSchema.parse(config), { appId: APP, rootPath: '/defs', aws: () => aws, io, dryRun: false });
  }

  async function apply(s: Script, steps: Step[]): Promise<void> {
    for (const step of steps) await s.apply!(step, applyContext({ io, aws: () => aws }));
  }

  async function recordSets(): Promise<ResourceRecordSet[]> {
    return (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];
  }

  function find(sets: ResourceRecordSet[], name: string, type: string): ResourceRecordSet | undefined {
    return sets.find((s) => s.Name === name && s.Type === type);
  }

  it('deploys an A alias and its ownership record, redeploys as a noop, and removes only what it owns', async () => {
    // A record the app does not manage, which must survive the remove.
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: { Name: 'mail.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.25' }] } },
          ],
        },
      }),
    );

    const s = script();
    const steps = await s.plan!(model, { forOneshot: false });
    expect(steps.map((x) => `${x.kind} ${x.action}`)).to.deep.equal(['upsert-records create']);
    await apply(s, steps);

    let sets = await recordSets();
    const alias = find(sets, 'www.example.com.', 'A');
    expect(alias?.AliasTarget?.HostedZoneId).to.equal(lbZoneId);
    expect(alias?.AliasTarget?.DNSName?.toLowerCase()).to.equal(`dualstack.${lbDnsName.toLowerCase()}.`);
    expect(alias?.AliasTarget?.EvaluateTargetHealth).to.equal(false);
    expect(find(sets, '_hako-owner.www.example.com.', 'TXT')?.ResourceRecords).to.deep.equal([
      { Value: `"heritage=hako,hako/app=${APP}"` },
    ]);
    expect(io.lines).to.include('Upserted DNS records in example.com.: www.example.com. A, _hako-owner.www.example.com. TXT');
    expect(io.lines.some((l) => /^DNS change \S+ is INSYNC$/.test(l))).to.equal(true);

    const again = await script().plan!(model, { forOneshot: false });
    expect(again.map((x) => x.action)).to.deep.equal(['noop']);

    const remover = script();
    const removal = await remover.planRemove!(model);
    expect(removal.map((x) => `${x.kind} ${x.action}`)).to.deep.equal(['delete-records delete']);
    await apply(remover, removal);

    sets = await recordSets();
    expect(find(sets, 'www.example.com.', 'A')).to.equal(undefined);
    expect(find(sets, '_hako-owner.www.example.com.', 'TXT')).to.equal(undefined);
    expect(find(sets, 'mail.example.com.', 'A')?.ResourceRecords).to.deep.equal([{ Value: '192.0.2.25' }]);
    expect(await script().planRemove!(model)).to.deep.equal([]);
  });

  it('refuses to take over an existing record it does not own', async () => {
    await route53.send(
      new ChangeResourceRecordSetsCommand({
        HostedZoneId: zoneId,
        ChangeBatch: {
          Changes: [
            { Action: 'CREATE', ResourceRecordSet: { Name: 'www.example.com.', Type: 'A', TTL: 60, ResourceRecords: [{ Value: '192.0.2.80' }] } },
          ],
        },
      }),
    );
    const err = await script()
      .plan!(model, { forOneshot: false })
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).to.be.instanceOf(HakoError);
    expect((err as Error).message).to.equal(`www.example.com. A exists and is not owned by ${APP}; set adopt: true to take it over`);
    expect(find(await recordSets(), 'www.example.com.', 'A')?.ResourceRecords).to.deep.equal([{ Value: '192.0.2.80' }]);
  });
});
