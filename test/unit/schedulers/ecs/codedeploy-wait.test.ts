/**
 * Following a CodeDeploy deployment on virtual time over a scripted fake: status progression with lifecycle and
 * traffic detail, failure, stop, throttling, timeout, Ctrl-C; and what the ECS scheduler's `wait` makes of it.
 */
import { expect } from 'chai';
import type { codeDeploy } from '../../../../lib/aws/ports.js';
import { AbortedError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { followDeployment, type FollowContext } from '../../../../lib/schedulers/ecs/codedeploy/wait.js';
import { createVirtualTime } from '../../../../lib/util/sleep.js';
import { codeDeployError, FakeCodeDeploy } from '../../../helpers/fake-codedeploy.js';
import { cdModel, cdService, ecsWith, groupWith, harness, REV2 } from './codedeploy-fixtures.js';

const D = { deploymentId: 'd-1', applicationName: 'nanika-app', deploymentGroupName: 'nanika-dg', status: 'Created' } as const;

function setup(api: FakeCodeDeploy) {
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  const ctx: FollowContext = { codeDeploy: api, io, clock: time.clock, sleep: time.sleep, backoff: { random: () => 0.5 } };
  return { io, time, ctx };
}

function target(events: [string, string][], traffic?: [number, number]): codeDeploy.ECSTarget {
  return {
    status: 'InProgress',
    lifecycleEvents: events.map(([lifecycleEventName, status]) => ({ lifecycleEventName, status: status as codeDeploy.LifecycleEventStatus })),
    ...(traffic === undefined
      ? {}
      : {
          taskSetsInfo: [
            { taskSetLabel: 'Green', trafficWeight: traffic[1], runningCount: 2, desiredCount: 2 },
            { taskSetLabel: 'Blue', trafficWeight: traffic[0], runningCount: 2, desiredCount: 2 },
          ],
        }),
  };
}

describe('followDeployment', () => {
  it('follows Created → InProgress → Succeeded, reporting each status, lifecycle event and traffic split once', async () => {
    const api = new FakeCodeDeploy().addDeployment({ ...D }, [{}, { status: 'InProgress' }, {}, {}, { status: 'Succeeded' }], [
      target([['BeforeInstall', 'Succeeded'], ['Install', 'InProgress'], ['AllowTraffic', 'Pending']]),
      target([['BeforeInstall', 'Succeeded'], ['Install', 'Succeeded'], ['AllowTraffic', 'InProgress']], [90, 10]),
      target([['BeforeInstall', 'Succeeded'], ['Install', 'Succeeded'], ['AllowTraffic', 'Succeeded']], [0, 100]),
    ]);
    const { io, time, ctx } = setup(api);

    const outcome = await followDeployment(ctx, { deploymentId: 'd-1', until: 'succeeded', targetId: 'default:nanika', timeoutMs: 600_000 });

    expect(outcome.status).to.equal('succeeded');
    expect(io.messages.filter((m) => m.code.startsWith('codedeploy.')).map((m) => m.message)).to.deep.equal([
      'CodeDeploy deployment d-1: Created',
      'CodeDeploy deployment d-1: InProgress',
      'BeforeInstall: Succeeded',
      'Install: InProgress',
      'Install: Succeeded',
      'AllowTraffic: InProgress',
      'Traffic: blue 90% (2/2 running), green 10% (2/2 running)',
      'AllowTraffic: Succeeded',
      'Traffic: blue 0% (2/2 running), green 100% (2/2 running)',
      'CodeDeploy deployment d-1: Succeeded',
    ]);
    expect(api.callsOf('getDeploymentTarget')[0]).to.deep.equal({ deploymentId: 'd-1', targetId: 'default:nanika' });
    // Polls spaced out from 1 s, growing.
    expect(time.sleeps).to.deep.equal([1000, 1500, 2250, 3375]);
    expect(io.statuses.at(-1)).to.equal(undefined);
  });

  it('reports a failed deployment with CodeDeploy\'s reason', async () => {
    const api = new FakeCodeDeploy().addDeployment({ ...D, status: 'InProgress' }, [
      {},
      { status: 'Failed', errorInformation: { code: 'ECS_UPDATE_ERROR', message: 'The ECS service cannot be updated due to an unexpected error' } },
    ]);
    const { io, ctx } = setup(api);
    const outcome = await followDeployment(ctx, { deploymentId: 'd-1', until: 'succeeded' });
    expect(outcome.status).to.equal('failed');
    expect((outcome as { reason: string }).reason).to.equal('CodeDeploy deployment d-1 failed: ECS_UPDATE_ERROR: The ECS service cannot be updated due to an unexpected error');
    expect(io.messages.find((m) => m.code === 'codedeploy.deployment.failed')?.level).to.equal('error');
  });

  it('ends at traffic_shifted once the blue task set\'s termination wait started', async () => {
    const api = new FakeCodeDeploy().addDeployment({ ...D, status: 'InProgress' }, [{}, { instanceTerminationWaitTimeStarted: true }, { status: 'Succeeded' }]);
    const { ctx } = setup(api);
    const outcome = await followDeployment(ctx, { deploymentId: 'd-1', until: 'traffic_shifted' });
    expect(outcome.status).to.equal('traffic-shifted');
    expect(api.callsOf('getDeployment')).to.have.length(2);
  });

  it('says once how to continue a deployment that waits in Ready', async () => {
    const api = new FakeCodeDeploy().addDeployment({ ...D, status: 'Ready' }, [{}, {}, { status: 'InProgress' }, { status: 'Succeeded' }]);
    const { io, ctx } = setup(api);
    await followDeployment(ctx, { deploymentId: 'd-1', until: 'succeeded' });
    const ready = io.messages.filter((m) => m.code === 'codedeploy.deployment.ready');
    expect(ready).to.have.length(1);
    expect(ready[0]!.message).to.contain('aws deploy continue-deployment --deployment-id d-1 --deployment-wait-type READY_WAIT');
  });

  it('slows down when throttled, and goes on with the status alone when lifecycle detail is unavailable', async () => {
    const api = new FakeCodeDeploy()
      .addDeployment({ ...D, status: 'InProgress' }, [{}, {}, { status: 'Succeeded' }])
      .fail('getDeployment', codeDeployError('ThrottlingException', 'Rate exceeded'));
    const { io, time, ctx } = setup(api);
    const outcome = await followDeployment(ctx, { deploymentId: 'd-1', until: 'succeeded', targetId: 'default:nanika' });
    expect(outcome.status).to.equal('succeeded');
    expect(io.codes()).to.include('codedeploy.throttled');
    expect(time.sleeps[0]).to.equal(2000);
    // Asked once, then never again.
    expect(api.callsOf('getDeploymentTarget')).to.have.length(1);
    expect(io.messages.filter((m) => m.code === 'codedeploy.target.unavailable').map((m) => m.level)).to.deep.equal(['debug']);
  });

  it('times out with the last status', async () => {
    const api = new FakeCodeDeploy().addDeployment({ ...D, status: 'InProgress' });
    const { ctx } = setup(api);
    const outcome = await followDeployment(ctx, { deploymentId: 'd-1', until: 'succeeded', timeoutMs: 30_000 });
    expect(outcome.status).to.equal('timed-out');
    expect((outcome as { reason: string }).reason).to.equal('Timed out after 30s waiting for CodeDeploy deployment d-1 (last status: InProgress)');
  });

  it('stops at once on Ctrl-C', async () => {
    const api = new FakeCodeDeploy().addDeployment({ ...D, status: 'InProgress' });
    const { time, ctx } = setup(api);
    const controller = new AbortController();
    time.onSleep = (_ms, now) => {
      if (now > 5000) controller.abort();
    };
    let error: unknown;
    try {
      await followDeployment({ ...ctx, signal: controller.signal }, { deploymentId: 'd-1', until: 'succeeded' });
    } catch (e) {
      error = e;
    }
    expect(error).to.be.instanceOf(AbortedError);
  });
});

describe('CodeDeploy part: wait after deploy and rollback', () => {
  async function deployed(script: Partial<codeDeploy.DeploymentInfo>[], codedeploy: Parameters<typeof cdModel>[1] = {}) {
    const io = new RecordingIoHost();
    const ecs = ecsWith(cdService()).enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: REV2 } });
    const api = groupWith(new FakeCodeDeploy());
    api.nextScript = script;
    const h = harness({ ecs, codeDeploy: api }, io);
    const model = cdModel({}, codedeploy, 'app-image:v2');
    const journal = await h.apply(await h.scheduler.planDeploy(model, { force: false }));
    return { io, api, h, model, journal };
  }

  it('completes when the deployment succeeds', async () => {
    const { h, model, journal } = await deployed([{ status: 'InProgress' }, { status: 'Succeeded' }]);
    expect(await h.scheduler.wait!(model, journal, { timeoutMs: 600_000 })).to.deep.equal({ status: 'completed' });
  });

  it('fails without recovery steps, saying that CodeDeploy rolls back and where', async () => {
    const { h, model, journal } = await deployed([
      { status: 'InProgress' },
      { status: 'Failed', errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'tasks failed health checks' }, rollbackInfo: { rollbackDeploymentId: 'd-BACK' } },
    ]);
    const outcome = await h.scheduler.wait!(model, journal, { timeoutMs: 600_000 });
    expect(outcome).to.deep.equal({
      status: 'failed',
      reason: 'CodeDeploy deployment d-FAKE1 failed: HEALTH_CONSTRAINTS: tasks failed health checks',
      taskIds: [],
      hint: 'CodeDeploy rolls it back in deployment d-BACK (`aws deploy get-deployment --deployment-id d-BACK`).',
    });
  });

  it('says when the group rolls back by itself, and when nothing does', async () => {
    const auto = await deployed([{ status: 'Failed', autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] } }]);
    expect(((await auto.h.scheduler.wait!(auto.model, auto.journal, {})) as { hint: string }).hint).to.equal(
      "The deployment group's automatic rollback puts the previous task set back.",
    );
    const off = await deployed([{ status: 'Failed' }]);
    expect(((await off.h.scheduler.wait!(off.model, off.journal, {})) as { hint: string }).hint).to.equal(
      'Automatic rollback is off for this deployment group: check where traffic goes, and `hako rollback /defs/nanika.jsonnet` deploys the previous revision.',
    );
  });

  it('returns once traffic moved when the definition waits for traffic_shifted only', async () => {
    const { h, model, journal, api } = await deployed([{ status: 'InProgress' }, { status: 'InProgress', instanceTerminationWaitTimeStarted: true }], { wait: 'traffic_shifted' });
    expect(await h.scheduler.wait!(model, journal, {})).to.deep.equal({ status: 'completed' });
    expect(api.callsOf('getDeployment').filter((c) => c.deploymentId === 'd-FAKE1')).to.have.length(2);
  });

  it('on Ctrl-C says the deployment goes on and how to watch or stop it', async () => {
    const { h, model, journal } = await deployed([{ status: 'InProgress' }]);
    const controller = new AbortController();
    h.time.onSleep = () => controller.abort();
    let error: AbortedError | undefined;
    try {
      await h.scheduler.wait!(model, journal, { signal: controller.signal });
    } catch (e) {
      error = e as AbortedError;
    }
    expect(error?.message).to.equal('Interrupted: CodeDeploy deployment d-FAKE1 of nanika goes on without hako');
    expect(error?.exitCode).to.equal(130);
    expect(error?.hint).to.equal(
      'Watch it with `aws deploy get-deployment --deployment-id d-FAKE1` (or the CodeDeploy console); stop it and roll it back with `hako rollback /defs/nanika.jsonnet`.',
    );
  });

  it('waits for a new CODE_DEPLOY service\'s first task set, which ECS lists instead of deployments', async () => {
    const io = new RecordingIoHost();
    const created = cdService({ runningCount: 0, taskSets: [{ id: 'ecs-svc/1', status: 'PRIMARY', stabilityStatus: 'STABILIZING', computedDesiredCount: 2, runningCount: 0, pendingCount: 2 }] });
    const steady = cdService({ taskSets: [{ id: 'ecs-svc/1', status: 'PRIMARY', stabilityStatus: 'STEADY_STATE', computedDesiredCount: 2, runningCount: 2, pendingCount: 0 }] });
    const ecs = ecsWith(undefined, undefined)
      .fallback('describeTaskDefinition', Object.assign(new Error('x'), { name: 'ClientException' }))
      .enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: REV2 } })
      .enqueue('createService', { service: created });
    const h = harness({ ecs }, io);
    const journal = await h.apply(await h.scheduler.planDeploy(cdModel(), { force: false }));
    ecs.enqueue('describeServices', { services: [created] }, { services: [steady] });

    expect(await h.scheduler.wait!(cdModel(), journal, { timeoutMs: 600_000 })).to.deep.equal({ status: 'completed' });
    expect(io.messages.filter((m) => m.code === 'ecs.task-set.progress').map((m) => m.message)).to.deep.equal([
      'primary task set: running 0/2, pending 2 (stabilizing)',
      'primary task set: running 2/2, pending 0 (steady state)',
    ]);
  });
});
