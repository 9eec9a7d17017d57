/**
 * Applies the classic load balancer's steps: the only code that changes classic load balancing; dry runs never
 * reach it. Log lines keep hako's phrases (`Created ELB <dns> with instance_port=<port>`, `Deleted ELB <name>`).
 */
import type { ElbApi } from '../../../aws/ports.js';
import { HakoError } from '../../../errors.js';
import { info, type IoHost } from '../../../io/io-host.js';
import type { StepOutcome } from '../../../plan/executor.js';
import type { Step } from '../../../plan/plan.js';
import { CREATED_BY_TAG } from './config.js';
import { classicElbTags, describeClassicElb, isLoadBalancerNotFound } from './observe.js';
import { classicElbDnsKey, type ClassicElbPayloads, type ClassicElbStepKind } from './plan.js';

export interface ClassicElbApplyContext {
  readonly elb: ElbApi;
  readonly io: IoHost;
}

function payloadOf<K extends ClassicElbStepKind>(step: Step, _kind: K): ClassicElbPayloads[K] {
  return step.payload as ClassicElbPayloads[K];
}

export async function applyClassicElbStep(step: Step, ctx: ClassicElbApplyContext): Promise<StepOutcome | void> {
  const kind = step.kind as ClassicElbStepKind;
  switch (kind) {
    case 'create-classic-elb': {
      const p = payloadOf(step, kind);
      const out = await ctx.elb.createLoadBalancer(p.input);
      const dns = out.DNSName;
      if (dns === undefined) throw new HakoError(`ELB CreateLoadBalancer returned no DNS name for ${p.name}`, 'CLASSIC_ELB_UNEXPECTED_RESPONSE');
      info(ctx.io, 'classic-elb.created', `Created ELB ${dns} with instance_port=${p.instancePort}`, { name: p.name, dnsName: dns, instancePort: p.instancePort });
      return { outputs: { [classicElbDnsKey(p.name)]: dns } };
    }
    case 'modify-classic-elb-attributes': {
      const p = payloadOf(step, kind);
      await ctx.elb.modifyLoadBalancerAttributes({
        LoadBalancerName: p.name,
        LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: p.crossZone } },
      });
      info(ctx.io, 'classic-elb.attributes', `Updated ELB ${p.name}: cross-zone load balancing ${p.crossZone ? 'enabled' : 'disabled'}`, { name: p.name, crossZone: p.crossZone });
      return;
    }
    case 'delete-classic-elb': {
      const p = payloadOf(step, kind);
      await ctx.elb.deleteLoadBalancer({ LoadBalancerName: p.name });
      info(ctx.io, 'classic-elb.deleted', `Deleted ELB ${p.name}`, { name: p.name });
      return;
    }
    case 'classic-elb-unchanged':
    case 'classic-elb-missing':
    case 'classic-elb-kept':
      return;
    default:
      throw new HakoError(`Unknown classic load balancer step kind: ${String(step.kind)}`, 'INTERNAL');
  }
}

/**
 * After a CreateLoadBalancer whose answer was lost (or that found the name taken, which is how a repeat of a
 * request that had succeeded answers): the load balancer of that name is adopted when this app created it.
 */
export async function reconcileClassicElbStep(step: Step, api: ElbApi): Promise<StepOutcome | undefined> {
  if (step.kind !== 'create-classic-elb') return undefined;
  const p = payloadOf(step, 'create-classic-elb');
  const found = await describeClassicElb(api, p.name);
  if (found?.DNSName === undefined) return undefined;
  const tags = await classicElbTags(api, p.name);
  return tags[CREATED_BY_TAG] === p.appId ? { outputs: { [classicElbDnsKey(p.name)]: found.DNSName } } : undefined;
}

/** A delete of a load balancer that is not there is done (AWS answers success anyway; other endpoints may not). */
export function isClassicElbGone(_step: Step, e: unknown): boolean {
  return isLoadBalancerNotFound(e);
}
