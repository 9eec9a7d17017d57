/**
 * Applies the `autoscaling` steps of a deploy plan after the ECS steps (the scalable target needs the service to
 * exist). The only code that mutates Application Auto Scaling and CloudWatch alarms; dry runs never reach it.
 */
import type { ApplicationAutoScalingApi, CloudWatchApi, cloudWatch } from '../../aws/ports.js';
import { HakoError } from '../../errors.js';
import { debug, info, type IoHost } from '../../io/io-host.js';
import type { Step } from '../../plan/plan.js';
import {
  AUTOSCALING_STEP_OWNER,
  albResourceLabel,
  type AlbTarget,
  type AutoscalingPayloads,
  type AutoscalingStepKind,
} from './autoscaling.js';

export interface AutoscalingApplyContext {
  readonly autoScaling: ApplicationAutoScalingApi;
  readonly cloudWatch: CloudWatchApi;
  readonly io: IoHost;
  /** Looks the service's target group up again, for a resource label the plan could not know yet. */
  resolveAlbTarget?(): Promise<AlbTarget>;
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
 * Executes the `autoscaling` steps (others are ignored) in order, logging hako's phrases. A policy ARN returned by
 * put-scaling-policy feeds the alarm updates of the same policy.
 */
export async function applyAutoscalingSteps(steps: readonly Step[], ctx: AutoscalingApplyContext): Promise<void> {
  const { io } = ctx;
  const policyArns = new Map<string, string>();
  let albLabel: string | undefined;

  for (const step of steps) {
    if (step.owner !== AUTOSCALING_STEP_OWNER) continue;
    const kind = step.kind as AutoscalingStepKind;
    switch (kind) {
      case 'register-scalable-target': {
        const p = payloadOf(step, kind);
        if (step.action === 'noop') {
          debug(io, 'autoscaling.target.unchanged', step.title, { resourceId: p.input.ResourceId });
          break;
        }
        info(io, 'autoscaling.target.registering', `Registering scalable target to ${p.input.ResourceId}`, { resourceId: p.input.ResourceId });
        await ctx.autoScaling.registerScalableTarget(p.input);
        break;
      }
      case 'put-scaling-policy': {
        const p = payloadOf(step, kind);
        const name = p.input.PolicyName ?? '';
        if (step.action === 'noop') {
          if (p.currentArn !== undefined) policyArns.set(name, p.currentArn);
          debug(io, 'autoscaling.policy.unchanged', step.title, { policyName: name });
          break;
        }
        info(io, 'autoscaling.policy.configuring', `Configuring scaling policy ${name}`, { policyName: name });
        let input = p.input;
        if (p.resourceLabelFromApply) {
          if (!ctx.resolveAlbTarget) throw new HakoError(`Cannot configure ${name}: its ALB resource label is unknown`, 'AUTOSCALING_UNRESOLVED_LABEL');
          albLabel ??= albResourceLabel(await ctx.resolveAlbTarget());
          const config = input.TargetTrackingScalingPolicyConfiguration;
          if (config === undefined) throw new HakoError(`Scaling policy ${name} has no target tracking configuration`, 'INTERNAL');
          input = {
            ...input,
            TargetTrackingScalingPolicyConfiguration: {
              ...config,
              PredefinedMetricSpecification: {
                PredefinedMetricType: config.PredefinedMetricSpecification?.PredefinedMetricType,
                ResourceLabel: albLabel,
              },
            },
          };
        }
        const out = await ctx.autoScaling.putScalingPolicy(input);
        if (!out.PolicyARN) throw new HakoError('PutScalingPolicy returned no policy ARN', 'AUTOSCALING_UNEXPECTED_RESPONSE');
        policyArns.set(name, out.PolicyARN);
        break;
      }
      case 'update-alarm-actions': {
        const p = payloadOf(step, kind);
        const alarmName = p.alarm.AlarmName ?? '';
        const policyArn = p.policyArn ?? policyArns.get(p.policyName);
        if (policyArn === undefined) {
          throw new HakoError(`No ARN for scaling policy ${p.policyName} to point alarm ${alarmName} at`, 'AUTOSCALING_UNRESOLVED_POLICY');
        }
        const current = p.alarm.AlarmActions ?? [];
        // Planned before the policy's ARN was known: it may already be the one the alarm has.
        if (current.length === 1 && current[0] === policyArn) {
          debug(io, 'autoscaling.alarm.unchanged', `Alarm ${alarmName}'s alarm_actions aren't changed`, { alarmName });
          break;
        }
        info(io, 'autoscaling.alarm.updating', `Updating ${alarmName}'s alarm_actions from ${list(current)} to ${list([policyArn])}`, {
          alarmName,
          from: current,
          to: [policyArn],
        });
        await ctx.cloudWatch.putMetricAlarm(putAlarmInput(p.alarm, [policyArn]));
        break;
      }
      default:
        throw new HakoError(`Unknown autoscaling step kind: ${String(step.kind)}`, 'INTERNAL');
    }
  }
}
