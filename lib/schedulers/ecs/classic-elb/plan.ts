/**
 * The classic load balancer's steps (reference §4.13, §4.11): pure planners over what observe.ts read.
 *
 * Deploy creates the load balancer when no load balancer has its name, or uses the one that does, as hako did;
 * an existing one's listeners, subnets, security groups and scheme are never changed (hako never did), and a
 * difference from the definition is a warning saying so. Only the cross-zone attribute is kept as configured —
 * compared first, unlike hako, which set it on every deploy and even in dry runs.
 *
 * Remove deletes the load balancer only when this app created it (the `hako:created-by` tag, written at creation),
 * after the ECS service is gone. hako deleted whatever load balancer had the name; with `load_balancer_name`
 * naming someone else's load balancer that would delete what hako never made.
 */
import type { elb } from '../../../aws/ports.js';
import { DefinitionError, type DefinitionIssue } from '../../../errors.js';
import { sortUnordered } from '../../../plan/normalise-for-diff.js';
import type { OwnedStep, Step } from '../../../plan/plan.js';
import { CREATED_BY_TAG, type ClassicElbSettings, type ClassicListener } from './config.js';

/** `Step.owner` of every step planned here. */
export const CLASSIC_ELB_STEP_OWNER = 'classic-elb';

export const CLASSIC_ELB_STEP_KINDS = [
  'create-classic-elb',
  'classic-elb-unchanged',
  'modify-classic-elb-attributes',
  'delete-classic-elb',
  'classic-elb-missing',
  'classic-elb-kept',
] as const;
export type ClassicElbStepKind = (typeof CLASSIC_ELB_STEP_KINDS)[number];

/** The output key of a classic load balancer's DNS name (known after apply when it is created). */
export function classicElbDnsKey(name: string): string {
  return `ecs:classic-elb:${name}:dns-name`;
}

export interface CreateClassicElbPayload {
  /** The app creating it: reconcile adopts a load balancer of this name only when its created-by tag says so. */
  readonly appId: string;
  readonly name: string;
  readonly instancePort: number;
  readonly input: elb.CreateLoadBalancerCommandInput;
}

export interface ModifyClassicElbAttributesPayload {
  readonly name: string;
  readonly crossZone: boolean;
}

/** The create-less steps name their load balancer only. */
export interface ClassicElbNamePayload {
  readonly name: string;
}

export interface ClassicElbPayloads {
  'create-classic-elb': CreateClassicElbPayload;
  'classic-elb-unchanged': ClassicElbNamePayload;
  'modify-classic-elb-attributes': ModifyClassicElbAttributesPayload;
  'delete-classic-elb': ClassicElbNamePayload;
  'classic-elb-missing': ClassicElbNamePayload;
  'classic-elb-kept': ClassicElbNamePayload;
}

export type ClassicElbStep<K extends ClassicElbStepKind = ClassicElbStepKind> = OwnedStep<typeof CLASSIC_ELB_STEP_OWNER, ClassicElbPayloads, K>;

export function isClassicElbStep<K extends ClassicElbStepKind>(step: Step, kind: K): step is ClassicElbStep<K> {
  return step.owner === CLASSIC_ELB_STEP_OWNER && step.kind === kind;
}

/** What observe.ts read about the load balancer of the app's name. */
export interface ClassicElbObserved {
  /** Absent when no load balancer has the name. */
  readonly loadBalancer?: elb.LoadBalancerDescription;
  /** Cross-zone load balancing, read only when the definition configures it. */
  readonly crossZone?: boolean;
  /** Its tags, read only when ownership matters (remove). */
  readonly tags?: Readonly<Record<string, string>>;
}

const resourceOf = (name: string): string => `classic load balancer ${name}`;

function listenerText(l: { protocol: string; loadBalancerPort: number; instancePort: number; sslCertificateId?: string | undefined }): string {
  return `${l.protocol}:${l.loadBalancerPort}→${l.instancePort}${l.sslCertificateId === undefined ? '' : ` (${l.sslCertificateId})`}`;
}

function desiredListeners(s: ClassicElbSettings, instancePort: number): string[] | undefined {
  return s.listeners?.map((l: ClassicListener) => listenerText({ ...l, instancePort })).sort();
}

function liveListeners(lb: elb.LoadBalancerDescription): string[] {
  return (lb.ListenerDescriptions ?? [])
    .flatMap((d) => (d.Listener === undefined ? [] : [d.Listener]))
    .map((l) =>
      listenerText({
        protocol: (l.Protocol ?? '').toUpperCase(),
        loadBalancerPort: l.LoadBalancerPort ?? 0,
        instancePort: l.InstancePort ?? 0,
        ...(l.SSLCertificateId ? { sslCertificateId: l.SSLCertificateId } : {}),
      }),
    )
    .sort();
}

