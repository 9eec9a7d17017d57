/**
 * `scheduler.elb`, the ECS scheduler's classic load balancer part, over hand-written fakes of our ports: the checks
 * made before any AWS call, the instance port, the deploy and remove plans, applying them through the one executor
 * (lost creates adopted, not repeated), the ECS service's binding, and status lines.
 */
import { expect } from 'chai';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { ClassicElbConfig, ContainerModel, EcsSchedulerModel } from '../../../../lib/definition/model.js';
import { DefinitionError, HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { checkClassicElb } from '../../../../lib/schedulers/ecs/classic-elb/config.js';
import { classicElbStatus, planClassicElbForDeploy, planClassicElbForRemove } from '../../../../lib/schedulers/ecs/classic-elb/index.js';
import { isClassicElbGone } from '../../../../lib/schedulers/ecs/classic-elb/apply.js';
import { classicElbDnsKey } from '../../../../lib/schedulers/ecs/classic-elb/plan.js';
import type { EcsObserved } from '../../../../lib/schedulers/ecs/observe.js';
import { planEcsDeploy } from '../../../../lib/schedulers/ecs/plan.js';
import { createServiceInput, isEcsStep } from '../../../../lib/schedulers/ecs/steps.js';
import { deleteServiceStepId } from '../../../../lib/schedulers/ecs/stop-remove.js';
import { applyEcs, ecsSchedulerOver } from '../../../helpers/ecs-apply.js';
import { FakeEcs } from '../../../helpers/fake-ecs.js';
import { FakeElb } from '../../../helpers/fake-elb.js';
import { container, ecsModel, liveService, scheduler } from './core-fixtures.js';

const NAME = 'hako-ecs';
const DNS = `${NAME}-1234567890.ap-northeast-1.elb.amazonaws.com`;
const CREATED_BY = 'hako:created-by';

/** hako's hello-lb.jsonnet, as the model is once nginx_front contributed front's port 80 (dynamic under bridge). */
function elbModel(elb: Partial<ClassicElbConfig> = {}, schedulerOverrides: Partial<EcsSchedulerModel> = {}, front: Partial<ContainerModel> = {}) {
  return ecsModel({
    scheduler: scheduler({
      dynamic_port_mapping: false,
      health_check_grace_period_seconds: 0,
      elb: {
        listeners: [{ protocol: 'HTTP', load_balancer_port: 80 }],
        subnets: ['subnet-a', 'subnet-c'],
        security_groups: ['sg-web'],
        container_name: 'front',
        container_port: 80,
        ...elb,
      },
      ...schedulerOverrides,
    }),
    containers: [
      container({ port_mappings: [{ container_port: 3000, protocol: 'tcp' }] }),
      container({ name: 'front', image: 'hako-nginx', port_mappings: [{ container_port: 80, host_port: 0, protocol: 'tcp' }], ...front }),
    ],
  });
}

const noService: EcsObserved = { taskDefinitionTags: [], calls: 2 };

/** A cluster whose only other service maps host port 10003 (and an INACTIVE one that must not be read). */
function clusterWithPort(ecs: FakeEcs, hostPort = 10003): FakeEcs {
  return ecs
    .enqueue('listServices', { serviceArns: ['arn:svc/other', 'arn:svc/gone'] })
    .enqueue('describeServices', {
      services: [
        { serviceName: 'other', status: 'ACTIVE', taskDefinition: 'arn:td/other:3' },
        { serviceName: 'gone', status: 'INACTIVE', taskDefinition: 'arn:td/gone:1' },
      ],
    })
    .enqueue('describeTaskDefinition', {
      taskDefinition: {
        containerDefinitions: [
          { name: 'front', portMappings: [{ containerPort: 80, hostPort }] },
          { name: 'app', portMappings: [{ containerPort: 3000, hostPort: 8080 }] },
        ],
      },
    });
}

const hostPortOfFront = (model: ReturnType<typeof elbModel>): number | undefined =>
  model.containers.find((c) => c.name === 'front')?.port_mappings.find((p) => p.container_port === 80)?.host_port;

const summary = (steps: readonly Step[]): string[] => steps.map((s) => `${s.owner}/${s.kind}/${s.action}`);

describe('classic ELB: checks before any AWS call', () => {
  const issues = (model: ReturnType<typeof elbModel>) => checkClassicElb(model).map((i) => `${i.path}: ${i.message}`);

  it('hako-lb shaped definitions pass', () => {
    expect(checkClassicElb(elbModel())).to.deep.equal([]);
    expect(checkClassicElb(ecsModel())).to.deep.equal([]);
  });

  it('names: the default hako-<id> too long, or a given name with invalid characters', () => {
    const long = { ...elbModel(), id: 'an-application-id-that-is-too-long' };
    expect(issues(long)).to.deep.equal([
      'scheduler.elb.load_balancer_name: "hako-an-application-id-that-is-too-long" is not a valid classic load balancer name: 1–32 letters, digits or hyphens, not starting or ending with a hyphen (the default, hako-<app id>); set scheduler.elb.load_balancer_name',
    ]);
    expect(issues(elbModel({ load_balancer_name: 'my_lb' }))[0]).to.match(/^scheduler\.elb\.load_balancer_name: "my_lb" is not a valid/);
    expect(issues(elbModel({ load_balancer_name: 'lb-' }))).to.have.length(1);
    expect(issues(elbModel({ load_balancer_name: 'a'.repeat(32) }))).to.deep.equal([]);
  });

  it('listeners: known protocols, a certificate for HTTPS/SSL, one listener per port, at least one', () => {
    const model = elbModel({
      listeners: [
        { protocol: 'udp', load_balancer_port: 53 },
        { protocol: 'https', load_balancer_port: 443 },
        { protocol: 'HTTP', load_balancer_port: 443 },
      ],
    });
    expect(issues(model)).to.deep.equal([
      'scheduler.elb.listeners[0].protocol: expected one of HTTP, HTTPS, TCP, SSL, got "UDP"',
      'scheduler.elb.listeners[1].ssl_certificate_id: required for an HTTPS listener (the ARN of its certificate)',
      'scheduler.elb.listeners[2].load_balancer_port: port 443 has another listener already',
    ]);
    expect(issues(elbModel({ listeners: [] }))).to.deep.equal(['scheduler.elb.listeners: a classic load balancer needs at least one listener']);
  });

  it('scheme and tags AWS would refuse, and the tag hako writes itself', () => {
    expect(issues(elbModel({ scheme: 'public', tags: { [CREATED_BY]: 'x', 'aws:cloudformation:stack-name': 'y', team: 'web' } }))).to.deep.equal([
      'scheduler.elb.scheme: expected internet-facing or internal, got "public"',
      'scheduler.elb.tags["hako:created-by"]: hako sets this tag itself: it records which app created the load balancer',
      'scheduler.elb.tags["aws:cloudformation:stack-name"]: the aws: prefix is reserved by AWS',
    ]);
  });

  it('awsvpc/Fargate tasks, dynamic host ports and target groups beside it are refused, each with its path', () => {
    expect(issues(elbModel({}, { network_mode: 'awsvpc' }))[0]).to.match(/^scheduler\.elb: ECS registers awsvpc \(and so Fargate\) tasks only with target groups/);
    expect(issues(elbModel({}, { launch_type: 'FARGATE' }))).to.have.length(1);
    expect(issues(elbModel({}, { dynamic_port_mapping: true }))).to.deep.equal([
      'scheduler.dynamic_port_mapping: a classic load balancer forwards to one fixed instance port: leave dynamic_port_mapping unset (false with elb)',
    ]);
    // Host networking has fixed ports whatever dynamic_port_mapping says.
    expect(issues(elbModel({}, { dynamic_port_mapping: true, network_mode: 'host' }))).to.deep.equal([]);
    const withGroup = elbModel({}, { load_balancers: [{ target_group_name: 'tf', target_group_arn: 'arn:tg', container_name: 'app', container_port: 3000 }] });
    expect(issues(withGroup)).to.deep.equal([
      'scheduler.elb: a service is bound either to a classic load balancer or to target groups (scheduler.load_balancers, an alb script), not both',
    ]);
  });

  it('the bound container must map the container port', () => {
    expect(issues(elbModel({}, {}, { port_mappings: [] }))).to.deep.equal([
      'scheduler.elb.container_port: container "front" has no port mapping for 80 (its container ports: none; the nginx_front script maps 80)',
    ]);
  });

  it('the ECS scheduler runs them with its other checks', () => {
    const io = new RecordingIoHost();
    const issuesOf = ecsSchedulerOver({}, io).validate!(elbModel({}, { network_mode: 'awsvpc' }));
    expect(issuesOf.map((i) => i.path)).to.deep.equal(['scheduler.elb']);
  });
});

describe('classic ELB: the instance port', () => {
  async function plan(model: ReturnType<typeof elbModel>, elb: FakeElb, ecs: FakeEcs, observed: EcsObserved = noService) {
    return planClassicElbForDeploy(model, awsClientsFromPorts({ elb, ecs }), observed);
  }

  it('first deploy: one more than the highest port from 10000 up that a service of the cluster maps', async () => {
    const ecs = clusterWithPort(new FakeEcs());
    const planned = await plan(elbModel(), new FakeElb(), ecs);
    expect(planned.instancePort).to.deep.equal({ port: 10004, source: 'cluster' });
    expect(hostPortOfFront(planned.model)).to.equal(10004);
    expect(ecs.methods()).to.deep.equal(['listServices', 'describeServices', 'describeTaskDefinition']);
    expect(ecs.callsOf('listServices')).to.deep.equal([{ cluster: 'eagletmt' }]);
  });

  it('an empty cluster starts at 10000', async () => {
    const ecs = new FakeEcs().enqueue('listServices', { serviceArns: [] });
    expect((await plan(elbModel(), new FakeElb(), ecs)).instancePort).to.deep.equal({ port: 10000, source: 'cluster' });
  });

  it('an existing load balancer decides: its instance port, nothing read from ECS', async () => {
    const elb = new FakeElb();
    elb.add(NAME, { instancePort: 10042 });
    const ecs = new FakeEcs();
    const planned = await plan(elbModel(), elb, ecs, { ...noService, service: liveService() });
    expect(planned.instancePort).to.deep.equal({ port: 10042, source: 'load-balancer' });
    expect(hostPortOfFront(planned.model)).to.equal(10042);
    expect(ecs.methods()).to.deep.equal([]);
  });

  it("without a load balancer, the live service's task definition keeps its port", async () => {
    const ecs = new FakeEcs().enqueue('describeTaskDefinition', {
      taskDefinition: { containerDefinitions: [{ name: 'front', portMappings: [{ containerPort: 80, hostPort: 10007 }] }] },
    });
    const planned = await plan(elbModel(), new FakeElb(), ecs, { ...noService, service: liveService({ taskDefinition: 'arn:td/ecs:4' }) });
    expect(planned.instancePort).to.deep.equal({ port: 10007, source: 'service' });
    expect(ecs.callsOf('describeTaskDefinition')).to.deep.equal([{ taskDefinition: 'arn:td/ecs:4' }]);
  });

  it("the definition's own host port, or host networking, fix it without reading anything", async () => {
    const ecs = new FakeEcs();
    const given = await plan(elbModel({}, {}, { port_mappings: [{ container_port: 80, host_port: 8080, protocol: 'tcp' }] }), new FakeElb(), ecs);
    expect(given.instancePort).to.deep.equal({ port: 8080, source: 'definition' });
    const host = await plan(elbModel({}, { network_mode: 'host' }), new FakeElb(), ecs);
    expect(host.instancePort).to.deep.equal({ port: 80, source: 'definition' });
    expect(ecs.methods()).to.deep.equal([]);
  });
});

describe('classic ELB: deploy', () => {
  it('first deploy plans the load balancer before the service, which is created bound to it by name', async () => {
    const elb = new FakeElb();
    const ecs = clusterWithPort(new FakeEcs());
    const model = elbModel({ tags: { team: 'web' }, scheme: 'internal' });
    const planned = await planClassicElbForDeploy(model, awsClientsFromPorts({ elb, ecs }), noService);
    expect(summary(planned.steps)).to.deep.equal(['classic-elb/create-classic-elb/create']);
    expect(planned.steps[0]!.outputs).to.deep.equal({ [classicElbDnsKey(NAME)]: undefined });
    expect(elb.methods()).to.deep.equal(['describeLoadBalancers']);

    const ecsPlan = planEcsDeploy(planned.model, noService, { force: false });
    const [td, create] = ecsPlan.steps;
    if (!td || !isEcsStep(td, 'register-task-definition') || !create || !isEcsStep(create, 'create-service')) throw new Error('unexpected plan');
    const front = td.payload.input.containerDefinitions?.find((c) => c.name === 'front');
    expect(front?.portMappings).to.deep.equal([{ containerPort: 80, hostPort: 10004, protocol: 'tcp' }]);
    expect(createServiceInput({ ...create.payload, taskDefinition: 'arn:td/ecs:1' }).loadBalancers).to.deep.equal([
      { loadBalancerName: NAME, containerName: 'front', containerPort: 80 },
    ]);

    const io = new RecordingIoHost();
    const journal = await applyEcs(planned.steps, { elb }, { io });
    expect(elb.inputs('createLoadBalancer')).to.deep.equal([
      {
        LoadBalancerName: NAME,
        Listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 10004 }],
        Subnets: ['subnet-a', 'subnet-c'],
        SecurityGroups: ['sg-web'],
        Scheme: 'internal',
        Tags: [
          { Key: 'team', Value: 'web' },
          { Key: CREATED_BY, Value: 'ecs' },
        ],
      },
    ]);
    expect(journal[0]!.outputs).to.deep.equal({ [classicElbDnsKey(NAME)]: DNS });
    expect(io.lines).to.include(`Created ELB ${DNS} with instance_port=10004`);
  });

  it('cross_zone_load_balancing true is set after the create (AWS creates it disabled); false needs no call', async () => {
    const aws = () => awsClientsFromPorts({ elb: new FakeElb(), ecs: new FakeEcs().enqueue('listServices', { serviceArns: [] }) });
    const on = await planClassicElbForDeploy(elbModel({ cross_zone_load_balancing: true }), aws(), noService);
    expect(summary(on.steps)).to.deep.equal(['classic-elb/create-classic-elb/create', 'classic-elb/modify-classic-elb-attributes/update']);
    expect(on.steps[1]!.dependsOn).to.deep.equal([`classic-elb:create-classic-elb:classic load balancer ${NAME}`]);
    const off = await planClassicElbForDeploy(elbModel({ cross_zone_load_balancing: false }), aws(), noService);
    expect(summary(off.steps)).to.deep.equal(['classic-elb/create-classic-elb/create']);
  });

  it('creating needs listeners, subnets and security groups: a definition error naming each', async () => {
    const ecs = new FakeEcs().enqueue('listServices', { serviceArns: [] });
    const model = { ...elbModel(), scheduler: scheduler({ dynamic_port_mapping: false, elb: { container_name: 'front', container_port: 80 } }) };
    const err = await planClassicElbForDeploy(model, awsClientsFromPorts({ elb: new FakeElb(), ecs }), noService).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(DefinitionError);
    expect((err as DefinitionError).issues.map((i) => i.path)).to.deep.equal(['scheduler.elb.listeners', 'scheduler.elb.subnets', 'scheduler.elb.security_groups']);
    expect((err as DefinitionError).message).to.equal('Cannot create the classic load balancer of ecs');
  });

  it('an existing load balancer is used as it is: one read, a no-op step with its DNS name, no write', async () => {
    const elb = new FakeElb({ forbidMutations: true });
    elb.add(NAME, { instancePort: 10004 });
    const planned = await planClassicElbForDeploy(elbModel(), awsClientsFromPorts({ elb, ecs: new FakeEcs() }), noService);
    expect(summary(planned.steps)).to.deep.equal(['classic-elb/classic-elb-unchanged/noop']);
    expect(planned.steps[0]!.title).to.equal(`ELB isn't changed: ${NAME} (${DNS})`);
    expect(planned.steps[0]!.outputs).to.deep.equal({ [classicElbDnsKey(NAME)]: DNS });
    expect(planned.warnings).to.deep.equal([]);
    expect(elb.methods()).to.deep.equal(['describeLoadBalancers']);
    await applyEcs(planned.steps, { elb }, { io: new RecordingIoHost() });
  });

  it('settings hako does not change on an existing load balancer are a warning, not a step', async () => {
    const elb = new FakeElb();
    elb.add(NAME, { instancePort: 10004, securityGroups: ['sg-old'] });
    const model = elbModel({ listeners: [{ protocol: 'HTTP', load_balancer_port: 80 }, { protocol: 'TCP', load_balancer_port: 8080 }] });
    const planned = await planClassicElbForDeploy(model, awsClientsFromPorts({ elb, ecs: new FakeEcs() }), noService);
    expect(summary(planned.steps)).to.deep.equal(['classic-elb/classic-elb-unchanged/noop']);
    expect(planned.warnings).to.deep.equal([
      `Classic load balancer ${NAME} differs from scheduler.elb in its listeners (it has HTTP:80→10004; the definition wants HTTP:80→10004, TCP:8080→10004); ` +
        `security groups (it has sg-old). hako does not change an existing classic load balancer's listeners, subnets, security groups or scheme ` +
        `(hako never did): change it with the AWS console or CLI.`,
    ]);
  });

  it('cross-zone load balancing is compared before it is changed (hako set it on every deploy, dry runs too)', async () => {
    const elb = new FakeElb();
    elb.add(NAME, { instancePort: 10004, crossZone: true });
    const aws = awsClientsFromPorts({ elb, ecs: new FakeEcs() });
    const same = await planClassicElbForDeploy(elbModel({ cross_zone_load_balancing: true }), aws, noService);
    expect(summary(same.steps)).to.deep.equal(['classic-elb/classic-elb-unchanged/noop']);
    const off = await planClassicElbForDeploy(elbModel({ cross_zone_load_balancing: false }), aws, noService);
    expect(summary(off.steps)).to.deep.equal(['classic-elb/classic-elb-unchanged/noop', 'classic-elb/modify-classic-elb-attributes/update']);
    await applyEcs(off.steps, { elb }, { io: new RecordingIoHost() });
    expect(elb.inputs('modifyLoadBalancerAttributes')).to.deep.equal([
      { LoadBalancerName: NAME, LoadBalancerAttributes: { CrossZoneLoadBalancing: { Enabled: false } } },
    ]);
    expect(elb.loadBalancers.get(NAME)?.crossZone).to.equal(false);
  });

  it('a create whose answer was lost is adopted, not repeated', async () => {
    const elb = new FakeElb();
    const planned = await planClassicElbForDeploy(elbModel(), awsClientsFromPorts({ elb, ecs: new FakeEcs().enqueue('listServices', { serviceArns: [] }) }), noService);
    elb.failNext('createLoadBalancer', 'lost');
    const journal = await applyEcs(planned.steps, { elb }, { io: new RecordingIoHost() });
    expect(journal.map((e) => e.status)).to.deep.equal(['adopted']);
    expect(journal[0]!.outputs).to.deep.equal({ [classicElbDnsKey(NAME)]: DNS });
    expect(elb.methods().filter((m) => m === 'createLoadBalancer')).to.have.length(1);
  });

  it("a name taken meanwhile by a load balancer this app did not create fails the deploy, and nothing is adopted", async () => {
    const elb = new FakeElb();
    const planned = await planClassicElbForDeploy(elbModel(), awsClientsFromPorts({ elb, ecs: new FakeEcs().enqueue('listServices', { serviceArns: [] }) }), noService);
    elb.add(NAME, { tags: { [CREATED_BY]: 'someone-else' } });
    const err = await applyEcs(planned.steps, { elb }, { io: new RecordingIoHost() }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect((err as Error).name).to.equal('DuplicateAccessPointNameException');
    expect(elb.methods()).to.deep.equal(['describeLoadBalancers', 'createLoadBalancer', 'describeLoadBalancers', 'describeTags']);
  });
});

