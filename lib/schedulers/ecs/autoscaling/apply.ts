/**
 * Applies the `autoscaling` steps of a deploy plan after the ECS steps (the scalable target needs the service to
 * exist). The only code that mutates Application Auto Scaling and CloudWatch alarms; dry runs never reach it.
 */
import type { ApplicationAutoScalingApi, CloudWatchApi, Elbv2Api, cloudWatch } from '../../../aws/ports.js';
import { HakoError } from '../../../errors.js';
import { debug, info, type IoHost } from '../../../io/io-host.js';
import type { StepOutcome } from '../../../plan/executor.js';
import { known } from '../../../plan/outputs.js';
import type { Step } from '../../../plan/plan.js';
import { describeAlbTarget } from './observe.js';
import {
  albResourceLabel,
  policyArnKey,
  type AlbTarget,
  type AutoscalingPayloads,
  type AutoscalingStepKind,
  type PutScalingPolicyPayload,
} from './plan.js';

export interface AutoscalingApplyContext {
  readonly autoScaling: ApplicationAutoScalingApi;
  readonly cloudWatch: CloudWatchApi;
  readonly io: IoHost;
  /** For a resource label the plan could not know yet (the target group appears during this apply). */
  readonly elbv2?: () => Promise<Elbv2Api>;
}

function payloadOf<K extends AutoscalingStepKind>(step: Step, _kind: K): AutoscalingPayloads[K] {
  return step.payload as AutoscalingPayloads[K];
}

/** PutMetricAlarm replaces the whole alarm: every setting the alarm has is sent back, only the actions change. */
export function putAlarmInput(alarm: cloudWatch.MetricAlarm, alarmActions: string[]): cloudWatch.PutMetricAlarmCommandInput {
  const input: cloudWatch.PutMetricAlarmCommandInput = {
    AlarmName: alarm.AlarmName,
    AlarmDescription: alarm.AlarmDescription,
    ActionsEnabled: alarm.ActionsEnabled,
    OKActions: alarm.OKActions,
    AlarmActions: alarmActions,
    InsufficientDataActions: alarm.InsufficientDataActions,
    MetricName: alarm.MetricName,
    Namespace: alarm.Namespace,
    Statistic: alarm.Statistic,
    ExtendedStatistic: alarm.ExtendedStatistic,
    Dimensions: alarm.Dimensions,
    Period: alarm.Period,
    Unit: alarm.Unit,
    EvaluationPeriods: alarm.EvaluationPeriods,
    DatapointsToAlarm: alarm.DatapointsToAlarm,
    Threshold: alarm.Threshold,
    ComparisonOperator: alarm.ComparisonOperator,
    TreatMissingData: alarm.TreatMissingData,
    EvaluateLowSampleCountPercentile: alarm.EvaluateLowSampleCountPercentile,
    Metrics: alarm.Metrics && alarm.Metrics.length > 0 ? alarm.Metrics : undefined,
    ThresholdMetricId: alarm.ThresholdMetricId,
  };
  // The SDK would send explicit nulls for undefined members on some protocols; leave them out.
  for (const key of Object.keys(input) as (keyof typeof input)[]) if (input[key] === undefined) delete input[key];
  return input;
}

function list(values: readonly string[]): string {
  return `[${values.join(', ')}]`;
}

/**
 * Applies one `autoscaling` step, logging hako's phrases. A put policy's ARN is the step's output; the alarms
 * of the same policy refer to it.
 */
export async function applyAutoscalingStep(step: Step, ctx: AutoscalingApplyContext): Promise<StepOutcome | void> {
  const { io } = ctx;
  const kind = step.kind as AutoscalingStepKind;
  switch (kind) {
    case 'register-scalable-target': {
      const p = payloadOf(step, kind);
      info(io, 'autoscaling.target.registering', `Registering scalable target to ${p.input.ResourceId}`, { resourceId: p.input.ResourceId });
      await ctx.autoScaling.registerScalableTarget(p.input);
      return;
    }
    case 'put-scaling-policy': {
      const p = payloadOf(step, kind);
      const name = p.input.PolicyName ?? '';
      info(io, 'autoscaling.policy.configuring', `Configuring scaling policy ${name}`, { policyName: name });
      let input = p.input;
      if (p.resourceLabelFromApply) {
        const label = albResourceLabel(await resolveAlbTarget(ctx, p.targetGroup));
        const config = input.TargetTrackingScalingPolicyConfiguration;
        if (config === undefined) throw new HakoError(`Scaling policy ${name} has no target tracking configuration`, 'INTERNAL');
        input = {
          ...input,
          TargetTrackingScalingPolicyConfiguration: {
            ...config,
            PredefinedMetricSpecification: {
              PredefinedMetricType: config.PredefinedMetricSpecification?.PredefinedMetricType,
              ResourceLabel: label,
            },
          },
        };
      }
      const out = await ctx.autoScaling.putScalingPolicy(input);
      if (!out.PolicyARN) throw new HakoError('PutScalingPolicy returned no policy ARN', 'AUTOSCALING_UNEXPECTED_RESPONSE');
      return { outputs: { [policyArnKey(p.input.ResourceId ?? '', name)]: out.PolicyARN } };
    }
    case 'update-alarm-actions': {
      const p = payloadOf(step, kind);
      const alarmName = p.alarm.AlarmName ?? '';
      const policyArn = known(p.policyArn);
      const current = p.alarm.AlarmActions ?? [];
      // Planned before the policy's ARN was known: it may already be the one the alarm has.
      if (current.length === 1 && current[0] === policyArn) {
        debug(io, 'autoscaling.alarm.unchanged', `Alarm ${alarmName}'s alarm_actions aren't changed`, { alarmName });
        return;
      }
      info(io, 'autoscaling.alarm.updating', `Updating ${alarmName}'s alarm_actions from ${list(current)} to ${list([policyArn])}`, {
        alarmName,
        from: current,
        to: [policyArn],
      });
      await ctx.cloudWatch.putMetricAlarm(putAlarmInput(p.alarm, [policyArn]));
      return;
    }
    default:
      throw new HakoError(`Unknown autoscaling step kind: ${String(step.kind)}`, 'INTERNAL');
  }
}

/** The service's target group, known now that the steps before this one have run. */
async function resolveAlbTarget(ctx: AutoscalingApplyContext, group: PutScalingPolicyPayload['targetGroup']): Promise<AlbTarget> {
  if (ctx.elbv2 === undefined || group === undefined) return { state: 'none' };
  const arn = group.arn === undefined ? undefined : known(group.arn);
  if (arn === undefined && group.name === undefined) return { state: 'none' };
  return describeAlbTarget(await ctx.elbv2(), arn !== undefined ? { arn } : { name: group.name! });
}
