import { expect } from 'chai';
import type { ServiceDiscoveryEntry } from '../../../../lib/definition/model.js';
import { HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { hasChanges } from '../../../../lib/plan/plan.js';
import { outputRef, resolveRefs, UnresolvedOutputError } from '../../../../lib/plan/outputs.js';
import type { Step } from '../../../../lib/plan/plan.js';
import type { ServiceDiscoveryApi } from '../../../../lib/aws/ports.js';
import { planEcsDeploy } from '../../../../lib/schedulers/ecs/plan.js';
import {
  HEALTH_CHECK_WARNING,
  observeServiceDiscovery,
  planServiceDiscovery,
  ROUTING_POLICY_WARNING,
  sdServiceArnKey,
  sdServiceChanged,
} from '../../../../lib/schedulers/ecs/service-discovery/plan.js';
import { isEcsStep, updateServiceInput, type UpdateServicePayload } from '../../../../lib/schedulers/ecs/steps.js';
import { createVirtualTime, type Sleep } from '../../../../lib/util/sleep.js';
import { applyEcs } from '../../../helpers/ecs-apply.js';
import { TEST_RUN_ID } from '../../../helpers/apply-context.js';
import { FakeEcs } from '../../../helpers/fake-ecs.js';
import { ecsModel, liveService, liveTaskDefinition, scheduler, TD_ARN_1 } from './core-fixtures.js';
import { FakeServiceDiscovery } from './fake-service-discovery.js';
import { HAKO_VERSION } from '../../../../lib/version.js';

const NS = 'ns-1111111111111111';

/** The key a Cloud Map service's ARN is handed on under (a step output). */
const registryKey = sdServiceArnKey;

/** Applies Cloud Map steps as a deploy does (the executor, the ECS scheduler as owner); the ARNs they provide. */
async function applyServiceDiscoverySteps(steps: readonly Step[], ctx: { serviceDiscovery: ServiceDiscoveryApi; io: RecordingIoHost; sleep?: Sleep }) {
  const journal = await applyEcs(steps, { serviceDiscovery: ctx.serviceDiscovery }, { io: ctx.io, ...(ctx.sleep ? { sleep: ctx.sleep } : {}) });
  return { registryArns: new Map(journal.flatMap((e) => Object.entries(e.outputs))) };
}

/** Applies ECS steps with the outputs earlier steps (the Cloud Map ones) provided. */
async function applyEcsSteps(steps: readonly Step[], ctx: { ecs: FakeEcs; io: RecordingIoHost; registryArns: Map<string, string> }) {
  await applyEcs(steps, { ecs: ctx.ecs }, { io: ctx.io, outputs: Object.fromEntries(ctx.registryArns) });
}

/** The UpdateService request once the executor has filled in the refs it knows. */
function resolveUpdateServiceInput(payload: UpdateServicePayload, _registered: undefined, known: Map<string, string> = new Map()) {
  return updateServiceInput(resolveRefs(payload, known));
}

const sdRef = (name: string) => outputRef(sdServiceArnKey(NS, name), `ARN of service discovery service ${name}`);
/** hako's spec/fixtures/jsonnet/ecs-service-discovery.jsonnet entry, normalised. */
function entry(overrides: Partial<ServiceDiscoveryEntry['service']> = {}, outer: Partial<ServiceDiscoveryEntry> = {}): ServiceDiscoveryEntry {
  return {
    container_name: 'app',
    container_port: 80,
    service: {
      name: 'ecs-service-discovery',
      namespace_id: NS,
      dns_config: { dns_records: [{ type: 'SRV', ttl: 60 }], routing_policy: 'MULTIVALUE' },
      health_check_custom_config: { failure_threshold: 1 },
      ...overrides,
    },
    ...outer,
  };
}

function sdModel(entries: ServiceDiscoveryEntry[] = [entry()]) {
  return ecsModel({ scheduler: scheduler({ service_discovery: entries }) });
}

function cloudMap(): FakeServiceDiscovery {
  const sd = new FakeServiceDiscovery();
  sd.addNamespace(NS, 'local', 'DNS_PRIVATE');
  return sd;
}

describe('EcsServiceDiscoveryServiceComparator (sdServiceChanged, §3.10.4)', () => {
  const e = entry({ description: 'foo', dns_config: { dns_records: [{ ttl: 60, type: 'A' }], routing_policy: 'MULTIVALUE' } });
  it('same description and records: not different', () => {
    expect(sdServiceChanged(e, { Description: 'foo', DnsConfig: { DnsRecords: [{ TTL: 60, Type: 'A' }] } })).to.equal(false);
  });
  it('ttl 30 instead of 60: different', () => {
    expect(sdServiceChanged(e, { Description: 'foo', DnsConfig: { DnsRecords: [{ TTL: 30, Type: 'A' }] } })).to.equal(true);
  });
  it('records compare as a multiset; a missing description differs from a set one', () => {
    const two = entry({ dns_config: { dns_records: [{ type: 'A', ttl: 60 }, { type: 'SRV', ttl: 60 }], routing_policy: 'MULTIVALUE' } });
    expect(sdServiceChanged(two, { DnsConfig: { DnsRecords: [{ TTL: 60, Type: 'SRV' }, { TTL: 60, Type: 'A' }] } })).to.equal(false);
    expect(sdServiceChanged(e, { DnsConfig: { DnsRecords: [{ TTL: 60, Type: 'A' }] } })).to.equal(true);
  });
});

describe('service discovery deploy (§4.16, §7.3 case 6)', () => {
  it('first deploy: creates the Cloud Map service, then the ECS service registers into its ARN (no port)', async () => {
    const sd = cloudMap();
    const model = sdModel();
    const observed = await observeServiceDiscovery(sd, model.scheduler.service_discovery ?? []);
    expect(sd.methods()).to.deep.equal(['getNamespace', 'listServices']);
    expect(sd.inputs('listServices')[0]).to.deep.equal({ Filters: [{ Name: 'NAMESPACE_ID', Values: [NS], Condition: 'EQ' }] });

    const sdPlan = planServiceDiscovery(observed);
    expect(sdPlan.steps.map((s) => `${s.owner}/${s.kind}/${s.action}`)).to.deep.equal(['service-discovery/create-sd-service/create']);
    expect(sdPlan.registries).to.deep.equal([{ registryArn: sdRef('ecs-service-discovery'), containerName: 'app', containerPort: 80 }]);

    const plan = planEcsDeploy(model, { taskDefinitionTags: [], calls: 2 }, { force: false, serviceRegistries: sdPlan.registries });
    const createStep = plan.steps[1];
    if (!createStep || !isEcsStep(createStep, 'create-service')) throw new Error('no create step');
    expect(createStep.payload.input).not.to.have.property('serviceRegistries');
    expect(JSON.stringify(createStep.after)).to.contain('known after apply');

    const io = new RecordingIoHost();
    const sdApplied = await applyServiceDiscoverySteps(sdPlan.steps, { serviceDiscovery: sd, io });
    expect(sd.inputs('createService')).to.deep.equal([
      {
        Name: 'ecs-service-discovery',
        NamespaceId: NS,
        DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'SRV', TTL: 60 }] },
        HealthCheckCustomConfig: { FailureThreshold: 1 },
        // Cloud Map answers a repeated create with the same request id with the service it already made.
        CreatorRequestId: `${TEST_RUN_ID}:ecs-service-discovery`,
      },
    ]);
    const created = [...sd.services.values()][0]!;
    expect(io.lines).to.include(`Created service discovery service ecs-service-discovery (${created.Id})`);
    expect(sdApplied.registryArns.get(registryKey(NS, 'ecs-service-discovery'))).to.equal(created.Arn);

    const ecs = new FakeEcs()
      .enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: TD_ARN_1 } })
      .enqueue('createService', (input) => ({ service: { serviceArn: 'arn:svc', taskDefinition: input.taskDefinition } }));
    await applyEcsSteps(plan.steps, { ecs, io, registryArns: sdApplied.registryArns });
    expect(ecs.callsOf('createService')[0]?.serviceRegistries).to.deep.equal([
      { registryArn: created.Arn, containerName: 'app', containerPort: 80 },
    ]);
  });

  it('a redeploy with nothing changed plans only noops, and the ECS service keeps its registry', async () => {
    const sd = cloudMap();
    const existing = sd.addService({
      Name: 'ecs-service-discovery',
      NamespaceId: NS,
      DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'SRV', TTL: 60 }] },
      HealthCheckCustomConfig: { FailureThreshold: 1 },
    });
    const model = sdModel();
    const sdPlan = planServiceDiscovery(await observeServiceDiscovery(sd, model.scheduler.service_discovery ?? []));
    expect(sdPlan.steps.map((s) => s.kind)).to.deep.equal(['sd-service-unchanged']);
    expect(sdPlan.warnings).to.deep.equal([]);
    expect(sdPlan.registries[0]?.registryArn).to.equal(existing.Arn);

    const live = liveService({ serviceRegistries: [{ registryArn: existing.Arn, containerName: 'app', containerPort: 80 }] });
    const observed = { service: live, taskDefinition: liveTaskDefinition(HAKO_VERSION), taskDefinitionTags: [], calls: 2 };
    const plan = planEcsDeploy(model, observed, { force: false, serviceRegistries: sdPlan.registries });
    expect(plan.steps.map((s) => s.kind)).to.deep.equal(['task-definition-unchanged', 'service-unchanged']);
    expect(hasChanges({ steps: [...sdPlan.steps, ...plan.steps] })).to.equal(false);

    // The same Cloud Map service but the ECS service registered elsewhere (or not at all): UpdateService fixes it.
    for (const serviceRegistries of [[], [{ registryArn: existing.Arn, containerName: 'app', containerPort: 8080 }]]) {
      const drifted = planEcsDeploy(model, { ...observed, service: liveService({ serviceRegistries }) }, { force: false, serviceRegistries: sdPlan.registries });
      const update = drifted.steps[1];
      if (!update || !isEcsStep(update, 'update-service')) throw new Error(`no update for ${JSON.stringify(serviceRegistries)}`);
      expect(resolveUpdateServiceInput(update.payload, undefined).serviceRegistries).to.deep.equal([
        { registryArn: existing.Arn, containerName: 'app', containerPort: 80 },
      ]);
    }
  });

  it('changed records: UpdateService with description and records only, then polls the operation until SUCCESS', async () => {
    const sd = cloudMap();
    const existing = sd.addService({
      Name: 'ecs-service-discovery',
      NamespaceId: NS,
      DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'SRV', TTL: 30 }] },
      HealthCheckCustomConfig: { FailureThreshold: 1 },
    });
    const sdPlan = planServiceDiscovery(await observeServiceDiscovery(sd, [entry({ description: 'api' })]));
    expect(sdPlan.steps.map((s) => s.kind)).to.deep.equal(['update-sd-service']);
    sd.operationStatuses = ['SUBMITTED', 'PENDING', 'SUCCESS'];
    const vt = createVirtualTime();
    const io = new RecordingIoHost();
    await applyServiceDiscoverySteps(sdPlan.steps, { serviceDiscovery: sd, io, sleep: vt.sleep });
    expect(sd.inputs('updateService')).to.deep.equal([
      { Id: existing.Id, Service: { Description: 'api', DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 60 }] } } },
    ]);
    expect(sd.count('getOperation')).to.equal(3);
    expect(vt.sleeps).to.have.length(2);
    expect(io.lines).to.include(`Updated service discovery service ecs-service-discovery (${existing.Id})`);
  });

  it('a failed update operation is reported with its error code and message', async () => {
    const sd = cloudMap();
    sd.addService({ Name: 'ecs-service-discovery', NamespaceId: NS, DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 30 }] } });
    const sdPlan = planServiceDiscovery(await observeServiceDiscovery(sd, [entry()]));
    sd.operationStatuses = ['PENDING', 'FAIL'];
    const vt = createVirtualTime();
    let caught: unknown;
    try {
      await applyServiceDiscoverySteps(sdPlan.steps, { serviceDiscovery: sd, io: new RecordingIoHost(), sleep: vt.sleep });
    } catch (e) {
      caught = e;
    }
    expect(caught).to.be.instanceOf(HakoError);
    expect((caught as Error).message).to.equal('Unable to update service discovery service (E): broken');
  });

  it('warns, without updating, when the routing policy or the health check custom config differ', async () => {
    const sd = cloudMap();
    sd.addService({
      Name: 'ecs-service-discovery',
      NamespaceId: NS,
      DnsConfig: { RoutingPolicy: 'WEIGHTED', DnsRecords: [{ Type: 'SRV', TTL: 60 }] },
    });
    const sdPlan = planServiceDiscovery(await observeServiceDiscovery(sd, [entry()]));
    expect(sdPlan.steps.map((s) => s.action)).to.deep.equal(['noop']);
    expect(sdPlan.warnings).to.deep.equal([ROUTING_POLICY_WARNING, HEALTH_CHECK_WARNING]);
  });

  it('a Cloud Map service of the same name in another namespace is not ours', async () => {
    const sd = cloudMap();
    sd.addNamespace('ns-other', 'other');
    sd.addService({ Name: 'ecs-service-discovery', NamespaceId: 'ns-other', DnsConfig: { DnsRecords: [{ Type: 'SRV', TTL: 60 }] } });
    const sdPlan = planServiceDiscovery(await observeServiceDiscovery(sd, [entry()]));
    expect(sdPlan.steps.map((s) => s.kind)).to.deep.equal(['create-sd-service']);
  });

  it('a missing namespace or one that is not private DNS is an error before anything changes', async () => {
    const sd = new FakeServiceDiscovery();
    const messageOf = async (p: Promise<unknown>) => p.then(() => 'resolved', (e: Error) => e.message);
    expect(await messageOf(observeServiceDiscovery(sd, [entry()]))).to.equal(`Service discovery namespace ${NS} not found`);
    sd.addNamespace(NS, 'example.com', 'HTTP');
    expect(await messageOf(observeServiceDiscovery(sd, [entry()]))).to.equal(
      `ECS only supports registering a service into a private DNS namespace: example.com (${NS})`,
    );
    expect(sd.methods().filter((m) => m !== 'getNamespace')).to.deep.equal([]);
  });

  it('an existing ECS service gets the ARN of a Cloud Map service created in the same apply', () => {
    const model = sdModel([entry({}, { port: 8080 })]);
    const refs = [{ registryArn: sdRef('ecs-service-discovery'), containerName: 'app', containerPort: 80, port: 8080 }];
    const observed = { service: liveService(), taskDefinition: liveTaskDefinition(HAKO_VERSION), taskDefinitionTags: [], calls: 2 };
    const plan = planEcsDeploy(model, observed, { force: false, serviceRegistries: refs });
    const update = plan.steps[1];
    if (!update || !isEcsStep(update, 'update-service')) throw new Error('no update step');
    expect(update.payload.input).not.to.have.property('serviceRegistries');
    expect(() => resolveUpdateServiceInput(update.payload, undefined)).to.throw(UnresolvedOutputError);
    const arns = new Map([[registryKey(NS, 'ecs-service-discovery'), 'arn:sd:service/srv-9']]);
    expect(resolveUpdateServiceInput(update.payload, undefined, arns).serviceRegistries).to.deep.equal([
      { registryArn: 'arn:sd:service/srv-9', containerName: 'app', containerPort: 80, port: 8080 },
    ]);
  });

  it('planning an app with service discovery needs its registries', () => {
    expect(() => planEcsDeploy(sdModel(), { taskDefinitionTags: [], calls: 2 }, { force: false })).to.throw(HakoError, /service discovery/);
  });

  it('without service discovery, registries left on the live service are detached ([]), and none are sent otherwise', () => {
    const observed = { taskDefinition: liveTaskDefinition(HAKO_VERSION), taskDefinitionTags: [], calls: 2 };
    const attached = planEcsDeploy(ecsModel(), { ...observed, service: liveService({ serviceRegistries: [{ registryArn: 'arn:x' }] }) }, { force: false });
    const update = attached.steps[1];
    if (!update || !isEcsStep(update, 'update-service')) throw new Error('no update step');
    expect(resolveUpdateServiceInput(update.payload, undefined).serviceRegistries).to.deep.equal([]);
    const none = planEcsDeploy(ecsModel(), { ...observed, service: liveService() }, { force: false });
    expect(none.steps.map((s) => s.kind)).to.deep.equal(['task-definition-unchanged', 'service-unchanged']);
  });
});
