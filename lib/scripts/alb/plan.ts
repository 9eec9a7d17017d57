/**
 * The deploy planner (pure): desired settings × observed AWS state → steps. Ownership decides what may change:
 * the load balancer's own settings only by the app that created it (`hako:created-by`), the target group,
 * listeners and rules only by the app that owns them (`hako:app`). Anything the app may not touch but needs is an
 * error that says what to declare instead; every such problem is reported at once.
 */
import { DefinitionError, type DefinitionIssue } from '../../errors.js';
import { shown } from '../../plan/outputs.js';
import { CREATED_BY_TAG, OWNER_TAG } from '../ownership.js';
import { apiMatcher, diffAttributes, sameList } from './compare.js';
import type { AlbSettings } from './config.js';
import { albDuplicates, duplicatesError } from './duplicates.js';
import type { ObservedAlb } from './observed.js';
import {
  albTargetGroupArnKey,
  loadBalancerArnKey,
  loadBalancerArnRef,
  loadBalancerVpcKey,
  loadBalancerVpcRef,
  targetGroupArnRef,
} from './outputs.js';
import { planListenersAndRules } from './plan-routes.js';
import { albStep, tagList, unchanged, withOutputs, type AlbStep, type NamedRef } from './steps.js';

export { forwardsOnlyTo, listenerOwnership } from './compare.js';

export interface DeployPlanInput {
  readonly settings: AlbSettings;
  readonly observed: ObservedAlb;
  /** Names of the model's containers: the binding's container must be one of them. */
  readonly containerNames: readonly string[];
  /** JSON path of this script entry (`scripts[0]`), prefixed to error paths. */
  readonly path: string;
  /** The definition file, for errors. */
  readonly file: string;
}

export interface AlbPlan {
  readonly steps: AlbStep[];
  /** Things the user should know that do not stop the plan (immutable settings that differ, kept listeners). */
  readonly warnings: string[];
}


/**
 * Plans what a deploy changes on the load balancer side. Throws DuplicateResourcesError when a resource it would
 * plan on exists more than once, and DefinitionError listing every conflict.
 *
 * Every plan provides the target group's ARN (`albTargetGroupArnKey`): its first step declares it, known now when the
 * group exists, after apply when this plan creates it. The service binding this script contributes refers to it.
 */
