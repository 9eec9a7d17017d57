/**
 * `dynamic_port_mapping: false` without a classic load balancer gives the front proxy a static host port, as hako
 * did (reference §4.2), over hand-written fakes of the ECS port: when it applies, which port, what is read to find
 * it, the task definition the scheduler then plans, and the lock that keeps two apps of one run from taking one port.
 */
import { expect } from 'chai';
import type { ContainerModel, EcsSchedulerModel } from '../../../../lib/definition/model.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { needsStaticFrontPort, planStaticFrontPort } from '../../../../lib/schedulers/ecs/front-port.js';
import { ecsLocks } from '../../../../lib/schedulers/ecs/locks.js';
import type { EcsObserved } from '../../../../lib/schedulers/ecs/observe.js';
import { isEcsStep } from '../../../../lib/schedulers/ecs/steps.js';
import { ecsSchedulerOver } from '../../../helpers/ecs-apply.js';
import { awsError, FakeEcs } from '../../../helpers/fake-ecs.js';
import { container, ecsModel, liveService, scheduler } from './core-fixtures.js';

const STATIC_LOCK = 'ecs:static-host-ports:ap-northeast-1/eagletmt';

/** The model once nginx_front contributed front's port 80 (dynamic under bridge), with dynamic ports off. */
function staticModel(schedulerOverrides: Partial<EcsSchedulerModel> = {}, front: Partial<ContainerModel> = {}) {
  return ecsModel({
    scheduler: scheduler({ dynamic_port_mapping: false, ...schedulerOverrides }),
    containers: [
      container({ port_mappings: [{ container_port: 3000, protocol: 'tcp' }] }),
      container({ name: 'front', image: 'hako-nginx', port_mappings: [{ container_port: 80, host_port: 0, protocol: 'tcp' }], ...front }),
    ],
  });
}

const frontHostPort = (model: ReturnType<typeof staticModel>): number | undefined =>
  model.containers.find((c) => c.name === 'front')?.port_mappings.find((p) => p.container_port === 80)?.host_port;

const noService: EcsObserved = { taskDefinitionTags: [], calls: 2 };

