/**
 * Deploy planning and applying of a CODE_DEPLOY service through the ECS scheduler, over fakes of the ECS and
 * CodeDeploy ports: what is planned (and what is not asked at all), what is sent, and what stops a deploy first.
 */
import { expect } from 'chai';
import { parse } from 'yaml';
import { HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { hasChanges } from '../../../../lib/plan/plan.js';
import { renderPlan } from '../../../../lib/plan/render.js';
import { TEST_RUN_ID } from '../../../helpers/apply-context.js';
import { FakeCodeDeploy } from '../../../helpers/fake-codedeploy.js';
import { cdModel, cdService, ecsWith, groupWith, harness, liveRevision, REV1, REV2, TG_BLUE } from './codedeploy-fixtures.js';

const kinds = (steps: readonly { owner: string; kind: string }[]) => steps.map((s) => `${s.owner}:${s.kind}`);

async function rejection(p: Promise<unknown>): Promise<HakoError> {
  try {
    await p;
  } catch (e) {
    return e as HakoError;
  }
  throw new Error('expected a rejection');
}

describe('CodeDeploy part: deploy planning', () => {
  it('plans nothing and asks CodeDeploy nothing when the service runs what the definition describes', async () => {
    const ecs = ecsWith(cdService());
    const codeDeploy = new FakeCodeDeploy({ forbidMutations: true });
    const { scheduler } = harness({ ecs, codeDeploy }, new RecordingIoHost());

    const steps = await scheduler.planDeploy(cdModel(), { force: false });

    expect(kinds(steps)).to.deep.equal(['ecs:task-definition-unchanged', 'codedeploy:deployment-unchanged']);
    expect(hasChanges({ steps })).to.equal(false);
    expect(codeDeploy.calls).to.deep.equal([]);
    expect(ecs.methods().every((m) => m.startsWith('describe'))).to.equal(true);
  });

  it('registers the new revision and creates a deployment whose AppSpec names it, found through the service\'s deployment group', async () => {
    const io = new RecordingIoHost();
    const ecs = ecsWith(cdService()).enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: REV2 } });
    const codeDeploy = groupWith(new FakeCodeDeploy()).addGroup('other-app', 'other-dg', { ecsServices: [{ clusterName: 'default', serviceName: 'other' }] });
    const { scheduler, apply } = harness({ ecs, codeDeploy }, io);
    const model = cdModel({}, { deployment_config: 'CodeDeployDefault.ECSCanary10Percent5Minutes' }, 'app-image:v2');

    const steps = await scheduler.planDeploy(model, { force: false });

    expect(kinds(steps)).to.deep.equal(['ecs:register-task-definition', 'codedeploy:create-deployment']);
    const create = steps[1]!;
    expect(create.title).to.equal(
      'Create CodeDeploy deployment of nanika: nanika:1 → (known after apply: new revision of task definition nanika) (nanika-app/nanika-dg, CodeDeployDefault.ECSCanary10Percent5Minutes)',
    );
    // diff shows the AppSpec: the revision line changes, the rest is context.
    const rendered = renderPlan({ steps }, { color: false });
    expect(rendered).to.contain(`-        TaskDefinition: ${REV1}`);
    expect(rendered).to.contain('+        TaskDefinition: "(known after apply: new revision of task definition nanika)"');
    expect(rendered).to.contain('         LoadBalancerInfo:');
    // Searched every application, read each group, and checked nothing is in flight.
    expect(codeDeploy.methods()).to.deep.equal(['listApplications', 'listDeploymentGroups', 'getDeploymentGroup', 'listDeploymentGroups', 'getDeploymentGroup', 'listDeployments']);
    expect(io.codes()).to.include('codedeploy.group.found');

    const journal = await apply(steps);
    expect(journal.map((e) => e.status)).to.deep.equal(['applied', 'applied']);
    const [request] = codeDeploy.callsOf('createDeployment');
    expect(request).to.deep.include({
      applicationName: 'nanika-app',
      deploymentGroupName: 'nanika-dg',
      deploymentConfigName: 'CodeDeployDefault.ECSCanary10Percent5Minutes',
      description: `hako deploy of nanika (run ${TEST_RUN_ID})`,
    });
    expect(request!.revision!.revisionType).to.equal('AppSpecContent');
    const appSpec = parse(request!.revision!.appSpecContent!.content!) as { Resources: { TargetService: { Type: string; Properties: unknown } }[] };
    expect(appSpec.Resources[0]!.TargetService).to.deep.equal({
      Type: 'AWS::ECS::Service',
      Properties: { TaskDefinition: REV2, LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 80 } },
    });
    // Nothing about the task definition or load balancers went through UpdateService: ECS refuses them here.
    expect(ecs.callsOf('updateService')).to.deep.equal([]);
    expect(journal[1]!.data).to.deep.equal({ deploymentId: 'd-FAKE1', group: { application: 'nanika-app', deploymentGroup: 'nanika-dg' }, taskDefinition: REV2, previousTaskDefinition: REV1 });
  });

  it('sends only what ECS lets a CODE_DEPLOY service change through UpdateService', async () => {
    const ecs = ecsWith(cdService({ enableExecuteCommand: false })).enqueue('updateService', { service: cdService({ desiredCount: 4 }) });
    const codeDeploy = new FakeCodeDeploy({ forbidMutations: true });
    const io = new RecordingIoHost();
    const { scheduler, apply } = harness({ ecs, codeDeploy }, io);
    const model = cdModel({
      desired_count: 4,
      enable_execute_command: true,
      platform_version: undefined,
      placement_strategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
    });

    const steps = await scheduler.planDeploy(model, { force: false });
    expect(kinds(steps)).to.deep.equal(['ecs:task-definition-unchanged', 'codedeploy:update-service-settings', 'codedeploy:deployment-unchanged']);
    await apply(steps);

    expect(ecs.callsOf('updateService')).to.deep.equal([
      {
        cluster: 'default',
        service: 'nanika',
        desiredCount: 4,
        healthCheckGracePeriodSeconds: 0,
        placementConstraints: [],
        placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
      },
    ]);
    expect(codeDeploy.calls).to.deep.equal([]);
    // What neither UpdateService nor an AppSpec can change is said, not silently dropped.
    expect(io.messages.find((m) => m.code === 'codedeploy.service.unchangeable')?.message).to.equal(
      "scheduler.enable_execute_command (true) differs from the service's (false), which ECS does not change on a CODE_DEPLOY service",
    );
  });

  it('keeps the deployment group\'s blue termination wait at termination_wait_minutes, other blue/green settings as they were', async () => {
    const ecs = ecsWith(cdService());
    const codeDeploy = groupWith(new FakeCodeDeploy());
    const { scheduler, apply } = harness({ ecs, codeDeploy }, new RecordingIoHost());

    const steps = await scheduler.planDeploy(cdModel({}, { application: 'nanika-app', deployment_group: 'nanika-dg', termination_wait_minutes: 5 }), { force: false });
    expect(kinds(steps)).to.deep.equal(['ecs:task-definition-unchanged', 'codedeploy:update-deployment-group', 'codedeploy:deployment-unchanged']);
    expect(steps[1]!.title).to.equal('Update deployment group nanika-app/nanika-dg: blue task set termination wait 60 → 5 minutes');
    // Named: one read, no search, and no in-flight check without a deployment.
    expect(codeDeploy.methods()).to.deep.equal(['getDeploymentGroup']);
    await apply(steps);

    expect(codeDeploy.callsOf('updateDeploymentGroup')).to.deep.equal([
      {
        applicationName: 'nanika-app',
        currentDeploymentGroupName: 'nanika-dg',
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 5 },
        },
      },
    ]);
    const again = await scheduler.planDeploy(cdModel({}, { application: 'nanika-app', deployment_group: 'nanika-dg', termination_wait_minutes: 5 }), { force: false });
    expect(hasChanges({ steps: again })).to.equal(false);
  });

  it('refuses to deploy while a deployment of the group is in flight, before changing anything (a dry run warns)', async () => {
    const codeDeploy = groupWith(new FakeCodeDeploy()).addDeployment({
      deploymentId: 'd-RUNNING',
      applicationName: 'nanika-app',
      deploymentGroupName: 'nanika-dg',
      status: 'InProgress',
    });
    const model = cdModel({}, {}, 'app-image:v2');
    const ecs = ecsWith(cdService());
    const error = await rejection(harness({ ecs, codeDeploy }, new RecordingIoHost()).scheduler.planDeploy(model, { force: false }));
    expect(error.code).to.equal('CODEDEPLOY_DEPLOYMENT_IN_PROGRESS');
    expect(error.message).to.equal('CodeDeploy deployment d-RUNNING (InProgress) of nanika has not finished');
    expect(error.hint).to.contain('hako rollback');
    expect(ecs.methods().every((m) => m.startsWith('describe'))).to.equal(true);
    expect(codeDeploy.mutations()).to.deep.equal([]);

    const io = new RecordingIoHost();
    const steps = await harness({ ecs: ecsWith(cdService()), codeDeploy }, io, { dryRun: true }).scheduler.planDeploy(model, { force: false });
    expect(kinds(steps)).to.deep.equal(['ecs:register-task-definition', 'codedeploy:create-deployment']);
    expect(io.codes()).to.include('codedeploy.deployment.in-progress');
  });

  it('creates the service with the CODE_DEPLOY controller on the first deploy, without asking CodeDeploy', async () => {
    const ecs = ecsWith(undefined, undefined).fallback('describeTaskDefinition', Object.assign(new Error('Unable to describe task definition.'), { name: 'ClientException' }));
    const codeDeploy = new FakeCodeDeploy({ forbidMutations: true });
    const steps = await harness({ ecs, codeDeploy }, new RecordingIoHost()).scheduler.planDeploy(cdModel(), { force: false });

    expect(kinds(steps)).to.deep.equal(['ecs:register-task-definition', 'ecs:create-service']);
    const payload = steps[1]!.payload as { input: Record<string, unknown>; loadBalancers: unknown[] };
    expect(payload.input.deploymentController).to.deep.equal({ type: 'CODE_DEPLOY' });
    expect(payload.loadBalancers).to.deep.equal([{ targetGroupArn: TG_BLUE, containerName: 'app', containerPort: 80 }]);
    expect(codeDeploy.calls).to.deep.equal([]);
  });

  it('warns on the first deploy when the named group does not exist yet or shifts between other target groups', async () => {
    const ecs = ecsWith(undefined, undefined).fallback('describeTaskDefinition', Object.assign(new Error('x'), { name: 'ClientException' }));
    const named = { application: 'nanika-app', deployment_group: 'nanika-dg' };
    const io = new RecordingIoHost();
    await harness({ ecs, codeDeploy: new FakeCodeDeploy().addGroup('nanika-app', 'other') }, io).scheduler.planDeploy(cdModel({}, named), { force: false });
    expect(io.codes()).to.include('codedeploy.group.missing');

    const io2 = new RecordingIoHost();
    const codeDeploy = groupWith(new FakeCodeDeploy(), 'nanika-app', 'nanika-dg', { loadBalancerInfo: { targetGroupPairInfoList: [{ targetGroups: [{ name: 'a' }, { name: 'b' }] }] } });
    await harness({ ecs, codeDeploy }, io2).scheduler.planDeploy(cdModel({}, named), { force: false });
    expect(io2.messages.find((m) => m.code === 'codedeploy.group.target-group-mismatch')?.message).to.equal(
      "Target group nanika-blue is not in deployment group nanika-app/nanika-dg's pair (a, b): CodeDeploy can only shift traffic between those",
    );
  });

  it('adopts the deployment a lost CreateDeployment started instead of starting another', async () => {
    const ecs = ecsWith(cdService()).enqueue('registerTaskDefinition', { taskDefinition: { taskDefinitionArn: REV2 } });
    const codeDeploy = groupWith(new FakeCodeDeploy()).loseNextAnswer('createDeployment');
    const { scheduler, apply } = harness({ ecs, codeDeploy }, new RecordingIoHost());
    const steps = await scheduler.planDeploy(cdModel({}, {}, 'app-image:v2'), { force: false });

    const journal = await apply(steps);
    expect(journal.map((e) => e.status)).to.deep.equal(['applied', 'adopted']);
    expect(codeDeploy.callsOf('createDeployment')).to.have.length(1);
    expect((journal[1]!.data as { deploymentId: string }).deploymentId).to.equal('d-FAKE1');
  });
});

