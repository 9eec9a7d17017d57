/**
 * `scheduler.autoscaling` through the real CLI against moto: the first deploy registers the scalable target, puts
 * a TargetTrackingScaling and a StepScaling policy and points the StepScaling alarms at their policy; a redeploy
 * makes no mutating call; a changed min_capacity shows in `diff` and is applied by the next deploy; a missing
 * alarm stops the deploy before anything is created. Everything is read back through real SDK clients.
 */
import { expect } from 'chai';
import path from 'node:path';
import {
  ApplicationAutoScalingClient,
  DescribeScalableTargetsCommand,
  DescribeScalingPoliciesCommand,
} from '@aws-sdk/client-application-auto-scaling';
import { CloudWatchClient, DescribeAlarmsCommand, PutMetricAlarmCommand, type MetricAlarm } from '@aws-sdk/client-cloudwatch';
import { DescribeServicesCommand, ECSClient } from '@aws-sdk/client-ecs';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { useMoto } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { repoRoot } from '../helpers/paths.js';

const FILE = path.join('test', 'fixtures', 'integration', 'autoscaling-fargate.jsonnet');
const RESOURCE = 'service/hako-demo/autoscaling-fargate';
const STEP_POLICY = 'scaler-cpu-high-and-scaler-memory-high';
const ALARMS = ['scaler-cpu-high', 'scaler-memory-high'];


