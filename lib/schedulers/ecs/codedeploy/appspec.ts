/**
 * The ECS AppSpec of a CodeDeploy deployment: what the new (green) task set runs — the task definition, the
 * container and port the target groups route to, and the task set's network, platform version and capacity
 * provider strategy. Pure.
 *
 * The same shape is built twice: from the definition (what a deploy would start) and from the live service (what
 * runs now), so "does this deploy need a CodeDeploy deployment?" is one comparison, and `diff` shows it as an
 * AppSpec diff. Hooks are not service state; they are carried over to the live side so they never show as a change.
 */
import { parse as parseYaml, stringify } from 'yaml';
import type { ecs } from '../../../aws/ports.js';
import type { AppModel, CodeDeployConfig } from '../../../definition/model.js';
import { canonicalJson } from '../../../plan/normalise-for-diff.js';
import { displayRefs, type Deferred } from '../../../plan/outputs.js';
import type { DeferredLoadBalancer } from '../steps.js';

export interface AwsvpcAppSpec {
  Subnets: string[];
  SecurityGroups?: string[];
  AssignPublicIp?: string;
}

export interface CapacityProviderAppSpec {
  CapacityProvider: string;
  Base?: number;
  Weight?: number;
}

export interface TargetServiceProperties {
  TaskDefinition: Deferred;
  LoadBalancerInfo: { ContainerName: string; ContainerPort: number };
  PlatformVersion?: string;
  NetworkConfiguration?: { AwsvpcConfiguration: AwsvpcAppSpec };
  CapacityProviderStrategy?: CapacityProviderAppSpec[];
}

export type HookEvent = 'BeforeInstall' | 'AfterInstall' | 'AfterAllowTestTraffic' | 'BeforeAllowTraffic' | 'AfterAllowTraffic';

/** The AppSpec of an ECS deployment (`version: 0.0`, one TargetService). Plain data: plans stay serialisable. */
export interface EcsAppSpec {
  version: '0.0';
  Resources: [{ TargetService: { Type: 'AWS::ECS::Service'; Properties: TargetServiceProperties } }];
  Hooks?: Partial<Record<HookEvent, string>>[];
}

/** The lifecycle events of an ECS deployment in the order CodeDeploy runs them, with their definition keys. */
const HOOKS: readonly [keyof NonNullable<CodeDeployConfig['hooks']>, HookEvent][] = [
  ['before_install', 'BeforeInstall'],
  ['after_install', 'AfterInstall'],
  ['after_allow_test_traffic', 'AfterAllowTestTraffic'],
  ['before_allow_traffic', 'BeforeAllowTraffic'],
  ['after_allow_traffic', 'AfterAllowTraffic'],
];

function sorted(list: readonly string[] | undefined): string[] | undefined {
  return list === undefined ? undefined : [...list].sort();
}

function spec(properties: TargetServiceProperties, hooks: EcsAppSpec['Hooks']): EcsAppSpec {
  return {
    version: '0.0',
    Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: properties } }],
    ...(hooks === undefined || hooks.length === 0 ? {} : { Hooks: hooks }),
  };
}

function hooksOf(config: CodeDeployConfig | undefined): EcsAppSpec['Hooks'] {
  const hooks = config?.hooks;
  if (hooks === undefined) return undefined;
  return HOOKS.flatMap(([key, event]) => (hooks[key] === undefined ? [] : [{ [event]: hooks[key] }]));
}

/**
 * The AppSpec a deploy of `model` starts: `taskDefinition` is the revision to run (a ref while it is registered in
 * the same apply), `binding` the service's one load balancer binding (its target group is CodeDeploy's business).
 */