describe('CodeDeploy part: deployment controller', () => {
  it('refuses a rolling deploy of a CODE_DEPLOY service, and a CodeDeploy deploy of a rolling one, before any change', async () => {
    const rollingModel = cdModel({ deployment_controller: undefined, codedeploy: undefined });
    const codeDeployService = ecsWith(cdService(), liveRevision(rollingModel));
    const e1 = await rejection(harness({ ecs: codeDeployService }, new RecordingIoHost()).scheduler.planDeploy(rollingModel, { force: false }));
    expect(e1.code).to.equal('ECS_DEPLOYMENT_CONTROLLER_MISMATCH');
    expect(e1.message).to.equal(
      'Service nanika in cluster default uses the CODE_DEPLOY (blue/green through CodeDeploy) deployment controller, but the definition asks for ECS (rolling update)',
    );
    expect(e1.hint).to.contain('Set scheduler.deployment_controller.type to CODE_DEPLOY');

    const rollingService = ecsWith(cdService({ deploymentController: undefined }));
    const e2 = await rejection(harness({ ecs: rollingService }, new RecordingIoHost()).scheduler.planDeploy(cdModel(), { force: false }));
    expect(e2.code).to.equal('ECS_DEPLOYMENT_CONTROLLER_MISMATCH');
    expect(e2.message).to.contain('uses the ECS (rolling update) deployment controller, but the definition asks for CODE_DEPLOY');

    for (const ecs of [codeDeployService, rollingService]) expect(ecs.methods().every((m) => m.startsWith('describe'))).to.equal(true);
  });

  it('refuses rollback the same way', async () => {
    const rollingModel = cdModel({ deployment_controller: undefined, codedeploy: undefined });
    const ecs = ecsWith(cdService()).fallback('listTaskDefinitions', { taskDefinitionArns: [REV1] });
    const error = await rejection(harness({ ecs }, new RecordingIoHost()).scheduler.planRollback!(rollingModel, {}));
    expect(error.code).to.equal('ECS_DEPLOYMENT_CONTROLLER_MISMATCH');
  });
});
