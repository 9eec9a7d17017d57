/**
 * The fault scenario of the engine issue: deploy → redeploy → remove of the Fargate + ALB + Route 53 example
 * through the fault-injecting proxy, reading moto back after each run for duplicates and leftovers. Shared by the
 * integration test (a few seeds) and scripts/bench-faults.ts (many seeds, for the figures).
 *
 * What counts, by AWS's documented behaviour rather than by moto's gaps: a task definition revision, an ECS
 * service, a load balancer, target group or listener of the same name/port, a DNS record — each must exist once.
 * moto would make two load balancers for a repeated CreateLoadBalancer where AWS returns the first; hako sends
 * ELBv2 creates once and adopts what a lost one made, so the count holds even there.
 */
import { DescribeServicesCommand, ECSClient, ListTaskDefinitionsCommand } from '@aws-sdk/client-ecs';
import {
  DescribeListenersCommand,
  DescribeLoadBalancersCommand,
  DescribeTargetGroupsCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { ListResourceRecordSetsCommand, Route53Client } from '@aws-sdk/client-route-53';
import path from 'node:path';
import { prepareEmulatorAccount, type EmulatorAccount } from '../../../scripts/emulator-account.js';
import type { CliResult } from '../../helpers/cli.js';
import type { FaultMode } from './aws-fault-plan.js';
import type { AwsProxy } from './aws-proxy.js';

export const FAULT_APP = 'hello-fargate';
export const FAULT_DEFINITION = path.join('definitions', 'hello-fargate.jsonnet');
export const FAULT_MODES_USED: readonly FaultMode[] = ['500', '503', 'throttle', 'drop-after'];

export interface ScenarioDeps {
  readonly motoEndpoint: string;
  readonly region: string;
  readonly proxy: AwsProxy;
  /** Runs the real CLI with this environment (AWS_ENDPOINT_URL pointing at the proxy). */
  readonly hako: (args: readonly string[], env: NodeJS.ProcessEnv) => Promise<CliResult>;
  /** The environment for the CLI: the proxy's endpoint and dummy credentials. */
  readonly env: NodeJS.ProcessEnv;
  /** Resets moto (between scenarios). */
  readonly reset: () => Promise<void>;
}

export interface RunRecord {
  readonly command: 'deploy' | 'redeploy' | 'remove';
  readonly code: number | null;
  /** For a failed run: whether it ended the way a user can act on (a one-line error, no stack, no internal error). */
  readonly clear: boolean;
  readonly error?: string;
  readonly faults: number;
  /** Re-run without faults after a failure: its exit code. */
  readonly rerunCode?: number | null;
}

export interface ScenarioResult {
  readonly seed: number;
  readonly runs: readonly RunRecord[];
  /** Resources that existed more than once at some point (`load balancer hako-hello-fargate ×2`). */
  readonly duplicates: readonly string[];
  /** What the first remove left behind (should be nothing). */
  readonly leftoversAfterRemove: readonly string[];
  /** What was left after a re-run of any failed remove (must be nothing). */
  readonly leftoversAfterRerun: readonly string[];
  /** Revisions registered by the first deploy (1 = no duplicate). */
  readonly revisionsAfterDeploy: number;
  readonly revisionsAfterRedeploy: number;
}

interface Observed {
  revisions: number;
  activeServices: number;
  loadBalancers: number;
  targetGroups: number;
  listeners: number;
  aRecords: number;
  txtRecords: number;
}

async function observe(endpoint: string, region: string, zoneId: string): Promise<Observed> {
  const config = { endpoint, region, credentials: { accessKeyId: 'testing', secretAccessKey: 'testing' } };
  const ecs = new ECSClient(config);
  const elb = new ElasticLoadBalancingV2Client(config);
  const route53 = new Route53Client(config);
  try {
    const revisions = (await ecs.send(new ListTaskDefinitionsCommand({ familyPrefix: FAULT_APP, status: 'ACTIVE' }))).taskDefinitionArns ?? [];
    const services = (await ecs.send(new DescribeServicesCommand({ cluster: 'hako-demo', services: [FAULT_APP] }))).services ?? [];
    const lbs = ((await elb.send(new DescribeLoadBalancersCommand({}))).LoadBalancers ?? []).filter((l) => l.LoadBalancerName === `hako-${FAULT_APP}`);
    const tgs = ((await elb.send(new DescribeTargetGroupsCommand({}))).TargetGroups ?? []).filter((t) => t.TargetGroupName === `hako-${FAULT_APP}`);
    let listeners = 0;
    for (const lb of lbs) listeners += ((await elb.send(new DescribeListenersCommand({ LoadBalancerArn: lb.LoadBalancerArn }))).Listeners ?? []).filter((l) => l.Port === 80).length;
    const records = (await route53.send(new ListResourceRecordSetsCommand({ HostedZoneId: zoneId }))).ResourceRecordSets ?? [];
    return {
      revisions: revisions.filter((a) => a.includes(`task-definition/${FAULT_APP}:`)).length,
      activeServices: services.filter((s) => s.status === 'ACTIVE').length,
      loadBalancers: lbs.length,
      targetGroups: tgs.length,
      listeners,
      aRecords: records.filter((r) => r.Type === 'A' && r.Name === `${FAULT_APP}.demo.hako.test.`).length,
      txtRecords: records.filter((r) => r.Type === 'TXT').length,
    };
  } finally {
    ecs.destroy();
    elb.destroy();
    route53.destroy();
  }
}

function duplicatesIn(o: Observed): string[] {
  const out: string[] = [];
  if (o.activeServices > 1) out.push(`service ${FAULT_APP} ×${o.activeServices}`);
  if (o.loadBalancers > 1) out.push(`load balancer hako-${FAULT_APP} ×${o.loadBalancers}`);
  if (o.targetGroups > 1) out.push(`target group hako-${FAULT_APP} ×${o.targetGroups}`);
  if (o.listeners > 1) out.push(`listener :80 ×${o.listeners}`);
  if (o.aRecords > 1) out.push(`A record ×${o.aRecords}`);
  return out;
}

function leftovers(o: Observed): string[] {
  const out: string[] = [];
  if (o.activeServices > 0) out.push(`service ${FAULT_APP}`);
  if (o.loadBalancers > 0) out.push(`load balancer ×${o.loadBalancers}`);
  if (o.targetGroups > 0) out.push(`target group ×${o.targetGroups}`);
  if (o.aRecords > 0) out.push(`A record ×${o.aRecords}`);
  if (o.txtRecords > 0) out.push(`ownership TXT ×${o.txtRecords}`);
  return out;
}

/** A failure a user can act on: hako's one-line error, no internal error, no stack trace. */
export function isClearFailure(r: CliResult): boolean {
  return /^Error: /m.test(r.stderr) && !/Internal error|\n\s+at /.test(r.stderr);
}

/** One seed of the scenario. Leaves moto holding whatever the runs left. */
export async function runFaultScenario(deps: ScenarioDeps, seed: number, rate = 0.2): Promise<ScenarioResult> {
  await deps.reset();
  const account: EmulatorAccount = await prepareEmulatorAccount(deps.motoEndpoint, deps.region);
  const env = { ...deps.env, ...account.env };
  const look = () => observe(deps.motoEndpoint, deps.region, account.hostedZoneId);
  const runs: RunRecord[] = [];
  const duplicates = new Set<string>();
  deps.proxy.reset();
  // The proxy's sequence continues across the three runs: one seed describes the whole scenario.
  deps.proxy.randomFaults({ seed, rate, modes: FAULT_MODES_USED });

  const step = async (command: RunRecord['command'], args: readonly string[]): Promise<void> => {
    const before = deps.proxy.calls().filter((c) => c.faulted !== undefined).length;
    const r = await deps.hako(args, env);
    const faults = deps.proxy.calls().filter((c) => c.faulted !== undefined).length - before;
    let rerunCode: number | null | undefined;
    if (r.code !== 0) {
      // A re-run after any failure converges: without faults, the same command must now succeed.
      const faultsOff = deps.proxy.calls().length;
      deps.proxy.reset();
      rerunCode = (await deps.hako(args, env)).code;
      deps.proxy.randomFaults({ seed: seed + faultsOff, rate, modes: FAULT_MODES_USED });
    }
    runs.push({
      command,
      code: r.code,
      clear: r.code === 0 || isClearFailure(r),
      ...(r.code === 0 ? {} : { error: r.stderr.split('\n').find((l) => l.startsWith('Error: ')) ?? r.stderr.slice(0, 300) }),
      faults,
      ...(rerunCode === undefined ? {} : { rerunCode }),
    });
    for (const d of duplicatesIn(await look())) duplicates.add(d);
  };

  await step('deploy', ['deploy', FAULT_DEFINITION]);
  const revisionsAfterDeploy = (await look()).revisions;
  await step('redeploy', ['deploy', FAULT_DEFINITION]);
  const revisionsAfterRedeploy = (await look()).revisions;

  const removeArgs = ['remove', FAULT_DEFINITION];
  const before = deps.proxy.calls().filter((c) => c.faulted !== undefined).length;
  const removed = await deps.hako(removeArgs, env);
  const removeFaults = deps.proxy.calls().filter((c) => c.faulted !== undefined).length - before;
  const leftoversAfterRemove = leftovers(await look());
  let rerunCode: number | null | undefined;
  if (removed.code !== 0 || leftoversAfterRemove.length > 0) {
    deps.proxy.reset();
    rerunCode = (await deps.hako(removeArgs, env)).code;
  }
  runs.push({
    command: 'remove',
    code: removed.code,
    clear: removed.code === 0 || isClearFailure(removed),
    ...(removed.code === 0 ? {} : { error: removed.stderr.split('\n').find((l) => l.startsWith('Error: ')) ?? removed.stderr.slice(0, 300) }),
    faults: removeFaults,
    ...(rerunCode === undefined ? {} : { rerunCode }),
  });
  const leftoversAfterRerun = leftovers(await look());
  deps.proxy.reset();
  return { seed, runs, duplicates: [...duplicates], leftoversAfterRemove, leftoversAfterRerun, revisionsAfterDeploy, revisionsAfterRedeploy };
}
