/**
 * Hand-written in-memory fakes of the Application Auto Scaling and CloudWatch ports, recording every call. Like
 * AWS (and unlike moto), a re-put policy keeps its ARN.
 */
import type { ApplicationAutoScalingApi, CloudWatchApi, appAutoScaling, cloudWatch } from '../../lib/aws/ports.js';

export interface PortCall {
  readonly method: string;
  readonly input: unknown;
}

const META = { $metadata: {} };

export class FakeAutoScaling implements ApplicationAutoScalingApi {
  readonly calls: PortCall[] = [];
  readonly targets = new Map<string, appAutoScaling.ScalableTarget>();
  readonly policies = new Map<string, appAutoScaling.ScalingPolicy>();
  private nextId = 1;

  async describeScalableTargets(input: appAutoScaling.DescribeScalableTargetsCommandInput) {
    this.calls.push({ method: 'describeScalableTargets', input });
    const ids = input.ResourceIds;
    return { ...META, ScalableTargets: [...this.targets.values()].filter((t) => !ids || ids.includes(t.ResourceId ?? '')) };
  }
  async describeScalingPolicies(input: appAutoScaling.DescribeScalingPoliciesCommandInput) {
    this.calls.push({ method: 'describeScalingPolicies', input });
    return { ...META, ScalingPolicies: [...this.policies.values()].filter((p) => p.ResourceId === input.ResourceId) };
  }
  async registerScalableTarget(input: appAutoScaling.RegisterScalableTargetCommandInput) {
    this.calls.push({ method: 'registerScalableTarget', input });
    this.targets.set(input.ResourceId!, {
      ServiceNamespace: input.ServiceNamespace!,
      ResourceId: input.ResourceId!,
      ScalableDimension: input.ScalableDimension!,
      MinCapacity: input.MinCapacity!,
      MaxCapacity: input.MaxCapacity!,
      RoleARN: input.RoleARN!,
      CreationTime: new Date(0),
    });
    return { ...META, ScalableTargetARN: `arn:aws:application-autoscaling:ap-northeast-1:123456789012:scalable-target/${input.ResourceId}` };
  }
  async putScalingPolicy(input: appAutoScaling.PutScalingPolicyCommandInput) {
    this.calls.push({ method: 'putScalingPolicy', input });
    const key = `${input.ResourceId}|${input.PolicyName}`;
    const arn =
      this.policies.get(key)?.PolicyARN ??
      `arn:aws:autoscaling:ap-northeast-1:123456789012:scalingPolicy:${this.nextId++}:resource/ecs/${input.ResourceId}:policyName/${input.PolicyName}`;
    this.policies.set(key, {
      PolicyARN: arn,
      PolicyName: input.PolicyName!,
      ServiceNamespace: input.ServiceNamespace!,
      ResourceId: input.ResourceId!,
      ScalableDimension: input.ScalableDimension!,
      PolicyType: input.PolicyType,
      StepScalingPolicyConfiguration: input.StepScalingPolicyConfiguration,
      TargetTrackingScalingPolicyConfiguration: input.TargetTrackingScalingPolicyConfiguration,
      CreationTime: new Date(0),
    });
    return { ...META, PolicyARN: arn };
  }
  mutations(): PortCall[] {
    return this.calls.filter((c) => c.method === 'registerScalableTarget' || c.method === 'putScalingPolicy');
  }
}

export class FakeCloudWatch implements CloudWatchApi {
  readonly calls: PortCall[] = [];
  readonly alarms = new Map<string, cloudWatch.MetricAlarm>();

  constructor(alarms: cloudWatch.MetricAlarm[] = []) {
    for (const a of alarms) this.alarms.set(a.AlarmName!, a);
  }
  async describeAlarms(input: cloudWatch.DescribeAlarmsCommandInput) {
    this.calls.push({ method: 'describeAlarms', input });
    const names = input.AlarmNames ?? [...this.alarms.keys()];
    return { ...META, MetricAlarms: names.flatMap((n) => (this.alarms.has(n) ? [this.alarms.get(n)!] : [])) };
  }
  async putMetricAlarm(input: cloudWatch.PutMetricAlarmCommandInput) {
    this.calls.push({ method: 'putMetricAlarm', input });
    const { Tags: _tags, ...rest } = input;
    this.alarms.set(input.AlarmName!, { ...rest } as cloudWatch.MetricAlarm);
    return META;
  }
  mutations(): PortCall[] {
    return this.calls.filter((c) => c.method === 'putMetricAlarm');
  }
}

/** A CPU alarm as CloudWatch reports it. */
export function alarm(name: string, overrides: Partial<cloudWatch.MetricAlarm> = {}): cloudWatch.MetricAlarm {
  return {
    AlarmName: name,
    AlarmDescription: `${name} description`,
    ActionsEnabled: true,
    OKActions: [],
    AlarmActions: [],
    InsufficientDataActions: [],
    MetricName: 'CPUUtilization',
    Namespace: 'AWS/ECS',
    Statistic: 'Average',
    Dimensions: [{ Name: 'ClusterName', Value: 'eagletmt' }],
    Period: 60,
    EvaluationPeriods: 3,
    Threshold: 70,
    ComparisonOperator: 'GreaterThanThreshold',
    TreatMissingData: 'notBreaching',
    ...overrides,
  };
}