/** The comparable shape of a classic load balancer, as plans print it. */
function shape(fields: {
  name: string;
  scheme: string | undefined;
  listeners: readonly string[] | undefined;
  subnets: readonly string[] | undefined;
  securityGroups: readonly string[] | undefined;
  crossZone?: boolean | undefined;
}) {
  return {
    name: fields.name,
    ...(fields.scheme === undefined ? {} : { scheme: fields.scheme }),
    ...(fields.listeners === undefined ? {} : { listeners: [...fields.listeners] }),
    ...(fields.subnets === undefined ? {} : { subnets: sortUnordered([...fields.subnets]) }),
    ...(fields.securityGroups === undefined ? {} : { security_groups: sortUnordered([...fields.securityGroups]) }),
    ...(fields.crossZone === undefined ? {} : { cross_zone_load_balancing: fields.crossZone }),
  };
}

const sorted = (xs: readonly string[] | undefined): string => JSON.stringify([...(xs ?? [])].sort());

/** The settings an existing load balancer has otherwise than the definition says (only what it configures). */
function drift(s: ClassicElbSettings, lb: elb.LoadBalancerDescription, instancePort: number): string[] {
  const out: string[] = [];
  const wanted = desiredListeners(s, instancePort);
  if (wanted !== undefined && JSON.stringify(wanted) !== JSON.stringify(liveListeners(lb))) {
    out.push(`listeners (it has ${liveListeners(lb).join(', ') || 'none'}; the definition wants ${wanted.join(', ')})`);
  }
  if (s.subnets !== undefined && sorted(s.subnets) !== sorted(lb.Subnets)) out.push(`subnets (it has ${(lb.Subnets ?? []).join(', ') || 'none'})`);
  if (s.securityGroups !== undefined && sorted(s.securityGroups) !== sorted(lb.SecurityGroups)) {
    out.push(`security groups (it has ${(lb.SecurityGroups ?? []).join(', ') || 'none'})`);
  }
  if (s.scheme !== undefined && lb.Scheme !== undefined && s.scheme !== lb.Scheme) out.push(`scheme (it is ${lb.Scheme})`);
  return out;
}

/** The CreateLoadBalancer request: hako's (§4.13) plus the created-by tag that remove checks. */
export function buildCreateClassicElb(s: ClassicElbSettings, instancePort: number): elb.CreateLoadBalancerCommandInput {
  return {
    LoadBalancerName: s.name,
    Listeners: (s.listeners ?? []).map((l) => ({
      Protocol: l.protocol,
      LoadBalancerPort: l.loadBalancerPort,
      InstancePort: instancePort,
      ...(l.sslCertificateId === undefined ? {} : { SSLCertificateId: l.sslCertificateId }),
    })),
    Subnets: [...(s.subnets ?? [])],
    SecurityGroups: [...(s.securityGroups ?? [])],
    ...(s.scheme === undefined ? {} : { Scheme: s.scheme }),
    Tags: [...Object.entries(s.tags).map(([Key, Value]) => ({ Key, Value })), { Key: CREATED_BY_TAG, Value: s.appId }],
  };
}

/** Creating needs what hako `fetch`ed (a crash there); here a definition error naming each missing key. */
function requireForCreation(s: ClassicElbSettings, file: string): void {
  const missing: DefinitionIssue[] = [];
  const need = (present: boolean, key: string, what: string): void => {
    if (!present) missing.push({ severity: 'error', path: `scheduler.elb.${key}`, message: `required to create classic load balancer ${s.name} (${what})` });
  };
  need((s.listeners ?? []).length > 0, 'listeners', 'no load balancer has that name yet');
  need((s.subnets ?? []).length > 0, 'subnets', 'the subnets it serves');
  need((s.securityGroups ?? []).length > 0, 'security_groups', 'the security groups of its network interfaces');
  if (missing.length > 0) throw new DefinitionError(file, missing, { summary: `Cannot create the classic load balancer of ${s.appId}` });
}

export interface ClassicElbDeployPlan {
  readonly steps: readonly ClassicElbStep[];
  /** Differences hako leaves alone, to show as warnings. */
  readonly warnings: readonly string[];
}