describe('integration: scheduler.autoscaling through hako deploy', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  // hako talks to moto through the proxy, which records every call it makes on the wire.
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let scaling: ApplicationAutoScalingClient;
  let cw: CloudWatchClient;
  let ecs: ECSClient;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...aws.env(), AWS_PROFILE: undefined, ...account.env, HAKO_TEST_MIN_CAPACITY: '1' };
    scaling = new ApplicationAutoScalingClient(motoClientConfig(moto));
    cw = new CloudWatchClient(motoClientConfig(moto));
    ecs = new ECSClient(motoClientConfig(moto));
    for (const [i, name] of ALARMS.entries()) {
      await cw.send(
        new PutMetricAlarmCommand({
          AlarmName: name,
          AlarmDescription: `${name} for the autoscaling test`,
          MetricName: i === 0 ? 'CPUUtilization' : 'MemoryUtilization',
          Namespace: 'AWS/ECS',
          Statistic: 'Average',
          Dimensions: [
            { Name: 'ClusterName', Value: 'hako-demo' },
            { Name: 'ServiceName', Value: 'autoscaling-fargate' },
          ],
          Period: 60,
          EvaluationPeriods: 3,
          Threshold: 70 + i,
          ComparisonOperator: 'GreaterThanThreshold',
          OKActions: ['arn:aws:sns:ap-northeast-1:123456789012:ok'],
          AlarmActions: ['arn:aws:sns:ap-northeast-1:123456789012:old'],
        }),
      );
    }
  });
  afterEach(() => {
    scaling.destroy();
    cw.destroy();
    ecs.destroy();
  });

  const hako = (args: string[], extraEnv: NodeJS.ProcessEnv = {}): Promise<CliResult> =>
    runHako(args, { env: { ...env, ...extraEnv }, cwd: repoRoot });

  function expectCode(r: CliResult, code: number): void {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  }

  async function target() {
    const out = await scaling.send(new DescribeScalableTargetsCommand({ ServiceNamespace: 'ecs', ResourceIds: [RESOURCE] }));
    return out.ScalableTargets ?? [];
  }

  async function policies() {
    const out = await scaling.send(new DescribeScalingPoliciesCommand({ ServiceNamespace: 'ecs', ResourceId: RESOURCE }));
    return new Map((out.ScalingPolicies ?? []).map((p) => [p.PolicyName!, p]));
  }

  async function alarms(): Promise<Map<string, MetricAlarm>> {
    const out = await cw.send(new DescribeAlarmsCommand({ AlarmNames: ALARMS }));
    return new Map((out.MetricAlarms ?? []).map((a) => [a.AlarmName!, a]));
  }

  it('first deploy registers the target, puts both policies and points the alarms at the StepScaling one', async () => {
    const r = await hako(['deploy', FILE]);
    expectCode(r, 0);
    expect(r.stdout + r.stderr).to.contain(`Registering scalable target to ${RESOURCE}`);
    expect(r.stdout + r.stderr).to.contain(`Configuring scaling policy ${STEP_POLICY}`);

    const targets = await target();
    expect(targets).to.have.length(1);
    expect(targets[0]).to.deep.include({ MinCapacity: 1, MaxCapacity: 4, ScalableDimension: 'ecs:service:DesiredCount' });

    const live = await policies();
    expect([...live.keys()].sort()).to.deep.equal([STEP_POLICY, 'scaler-cpu'].sort());
    const tt = live.get('scaler-cpu')!;
    expect(tt.PolicyType).to.equal('TargetTrackingScaling');
    expect(tt.TargetTrackingScalingPolicyConfiguration).to.deep.include({ TargetValue: 50, ScaleOutCooldown: 60, ScaleInCooldown: 300 });
    expect(tt.TargetTrackingScalingPolicyConfiguration?.PredefinedMetricSpecification?.PredefinedMetricType).to.equal(
      'ECSServiceAverageCPUUtilization',
    );
    const step = live.get(STEP_POLICY)!;
    expect(step.PolicyType).to.equal('StepScaling');
    expect(step.StepScalingPolicyConfiguration).to.deep.include({ AdjustmentType: 'ChangeInCapacity', Cooldown: 300, MetricAggregationType: 'Average' });
    expect(step.StepScalingPolicyConfiguration?.StepAdjustments).to.deep.equal([{ ScalingAdjustment: 1, MetricIntervalLowerBound: 0 }]);

    const live2 = await alarms();
    for (const [i, name] of ALARMS.entries()) {
      const a = live2.get(name)!;
      expect(a.AlarmActions, name).to.deep.equal([step.PolicyARN]);
      // Replacing the alarm kept its own settings.
      expect(a.Threshold, name).to.equal(70 + i);
      expect(a.OKActions, name).to.deep.equal(['arn:aws:sns:ap-northeast-1:123456789012:ok']);
      expect(a.AlarmDescription, name).to.equal(`${name} for the autoscaling test`);
      expect(a.Dimensions, name).to.have.length(2);
    }
  });

  it('a redeploy makes no mutating AWS call and leaves the policies as they were', async () => {
    expectCode(await hako(['deploy', FILE]), 0);
    const before = await policies();

    aws.clearCalls();
    const again = await hako(['deploy', FILE]);
    expectCode(again, 0);
    const calls = aws.calls();
    // The wire must show the autoscaling reads, or "no mutating call" below would prove nothing.
    expect(calls.map(callName), formatCalls(calls)).to.include.members([
      'ApplicationAutoScaling DescribeScalableTargets',
      'ApplicationAutoScaling DescribeScalingPolicies',
      'CloudWatch DescribeAlarms',
    ]);
    expect(aws.mutatingCalls().map(callName), formatCalls(calls)).to.deep.equal([]);
    const after = await policies();
    expect([...after.values()].map((p) => p.PolicyARN)).to.deep.equal([...before.values()].map((p) => p.PolicyARN));
  });

  it('a changed min_capacity shows in diff without changing anything, and the next deploy applies it', async () => {
    expectCode(await hako(['deploy', FILE]), 0);
    const changed = { HAKO_TEST_MIN_CAPACITY: '2' };

    aws.clearCalls();
    const diff = await hako(['diff', FILE], changed);
    expectCode(diff, 16);
    expect(diff.stdout).to.contain(`scalable target ${RESOURCE}`);
    expect((await target())[0]?.MinCapacity).to.equal(1);

    const dry = await hako(['deploy', '--dry-run', FILE], changed);
    expectCode(dry, 0);
    // Neither diff nor the dry run tried a write.
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
    expect((await target())[0]?.MinCapacity).to.equal(1);

    aws.clearCalls();
    const r = await hako(['deploy', FILE], changed);
    expectCode(r, 0);
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([
      'ApplicationAutoScaling RegisterScalableTarget',
    ]);
    expect((await target())[0]).to.deep.include({ MinCapacity: 2, MaxCapacity: 4 });
  });

  it('a missing alarm fails the deploy before anything is created', async () => {
    await cw.send(new PutMetricAlarmCommand({ AlarmName: 'unrelated', MetricName: 'X', Namespace: 'Y', Period: 60, EvaluationPeriods: 1, Threshold: 1, ComparisonOperator: 'GreaterThanThreshold', Statistic: 'Average' }));
    const { DeleteAlarmsCommand } = await import('@aws-sdk/client-cloudwatch');
    await cw.send(new DeleteAlarmsCommand({ AlarmNames: ['scaler-memory-high'] }));

    const r = await hako(['deploy', FILE]);
    expectCode(r, 1);
    expect(r.stderr).to.contain('Alarm scaler-memory-high does not exist');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
    const services = await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: ['autoscaling-fargate'] }));
    expect((services.services ?? []).filter((s) => s.status === 'ACTIVE')).to.deep.equal([]);
    expect(await target()).to.deep.equal([]);
    expect([...(await policies()).keys()]).to.deep.equal([]);
  });
});
