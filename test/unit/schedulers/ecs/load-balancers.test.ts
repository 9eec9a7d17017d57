/**
 * `scheduler.load_balancers`: target groups made elsewhere, validated up front, bound with the contributed ones,
 * compared with the live service and sent on UpdateService only when they changed.
 */
import { expect } from 'chai';
import { prepareApp } from '../../../../lib/actions/prepare.js';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import { DefinitionError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { outputRef } from '../../../../lib/plan/outputs.js';
import { checkBindings, serviceBindings } from '../../../../lib/schedulers/ecs/load-balancers.js';
import { planEcsDeploy } from '../../../../lib/schedulers/ecs/plan.js';
import { isEcsStep, updateServiceInput } from '../../../../lib/schedulers/ecs/steps.js';
import { HAKO_VERSION } from '../../../../lib/version.js';
import { fixture } from '../../../helpers/paths.js';
import { container, ecsModel, liveService, liveTaskDefinition, scheduler } from './core-fixtures.js';

const TG = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/tf-web/0123456789abcdef';
const OTHER = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/tf-api/fedcba9876543210';
const bound = (arn = TG) => ({ target_group_name: arn.split('/')[1]!, target_group_arn: arn, container_name: 'app', container_port: 3000 });
const model = (arn = TG) =>
  ecsModel({ scheduler: scheduler({ load_balancers: [bound(arn)] }), containers: [container({ port_mappings: [{ container_port: 3000, host_port: 0, protocol: 'tcp' }] })] });

describe('scheduler.load_balancers', () => {
  it('normalises the ECS shape, the name taken from the ARN, with a grace period of 0 behind a load balancer', async () => {
    const prepared = await prepareApp({
      file: fixture('actions', 'bound.jsonnet'),
      io: new RecordingIoHost(),
      awsFor: () => () => awsClientsFromPorts({}),
      dryRun: true,
      providerMode: 'placeholder',
      envMode: 'none',
    });
    const s = prepared.model.scheduler as { load_balancers?: unknown; health_check_grace_period_seconds?: number };
    expect(s.load_balancers).to.deep.equal([{ target_group_name: 'tf-web', target_group_arn: TG, container_name: 'app', container_port: 3000 }]);
    expect(s.health_check_grace_period_seconds).to.equal(0);
  });

  it('refuses a binding whose container or container port the task does not have, with the path', () => {
    const wrongPort = ecsModel({ scheduler: scheduler({ load_balancers: [{ ...bound(), container_port: 8080 }] }), containers: [container({ port_mappings: [{ container_port: 3000, host_port: 0, protocol: 'tcp' }] })] });
    expect(checkBindings(wrongPort)).to.deep.equal([
      {
        severity: 'error',
        path: 'scheduler.load_balancers[0].container_port',
        message: 'container "app" has no port mapping for 8080 (its container ports: 3000; add it to app.port_mappings)',
      },
    ]);
    const noContainer = ecsModel({ scheduler: scheduler({ load_balancers: [{ ...bound(), container_name: 'web' }] }) });
    expect(checkBindings(noContainer).map((i) => i.path)).to.deep.equal(['scheduler.load_balancers[0].container_name']);
    expect(checkBindings(model())).to.deep.equal([]);
  });

  it('binds declared and contributed target groups together, each once', () => {
    const ref = outputRef('alb:target-group:hako-web:arn', 'ARN of target group hako-web');
    const both = ecsModel({
      scheduler: scheduler({ load_balancers: [bound()] }),
      load_balancers: [{ target_group_name: 'hako-web', target_group_arn: ref, container_name: 'front', container_port: 80 }, bound()],
    });
    expect(serviceBindings(both).map((b) => b.target_group_name)).to.deep.equal(['tf-web', 'hako-web']);
  });

  it('is a noop against a service bound to the same group, and an update that sends the groups when they change', () => {
    const observed = { taskDefinition: liveTaskDefinition(HAKO_VERSION, { portMappings: [{ containerPort: 3000, hostPort: 0, protocol: 'tcp' }] }), taskDefinitionTags: [], calls: 2 };
    const same = liveService({ loadBalancers: [{ targetGroupArn: TG, containerName: 'app', containerPort: 3000 }], healthCheckGracePeriodSeconds: 0 });
    const m = ecsModel({
      scheduler: scheduler({ load_balancers: [bound()], health_check_grace_period_seconds: 0 }),
      containers: [container({ port_mappings: [{ container_port: 3000, host_port: 0, protocol: 'tcp' }] })],
    });
    const unchanged = planEcsDeploy(m, { ...observed, service: same }, { force: false });
    expect(unchanged.steps.map((s) => s.action)).to.deep.equal(['noop', 'noop']);

    const moved = ecsModel({ ...m, scheduler: scheduler({ load_balancers: [bound(OTHER)], health_check_grace_period_seconds: 0 }) } as never);
    const plan = planEcsDeploy(moved, { ...observed, service: same }, { force: false });
    const update = plan.steps[1]!;
    if (!isEcsStep(update, 'update-service')) throw new Error('expected an update');
    expect(updateServiceInput(update.payload).loadBalancers).to.deep.equal([{ targetGroupArn: OTHER, containerName: 'app', containerPort: 3000 }]);
    expect(JSON.stringify(update.before)).to.contain(TG);
    expect(JSON.stringify(update.after)).to.contain(OTHER);
  });

  it('rejects something that is not a target group ARN at validation', async () => {
    const err = await prepareApp({
      file: fixture('invalid', 'bad-target-group-arn.jsonnet'),
      io: new RecordingIoHost(),
      awsFor: () => () => awsClientsFromPorts({}),
      dryRun: true,
      providerMode: 'placeholder',
      envMode: 'none',
    }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(DefinitionError);
    expect((err as DefinitionError).issues.map((i) => i.path)).to.include('scheduler.load_balancers[0].target_group_arn');
  });
});
