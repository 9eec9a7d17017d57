import { expect } from 'chai';
import { HakoError } from '../../../../lib/errors.js';
import {
  listActiveRevisions,
  observeRollback,
  parseTaskDefinitionArn,
  planRollback,
  type DeregisterPayload,
  type RollbackPayload,
} from '../../../../lib/schedulers/ecs/rollback.js';
import { FakeEcs, service, taskDefArn } from '../../../helpers/fake-ecs.js';

describe('planRollback', () => {
  const revs = (...n: number[]) => n.map((r) => taskDefArn('hello', r));

  it('targets the highest ACTIVE revision below the current one, whatever order ECS listed them in', () => {
    const plan = planRollback({ service: service({ taskDefinition: taskDefArn('hello', 5) }), taskDefinitions: revs(5, 1, 3, 10, 2) }, {});
    // Point the service at the target, then deregister the revision it leaves (only once that succeeded).
    expect(plan.steps.map((s) => s.kind)).to.deep.equal(['rollback-service', 'deregister-task-definition']);
    const payload = plan.steps[0]?.payload as RollbackPayload;
    expect(payload.taskDefinition).to.equal(taskDefArn('hello', 3));
    expect((plan.steps[1]?.payload as DeregisterPayload).taskDefinition).to.equal(taskDefArn('hello', 5));
    expect(plan.steps[1]?.dependsOn).to.deep.equal([plan.steps[0]?.id]);
    expect(plan.steps[0]?.title).to.equal(`Current task definition is hello:5. Rolling back to ${taskDefArn('hello', 3)}`);
    expect(plan.steps[0]?.before).to.deep.equal({ task_definition: 'hello:5' });
    expect(plan.steps[0]?.after).to.deep.equal({ task_definition: 'hello:3' });
  });

  it('compares revisions as numbers (10 is above 9)', () => {
    const plan = planRollback({ service: service({ taskDefinition: taskDefArn('hello', 10) }), taskDefinitions: revs(9, 10, 1) }, {});
    expect((plan.steps[0]?.payload as RollbackPayload).taskDefinition).to.equal(taskDefArn('hello', 9));
  });

  it('targets revision N with --to, and refuses one that is not ACTIVE', () => {
    const observed = { service: service({ taskDefinition: taskDefArn('hello', 5) }), taskDefinitions: revs(1, 2, 5) };
    expect((planRollback(observed, { to: 1 }).steps[0]?.payload as RollbackPayload).taskDefinition).to.equal(taskDefArn('hello', 1));
    expect(() => planRollback(observed, { to: 4 })).to.throw(HakoError, 'hello:4 is not an ACTIVE task definition (ACTIVE revisions: 1, 2, 5)');
    expect(() => planRollback(observed, { to: 5 })).to.throw(HakoError, 'already the current task definition');
  });

  it('refuses to pick a target when the current revision is INACTIVE', () => {
    expect(() => planRollback({ service: service({ taskDefinition: taskDefArn('hello', 5) }), taskDefinitions: revs(1, 2) }, {})).to.throw(
      HakoError,
      'Cannot find rollback target from INACTIVE task_definition!',
    );
  });

  it("reports hako's message when there is no lower revision, with a hint that says what is the case", () => {
    let err: unknown;
    try {
      planRollback({ service: service({ taskDefinition: taskDefArn('hello', 1) }), taskDefinitions: revs(1) }, {});
    } catch (e) {
      err = e;
    }
    expect(err).to.be.instanceOf(HakoError);
    expect((err as HakoError).message).to.equal(`Unable to find rollback target. ${taskDefArn('hello', 1)} is INACTIVE?`);
    expect((err as HakoError).hint).to.equal('hello:1 is the oldest ACTIVE revision of hello: there is nothing before it to roll back to.');
  });

  it('names the later ACTIVE revisions in the hint when the service runs an older one', () => {
    let err: unknown;
    try {
      planRollback({ service: service({ taskDefinition: taskDefArn('hello', 2) }), taskDefinitions: revs(2, 3, 4) }, {});
    } catch (e) {
      err = e;
    }
    expect((err as HakoError).hint).to.equal(
      'hello:2 is the oldest ACTIVE revision of hello: there is nothing before it to roll back to. Later ACTIVE revisions: 3, 4 (hako rollback --to N).',
    );
  });

  it('fails when the service does not exist', () => {
    expect(() => planRollback({ taskDefinitions: [] }, {})).to.throw(HakoError, 'Unable to find service');
  });
});

describe('observeRollback', () => {
  it('pages through ACTIVE revisions and keeps only the exact family', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('listTaskDefinitions', { taskDefinitionArns: [taskDefArn('hello', 1), taskDefArn('hello-oneshot', 4)], nextToken: 't1' });
    ecs.enqueue('listTaskDefinitions', { taskDefinitionArns: [taskDefArn('hello', 2)] });
    expect(await listActiveRevisions(ecs, 'hello')).to.deep.equal([taskDefArn('hello', 1), taskDefArn('hello', 2)]);
    expect(ecs.callsOf('listTaskDefinitions')).to.deep.equal([
      { familyPrefix: 'hello', status: 'ACTIVE' },
      { familyPrefix: 'hello', status: 'ACTIVE', nextToken: 't1' },
    ]);
  });

  it('observes no service when it is INACTIVE', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('describeServices', { services: [service({ status: 'INACTIVE' })] });
    expect(await observeRollback(ecs, 'default', 'hello')).to.deep.equal({ taskDefinitions: [] });
  });

  it('parses task definition ARNs and short names', () => {
    expect(parseTaskDefinitionArn(taskDefArn('my-app_2', 12))).to.deep.equal({ family: 'my-app_2', revision: 12 });
    expect(parseTaskDefinitionArn('hello:3')).to.deep.equal({ family: 'hello', revision: 3 });
    expect(parseTaskDefinitionArn('hello')).to.equal(undefined);
  });
});
