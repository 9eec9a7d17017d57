import { expect } from 'chai';
import { statusSections } from '../../../../lib/actions/service-ops.js';
import { observeStatus, renderStatus } from '../../../../lib/schedulers/ecs/status.js';
import { FakeEc2 } from '../../../helpers/fake-ec2.js';
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

    const sections = statusSections([['Load balancer:', '  hello-123.elb.amazonaws.com:80 -> front:80']]);
    const text = renderStatus(report, { sections });
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

  const taskArn = (id: string): string => `arn:aws:ecs:ap-northeast-1:123456789012:task/default/${id}`;
  const ciArn = (n: number): string => `arn:aws:ecs:ap-northeast-1:123456789012:container-instance/default/ci-${n}`;

  it('names the EC2 instance of each task from one DescribeContainerInstances and one DescribeInstances', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('describeServices', { services: [service()] });
    ecs.enqueue('listTasks', { taskArns: ['a', 'b', 'c', 'd'].map(taskArn) });
    const task = (id: string, containerInstanceArn?: string) => ({
      taskArn: taskArn(id),
      lastStatus: 'RUNNING',
      desiredStatus: 'RUNNING',
      taskDefinitionArn: taskDefArn('hello', 3),
      ...(containerInstanceArn === undefined ? {} : { containerInstanceArn }),
    });
    // Two tasks share an instance; one instance has no Name tag; one task is Fargate (no container instance).
    ecs.enqueue('describeTasks', { tasks: [task('a', ciArn(1)), task('b', ciArn(1)), task('c', ciArn(2)), task('d')] });
    ecs.enqueue('describeContainerInstances', (input) => ({
      containerInstances: (input.containerInstances ?? []).map((arn) => ({ containerInstanceArn: arn, ec2InstanceId: arn.endsWith('ci-1') ? 'i-0001' : 'i-0002' })),
    }));
    const ec2 = new FakeEc2().add('i-0001', 'web-1').add('i-0002');
    let ec2Built = 0;

    const report = await observeStatus(ecs, model, { ec2: async () => (ec2Built++, ec2) });
    expect(ecs.callsOf('describeContainerInstances')).to.deep.equal([{ cluster: CLUSTER_ARN, containerInstances: [ciArn(1), ciArn(2)] }]);
    expect(ec2Built).to.equal(1);
    expect(ec2.calls).to.deep.equal([{ Filters: [{ Name: 'instance-id', Values: ['i-0001', 'i-0002'] }] }]);
    const tasks = renderStatus(report!).split('\n').filter((l) => l.includes('task_definition='));
    expect(tasks).to.deep.equal([
      '  [RUNNING] default/a task_definition=hello:3, desired_status=RUNNING, instance_id=i-0001 (web-1)',
      '  [RUNNING] default/b task_definition=hello:3, desired_status=RUNNING, instance_id=i-0001 (web-1)',
      '  [RUNNING] default/c task_definition=hello:3, desired_status=RUNNING, instance_id=i-0002',
      '  [RUNNING] default/d task_definition=hello:3, desired_status=RUNNING',
    ]);
    expect(report!.tasks.map((t) => t.instanceName)).to.deep.equal(['web-1', 'web-1', undefined, undefined]);
  });

  it('batches 150 tasks on 150 instances into calls of at most 100, following DescribeInstances pages', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    const ids = Array.from({ length: 150 }, (_, i) => `t${i}`);
    ecs.enqueue('describeServices', { services: [service()] });
    ecs.enqueue('listTasks', { taskArns: ids.map(taskArn) });
    ecs.fallback('describeTasks', (input) => ({
      tasks: (input.tasks ?? []).map((arn) => ({ taskArn: arn, lastStatus: 'RUNNING', containerInstanceArn: ciArn(Number(arn.slice(arn.lastIndexOf('/t') + 2))) })),
    }));
    ecs.fallback('describeContainerInstances', (input) => ({
      containerInstances: (input.containerInstances ?? []).map((arn) => ({ containerInstanceArn: arn, ec2InstanceId: `i-${arn.slice(arn.lastIndexOf('-') + 1)}` })),
    }));
    const ec2 = new FakeEc2();
    ec2.pageSize = 60;
    for (let i = 0; i < 150; i++) ec2.add(`i-${i}`, `node-${i}`);

    const report = await observeStatus(ecs, model, { ec2: async () => ec2 });
    expect(ecs.callsOf('describeTasks').map((c) => c.tasks?.length)).to.deep.equal([100, 50]);
    expect(ecs.callsOf('describeContainerInstances').map((c) => c.containerInstances?.length)).to.deep.equal([100, 50]);
    // 100 ids → pages of 60 and 40; 50 ids → one page.
    expect(ec2.calls.map((c) => [c.Filters?.[0]?.Values?.length, c.NextToken])).to.deep.equal([
      [100, undefined],
      [100, '60'],
      [50, undefined],
    ]);
    expect(report!.tasks).to.have.length(150);
    expect(report!.tasks.every((t) => t.instanceName === `node-${t.instanceId?.slice(2)}`)).to.equal(true);
    expect(report!.tasks[149]).to.deep.include({ id: 'default/t149', instanceId: 'i-149', instanceName: 'node-149' });
  });

  it('Fargate tasks: no container instance and no EC2 call (the EC2 client is not even built)', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('describeServices', { services: [service()] });
    ecs.enqueue('listTasks', { taskArns: [taskArn('f')] });
    ecs.enqueue('describeTasks', { tasks: [{ taskArn: taskArn('f'), lastStatus: 'RUNNING', desiredStatus: 'RUNNING', launchType: 'FARGATE' }] });
    const report = await observeStatus(ecs, model, {
      ec2: async () => {
        throw new Error('EC2 must not be asked for Fargate tasks');
      },
    });
    expect(ecs.callsOf('describeContainerInstances')).to.have.length(0);
    expect(report!.tasks[0]).to.not.have.property('instanceId');
  });
});