export function desiredAppSpec(model: AppModel, taskDefinition: Deferred, binding: Pick<DeferredLoadBalancer, 'containerName' | 'containerPort'>): EcsAppSpec {
  const s = model.scheduler;
  const vpc = s.network_configuration?.awsvpc_configuration;
  const properties: TargetServiceProperties = {
    TaskDefinition: taskDefinition,
    LoadBalancerInfo: { ContainerName: binding.containerName, ContainerPort: binding.containerPort },
    ...(s.platform_version === undefined ? {} : { PlatformVersion: s.platform_version }),
    ...(vpc === undefined
      ? {}
      : {
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              Subnets: sorted(vpc.subnets) ?? [],
              ...(vpc.security_groups === undefined ? {} : { SecurityGroups: sorted(vpc.security_groups)! }),
              ...(vpc.assign_public_ip === undefined ? {} : { AssignPublicIp: vpc.assign_public_ip }),
            },
          },
        }),
    ...(s.capacity_provider_strategy === undefined
      ? {}
      : { CapacityProviderStrategy: capacityProviders(s.capacity_provider_strategy.map((c) => ({ capacityProvider: c.capacity_provider, base: c.base, weight: c.weight }))) }),
  };
  return spec(properties, hooksOf(s.codedeploy));
}

function capacityProviders(items: readonly ecs.CapacityProviderStrategyItem[]): CapacityProviderAppSpec[] {
  return items
    .map((c) => ({
      CapacityProvider: c.capacityProvider ?? '',
      ...(c.base === undefined ? {} : { Base: c.base }),
      ...(c.weight === undefined ? {} : { Weight: c.weight }),
    }))
    .sort((a, b) => a.CapacityProvider.localeCompare(b.CapacityProvider));
}

/** Where a CODE_DEPLOY service's running version is described: its PRIMARY task set, else the service itself. */
export function primaryTaskSet(service: ecs.Service): ecs.TaskSet | undefined {
  return service.taskSets?.find((t) => t.status === 'PRIMARY');
}

/** The task definition the service runs now (its PRIMARY task set's). */
export function liveTaskDefinition(service: ecs.Service): string | undefined {
  return primaryTaskSet(service)?.taskDefinition ?? service.taskDefinition;
}

/**
 * The AppSpec of what runs now, with only the optional properties `desired` sets: a property the definition leaves
 * out is not sent, so CodeDeploy keeps the service's own, and it cannot be a difference. A property the service
 * does not report is unknown, not different (it takes the desired value).
 */
export function liveAppSpec(service: ecs.Service, desired: EcsAppSpec): EcsAppSpec {
  const want = desired.Resources[0].TargetService.Properties;
  const taskSet = primaryTaskSet(service);
  const lb = (taskSet?.loadBalancers ?? service.loadBalancers ?? [])[0];
  const platformVersion = taskSet?.platformVersion ?? service.platformVersion;
  const vpc = (taskSet?.networkConfiguration ?? service.networkConfiguration)?.awsvpcConfiguration;
  const strategy = taskSet?.capacityProviderStrategy ?? service.capacityProviderStrategy;
  const wantVpc = want.NetworkConfiguration?.AwsvpcConfiguration;
  const properties: TargetServiceProperties = {
    TaskDefinition: liveTaskDefinition(service) ?? '(none)',
    LoadBalancerInfo: { ContainerName: lb?.containerName ?? '(none)', ContainerPort: lb?.containerPort ?? 0 },
    ...(want.PlatformVersion === undefined ? {} : { PlatformVersion: platformVersion ?? want.PlatformVersion }),
    ...(wantVpc === undefined
      ? {}
      : {
          NetworkConfiguration: {
            AwsvpcConfiguration:
              vpc === undefined
                ? wantVpc
                : {
                    Subnets: sorted(vpc.subnets) ?? [],
                    ...(wantVpc.SecurityGroups === undefined ? {} : { SecurityGroups: sorted(vpc.securityGroups) ?? [] }),
                    ...(wantVpc.AssignPublicIp === undefined ? {} : { AssignPublicIp: vpc.assignPublicIp ?? wantVpc.AssignPublicIp }),
                  },
          },
        }),
    ...(want.CapacityProviderStrategy === undefined
      ? {}
      : { CapacityProviderStrategy: strategy === undefined || strategy.length === 0 ? want.CapacityProviderStrategy : capacityProviders(strategy) }),
  };
  return spec(properties, desired.Hooks);
}