describe('classic ELB: the ECS service binding', () => {
  const bound = [{ loadBalancerName: NAME, containerName: 'front', containerPort: 80 }];

  it('a live service bound to it keeps its binding; bound otherwise, planning stops before anything is applied', () => {
    const model = elbModel({}, {}, { port_mappings: [{ container_port: 80, host_port: 10004, protocol: 'tcp' }] });
    const same = planEcsDeploy(model, { ...noService, service: liveService({ loadBalancers: bound, healthCheckGracePeriodSeconds: 0 }) }, { force: false });
    // The task definition is registered (nothing live to compare with), so the service is updated — without
    // load balancers: the binding is the live one, and UpdateService could not change it anyway.
    const service = same.steps[1]!;
    if (!isEcsStep(service, 'update-service')) throw new Error(`expected an update, got ${service.kind}`);
    expect(service.payload).not.to.have.property('loadBalancers');

    const elsewhere = liveService({ loadBalancers: [{ loadBalancerName: 'hako-old', containerName: 'front', containerPort: 80 }] });
    expect(() => planEcsDeploy(model, { ...noService, service: elsewhere }, { force: false }))
      .to.throw(HakoError, `Service ecs is bound to hako-old → front:80, the definition binds it to ${NAME} → front:80: ECS cannot change a service's classic load balancer`)
      .with.property('code', 'ECS_CLASSIC_LOAD_BALANCER_CHANGE');
    const unbound = liveService({ loadBalancers: [] });
    expect(() => planEcsDeploy(model, { ...noService, service: unbound }, { force: false })).to.throw(HakoError, /bound to nothing/);
  });
});

