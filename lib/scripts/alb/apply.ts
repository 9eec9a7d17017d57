/**
 * The applier: executes one planned step. ARNs of resources created earlier in the same apply arrive resolved: the
 * planner put refs to those steps' outputs in the payload and the executor filled them in (`known`). A create
 * returns the outputs it declared, so the steps after it (and the service binding) get the new ARN.
 */
import type { Elbv2Api, elbv2 } from '../../aws/ports.js';
import { PluginError } from '../../errors.js';
import { info, warn, type IoHost } from '../../io/io-host.js';
import type { StepOutcome } from '../../plan/executor.js';
import { known } from '../../plan/outputs.js';
import { awsErrorCode, createBackoff } from '../../util/backoff.js';
import type { Sleep } from '../../util/sleep.js';
import { albTargetGroupArnKey, listenerArnKey, loadBalancerArnKey, loadBalancerVpcKey, outcomeOf, ruleArnKey } from './outputs.js';
import { attributeList, tagList, type AlbStep } from './steps.js';

export interface ApplyDeps {
  readonly api: Elbv2Api;
  readonly io: IoHost;
  readonly sleep: Sleep;
  /** DeleteTargetGroup attempts while the group is still in use (hako: 30). */
  readonly deleteTargetGroupAttempts?: number;
}

const forward = (arn: string): elbv2.Action[] => [{ Type: 'forward', TargetGroupArn: arn }];

const show = (v: unknown): string => JSON.stringify(v);

