/**
 * `scheduler.service_discovery` through the real CLI against moto: the Cloud Map service is created with the
 * configured records before the ECS service, the ECS service registers into it, a redeploy changes nothing, a
 * changed TTL updates the records, and remove deletes the Cloud Map service. State is read back through SDK clients.
 */
import { expect } from 'chai';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import {
  CreatePrivateDnsNamespaceCommand,
  GetServiceCommand,
  ListNamespacesCommand,
  ListServicesCommand,
  ServiceDiscoveryClient,
  type Service,
} from '@aws-sdk/client-servicediscovery';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { useMoto } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';

const SD_WEB = fixture('integration', 'sd-web.jsonnet');

describe('integration: service discovery (Cloud Map) against moto', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  // hako talks to moto through the proxy, which records every call it makes on the wire.
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let ecs: ECSClient;
  let sd: ServiceDiscoveryClient;
  let namespaceId: string;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    ecs = new ECSClient(motoClientConfig(moto));
    sd = new ServiceDiscoveryClient(motoClientConfig(moto));
    const vpc = account.env.HAKO_VPC_ID;
    // CreatePrivateDnsNamespace answers with an operation id; the namespace id is read back by name.
    await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'hako.local', Vpc: vpc }));
    const namespaces = (await sd.send(new ListNamespacesCommand({}))).Namespaces ?? [];
    const ns = namespaces.find((n) => n.Name === 'hako.local');
    if (!ns?.Id) throw new Error(`no namespace hako.local: ${JSON.stringify(namespaces)}`);
    namespaceId = ns.Id;
    env = { ...aws.env(), AWS_PROFILE: undefined, ...account.env, HAKO_SD_NAMESPACE_ID: namespaceId, HAKO_SD_TTL: '60' };
  });
  afterEach(() => {
    ecs.destroy();
    sd.destroy();
  });

  const hako = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
    runHako(args, { env: { ...env, ...extraEnv }, cwd: repoRoot });

  async function ok(args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> {
    const r = await hako(args, extraEnv);
    expect(r.code, `hako ${args.join(' ')}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(0);
    return r;
  }

  /** The Cloud Map services named sd-web (in any namespace: there is only ours). */
  async function sdServices(): Promise<Service[]> {
    const summaries = (await sd.send(new ListServicesCommand({}))).Services ?? [];
    const found: Service[] = [];
    for (const s of summaries.filter((x) => x.Name === 'sd-web')) {
      const got = (await sd.send(new GetServiceCommand({ Id: s.Id }))).Service;
      if (got) found.push(got);
    }
    return found;
  }

  async function ecsService() {
    const out = await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: ['sd-web'] }));
    const found = out.services?.[0];
    if (found === undefined) throw new Error(`no service sd-web: ${JSON.stringify(out.failures)}`);
    return found;
  }


  it('deploy creates the Cloud Map service with the configured records, and the ECS service registers into it', async () => {
    const r = await ok(['deploy', SD_WEB]);
    expect(r.stdout).to.contain('Created service discovery service sd-web');

    const services = await sdServices();
    expect(services).to.have.length(1);
    const created = services[0]!;
    expect(created.NamespaceId).to.equal(namespaceId);
    expect(created.Description).to.equal('hako integration test');
    expect(created.DnsConfig?.DnsRecords).to.deep.equal([{ Type: 'SRV', TTL: 60 }]);
    expect(created.DnsConfig?.RoutingPolicy).to.equal('MULTIVALUE');

    const svc = await ecsService();
    expect(svc.status).to.equal('ACTIVE');
    // moto echoes the registries the service was created with.
    expect(svc.serviceRegistries).to.deep.equal([{ registryArn: created.Arn, containerName: 'app', containerPort: 80 }]);
  });

  it('diff and deploy --dry-run show the Cloud Map service to create and change nothing', async () => {
    const diff = await hako(['diff', SD_WEB]);
    expect(diff.code, diff.stdout + diff.stderr).to.equal(16);
    expect(diff.stdout).to.contain('Create service discovery service sd-web');
    const dry = await ok(['deploy', '--dry-run', SD_WEB]);
    expect(dry.stdout).to.contain('Create service discovery service sd-web');
    expect(await sdServices()).to.deep.equal([]);
    expect(aws.calls().map(callName), formatCalls(aws.calls())).to.include('ServiceDiscovery GetNamespace');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
  });

  it('a redeploy makes no mutating AWS call; a changed TTL updates the records in place', async () => {
    await ok(['deploy', SD_WEB]);
    const [before] = await sdServices();

    aws.clearCalls();
    await ok(['deploy', SD_WEB]);
    const calls = aws.calls();
    expect(calls.map(callName), formatCalls(calls)).to.include.members([
      'ServiceDiscovery GetNamespace',
      'ServiceDiscovery ListServices',
      'ECS DescribeServices',
    ]);
    expect(aws.mutatingCalls().map(callName), formatCalls(calls)).to.deep.equal([]);

    const changed = await ok(['deploy', SD_WEB], { HAKO_SD_TTL: '30' });
    expect(changed.stdout).to.contain(`Updated service discovery service sd-web (${before!.Id})`);
    const after = await sdServices();
    expect(after.map((s) => s.Id)).to.deep.equal([before!.Id]);
    expect(after[0]!.DnsConfig?.DnsRecords).to.deep.equal([{ Type: 'SRV', TTL: 30 }]);
    // The registry still points at the same Cloud Map service, so the ECS service was not updated for it.
    expect(changed.stdout).to.contain("Service isn't changed");
  });

  it('status lists the registry; remove --dry-run shows the deletion, remove deletes the Cloud Map service', async () => {
    await ok(['deploy', SD_WEB]);
    const status = await ok(['status', SD_WEB]);
    expect(status.stdout).to.match(/Service Discovery:\n {2}sd-web\.hako\.local instance_count=\d+/);

    aws.clearCalls();
    const dry = await ok(['remove', '--dry-run', SD_WEB]);
    expect(dry.stdout).to.contain('Delete service discovery service sd-web');
    expect(await sdServices()).to.have.length(1);
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);

    const r = await ok(['remove', SD_WEB]);
    expect(r.stdout).to.match(/Deleted service discovery service sd-web \(srv-/);
    expect(await sdServices()).to.deep.equal([]);
    expect((await ecsService()).status).to.equal('INACTIVE');
  });
});