describe('status sections of scripts', () => {
  it('merges sections with the same header and keeps each script’s lines under its header', () => {
    const sections = statusSections([
      ['Load balancer:', '  lb:80 -> app:80'],
      ['DNS:', '  www.example.com. A: missing'],
      [],
      ['DNS:', '  api.example.com. CNAME → lb. (owned by hello)'],
      ['  a line without a header'],
    ]);
    expect(sections).to.deep.equal([
      { header: 'Load balancer:', lines: ['  lb:80 -> app:80'] },
      { header: 'DNS:', lines: ['  www.example.com. A: missing', '  api.example.com. CNAME → lb. (owned by hello)'] },
      { lines: ['  a line without a header'] },
    ]);
  });

  it('renders Load balancer first, other sections after the ECS part, each header once; an empty load balancer section is left out', async () => {
    const ecs = new FakeEcs({ forbidMutations: true });
    ecs.enqueue('describeServices', { services: [service()] });
    ecs.enqueue('listTasks', { taskArns: [] });
    const report = (await observeStatus(ecs, model))!;
    const dnsFirst = statusSections([['DNS:', '  www.example.com. A: missing'], ['Load balancer:', '  lb:80 -> app:80']]);
    expect(renderStatus(report, { sections: dnsFirst })).to.equal(
      [
        'Load balancer:',
        '  lb:80 -> app:80',
        'Deployments:',
        'Tasks:',
        'Events:',
        'Autoscaling: No',
        'Service Discovery: No',
        'DNS:',
        '  www.example.com. A: missing',
        '',
      ].join('\n'),
    );
    const noLb = statusSections([['Load balancer:'], ['DNS:', '  www.example.com. A: missing']]);
    expect(renderStatus(report, { sections: noLb })).to.equal(
      'Deployments:\nTasks:\nEvents:\nAutoscaling: No\nService Discovery: No\nDNS:\n  www.example.com. A: missing\n',
    );
  });
});
