import { expect } from 'chai';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { AppModel } from '../../../../lib/definition/model.js';
import { HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { route53ConfigSchema } from '../../../../lib/scripts/route53/config.js';
import { createRoute53Script } from '../../../../lib/scripts/route53/index.js';
import type { Script } from '../../../../lib/scripts/script.js';
import { FakeLoadBalancers, FakeRoute53 } from '../../../helpers/fake-route53.js';

const LB_DNS = 'hako-hello-123.ap-northeast-1.elb.amazonaws.com';
const LB_ZONE = 'Z14GRHDCWA56QT';
const model = { id: 'hello', file: '/defs/hello.jsonnet', root_path: '/defs', scripts: [] } as unknown as AppModel;

function scriptFor(raw: Record<string, unknown>, r53: FakeRoute53): Script {
  const aws = awsClientsFromPorts({ route53: r53, elbv2: new FakeLoadBalancers().port() });
  const context = { appId: 'hello', rootPath: '/defs', aws: () => aws, io: new RecordingIoHost(), dryRun: true };
  return createRoute53Script(route53ConfigSchema.parse(raw), context);
}

const owner = (app: string) => ({ ResourceRecords: [{ Value: `"heritage=hako,hako/app=${app}"` }], Type: 'TXT' as const, TTL: 300 });

describe('route53 script status', () => {
  it('shows each configured record as live, with its owner, or missing; reads only', async () => {
    const r53 = new FakeRoute53();
    const zone = r53.addZone('example.com');
    r53.put(zone, {
      Name: 'www.example.com.',
      Type: 'A',
      AliasTarget: { HostedZoneId: LB_ZONE, DNSName: `dualstack.${LB_DNS}.`, EvaluateTargetHealth: false },
    });
    r53.put(zone, { Name: '_hako-owner.www.example.com.', ...owner('hello') });
    r53.put(zone, { Name: 'api.example.com.', Type: 'CNAME', TTL: 300, ResourceRecords: [{ Value: `${LB_DNS}.` }] });
    r53.put(zone, { Name: '_hako-owner.api.example.com.', ...owner('other-app') });
    r53.put(zone, { Name: 'example.com.', Type: 'TXT', TTL: 300, ResourceRecords: [{ Value: '"v=spf1 -all"' }, { Value: '"x"' }] });
    const script = scriptFor(
      {
        hosted_zone: 'example.com',
        records: [
          { name: 'www', type: 'A' },
          { name: 'www', type: 'AAAA' },
          { name: 'API.example.com.', type: 'CNAME' },
          { name: '@', type: 'TXT', value: 'v=spf1 -all' },
        ],
      },
      r53,
    );

    expect(await script.status!(model)).to.deep.equal([
      'DNS:',
      `  www.example.com. A → dualstack.${LB_DNS}. (owned by hello)`,
      '  www.example.com. AAAA: missing',
      `  api.example.com. CNAME → ${LB_DNS}. (owned by other-app)`,
      '  example.com. TXT → "v=spf1 -all", "x" (not owned by hako)',
    ]);
    expect(r53.callsOf('changeResourceRecordSets')).to.have.length(0);
  });

  it('a missing hosted zone is a line of the DNS section, not a failed status', async () => {
    const r53 = new FakeRoute53();
    r53.addZone('example.org');
    const script = scriptFor({ hosted_zone: 'example.com', records: [{ name: 'www', type: 'A' }] }, r53);
    expect(await script.status!(model)).to.deep.equal(['DNS:', '  Hosted zone example.com. does not exist']);
  });

  it('other failures still surface', async () => {
    const r53 = new FakeRoute53();
    const script = scriptFor({ hosted_zone_id: 'Z404', records: [{ name: 'www', type: 'A' }] }, r53);
    // A zone id that does not exist is the same "missing zone" line; a broken client is an error.
    expect(await script.status!(model)).to.deep.equal(['DNS:', '  Hosted zone Z404 does not exist']);
    r53.listResourceRecordSets = async () => {
      throw new Error('network down');
    };
    const zone = r53.addZone('example.com');
    const broken = scriptFor({ hosted_zone_id: zone, records: [{ name: 'www', type: 'A' }] }, r53);
    let error: unknown;
    try {
      await broken.status!(model);
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(Error);
    expect(error).to.not.be.instanceOf(HakoError);
    expect((error as Error).message).to.equal('network down');
  });
});
