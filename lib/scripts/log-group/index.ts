/**
 * The `create_aws_cloud_watch_logs_log_group` script: makes sure every `awslogs` log group the task's containers
 * write to exists before ECS starts them (ECS does not create it, and a missing group fails the task start).
 * Runs for deploy and oneshot alike, as hako's deploy_starting and oneshot_starting hooks did.
 */
import type { AppModel } from '../../definition/model.js';
import { DefinitionError, PluginError, type DefinitionIssue } from '../../errors.js';
import { info } from '../../io/io-host.js';
import type { Step } from '../../plan/plan.js';
import type { ApplyContext, Script, ScriptContext, ScriptPlugin, StepOutcome } from '../script.js';
import { logGroupKey, type ScriptVerification } from '../../verify/checks.js';
import { logGroupConfigSchema, type LogGroupConfig } from './config.js';

export const LOG_GROUP_TYPE = 'create_aws_cloud_watch_logs_log_group';

export { logGroupConfigSchema, RETENTION_DAYS, type LogGroupConfig } from './config.js';

/** One log group the task writes to. */
export interface LogGroupTarget {
  readonly group: string;
  readonly region: string;
  /** Definition paths of the containers that use it, e.g. `app`, `sidecars.front`. */
  readonly containers: readonly string[];
}

/** Payload of this script's steps. */
export interface LogGroupPayload {
  readonly group: string;
  readonly region: string;
  /** For `create-log-group` and `put-retention-policy`: the retention to set, if any. */
  readonly retentionInDays?: number;
}

function containerPath(model: AppModel, name: string): string {
  // The first container is `app` (normalisation order); the rest come from `sidecars`.
  return model.containers[0]?.name === name ? name : `sidecars.${name}`;
}

/**
 * Pure: the distinct (region, group) pairs of the containers logging with `awslogs`, in container order.
 * Throws a DefinitionError listing every container whose awslogs options lack the group or the region.
 */
export function logGroupTargets(model: AppModel): LogGroupTarget[] {
  const targets = new Map<string, { group: string; region: string; containers: string[] }>();
  const issues: DefinitionIssue[] = [];
  for (const container of model.containers) {
    const log = container.log_configuration;
    if (log?.log_driver !== 'awslogs') continue;
    const path = containerPath(model, container.name);
    const group = log.options['awslogs-group'];
    const region = log.options['awslogs-region'];
    for (const [option, value] of [['awslogs-group', group], ['awslogs-region', region]] as const) {
      if (!value) {
        issues.push({
          path: `${path}.log_configuration.options.${option}`,
          message: `${LOG_GROUP_TYPE} needs \`${option}\` for the awslogs log driver`,
          severity: 'error',
        });
      }
    }
    if (!group || !region) continue;
    const id = `${region}\u0000${group}`;
    const existing = targets.get(id);
    if (existing) existing.containers.push(path);
    else targets.set(id, { group, region, containers: [path] });
  }
  if (issues.length > 0) {
    throw new DefinitionError(model.file, issues, {
      summary: `Script ${LOG_GROUP_TYPE}: awslogs options are incomplete in ${model.file}`,
    });
  }
  return [...targets.values()];
}

/** What DescribeLogGroups told us about a group: absent, or present with its retention (undefined = never expire). */
export type ObservedLogGroup = { readonly exists: false } | { readonly exists: true; readonly retentionInDays?: number };

/** Pure: the step for one group given what exists. */
export function planLogGroup(target: LogGroupTarget, observed: ObservedLogGroup, config: LogGroupConfig): Step<LogGroupPayload> {
  const where = `${target.group} in ${target.region}`;
  const resource = `CloudWatch log group ${where}`;
  const retention = config.retention_in_days;
  const base = { group: target.group, region: target.region };
  if (!observed.exists) {
    return {
      owner: LOG_GROUP_TYPE,
      kind: 'create-log-group',
      action: 'create',
      resource,
      title: `Create CloudWatch log group ${where}`,
      after: { log_group_name: target.group, ...(retention === undefined ? {} : { retention_in_days: retention }) },
      payload: retention === undefined ? base : { ...base, retentionInDays: retention },
    };
  }
  if (retention !== undefined && observed.retentionInDays !== retention) {
    return {
      owner: LOG_GROUP_TYPE,
      kind: 'put-retention-policy',
      action: 'update',
      resource,
      title: `Set retention of CloudWatch log group ${where} to ${retention} days`,
      before: { log_group_name: target.group, retention_in_days: observed.retentionInDays ?? 'never expire' },
      after: { log_group_name: target.group, retention_in_days: retention },
      payload: { ...base, retentionInDays: retention },
    };
  }
  return {
    owner: LOG_GROUP_TYPE,
    kind: 'log-group-unchanged',
    action: 'noop',
    resource,
    title: `CloudWatch log group ${where} exists`,
    payload: base,
  };
}

