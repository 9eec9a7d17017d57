/**
 * `dynamic_port_mapping: false` without a load balancer through the real CLI against moto: two apps deployed in one
 * run get static front ports 10000 and 10001 in their cluster (planned one after the other, not both from the same
 * empty cluster), a redeploy keeps them and writes nothing, and a first dry run says which port it would take.
 * Read back through real SDK clients.
 */
import { expect } from 'chai';
import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient } from '@aws-sdk/client-ecs';
import { prepareEmulatorAccount, type EmulatorAccount } from '../../scripts/emulator-account.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, repoRoot } from '../helpers/paths.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { useMoto } from './harness/moto.js';

const DIR = fixture('integration', 'static-front');
const A = fixture('integration', 'static-front', 'static-front-a.jsonnet');

describe('integration: static front port (dynamic_port_mapping false) through the CLI', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const aws = useAwsProxy(moto);
  let account: EmulatorAccount;
  let ecs: ECSClient;

  beforeEach(async () => {
    account = await prepareEmulatorAccount(moto.endpoint());
    ecs = new ECSClient(motoClientConfig(moto));
    aws.clearCalls();
  });
  afterEach(() => ecs.destroy());

  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env: { ...aws.env(), AWS_PROFILE: undefined, ...account.env }, cwd: repoRoot });

  async function ok(...args: string[]): Promise<CliResult> {
    const r = await hako(...args);
    expect(r.code, `hako ${args.join(' ')}\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(0);
    return r;
  }

  /** The host port each service's task definition maps for front:80, by service name. */
  async function frontHostPorts(...names: string[]): Promise<Record<string, number | undefined>> {
    const services = (await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: names }))).services ?? [];
    const ports: Record<string, number | undefined> = {};
    for (const s of services) {
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: s.taskDefinition! }));
      ports[s.serviceName!] = td.taskDefinition?.containerDefinitions?.find((c) => c.name === 'front')?.portMappings?.find((p) => p.containerPort === 80)?.hostPort;
    }
    return ports;
  }

  it('two apps of one run get 10000 and 10001; a redeploy keeps them and writes nothing', async () => {
    const deploy = await ok('deploy', '--parallel', '2', DIR);
    const ports = await frontHostPorts('static-front-a', 'static-front-b');
    expect(Object.values(ports).sort()).to.deep.equal([10000, 10001]);
    for (const [app, port] of Object.entries(ports)) {
      expect(deploy.stdout).to.contain(`[${app}] Front port ${port} (the next free static port in cluster hako-demo)`);
    }

    aws.clearCalls();
    const again = await ok('deploy', DIR);
    expect(again.stdout).to.contain('2 apps: 2 unchanged');
    expect(again.stdout).to.not.contain('Front port');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
    expect(await frontHostPorts('static-front-a', 'static-front-b')).to.deep.equal(ports);
  });

  it('a first dry run says which port it would take and writes nothing', async () => {
    const r = await ok('deploy', '--dry-run', A);
    expect(r.stdout).to.contain('Front port 10000 (the next free static port in cluster hako-demo)');
    expect(aws.calls().map(callName), formatCalls(aws.calls())).to.include('ECS ListServices');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
  });
});
