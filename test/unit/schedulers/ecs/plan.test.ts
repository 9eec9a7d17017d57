import { expect } from 'chai';
import { DefinitionError } from '../../../../lib/errors.js';
import { hasChanges, type Plan } from '../../../../lib/plan/plan.js';
import type { EcsObserved } from '../../../../lib/schedulers/ecs/observe.js';
import { planEcsDeploy, planTaskDefinition } from '../../../../lib/schedulers/ecs/plan.js';
import { isOutputRef, outputRef, resolveRefs } from '../../../../lib/plan/outputs.js';
import {
  createServiceInput,
  isEcsStep,
  updateServiceInput,
  type CreateServicePayload,
  type UpdateServicePayload,
} from '../../../../lib/schedulers/ecs/steps.js';
import { HAKO_VERSION } from '../../../../lib/version.js';
import { container, ecsModel, liveService, liveTaskDefinition, scheduler, TD_ARN_1 } from './core-fixtures.js';

const TD_ARN_2 = TD_ARN_1.replace(/:1$/, ':2');
const TG_KEY = 'alb:target-group:hako-ecs:arn';

/** The outputs the executor would know: the revision registered in the same apply, target groups by name. */
function known(registeredArn: string | undefined, targetGroups: Record<string, string> = {}): Map<string, string> {
  const m = new Map(Object.entries(targetGroups).map(([name, arn]) => [`alb:target-group:${name}:arn`, arn]));
  if (registeredArn !== undefined) m.set('ecs:task-definition:ecs:arn', registeredArn);
  return m;
}
/** The CreateService request once the executor has filled the payload's refs in (no clientToken here). */
function resolveCreateServiceInput(payload: CreateServicePayload, registeredArn: string | undefined, targetGroups?: Map<string, string>) {
  const outputs = known(registeredArn, Object.fromEntries([...(targetGroups ?? [])]));
  return createServiceInput(resolveRefs(payload, outputs));
}
function resolveUpdateServiceInput(payload: UpdateServicePayload, registeredArn: string | undefined) {
  return updateServiceInput(resolveRefs(payload, known(registeredArn)));
}
/** Whether the service step waits for the revision registered in the same apply. */
function taskDefinitionFromStep(payload: { taskDefinition?: unknown }): boolean {
  return isOutputRef(payload.taskDefinition);
}

function kinds(plan: Plan): string[] {
  return plan.steps.map((s) => `${s.owner}/${s.kind}/${s.action}`);
}

const running: EcsObserved = {
  service: liveService(),
  taskDefinition: liveTaskDefinition(HAKO_VERSION),
  taskDefinitionTags: [],
  calls: 2,
};

