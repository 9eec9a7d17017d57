/**
 * `hako rollback` of a CODE_DEPLOY service through the ECS scheduler: an in-flight deployment is stopped with
 * rollback and CodeDeploy's rollback deployment followed; otherwise the previous revision goes out through CodeDeploy.
 */
import { expect } from 'chai';
import { parse } from 'yaml';
import type { HakoError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { renderAppSpec } from '../../../../lib/schedulers/ecs/codedeploy/appspec.js';
import { FakeCodeDeploy } from '../../../helpers/fake-codedeploy.js';
import { taskDefArn } from '../../../helpers/fake-ecs.js';
import { cdModel, cdService, ecsWith, groupWith, harness, REV1, REV2 } from './codedeploy-fixtures.js';

const REV3 = taskDefArn('nanika', 3);
const inFlight = (status = 'InProgress') => ({
  deploymentId: 'd-RUNNING',
  applicationName: 'nanika-app',
  deploymentGroupName: 'nanika-dg',
  status: status as 'InProgress',
  revision: {
    revisionType: 'AppSpecContent' as const,
    appSpecContent: {
      content: renderAppSpec(
        { version: '0.0', Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: REV3, LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 80 } } } }] },
        'yaml',
      ),
    },
  },
});

function setup(live = cdService({ taskDefinition: REV2 })) {
  const io = new RecordingIoHost();
  const ecs = ecsWith(live).fallback('listTaskDefinitions', { taskDefinitionArns: [REV1, REV2, REV3] });
  const api = groupWith(new FakeCodeDeploy());
  return { io, ecs, api, h: harness({ ecs, codeDeploy: api }, io) };
}

describe('CodeDeploy part: rollback', () => {
  it('stops the deployment in flight with rollback, then follows CodeDeploy\'s rollback deployment to its end', async () => {
    const { api, ecs, h, io } = setup();
    // The first read is the plan's.
    api.addDeployment(inFlight(), [{}, {}, { status: 'Stopped', rollbackInfo: { rollbackDeploymentId: 'd-BACK' } }]);

    const plan = await h.scheduler.planRollback!(cdModel(), {});
    // CodeDeploy starts the rollback deployment once asked to stop.
    api.addDeployment({ deploymentId: 'd-BACK', applicationName: 'nanika-app', deploymentGroupName: 'nanika-dg', status: 'InProgress' }, [{}, { status: 'Succeeded' }]);
    expect(plan.steps.map((s) => s.title)).to.deep.equal(['Stop CodeDeploy deployment d-RUNNING of nanika (rolling out nanika:3) and roll it back']);
    expect({ current: plan.current, target: plan.target }).to.deep.equal({ current: REV3, target: REV2 });

    const journal = await h.apply(plan.steps);
    expect(api.callsOf('stopDeployment')).to.deep.equal([{ deploymentId: 'd-RUNNING', autoRollbackEnabled: true }]);
    expect(await h.scheduler.wait!(cdModel(), journal, {})).to.deep.equal({ status: 'completed' });
    expect(io.lines).to.include('CodeDeploy rolls back in deployment d-BACK');
    expect(ecs.callsOf('updateService')).to.deep.equal([]);
  });

  it('reports a rollback deployment that fails', async () => {
    const { api, h } = setup();
    api.addDeployment(inFlight(), [{}, { status: 'Stopped', rollbackInfo: { rollbackDeploymentId: 'd-BACK' } }]);
    const plan = await h.scheduler.planRollback!(cdModel(), {});
    api.addDeployment({ deploymentId: 'd-BACK', applicationName: 'nanika-app', deploymentGroupName: 'nanika-dg', status: 'InProgress' }, [{ status: 'Failed', errorInformation: { code: 'HEALTH_CONSTRAINTS', message: 'no capacity' } }]);
    const outcome = await h.scheduler.wait!(cdModel(), await h.apply(plan.steps), {});
    expect(outcome).to.deep.include({ status: 'failed', reason: 'CodeDeploy deployment d-BACK failed: HEALTH_CONSTRAINTS: no capacity' });
  });

  it('deploys the previous ACTIVE revision through CodeDeploy when nothing is in flight, keeping it registered', async () => {
    const { api, ecs, h } = setup(cdService({ taskDefinition: REV3 }));
    api.nextScript = [{ status: 'InProgress' }, { status: 'Succeeded' }];

    const plan = await h.scheduler.planRollback!(cdModel(), {});
    expect(plan.steps.map((s) => s.title)).to.deep.equal([`Current task definition is nanika:3. Rolling back to ${REV2} through CodeDeploy (nanika-app/nanika-dg)`]);
    expect({ current: plan.current, target: plan.target }).to.deep.equal({ current: REV3, target: REV2 });
    const journal = await h.apply(plan.steps);

    const [request] = api.callsOf('createDeployment');
    expect(request!.description).to.match(/^hako rollback of nanika \(run /);
    const appSpec = parse(request!.revision!.appSpecContent!.content!) as { Resources: { TargetService: { Properties: Record<string, unknown> } }[] };
    expect(appSpec.Resources[0]!.TargetService.Properties).to.deep.equal({ TaskDefinition: REV2, LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 80 } });
    expect(ecs.callsOf('deregisterTaskDefinition')).to.deep.equal([]);
    expect(await h.scheduler.wait!(cdModel(), journal, {})).to.deep.equal({ status: 'completed' });
  });

  it('goes to --to N through CodeDeploy, and refuses --to while a deployment is in flight', async () => {
    const { h } = setup(cdService({ taskDefinition: REV3 }));
    expect((await h.scheduler.planRollback!(cdModel(), { to: 1 })).target).to.equal(REV1);

    const busy = setup();
    busy.api.addDeployment(inFlight('Ready'));
    let error: HakoError | undefined;
    try {
      await busy.h.scheduler.planRollback!(cdModel(), { to: 1 });
    } catch (e) {
      error = e as HakoError;
    }
    expect(error?.code).to.equal('CODEDEPLOY_DEPLOYMENT_IN_PROGRESS');
    expect(error?.hint).to.contain('without --to');
    expect(busy.api.mutations()).to.deep.equal([]);
  });

  it('reports a deployment that succeeded before the stop reached it', async () => {
    const { api, h } = setup();
    api.addDeployment(inFlight(), [{}, { status: 'Succeeded' }]);
    const plan = await h.scheduler.planRollback!(cdModel(), {});
    const outcome = await h.scheduler.wait!(cdModel(), await h.apply(plan.steps), {});
    expect(outcome).to.deep.include({ status: 'failed', reason: 'CodeDeploy deployment d-RUNNING succeeded before it could be stopped' });
  });
});