describe('classic ELB: remove and status', () => {
  const afterService = deleteServiceStepId('ecs');

  it('deletes the load balancer this app created, after the service', async () => {
    const elb = new FakeElb();
    elb.add(NAME, { tags: { [CREATED_BY]: 'ecs' } });
    const steps = await planClassicElbForRemove(elbModel(), awsClientsFromPorts({ elb }), afterService);
    expect(summary(steps)).to.deep.equal(['classic-elb/delete-classic-elb/delete']);
    expect(steps[0]!.dependsOn).to.deep.equal([afterService]);
    expect(elb.methods()).to.deep.equal(['describeLoadBalancers', 'describeTags']);
    const io = new RecordingIoHost();
    await applyEcs(steps, { elb }, { io });
    expect(elb.loadBalancers.size).to.equal(0);
    expect(io.lines).to.include(`Deleted ELB ${NAME}`);
  });

  it("keeps a load balancer it did not create (untagged, or another app's), and says so", async () => {
    for (const tags of [{}, { [CREATED_BY]: 'other' }] as Record<string, string>[]) {
      const elb = new FakeElb({ forbidMutations: true });
      elb.add(NAME, { tags });
      const steps = await planClassicElbForRemove(elbModel(), awsClientsFromPorts({ elb }), afterService);
      expect(summary(steps)).to.deep.equal(['classic-elb/classic-elb-kept/noop']);
      expect(steps[0]!.title).to.match(new RegExp(`^Keep classic load balancer ${NAME}: hako did not create it for ecs \\((it has no hako:created-by tag|hako:created-by is other)\\)$`));
      await applyEcs(steps, { elb }, { io: new RecordingIoHost() });
    }
  });

  it("a missing load balancer is hako's \"doesn't exist\" line; a delete answered not-found is done", async () => {
    const steps = await planClassicElbForRemove(elbModel(), awsClientsFromPorts({ elb: new FakeElb() }), undefined);
    expect(steps.map((s) => s.title)).to.deep.equal([`ELB ${NAME} doesn't exist`]);
    const notFound = Object.assign(new Error('gone'), { name: 'AccessPointNotFoundException' });
    expect(isClassicElbGone(steps[0]!, notFound)).to.equal(true);
    expect(isClassicElbGone(steps[0]!, Object.assign(new Error('x'), { name: 'Throttling' }))).to.equal(false);
  });

  it('status: one line per listener, as hako prints them; none when it does not exist', async () => {
    const elb = new FakeElb();
    elb.add(NAME, { listeners: [{ Protocol: 'HTTP', LoadBalancerPort: 80, InstancePort: 10004 }, { Protocol: 'TCP', LoadBalancerPort: 8080, InstancePort: 10004 }] });
    expect(await classicElbStatus(elbModel(), awsClientsFromPorts({ elb }))).to.deep.equal({
      header: 'Load balancer:',
      lines: [`  ${DNS}:80 -> front:80`, `  ${DNS}:8080 -> front:80`],
    });
    expect(await classicElbStatus(elbModel(), awsClientsFromPorts({ elb: new FakeElb() }))).to.deep.equal({ header: 'Load balancer:', lines: [] });
    expect(await classicElbStatus(ecsModel(), awsClientsFromPorts({}))).to.equal(undefined);
  });
});
