import { expect } from 'chai';
import { observeStatus, renderStatus } from '../../../../lib/schedulers/ecs/status.js';
import { FakeEcs, CLUSTER_ARN, deployment, event, service, taskDefArn } from '../../../helpers/fake-ecs.js';

const model = { id: 'hello', scheduler: { cluster: 'default' } };

describe('observeStatus', () => {
  it('is undefined when the service does not exist', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('describeServices', { services: [], failures: [{ reason: 'MISSING' }] });
    expect(await observeStatus(ecs, model)).to.equal(undefined);
  });

  it('reads deployments, paged tasks with their instances and the 10 newest events, and renders hako’s layout', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    const events = Array.from({ length: 12 }, (_, i) => event(12 - i, `message ${12 - i}`));
    ecs.enqueue('describeServices', {
      services: [
        service({
          events,
          deployments: [
            deployment({ taskDefinition: taskDefArn('hello', 2), desiredCount: 2, runningCount: 1, pendingCount: 1, rolloutState: 'IN_PROGRESS' }),
            deployment({ status: 'ACTIVE', taskDefinition: taskDefArn('hello', 1), desiredCount: 2, runningCount: 1 }),
          ],
        }),
      ],
    });
    const t1 = 'arn:aws:ecs:ap-northeast-1:123456789012:task/default/aaaa';
    const t2 = 'arn:aws:ecs:ap-northeast-1:123456789012:task/default/bbbb';
    ecs.enqueue('listTasks', { taskArns: [t1], nextToken: 'n' }, { taskArns: [t2] });
    ecs.enqueue('describeTasks', {
      tasks: [
        { taskArn: t1, lastStatus: 'RUNNING', desiredStatus: 'RUNNING', taskDefinitionArn: taskDefArn('hello', 2), containerInstanceArn: 'ci-1' },
        { taskArn: t2, lastStatus: 'PENDING', desiredStatus: 'RUNNING', taskDefinitionArn: taskDefArn('hello', 1), group: 'service:hello' },
        // A standalone task an emulator listed although it is not the service's.
        { taskArn: 'arn:aws:ecs:ap-northeast-1:123456789012:task/default/cccc', lastStatus: 'RUNNING', group: 'family:hello-oneshot' },
      ],
    });
    ecs.enqueue('describeContainerInstances', { containerInstances: [{ containerInstanceArn: 'ci-1', ec2InstanceId: 'i-0123' }] });

    const report = await observeStatus(ecs, model);
    expect(report).to.not.equal(undefined);
    if (!report) return;
    expect(ecs.callsOf('listTasks')).to.deep.equal([
      { cluster: CLUSTER_ARN, serviceName: 'hello' },
      { cluster: CLUSTER_ARN, serviceName: 'hello', nextToken: 'n' },
    ]);
    expect(report.events).to.have.length(10);
    expect(report.events[0]?.message).to.equal('message 12');
    expect(report.tasks.map((t) => t.instanceId)).to.deep.equal(['i-0123', undefined]);

    const text = renderStatus(report, { loadBalancerLines: ['hello-123.elb.amazonaws.com:80 -> front:80'] });
    const lines = text.split('\n');
    expect(lines.slice(0, 9)).to.deep.equal([
      'Load balancer:',
      '  hello-123.elb.amazonaws.com:80 -> front:80',
      'Deployments:',
      '  [PRIMARY] hello:2 desired_count=2, pending_count=1, running_count=1, rollout_state=IN_PROGRESS',
      '  [ACTIVE] hello:1 desired_count=2, pending_count=0, running_count=1',
      'Tasks:',
      '  [RUNNING] default/aaaa task_definition=hello:2, desired_status=RUNNING, instance_id=i-0123',
      '  [PENDING] default/bbbb task_definition=hello:1, desired_status=RUNNING',
      'Events:',
    ]);
    expect(lines[9]).to.equal('  2024-01-01 00:00:12Z: message 12');
    expect(lines.slice(19)).to.deep.equal(['Autoscaling: No', 'Service Discovery: No', '']);
    // The JSON shape survives a round trip unchanged (no Dates, no undefined-only fields that matter).
    expect(JSON.parse(JSON.stringify(report)).service).to.deep.equal(report.service);
  });

  it('omits the load balancer section when there is none', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('describeServices', { services: [service()] });
    ecs.enqueue('listTasks', { taskArns: [] });
    const report = await observeStatus(ecs, model);
    expect(renderStatus(report!)).to.equal('Deployments:\nTasks:\nEvents:\nAutoscaling: No\nService Discovery: No\n');
    expect(ecs.callsOf('describeTasks')).to.have.length(0);
  });
});