describe('planEcsDeploy', () => {
  it('case 1, initial deployment: registers, then creates the service with the configured count', () => {
    const plan = planEcsDeploy(ecsModel(), { taskDefinitionTags: [], calls: 2 }, { force: false });
    expect(kinds(plan)).to.deep.equal(['ecs/register-task-definition/create', 'ecs/create-service/create']);
    const [register, create] = plan.steps;
    if (!register || !isEcsStep(register, 'register-task-definition')) throw new Error('no register step');
    expect(register.payload.input.family).to.equal('ecs');
    expect(register.payload.previousArn).to.equal(undefined);
    expect(register.before).to.equal(undefined);
    if (!create || !isEcsStep(create, 'create-service')) throw new Error('no create step');
    expect(taskDefinitionFromStep(create.payload)).to.equal(true);
    expect(create.payload.input).not.to.have.property('taskDefinition');
    expect(resolveCreateServiceInput(create.payload, TD_ARN_1)).to.deep.equal({
      cluster: 'eagletmt',
      serviceName: 'ecs',
      taskDefinition: TD_ARN_1,
      desiredCount: 1,
      role: 'ECSServiceRole',
      placementConstraints: [],
      placementStrategy: [],
      propagateTags: 'TASK_DEFINITION',
      enableExecuteCommand: false,
    });
  });

  it('case 2, same service running: all noop', () => {
    const plan = planEcsDeploy(ecsModel(), running, { force: false });
    expect(kinds(plan)).to.deep.equal(['ecs/task-definition-unchanged/noop', 'ecs/service-unchanged/noop']);
    expect(plan.steps[0]?.title).to.equal(`Task definition isn't changed: ${TD_ARN_1}`);
    expect(plan.steps[1]?.title).to.equal("Service isn't changed");
    expect(hasChanges(plan)).to.equal(false);
  });

  it('case 3, different desired count: updates the service with the existing task definition only', () => {
    const plan = planEcsDeploy(ecsModel(), { ...running, service: liveService({ desiredCount: 0 }) }, { force: false });
    expect(kinds(plan)).to.deep.equal(['ecs/task-definition-unchanged/noop', 'ecs/update-service/update']);
    const update = plan.steps[1];
    if (!update || !isEcsStep(update, 'update-service')) throw new Error('no update step');
    expect(taskDefinitionFromStep(update.payload)).to.equal(false);
    expect(update.payload.currentTaskDefinitionArn).to.equal(TD_ARN_1);
    expect(update.payload.currentDesiredCount).to.equal(0);
    expect(resolveUpdateServiceInput(update.payload, undefined)).to.deep.equal({
      cluster: 'eagletmt',
      service: 'ecs',
      desiredCount: 1,
      taskDefinition: TD_ARN_1,
      enableExecuteCommand: false,
      placementConstraints: [],
      placementStrategy: [],
    });
    expect(update.before).to.deep.include({ desired_count: 0 });
    expect(update.after).to.deep.include({ desired_count: 1 });
  });

  it('case 4, different memory: registers a new revision and updates the service to it', () => {
    const observed = { ...running, taskDefinition: liveTaskDefinition(HAKO_VERSION, { memory: 1024 }) };
    const plan = planEcsDeploy(ecsModel(), observed, { force: false });
    expect(kinds(plan)).to.deep.equal(['ecs/register-task-definition/create', 'ecs/update-service/update']);
    const [register, update] = plan.steps;
    if (!register || !isEcsStep(register, 'register-task-definition')) throw new Error('no register step');
    expect(register.payload.previousArn).to.equal(TD_ARN_1);
    expect(register.title).to.equal('Register task definition ecs (replacing revision 1)');
    if (!update || !isEcsStep(update, 'update-service')) throw new Error('no update step');
    expect(taskDefinitionFromStep(update.payload)).to.equal(true);
    expect(update.payload.input).not.to.have.property('taskDefinition');
    expect(resolveUpdateServiceInput(update.payload, TD_ARN_2).taskDefinition).to.equal(TD_ARN_2);
    expect(() => resolveUpdateServiceInput(update.payload, undefined)).to.throw();
  });

  it('--force registers and updates even when nothing changed', () => {
    const plan = planEcsDeploy(ecsModel(), running, { force: true });
    expect(kinds(plan)).to.deep.equal(['ecs/register-task-definition/create', 'ecs/update-service/update']);
    expect(plan.steps[0]?.title).to.match(/\(forced\)$/);
  });

  it('updates a service running an older revision than the latest one of the family', () => {
    const observed = { ...running, taskDefinition: { ...liveTaskDefinition(HAKO_VERSION), taskDefinitionArn: TD_ARN_2, revision: 2 } };
    const plan = planEcsDeploy(ecsModel(), observed, { force: false });
    expect(kinds(plan)).to.deep.equal(['ecs/task-definition-unchanged/noop', 'ecs/update-service/update']);
    const update = plan.steps[1];
    if (!update || !isEcsStep(update, 'update-service')) throw new Error('no update step');
    expect(update.payload.taskDefinition).to.equal(TD_ARN_2);
  });

  it('is a noop against a moto-like service that echoes fewer fields', () => {
    const model = ecsModel({
      scheduler: scheduler({ health_check_grace_period_seconds: 0, deployment_configuration: { maximum_percent: 200 } }),
    });
    const motoService = { ...liveService(), deploymentConfiguration: undefined, enableExecuteCommand: undefined, networkConfiguration: {} };
    const plan = planEcsDeploy(model, { ...running, service: motoService }, { force: false });
    expect(hasChanges(plan)).to.equal(false);
  });

  it('plans a DAEMON service without a desired count and does not update it for one', () => {
    const model = ecsModel({ scheduler: scheduler({ desired_count: undefined, scheduling_strategy: 'DAEMON' }) });
    const plan = planEcsDeploy(model, { ...running, service: liveService({ schedulingStrategy: 'DAEMON', desiredCount: 3 }) }, { force: false });
    expect(hasChanges(plan)).to.equal(false);
  });

  it('binds the service to target groups by the ARN the alb script provides, resolved at apply time', () => {
    const tgArn = outputRef(TG_KEY, 'ARN of target group hako-ecs');
    const model = ecsModel({ load_balancers: [{ target_group_name: 'hako-ecs', target_group_arn: tgArn, container_name: 'front', container_port: 80 }] });
    const plan = planEcsDeploy(model, { ...running, service: undefined }, { force: false });
    const create = plan.steps[1];
    if (!create || !isEcsStep(create, 'create-service')) throw new Error('no create step');
    expect(taskDefinitionFromStep(create.payload)).to.equal(false);
    expect(create.payload.loadBalancers).to.deep.equal([{ targetGroupArn: tgArn, containerName: 'front', containerPort: 80 }]);
    const input = resolveCreateServiceInput(create.payload, undefined, new Map([['hako-ecs', 'arn:tg']]));
    expect(input.taskDefinition).to.equal(TD_ARN_1);
    expect(input.loadBalancers).to.deep.equal([{ targetGroupArn: 'arn:tg', containerName: 'front', containerPort: 80 }]);
    expect(() => resolveCreateServiceInput(create.payload, undefined)).to.throw(/hako-ecs/);
  });

  // Classic ELB is deployable now: its plans are tested in classic-elb.test.ts.
  it('refuses a definition without desired_count before planning anything', () => {
    const noCount = ecsModel({ scheduler: scheduler({ desired_count: undefined }) });
    expect(() => planEcsDeploy(noCount, running, { force: false })).to.throw(DefinitionError).with.property('issues').that.deep.equals([
      { path: 'scheduler.desired_count', message: 'desired_count must be set', severity: 'error' },
    ]);
  });
});

describe('planTaskDefinition', () => {
  it('plans the oneshot family with its own containers', () => {
    const step = planTaskDefinition(ecsModel(), { taskDefinitionTags: [] }, {
      force: false,
      family: 'ecs-oneshot',
      containers: [container({ command: ['echo', 'hi'] })],
    });
    if (!isEcsStep(step, 'register-task-definition')) throw new Error('expected a register step');
    expect(step.payload.input.family).to.equal('ecs-oneshot');
    expect(step.payload.input.containerDefinitions?.[0]?.command).to.deep.equal(['echo', 'hi']);
  });
});