/**
 * An AppSpec that runs `taskDefinition` with everything else as the service has it now: `hako rollback` changes the
 * revision only, like a rolling rollback does. The definition's hooks still apply (they guard any traffic shift).
 */
export function serviceAppSpec(service: ecs.Service, taskDefinition: string, config: CodeDeployConfig | undefined): EcsAppSpec {
  const taskSet = primaryTaskSet(service);
  const lb = (taskSet?.loadBalancers ?? service.loadBalancers ?? [])[0];
  const platformVersion = taskSet?.platformVersion ?? service.platformVersion;
  const vpc = (taskSet?.networkConfiguration ?? service.networkConfiguration)?.awsvpcConfiguration;
  const strategy = taskSet?.capacityProviderStrategy ?? service.capacityProviderStrategy ?? [];
  const properties: TargetServiceProperties = {
    TaskDefinition: taskDefinition,
    LoadBalancerInfo: { ContainerName: lb?.containerName ?? '', ContainerPort: lb?.containerPort ?? 0 },
    ...(platformVersion === undefined ? {} : { PlatformVersion: platformVersion }),
    ...(vpc?.subnets === undefined || vpc.subnets.length === 0
      ? {}
      : {
          NetworkConfiguration: {
            AwsvpcConfiguration: {
              Subnets: sorted(vpc.subnets)!,
              ...(vpc.securityGroups === undefined ? {} : { SecurityGroups: sorted(vpc.securityGroups)! }),
              ...(vpc.assignPublicIp === undefined ? {} : { AssignPublicIp: vpc.assignPublicIp }),
            },
          },
        }),
    ...(strategy.length === 0 ? {} : { CapacityProviderStrategy: capacityProviders(strategy) }),
  };
  return spec(properties, hooksOf(config));
}

/** The AppSpec as compared: an absent base or weight is 0 to ECS, which reports them so. */
function comparable(appSpec: EcsAppSpec): unknown {
  const p = appSpec.Resources[0].TargetService.Properties;
  const strategy = p.CapacityProviderStrategy?.map((c) => ({ ...c, Base: c.Base ?? 0, Weight: c.Weight ?? 0 }));
  return { ...appSpec, Resources: [{ TargetService: { ...appSpec.Resources[0].TargetService, Properties: { ...p, ...(strategy === undefined ? {} : { CapacityProviderStrategy: strategy }) } } }] };
}

/** Whether deploying `desired` would change what runs (refs in `desired` always differ: they are new revisions). */
export function sameAppSpec(desired: EcsAppSpec, live: EcsAppSpec): boolean {
  return canonicalJson(comparable(desired)) === canonicalJson(comparable(live));
}

/**
 * The AppSpec as CodeDeploy reads it. `version: 0.0` is written as AWS's examples write it (a bare number): YAML
 * and JSON libraries would quote the string or print `0`.
 */
export function renderAppSpec(appSpec: EcsAppSpec, format: CodeDeployConfig['appspec_format']): string {
  const shown = displayRefs(appSpec);
  if (format === 'json') return JSON.stringify(shown, null, 2).replace('"version": "0.0"', '"version": 0.0') + '\n';
  return stringify(shown, { indent: 2, lineWidth: 0 }).replace(/^version: ["']0\.0["']$/m, 'version: 0.0');
}

/** The task definition a deployment's AppSpec content names (YAML or JSON: JSON is YAML); undefined if none. */
export function taskDefinitionInAppSpec(content: string): string | undefined {
  try {
    const parsed = parseYaml(content) as { Resources?: { TargetService?: { Properties?: { TaskDefinition?: unknown } } }[] } | undefined;
    const td = parsed?.Resources?.[0]?.TargetService?.Properties?.TaskDefinition;
    return typeof td === 'string' ? td : undefined;
  } catch {
    return undefined;
  }
}