describe('ECS scheduler: static front port (dynamic_port_mapping false)', () => {
  it('applies to a dynamic front port 80 under bridge networking, and nowhere else', () => {
    expect(needsStaticFrontPort(staticModel())).to.equal(true);
    expect(needsStaticFrontPort(staticModel({ network_mode: 'bridge' }))).to.equal(true);
    expect(needsStaticFrontPort(staticModel({}, { port_mappings: [{ container_port: 80, protocol: 'tcp' }] }))).to.equal(true);
    // hako's default: dynamic ports unless a classic load balancer, which allocates its own instance port.
    expect(needsStaticFrontPort(staticModel({ dynamic_port_mapping: true }))).to.equal(false);
    expect(needsStaticFrontPort(staticModel({ elb: { container_name: 'front', container_port: 80 } }))).to.equal(false);
    expect(needsStaticFrontPort(staticModel({ network_mode: 'awsvpc' }))).to.equal(false);
    expect(needsStaticFrontPort(staticModel({ network_mode: 'host' }))).to.equal(false);
    // The definition's own host port stands; no front proxy on 80, nothing to fix.
    expect(needsStaticFrontPort(staticModel({}, { port_mappings: [{ container_port: 80, host_port: 8080, protocol: 'tcp' }] }))).to.equal(false);
    expect(needsStaticFrontPort(staticModel({}, { port_mappings: [] }))).to.equal(false);
    expect(needsStaticFrontPort(ecsModel({ scheduler: scheduler({ dynamic_port_mapping: false }) }))).to.equal(false);
  });

  it('first deploy: one more than the highest port from 10000 up that another service of the cluster maps', async () => {
    const ecs = new FakeEcs()
      .enqueue('listServices', { serviceArns: ['arn:svc/other', 'arn:svc/dynamic'] })
      .enqueue('describeServices', {
        services: [
          { serviceName: 'other', status: 'ACTIVE', taskDefinition: 'arn:td/other:3' },
          { serviceName: 'dynamic', status: 'ACTIVE', taskDefinition: 'arn:td/dynamic:1' },
        ],
      })
      .enqueue('describeTaskDefinition', { taskDefinition: { containerDefinitions: [{ name: 'front', portMappings: [{ containerPort: 80, hostPort: 10003 }] }] } })
      // hako took the highest front port of any service, so dynamic ones (0) gave port 1; only 10000 up count here.
      .enqueue('describeTaskDefinition', { taskDefinition: { containerDefinitions: [{ name: 'front', portMappings: [{ containerPort: 80, hostPort: 0 }] }] } });
    const planned = await planStaticFrontPort(staticModel(), async () => ecs, noService);
    expect(planned.port).to.deep.equal({ port: 10004, source: 'cluster' });
    expect(frontHostPort(planned.model)).to.equal(10004);
    expect(ecs.callsOf('listServices')).to.deep.equal([{ cluster: 'eagletmt' }]);
  });

  it('an empty cluster starts at 10000', async () => {
    const ecs = new FakeEcs().enqueue('listServices', { serviceArns: [] });
    expect((await planStaticFrontPort(staticModel(), async () => ecs, noService)).port).to.deep.equal({ port: 10000, source: 'cluster' });
  });

  it("a redeploy keeps the live service's port, read from its task definition; nothing else is listed", async () => {
    const ecs = new FakeEcs().enqueue('describeTaskDefinition', {
      taskDefinition: { containerDefinitions: [{ name: 'front', portMappings: [{ containerPort: 80, hostPort: 10007 }] }] },
    });
    const planned = await planStaticFrontPort(staticModel(), async () => ecs, { ...noService, service: liveService({ taskDefinition: 'arn:td/ecs:4' }) });
    expect(planned.port).to.deep.equal({ port: 10007, source: 'service' });
    expect(ecs.methods()).to.deep.equal(['describeTaskDefinition']);
  });

  it('dynamic ports, or a host port the definition gives, read nothing and leave the model as it is', async () => {
    const ecs = new FakeEcs();
    for (const model of [staticModel({ dynamic_port_mapping: true }), staticModel({}, { port_mappings: [{ container_port: 80, host_port: 8080, protocol: 'tcp' }] })]) {
      const planned = await planStaticFrontPort(model, async () => ecs, noService);
      expect(planned.model).to.equal(model);
      expect(planned.port).to.equal(undefined);
    }
    expect(ecs.methods()).to.deep.equal([]);
  });

  it('the scheduler registers the task definition with the static port and says which it took', async () => {
    const io = new RecordingIoHost();
    const ecs = new FakeEcs()
      .enqueue('describeServices', { services: [] })
      .enqueue('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'))
      .enqueue('listServices', { serviceArns: [] });
    const steps = await ecsSchedulerOver({ ecs }, io).planDeploy(staticModel(), { force: false });
    const register = steps.find((s) => isEcsStep(s, 'register-task-definition'));
    if (register === undefined || !isEcsStep(register, 'register-task-definition')) throw new Error('no registration planned');
    const front = register.payload.input.containerDefinitions?.find((c) => c.name === 'front');
    expect(front?.portMappings).to.deep.equal([{ containerPort: 80, hostPort: 10000, protocol: 'tcp' }]);
    expect(io.lines).to.include('Front port 10000 (the next free static port in cluster eagletmt)');
  });

  it('apps that may allocate in a cluster share a lock, so one run plans them one after the other', () => {
    const names = (model: ReturnType<typeof staticModel>) => ecsLocks(model).map((l) => l.name);
    expect(names(staticModel())).to.include(STATIC_LOCK);
    expect(names(staticModel({ dynamic_port_mapping: true }))).to.not.include(STATIC_LOCK);
    // A classic load balancer allocates its instance port the same way, unless the definition fixes it.
    const elb = { container_name: 'front', container_port: 80, listeners: [{ protocol: 'HTTP', load_balancer_port: 80 }] };
    expect(names(staticModel({ elb }))).to.include(STATIC_LOCK);
    expect(names(staticModel({ elb }, { port_mappings: [{ container_port: 80, host_port: 8080, protocol: 'tcp' }] }))).to.not.include(STATIC_LOCK);
  });
});