export function planAlbDeploy(input: DeployPlanInput): AlbPlan {
  const { settings: s, observed, path } = input;
  const duplicates = albDuplicates(s, observed);
  if (duplicates.length > 0) throw duplicatesError(s, duplicates);
  const { loadBalancer: lb, targetGroup: tg } = observed;
  const issues: DefinitionIssue[] = [];
  const issue = (p: string, message: string): void => {
    issues.push({ path: `${path}.${p}`, message, severity: 'error' });
  };
  const steps: AlbStep[] = [];
  const warnings: string[] = [];
  const ownedTag = { [OWNER_TAG]: s.appId };

  if (!input.containerNames.includes(s.containerName)) {
    issue('container_name', `no container named ${s.containerName} in this app (containers: ${input.containerNames.join(', ')})`);
  }

  // Load balancer.
  const lbRes = `load balancer ${s.loadBalancerName}`;
  const lbRef: NamedRef = lb ? { name: lb.name, arn: lb.arn } : { name: s.loadBalancerName, arn: loadBalancerArnRef(s.loadBalancerName) };
  const lbShape = {
    name: s.loadBalancerName,
    type: s.loadBalancerType,
    ...(s.scheme === undefined ? {} : { scheme: s.scheme }),
    ...(s.subnets === undefined ? {} : { subnets: s.subnets }),
    ...(s.securityGroups === undefined || s.loadBalancerType === 'network' ? {} : { security_groups: s.securityGroups }),
    ...(s.loadBalancerAttributes === undefined ? {} : { attributes: s.loadBalancerAttributes }),
    tags: { ...s.tags, [CREATED_BY_TAG]: s.appId },
  };
  if (!lb) {
    if (s.subnets === undefined) {
      issue('subnets', `load balancer ${s.loadBalancerName} does not exist, and subnets are needed to create it`);
    }
    steps.push(
      albStep(
        'create-load-balancer',
        'create',
        lbRes,
        `Create ${s.loadBalancerType} load balancer ${s.loadBalancerName}`,
        {
          input: {
            Name: s.loadBalancerName,
            Type: s.loadBalancerType,
            Subnets: [...(s.subnets ?? [])],
            ...(s.scheme === undefined ? {} : { Scheme: s.scheme as 'internet-facing' | 'internal' }),
            ...(s.securityGroups === undefined || s.loadBalancerType === 'network'
              ? {}
              : { SecurityGroups: [...s.securityGroups] }),
            Tags: tagList(lbShape.tags),
          },
        },
        { after: lbShape, outputs: { [loadBalancerArnKey(s.loadBalancerName)]: undefined, [loadBalancerVpcKey(s.loadBalancerName)]: undefined } },
      ),
    );
    if (s.loadBalancerAttributes !== undefined) {
      steps.push(
        albStep(
          'modify-load-balancer-attributes',
          'update',
          lbRes,
          `Set attributes of load balancer ${s.loadBalancerName}`,
          { loadBalancer: lbRef, attributes: s.loadBalancerAttributes },
          { after: s.loadBalancerAttributes },
        ),
      );
    }
  } else {
    if (lb.type !== s.loadBalancerType) {
      warnings.push(`${lbRes} is of type ${lb.type}, not ${s.loadBalancerType}; the type of a load balancer cannot change`);
    }
    const creator = lb.tags[CREATED_BY_TAG];
    if (creator === s.appId) {
      const before = steps.length;
      if (s.subnets !== undefined && !sameList(s.subnets, lb.subnets)) {
        steps.push(
          albStep('set-subnets', 'update', lbRes, `Set subnets of load balancer ${lb.name}`, { loadBalancer: lbRef, subnets: s.subnets }, {
            before: { subnets: lb.subnets },
            after: { subnets: s.subnets },
          }),
        );
      }
      if (s.loadBalancerType === 'application' && s.securityGroups !== undefined && !sameList(s.securityGroups, lb.securityGroups)) {
        steps.push(
          albStep(
            'set-security-groups',
            'update',
            lbRes,
            `Set security groups of load balancer ${lb.name}`,
            { loadBalancer: lbRef, securityGroups: s.securityGroups },
            { before: { security_groups: lb.securityGroups }, after: { security_groups: s.securityGroups } },
          ),
        );
      }
      if (s.loadBalancerAttributes !== undefined) {
        const { changed, before: live } = diffAttributes(s.loadBalancerAttributes, lb.attributes);
        if (Object.keys(changed).length > 0) {
          steps.push(
            albStep(
              'modify-load-balancer-attributes',
              'update',
              lbRes,
              `Update attributes of load balancer ${lb.name}`,
              { loadBalancer: lbRef, attributes: changed },
              { before: live, after: s.loadBalancerAttributes },
            ),
          );
        }
      }
      const tagChanges = diffAttributes(s.tags, lb.tags);
      if (Object.keys(tagChanges.changed).length > 0) {
        steps.push(
          albStep(
            'add-tags',
            'update',
            lbRes,
            `Tag load balancer ${lb.name}`,
            { resourceArn: lb.arn, resource: lbRes, tags: tagChanges.changed },
            { before: tagChanges.before, after: s.tags },
          ),
        );
      }
      if (steps.length === before) steps.push(unchanged(lbRes, `Load balancer ${lb.name} is up to date (${lb.dnsName})`));
    } else {
      const by = creator === undefined ? 'not created by hako' : `created by app ${creator}`;
      steps.push(unchanged(lbRes, `Load balancer ${lb.name} is shared (${by}); its own settings are left alone`));
    }
  }

  // Target group.
  const tgRes = `target group ${s.targetGroupName}`;
  const tgRef: NamedRef = tg ? { name: tg.name, arn: tg.arn } : { name: s.targetGroupName, arn: targetGroupArnRef(s.targetGroupName) };
  const tgArnKey = albTargetGroupArnKey(s.targetGroupName);
  const tgFirstStep = steps.length;
  const tgShape = {
    name: s.targetGroupName,
    port: 80,
    protocol: s.loadBalancerType === 'network' ? 'TCP' : 'HTTP',
    ...(s.protocolVersion === undefined ? {} : { protocol_version: s.protocolVersion }),
    ...(s.targetType === undefined ? {} : { target_type: s.targetType }),
    ...(s.healthCheckPath === undefined ? {} : { health_check_path: s.healthCheckPath }),
    ...(s.matcher === undefined ? {} : { matcher: s.matcher }),
  };
  if (!tg) {
    // A load balancer created by this plan tells its VPC only once it exists.
    const vpcId = s.vpcId ?? (lb ? lb.vpcId : loadBalancerVpcRef(s.loadBalancerName));
    if (vpcId === undefined && lb) issue('vpc_id', `vpc_id is needed to create target group ${s.targetGroupName}`);
    const application = s.loadBalancerType === 'application';
    steps.push(
      albStep(
        'create-target-group',
        'create',
        tgRes,
        `Create target group ${s.targetGroupName}`,
        {
          input: {
            Name: s.targetGroupName,
            Port: 80,
            Protocol: application ? 'HTTP' : 'TCP',
            ...(s.targetType === undefined ? {} : { TargetType: s.targetType as 'ip' }),
            ...(application && s.protocolVersion !== undefined ? { ProtocolVersion: s.protocolVersion } : {}),
            ...(application && s.healthCheckPath !== undefined ? { HealthCheckPath: s.healthCheckPath } : {}),
            ...(application && s.matcher !== undefined ? { Matcher: apiMatcher(s.matcher) } : {}),
            Tags: tagList(ownedTag),
          },
          ...(vpcId === undefined ? {} : { vpcId }),
        },
        { after: { ...tgShape, ...(vpcId === undefined ? {} : { vpc_id: shown(vpcId) }) }, outputs: { [tgArnKey]: undefined } },
      ),
    );
    if (s.targetGroupAttributes !== undefined) {
      steps.push(
        albStep(
          'modify-target-group-attributes',
          'update',
          tgRes,
          `Set attributes of target group ${s.targetGroupName}`,
          { targetGroup: tgRef, attributes: s.targetGroupAttributes },
          { after: s.targetGroupAttributes },
        ),
      );
    }
  } else {
    const owner = tg.tags[OWNER_TAG];
    if (owner !== undefined && owner !== s.appId) {
      issue('target_group_name', `target group ${tg.name} belongs to app ${owner}; choose another target_group_name`);
    } else {
      const before = steps.length;
      if (owner === undefined) {
        steps.push(
          albStep('add-tags', 'update', tgRes, `Adopt target group ${tg.name} (tag ${OWNER_TAG}=${s.appId})`, {
            resourceArn: tg.arn,
            resource: tgRes,
            tags: ownedTag,
          }, { before: { tags: tg.tags }, after: { tags: { ...tg.tags, ...ownedTag } } }),
        );
      }
      for (const [what, want, have] of [
        ['protocol_version', s.protocolVersion, tg.protocolVersion],
        ['target_type', s.targetType, tg.targetType],
        ['vpc_id', s.vpcId, tg.vpcId],
      ] as const) {
        if (want !== undefined && have !== undefined && want !== have) {
          warnings.push(`${tgRes} has ${what} ${have}, not ${want}; it cannot change without recreating the target group`);
        }
      }
      // Health check settings are hako's ALB-only keys; unset ones keep whatever AWS has.
      const application = s.loadBalancerType === 'application';
      const hcDiffers = application && s.healthCheckPath !== undefined && s.healthCheckPath !== tg.healthCheckPath;
      const m = s.matcher;
      const matcherDiffers =
        application &&
        m !== undefined &&
        ((m.httpCode !== undefined && m.httpCode !== tg.matcher?.httpCode) ||
          (m.grpcCode !== undefined && m.grpcCode !== tg.matcher?.grpcCode));
      if (hcDiffers || matcherDiffers) {
        steps.push(
          albStep(
            'modify-target-group',
            'update',
            tgRes,
            `Update health check of target group ${tg.name}`,
            {
              targetGroup: tgRef,
              ...(hcDiffers ? { healthCheckPath: s.healthCheckPath } : {}),
              ...(matcherDiffers && m !== undefined ? { matcher: apiMatcher(m) } : {}),
            },
            {
              before: { health_check_path: tg.healthCheckPath ?? null, matcher: tg.matcher ?? null },
              after: { health_check_path: s.healthCheckPath ?? tg.healthCheckPath ?? null, matcher: s.matcher ?? tg.matcher ?? null },
            },
          ),
        );
      }
      if (s.targetGroupAttributes !== undefined) {
        const { changed, before: live } = diffAttributes(s.targetGroupAttributes, tg.attributes);
        if (Object.keys(changed).length > 0) {
          steps.push(
            albStep(
              'modify-target-group-attributes',
              'update',
              tgRes,
              `Update attributes of target group ${tg.name}`,
              { targetGroup: tgRef, attributes: changed },
              { before: live, after: s.targetGroupAttributes },
            ),
          );
        }
      }
      if (steps.length === before) steps.push(unchanged(tgRes, `Target group ${tg.name} is up to date`, tgShape));
    }
    // The group exists: its ARN is known now, and its first step provides it to the steps that bind to it.
    const first = steps[tgFirstStep];
    if (first !== undefined) steps[tgFirstStep] = withOutputs(first, { [tgArnKey]: tg.arn });
  }

  planListenersAndRules(input, { lbRef, tgRef, issue, steps, warnings });

  if (issues.length > 0) {
    throw new DefinitionError(input.file, issues, {
      summary:
        issues.length === 1
          ? `Cannot plan load balancer ${s.loadBalancerName} for ${s.appId}`
          : `Cannot plan load balancer ${s.loadBalancerName} for ${s.appId} (${issues.length} problems)`,
    });
  }
  return { steps, warnings };
}