/** Plans the load balancer's side of a deploy. Pure; throws a DefinitionError when it must be created but cannot. */
export function planClassicElbDeploy(s: ClassicElbSettings, observed: ClassicElbObserved, instancePort: number, file: string): ClassicElbDeployPlan {
  const resource = resourceOf(s.name);
  const lb = observed.loadBalancer;
  if (lb === undefined) {
    requireForCreation(s, file);
    const create: ClassicElbStep<'create-classic-elb'> = {
      owner: CLASSIC_ELB_STEP_OWNER,
      kind: 'create-classic-elb',
      action: 'create',
      resource,
      title: `Create classic load balancer ${s.name} (instance port ${instancePort})`,
      after: {
        ...shape({ name: s.name, scheme: s.scheme, listeners: desiredListeners(s, instancePort), subnets: s.subnets, securityGroups: s.securityGroups }),
        tags: { ...s.tags, [CREATED_BY_TAG]: s.appId },
      },
      payload: { appId: s.appId, name: s.name, instancePort, input: buildCreateClassicElb(s, instancePort) },
      outputs: { [classicElbDnsKey(s.name)]: undefined },
    };
    // AWS creates a classic load balancer without cross-zone load balancing: only `true` needs a call.
    return { steps: s.crossZone === true ? [create, modifyAttributes(s.name, true, undefined, [`${CLASSIC_ELB_STEP_OWNER}:create-classic-elb:${resource}`])] : [create], warnings: [] };
  }

  const live = shape({ name: s.name, scheme: lb.Scheme, listeners: liveListeners(lb), subnets: lb.Subnets, securityGroups: lb.SecurityGroups });
  const dns = lb.DNSName ?? '';
  const unchanged: ClassicElbStep<'classic-elb-unchanged'> = {
    owner: CLASSIC_ELB_STEP_OWNER,
    kind: 'classic-elb-unchanged',
    action: 'noop',
    resource,
    title: `ELB isn't changed: ${s.name}${dns === '' ? '' : ` (${dns})`}`,
    before: live,
    after: live,
    payload: { name: s.name },
    outputs: { [classicElbDnsKey(s.name)]: dns },
  };
  const steps: ClassicElbStep[] = [unchanged];
  if (s.crossZone !== undefined && observed.crossZone !== s.crossZone) steps.push(modifyAttributes(s.name, s.crossZone, observed.crossZone));
  const differs = drift(s, lb, instancePort);
  const warnings =
    differs.length === 0
      ? []
      : [
          `Classic load balancer ${s.name} differs from scheduler.elb in its ${differs.join('; ')}. hako does not change an existing classic ` +
            `load balancer's listeners, subnets, security groups or scheme (hako never did): change it with the AWS console or CLI.`,
        ];
  return { steps, warnings };
}

function modifyAttributes(name: string, crossZone: boolean, current: boolean | undefined, dependsOn?: readonly string[]): ClassicElbStep<'modify-classic-elb-attributes'> {
  return {
    owner: CLASSIC_ELB_STEP_OWNER,
    kind: 'modify-classic-elb-attributes',
    action: 'update',
    resource: `attributes of ${resourceOf(name)}`,
    title: `${crossZone ? 'Enable' : 'Disable'} cross-zone load balancing of classic load balancer ${name}`,
    ...(current === undefined ? {} : { before: { cross_zone_load_balancing: current } }),
    after: { cross_zone_load_balancing: crossZone },
    payload: { name, crossZone },
    ...(dependsOn === undefined ? {} : { dependsOn }),
  };
}

/**
 * Plans the load balancer's side of `remove`: delete it when this app created it, once the service is gone
 * (`afterStep`, the id of the service's delete step, when there is a service to delete).
 */
export function planClassicElbRemove(s: ClassicElbSettings, observed: ClassicElbObserved, afterStep: string | undefined): ClassicElbStep[] {
  const resource = resourceOf(s.name);
  const lb = observed.loadBalancer;
  if (lb === undefined) {
    return [{ owner: CLASSIC_ELB_STEP_OWNER, kind: 'classic-elb-missing', action: 'noop', resource, title: `ELB ${s.name} doesn't exist`, payload: { name: s.name } }];
  }
  const creator = observed.tags?.[CREATED_BY_TAG];
  if (creator !== s.appId) {
    const why = creator === undefined ? `it has no ${CREATED_BY_TAG} tag` : `${CREATED_BY_TAG} is ${creator}`;
    return [
      {
        owner: CLASSIC_ELB_STEP_OWNER,
        kind: 'classic-elb-kept',
        action: 'noop',
        resource,
        title: `Keep classic load balancer ${s.name}: hako did not create it for ${s.appId} (${why})`,
        payload: { name: s.name },
      },
    ];
  }
  return [
    {
      owner: CLASSIC_ELB_STEP_OWNER,
      kind: 'delete-classic-elb',
      action: 'delete',
      resource,
      title: `Delete classic load balancer ${s.name}`,
      before: shape({ name: s.name, scheme: lb.Scheme, listeners: liveListeners(lb), subnets: lb.Subnets, securityGroups: lb.SecurityGroups }),
      payload: { name: s.name },
      // Tasks deregister from it as the service goes; a load balancer deleted first would leave ECS pointing at nothing.
      ...(afterStep === undefined ? {} : { dependsOn: [afterStep] }),
    },
  ];
}
