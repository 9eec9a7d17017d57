import { expect } from 'chai';
import { AwsApiError } from '../../../../lib/errors.js';
import { observeEcs } from '../../../../lib/schedulers/ecs/observe.js';
import { awsError, FakeEcs } from '../../../helpers/fake-ecs.js';
import { ecsModel, liveService, liveTaskDefinition, TD_ARN_1 } from './core-fixtures.js';

describe('observeEcs', () => {
  it('reads the service and the latest task definition with its tags in two read calls', async () => {
    const fake = new FakeEcs({ forbidMutations: true })
      .enqueue('describeServices', { services: [liveService()] })
      .enqueue('describeTaskDefinition', { taskDefinition: liveTaskDefinition('1'), tags: [{ key: 'a', value: 'b' }] });
    const observed = await observeEcs(fake, ecsModel(), 'ecs');
    expect(observed.service?.serviceName).to.equal('ecs');
    expect(observed.taskDefinition?.taskDefinitionArn).to.equal(TD_ARN_1);
    expect(observed.taskDefinitionTags).to.deep.equal([{ key: 'a', value: 'b' }]);
    expect(observed.calls).to.equal(2);
    expect(fake.callsOf('describeServices')).to.deep.equal([{ cluster: 'eagletmt', services: ['ecs'] }]);
    expect(fake.callsOf('describeTaskDefinition')).to.deep.equal([{ taskDefinition: 'ecs', include: ['TAGS'] }]);
  });

  it('treats a missing or INACTIVE service and an unknown family as absent', async () => {
    for (const services of [[], [liveService({ status: 'INACTIVE' })]]) {
      const fake = new FakeEcs({ forbidMutations: true })
        .enqueue('describeServices', { services, failures: [] })
        .enqueue('describeTaskDefinition', awsError('ClientException', 'Unable to describe task definition.'));
      const observed = await observeEcs(fake, ecsModel(), 'ecs');
      expect(observed).to.deep.equal({ taskDefinitionTags: [], calls: 2 });
    }
  });

  it('recognises a ClientException wrapped in AwsApiError', async () => {
    const fake = new FakeEcs()
      .enqueue('describeServices', { services: [] })
      .enqueue('describeTaskDefinition', new AwsApiError('ECS', 'DescribeTaskDefinition', 'ClientException', 'Unable to describe'));
    expect((await observeEcs(fake, ecsModel(), 'ecs')).taskDefinition).to.equal(undefined);
  });

  it('propagates other errors', async () => {
    const fake = new FakeEcs()
      .enqueue('describeServices', { services: [] })
      .enqueue('describeTaskDefinition', awsError('AccessDeniedException'));
    let caught: unknown;
    await observeEcs(fake, ecsModel(), 'ecs').catch((e: unknown) => (caught = e));
    expect((caught as Error | undefined)?.name).to.equal('AccessDeniedException');
  });

  it('falls back to ListTagsForResource when the response carries no tags', async () => {
    const fake = new FakeEcs({ forbidMutations: true })
      .enqueue('describeServices', { services: [] })
      .enqueue('describeTaskDefinition', { taskDefinition: liveTaskDefinition('1') })
      .enqueue('listTagsForResource', { tags: [{ key: 'x', value: 'y' }] });
    const observed = await observeEcs(fake, ecsModel(), 'ecs');
    expect(observed.taskDefinitionTags).to.deep.equal([{ key: 'x', value: 'y' }]);
    expect(observed.calls).to.equal(3);
    expect(fake.callsOf('listTagsForResource')).to.deep.equal([{ resourceArn: TD_ARN_1 }]);
  });
});