function isAlreadyExists(e: unknown): boolean {
  if (!(e instanceof Error)) return false;
  const code = (e as { awsCode?: unknown }).awsCode ?? e.name;
  return code === 'ResourceAlreadyExistsException';
}

class LogGroupScript implements Script {
  constructor(
    private readonly config: LogGroupConfig,
    private readonly context: ScriptContext,
  ) {}

  async plan(model: AppModel): Promise<Step[]> {
    const steps: Step[] = [];
    for (const target of logGroupTargets(model)) {
      steps.push(planLogGroup(target, await this.observe(target), this.config));
    }
    return steps;
  }

  /** DescribeLogGroups matches by prefix: page until the exact name shows up. */
  private async observe(target: Pick<LogGroupTarget, 'group' | 'region'>, aws = this.context.aws): Promise<ObservedLogGroup> {
    const logs = await aws().logs(target.region);
    let nextToken: string | undefined;
    do {
      const page = await logs.describeLogGroups({ logGroupNamePrefix: target.group, nextToken });
      const found = page.logGroups?.find((g) => g.logGroupName === target.group);
      if (found) {
        return found.retentionInDays === undefined ? { exists: true } : { exists: true, retentionInDays: found.retentionInDays };
      }
      nextToken = page.nextToken;
    } while (nextToken);
    return { exists: false };
  }

  /** The groups this script creates before the task starts: `hako verify` need not find them yet. */
  async verify(model: AppModel): Promise<ScriptVerification> {
    return { provides: logGroupTargets(model).map((t) => logGroupKey(t.region, t.group)) };
  }

  async apply(step: Step, context: ApplyContext): Promise<void> {
    if (step.owner !== LOG_GROUP_TYPE) throw new PluginError(LOG_GROUP_TYPE, `Cannot apply a step owned by ${step.owner}`);
    const p = step.payload as LogGroupPayload;
    const where = `${p.group} in ${p.region}`;
    switch (step.kind) {
      case 'log-group-unchanged':
        return;
      case 'create-log-group': {
        const logs = await context.aws().logs(p.region);
        try {
          await logs.createLogGroup({ logGroupName: p.group });
          info(context.io, 'log-group.created', `Created CloudWatch log group ${where}`, { group: p.group, region: p.region });
        } catch (e) {
          // Another deploy (a oneshot of the same app, a sibling app sharing the group) may have won the race.
          if (!isAlreadyExists(e)) throw e;
          info(context.io, 'log-group.exists', `CloudWatch log group ${where} already exists`, { group: p.group, region: p.region });
        }
        if (p.retentionInDays !== undefined) await this.putRetention(context, p);
        return;
      }
      case 'put-retention-policy':
        await this.putRetention(context, p);
        return;
      default:
        throw new PluginError(LOG_GROUP_TYPE, `Unknown step kind ${step.kind}`);
    }
  }

  /**
   * After a CreateLogGroup whose answer was lost: the group exists (and has the retention the step sets, which a
   * separate call puts) ⇒ the step is done. Otherwise the create is repeated; if the group does exist, its
   * ResourceAlreadyExistsException is taken as "created" by `apply`, which then sets the retention.
   */
  async reconcile(step: Step, context: ApplyContext): Promise<StepOutcome | undefined> {
    if (step.owner !== LOG_GROUP_TYPE || step.kind !== 'create-log-group') return undefined;
    const p = step.payload as LogGroupPayload;
    const observed = await this.observe(p, context.aws);
    if (!observed.exists) return undefined;
    if (p.retentionInDays !== undefined && observed.retentionInDays !== p.retentionInDays) return undefined;
    return {};
  }

  private async putRetention(context: ApplyContext, p: LogGroupPayload): Promise<void> {
    const logs = await context.aws().logs(p.region);
    await logs.putRetentionPolicy({ logGroupName: p.group, retentionInDays: p.retentionInDays });
    info(context.io, 'log-group.retention', `Set retention of CloudWatch log group ${p.group} in ${p.region} to ${p.retentionInDays} days`, {
      group: p.group,
      region: p.region,
      retentionInDays: p.retentionInDays,
    });
  }
}

/** The built-in `create_aws_cloud_watch_logs_log_group` script registration. */
export const logGroupScript: ScriptPlugin<LogGroupConfig> = {
  type: LOG_GROUP_TYPE,
  configSchema: logGroupConfigSchema,
  create: (config, context) => new LogGroupScript(config, context),
};