/** Executes one step of this script (refs resolved); returns what a create provides. `noop` steps do nothing. */
export async function applyAlbStep(step: AlbStep, deps: ApplyDeps): Promise<StepOutcome | void> {
  const { api, io } = deps;
  switch (step.kind) {
    case 'unchanged':
      return;
    case 'create-load-balancer': {
      const out = await api.createLoadBalancer(step.payload.input);
      const lb = out.LoadBalancers?.[0];
      const name = step.payload.input.Name ?? '';
      const nlb = step.payload.input.Type === 'network' ? '(NLB)' : '';
      info(io, 'alb.load-balancer.created', `Created ELBv2${nlb} ${lb?.DNSName ?? name}`, { arn: lb?.LoadBalancerArn });
      return outcomeOf({ [loadBalancerArnKey(name)]: lb?.LoadBalancerArn, [loadBalancerVpcKey(name)]: lb?.VpcId });
    }
    case 'set-subnets': {
      const arn = known(step.payload.loadBalancer.arn);
      info(io, 'alb.load-balancer.subnets', `Updating ELBv2 subnets to ${show(step.payload.subnets)}`);
      await api.setSubnets({ LoadBalancerArn: arn, Subnets: [...step.payload.subnets] });
      return;
    }
    case 'set-security-groups': {
      const arn = known(step.payload.loadBalancer.arn);
      info(io, 'alb.load-balancer.security-groups', `Updating ELBv2 security groups to ${show(step.payload.securityGroups)}`);
      await api.setSecurityGroups({ LoadBalancerArn: arn, SecurityGroups: [...step.payload.securityGroups] });
      return;
    }
    case 'modify-load-balancer-attributes': {
      const arn = known(step.payload.loadBalancer.arn);
      info(io, 'alb.load-balancer.attributes', `Updating ELBv2 attributes to ${show(step.payload.attributes)}`);
      await api.modifyLoadBalancerAttributes({ LoadBalancerArn: arn, Attributes: attributeList(step.payload.attributes) });
      return;
    }
    case 'add-tags': {
      await api.addTags({ ResourceArns: [step.payload.resourceArn], Tags: tagList(step.payload.tags) });
      info(io, 'alb.tagged', `Tagged ${step.payload.resource}: ${show(step.payload.tags)}`);
      return;
    }
    case 'create-target-group': {
      const { input, vpcId } = step.payload;
      const out = await api.createTargetGroup({ ...input, ...(vpcId === undefined ? {} : { VpcId: known(vpcId) }) });
      const arn = out.TargetGroups?.[0]?.TargetGroupArn;
      info(io, 'alb.target-group.created', `Created target group ${arn ?? input.Name}`, { arn });
      return outcomeOf({ [albTargetGroupArnKey(input.Name ?? '')]: arn });
    }
    case 'modify-target-group': {
      const arn = known(step.payload.targetGroup.arn);
      await api.modifyTargetGroup({
        TargetGroupArn: arn,
        ...(step.payload.healthCheckPath === undefined ? {} : { HealthCheckPath: step.payload.healthCheckPath }),
        ...(step.payload.matcher === undefined ? {} : { Matcher: step.payload.matcher }),
      });
      info(io, 'alb.target-group.modified', `Updated health check of target group ${arn}`);
      return;
    }
    case 'modify-target-group-attributes': {
      const arn = known(step.payload.targetGroup.arn);
      info(io, 'alb.target-group.attributes', `Updating target group attributes to ${show(step.payload.attributes)}`);
      await api.modifyTargetGroupAttributes({ TargetGroupArn: arn, Attributes: attributeList(step.payload.attributes) });
      return;
    }
    case 'create-listener': {
      const p = step.payload;
      const out = await api.createListener({
        LoadBalancerArn: known(p.listener.loadBalancer.arn),
        Port: p.listener.port,
        Protocol: p.protocol as elbv2.ProtocolEnum,
        ...(p.sslPolicy === undefined ? {} : { SslPolicy: p.sslPolicy }),
        ...(p.certificateArn === undefined ? {} : { Certificates: [{ CertificateArn: p.certificateArn }] }),
        DefaultActions: forward(known(p.targetGroup.arn)),
        Tags: tagList(p.tags),
      });
      const arn = out.Listeners?.[0]?.ListenerArn;
      info(io, 'alb.listener.created', `Created listener ${arn ?? p.listener.port}`, { arn, port: p.listener.port });
      return outcomeOf({ [listenerArnKey(p.listener.loadBalancer.name, p.listener.port)]: arn });
    }
    case 'modify-listener': {
      const p = step.payload;
      await api.modifyListener({
        ListenerArn: p.listenerArn,
        Protocol: p.protocol as elbv2.ProtocolEnum,
        ...(p.sslPolicy === undefined ? {} : { SslPolicy: p.sslPolicy }),
        ...(p.certificateArn === undefined ? {} : { Certificates: [{ CertificateArn: p.certificateArn }] }),
        DefaultActions: forward(known(p.targetGroup.arn)),
      });
      info(io, 'alb.listener.modified', `Updated listener ${p.listenerArn} (port ${p.port})`);
      return;
    }
    case 'release-listener': {
      await api.modifyListener({
        ListenerArn: step.payload.listenerArn,
        DefaultActions: [
          { Type: 'fixed-response', FixedResponseConfig: { StatusCode: '404', ContentType: 'text/plain', MessageBody: 'Not Found' } },
        ],
      });
      info(io, 'alb.listener.released', `Kept listener ${step.payload.listenerArn} (port ${step.payload.port}) for other apps' rules`);
      return;
    }
    case 'delete-listener':
      await api.deleteListener({ ListenerArn: step.payload.listenerArn });
      info(io, 'alb.listener.deleted', `Deleted listener ${step.payload.listenerArn} (port ${step.payload.port})`);
      return;
    case 'create-rule': {
      const p = step.payload;
      const out = await api.createRule({
        ListenerArn: known(p.listener.arn),
        Priority: p.priority,
        Conditions: [...p.conditions],
        Actions: forward(known(p.targetGroup.arn)),
        Tags: tagList(p.tags),
      });
      const arn = out.Rules?.[0]?.RuleArn;
      info(io, 'alb.rule.created', `Created rule ${arn ?? ''} (port ${p.listener.port}, priority ${p.priority})`, { arn });
      return outcomeOf({ [ruleArnKey(p.listener.loadBalancer.name, p.listener.port, p.priority)]: arn });
    }
    case 'modify-rule': {
      const p = step.payload;
      await api.modifyRule({
        RuleArn: p.ruleArn,
        Conditions: [...p.conditions],
        Actions: forward(known(p.targetGroup.arn)),
      });
      info(io, 'alb.rule.modified', `Updated rule ${p.ruleArn} (port ${p.port}, priority ${p.priority})`);
      return;
    }
    case 'delete-rule':
      await api.deleteRule({ RuleArn: step.payload.ruleArn });
      info(io, 'alb.rule.deleted', `Deleted rule ${step.payload.ruleArn} (port ${step.payload.port}, priority ${step.payload.priority})`);
      return;
    case 'delete-load-balancer':
      await api.deleteLoadBalancer({ LoadBalancerArn: step.payload.loadBalancerArn });
      info(io, 'alb.load-balancer.deleted', `Deleted ELBv2 ${step.payload.loadBalancerArn}`);
      return;
    case 'delete-target-group':
      await deleteTargetGroup(step.payload.targetGroupArn, deps);
      return;
  }
}

/** The group stays in use for a while after its listeners and service are gone: retry, as hako does. */
async function deleteTargetGroup(arn: string, deps: ApplyDeps): Promise<void> {
  const attempts = deps.deleteTargetGroupAttempts ?? 30;
  const backoff = createBackoff({ initialMs: 1000, maxMs: 5000 });
  for (let attempt = 1; ; attempt++) {
    try {
      await deps.api.deleteTargetGroup({ TargetGroupArn: arn });
      info(deps.io, 'alb.target-group.deleted', `Deleted target group ${arn}`);
      return;
    } catch (e) {
      const code = awsErrorCode(e);
      if (code !== 'ResourceInUse' && code !== 'ResourceInUseException') throw e;
      if (attempt >= attempts) {
        throw new PluginError('alb', `Cannot delete target group ${arn}: still in use after ${attempts} attempts`, {
          cause: e,
          hint: 'Something else (a listener or rule of another app, or a service) still uses it; remove that, then retry.',
        });
      }
      warn(deps.io, 'alb.target-group.in-use', `${code}: ${(e as Error).message ?? ''} (attempt ${attempt}/${attempts})`);
      await deps.sleep(backoff.next());
    }
  }
}
