import { expect } from 'chai';
import type { CodeDeployConfig } from '../../../../lib/definition/model.js';
import type { HakoError } from '../../../../lib/errors.js';
import { clusterName, findDeploymentGroup, inFlightDeployments } from '../../../../lib/schedulers/ecs/codedeploy/discover.js';
import { FakeCodeDeploy } from '../../../helpers/fake-codedeploy.js';

const SERVICE = { cluster: 'default', service: 'nanika' };
const deploysNanika = { ecsServices: [{ clusterName: 'default', serviceName: 'nanika' }] };
const config = (c: Partial<CodeDeployConfig> = {}): CodeDeployConfig => ({ wait: 'succeeded', appspec_format: 'yaml', ...c });

async function rejection(p: Promise<unknown>): Promise<HakoError> {
  try {
    await p;
  } catch (e) {
    return e as HakoError;
  }
  throw new Error('expected a rejection');
}

describe('CodeDeploy deployment group discovery', () => {
  it('finds the one group whose ECS service is this one, searching every application when none is named', async () => {
    const api = new FakeCodeDeploy()
      .addGroup('web', 'web-dg', { ecsServices: [{ clusterName: 'default', serviceName: 'web' }] })
      .addGroup('web', 'nanika-dg', deploysNanika)
      .addGroup('servers', 'nanika-ec2', { computePlatform: 'Server', ecsServices: [{ clusterName: 'default', serviceName: 'nanika' }] })
      .addGroup('staging', 'nanika-dg', { ecsServices: [{ clusterName: 'staging', serviceName: 'nanika' }] });

    const found = await findDeploymentGroup(api, config(), SERVICE);

    expect({ application: found.application, deploymentGroup: found.deploymentGroup, named: found.named }).to.deep.equal({ application: 'web', deploymentGroup: 'nanika-dg', named: false });
    // An empty nextToken ends the listing (it does not loop).
    expect(api.callsOf('listDeploymentGroups').map((i) => i.applicationName)).to.deep.equal(['web', 'servers', 'staging']);
  });

  it('reads only the named group when both names are given, and checks that it deploys this service', async () => {
    const api = new FakeCodeDeploy().addGroup('web', 'nanika-dg', deploysNanika);
    const found = await findDeploymentGroup(api, config({ application: 'web', deployment_group: 'nanika-dg' }), SERVICE);
    expect(found.named).to.equal(true);
    expect(api.methods()).to.deep.equal(['getDeploymentGroup']);

    const other = new FakeCodeDeploy().addGroup('web', 'nanika-dg', { ecsServices: [{ clusterName: 'default', serviceName: 'web' }] });
    const e = await rejection(findDeploymentGroup(other, config({ application: 'web', deployment_group: 'nanika-dg' }), SERVICE));
    expect(e.code).to.equal('CODEDEPLOY_GROUP_MISMATCH');
    expect(e.message).to.equal('CodeDeploy deployment group web/nanika-dg deploys web in cluster default, not service nanika in cluster default');

    const missing = await rejection(findDeploymentGroup(new FakeCodeDeploy().addGroup('web', 'x'), config({ application: 'web', deployment_group: 'nanika-dg' }), SERVICE));
    expect(missing.code).to.equal('CODEDEPLOY_GROUP_NOT_FOUND');
    expect(missing.message).to.equal('CodeDeploy deployment group web/nanika-dg does not exist');
  });

  it('searches one application, or one group name across applications, when only that is named', async () => {
    const api = new FakeCodeDeploy().addGroup('a', 'nanika-dg', deploysNanika).addGroup('b', 'other', deploysNanika);
    expect((await findDeploymentGroup(api, config({ application: 'b' }), SERVICE)).deploymentGroup).to.equal('other');
    expect(api.methods()).to.deep.equal(['listDeploymentGroups', 'getDeploymentGroup']);

    const byGroup = new FakeCodeDeploy().addGroup('a', 'x', deploysNanika).addGroup('b', 'nanika-dg', deploysNanika);
    const found = await findDeploymentGroup(byGroup, config({ deployment_group: 'nanika-dg' }), SERVICE);
    expect(found.application).to.equal('b');
    expect(byGroup.methods()).to.deep.equal(['listApplications', 'getDeploymentGroup', 'getDeploymentGroup']);
  });

  it('names every match rather than guessing, and says what to create when there is none', async () => {
    const api = new FakeCodeDeploy().addGroup('a', 'one', deploysNanika).addGroup('b', 'two', deploysNanika);
    const e = await rejection(findDeploymentGroup(api, config(), SERVICE));
    expect(e.code).to.equal('CODEDEPLOY_GROUP_AMBIGUOUS');
    expect(e.message).to.equal('2 CodeDeploy deployment groups deploy service nanika in cluster default: a/one, b/two');
    expect(e.hint).to.contain('scheduler.codedeploy.application and deployment_group');

    const none = await rejection(findDeploymentGroup(new FakeCodeDeploy(), config(), SERVICE));
    expect(none.code).to.equal('CODEDEPLOY_GROUP_NOT_FOUND');
    expect(none.message).to.equal('No CodeDeploy deployment group deploys service nanika in cluster default');
  });

  it('matches a cluster given as an ARN by its name', async () => {
    expect(clusterName('arn:aws:ecs:ap-northeast-1:123456789012:cluster/default')).to.equal('default');
    const api = new FakeCodeDeploy().addGroup('a', 'dg', deploysNanika);
    const found = await findDeploymentGroup(api, config(), { cluster: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/default', service: 'nanika' });
    expect(found.deploymentGroup).to.equal('dg');
  });

  it('lists the unfinished deployments of a group, newest first, dropping any that finished between list and read', async () => {
    const group = { application: 'a', deploymentGroup: 'dg' };
    const api = new FakeCodeDeploy()
      .addDeployment({ deploymentId: 'd-OLD', applicationName: 'a', deploymentGroupName: 'dg', status: 'Ready', createTime: new Date(1000) })
      .addDeployment({ deploymentId: 'd-NEW', applicationName: 'a', deploymentGroupName: 'dg', status: 'InProgress', createTime: new Date(2000) })
      .addDeployment({ deploymentId: 'd-ENDING', applicationName: 'a', deploymentGroupName: 'dg', status: 'InProgress', createTime: new Date(3000) }, [{ status: 'Succeeded' }])
      .addDeployment({ deploymentId: 'd-DONE', applicationName: 'a', deploymentGroupName: 'dg', status: 'Succeeded' });
    const infos = await inFlightDeployments(api, group);
    expect(infos.map((d) => d.deploymentId)).to.deep.equal(['d-NEW', 'd-OLD']);
    expect(api.callsOf('listDeployments')[0]!.includeOnlyStatuses).to.deep.equal(['Created', 'Queued', 'InProgress', 'Baking', 'Ready']);
  });
});
