/**
 * The engine under faults: deploy → redeploy → remove of the Fargate + ALB + Route 53 example through a proxy that
 * fails 20% of hako's requests (500, 503, throttling in each protocol's own shape, connection dropped after the
 * server acted), seeded so that a failure can be replayed (HAKO_FAULT_SEED). scripts/bench-faults.ts runs many
 * seeds for the figures; this runs a few on every test run.
 */
import { expect } from 'chai';
import { runHako } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';
import { useAwsProxy } from './harness/aws-proxy.js';
import { FAULT_DEFINITION, isClearFailure, runFaultScenario, type ScenarioResult } from './harness/fault-scenario.js';
import { useMoto } from './harness/moto.js';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { DescribeLoadBalancersCommand, ElasticLoadBalancingV2Client } from '@aws-sdk/client-elastic-load-balancing-v2';
import { motoClientConfig } from './harness/aws.js';

const SEEDS = (process.env.HAKO_FAULT_SEEDS ?? '101,202,303').split(',').map(Number);

describe('integration: deploy, redeploy and remove survive faults (fault-injecting proxy)', function () {
  this.timeout(600_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const proxy = useAwsProxy(moto);

  const deps = () => ({
    motoEndpoint: moto.endpoint(),
    region: moto.region(),
    proxy: proxy.proxy(),
    env: { ...proxy.env(), AWS_PROFILE: undefined },
    hako: (args: readonly string[], env: NodeJS.ProcessEnv) => runHako([...args], { env, cwd: repoRoot }),
    reset: () => moto.server().reset(),
  });

  function describeResult(r: ScenarioResult): string {
    return `seed ${r.seed} (replay with HAKO_FAULT_SEEDS=${r.seed}):\n${JSON.stringify(r, null, 2)}`;
  }

  for (const seed of SEEDS) {
    it(`seed ${seed}: every run ends clearly, nothing is duplicated, remove leaves nothing, a re-run converges`, async () => {
      const r = await runFaultScenario(deps(), seed);
      const why = describeResult(r);
      expect(r.runs.reduce((n, run) => n + run.faults, 0), `${why}\nno fault was injected: the test proves nothing`).to.be.greaterThan(0);
      for (const run of r.runs) {
        expect(run.clear, `${why}\n${run.command} failed without a clear message`).to.equal(true);
        if (run.code !== 0) expect(run.rerunCode, `${why}\n${run.command} did not converge on a re-run`).to.equal(0);
      }
      expect(r.duplicates, why).to.deep.equal([]);
      expect(r.revisionsAfterDeploy, `${why}\none deploy registers at most one revision`).to.equal(1);
      expect(r.revisionsAfterRedeploy, `${why}\nan unchanged redeploy registers nothing`).to.equal(1);
      expect(r.leftoversAfterRemove, `${why}\none remove run must leave nothing`).to.deep.equal([]);
      expect(r.leftoversAfterRerun, why).to.deep.equal([]);
    });
  }

  it('a duplicate left behind (two load balancers of one name) stops the next deploy, naming both, before any change', async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    const env = { ...proxy.env(), AWS_PROFILE: undefined, ...account.env };
    // Two deploys racing on an endpoint that does not refuse duplicates (moto) can leave two load balancers.
    const elb = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
    try {
      const subnets = account.env.HAKO_SUBNETS.split(',');
      const first = await runHako(['deploy', FAULT_DEFINITION], { env, cwd: repoRoot });
      expect(first.code, first.stderr).to.equal(0);
      const { CreateLoadBalancerCommand } = await import('@aws-sdk/client-elastic-load-balancing-v2');
      await elb.send(new CreateLoadBalancerCommand({ Name: 'hako-hello-fargate', Subnets: subnets, SecurityGroups: [account.env.HAKO_SECURITY_GROUPS] }));
      const arns = ((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).map((l) => l.LoadBalancerArn!);
      expect(arns).to.have.length(2);
      proxy.clearCalls();

      const next = await runHako(['deploy', FAULT_DEFINITION], { env, cwd: repoRoot });
      expect(next.code).to.equal(1);
      expect(isClearFailure(next), next.stderr).to.equal(true);
      for (const arn of arns) expect(next.stderr).to.contain(arn);
      expect(proxy.calls().length, 'the deploy read the account').to.be.greaterThan(0);
      expect(proxy.mutatingCalls().map((c) => `${c.service} ${c.operation}`)).to.deep.equal([]);
    } finally {
      elb.destroy();
    }
  });
});
