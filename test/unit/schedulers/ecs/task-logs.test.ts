import { expect } from 'chai';
import type { LogsApi, logs } from '../../../../lib/aws/ports.js';
import { AwsApiError } from '../../../../lib/errors.js';
import { RecordingIoHost } from '../../../../lib/io/io-host.js';
import { awslogsStreams, reportTaskLogTails } from '../../../../lib/schedulers/ecs/logs/task-logs.js';
import { FakeEcs } from '../../../helpers/fake-ecs.js';

const TASK = 'arn:aws:ecs:ap-northeast-1:123456789012:task/hako-demo/0123abcd';
const awslogs = (prefix?: string) => ({
  logDriver: 'awslogs',
  options: { 'awslogs-group': '/g', 'awslogs-region': 'us-east-1', ...(prefix ? { 'awslogs-stream-prefix': prefix } : {}) },
});

describe('ecs: the awslogs streams of a task', () => {
  it('names each stream <prefix>/<container>/<task id> and says why the others have none', () => {
    const r = awslogsStreams(
      [
        { name: 'app', ...awslogs('web') },
        { name: 'noprefix', ...awslogs() },
        { name: 'fluent', logDriver: 'fluentd', options: {} },
        { name: 'silent' },
      ],
      TASK,
    );
    expect(r.streams).to.deep.equal([{ group: '/g', stream: 'web/app/0123abcd', label: 'app', region: 'us-east-1' }]);
    expect(r.unavailable.map((u) => u.container)).to.deep.equal(['noprefix', 'fluent', 'silent']);
    expect(r.unavailable[1]!.reason).to.contain('fluentd');
  });
});

describe('ecs: the last log lines of a failed deploy’s tasks', () => {
  it('reads the last 20 lines of each container of each task, merged by time, from the revision the task ran', async () => {
    const ecsApi = new FakeEcs();
    ecsApi.fallback('describeTaskDefinition', {
      taskDefinition: {
        containerDefinitions: [
          { name: 'app', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/g', 'awslogs-stream-prefix': 'p' } } },
          { name: 'sidecar', logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/g', 'awslogs-stream-prefix': 'p' } } },
        ],
      },
    });
    const calls: logs.GetLogEventsCommandInput[] = [];
    const logsApi = {
      async getLogEvents(input: logs.GetLogEventsCommandInput) {
        calls.push(input);
        if (input.logStreamName === 'p/sidecar/t2') throw new AwsApiError('CloudWatchLogs', 'GetLogEvents', 'ResourceNotFoundException', 'gone');
        const container = input.logStreamName!.split('/')[1]!;
        const base = container === 'app' ? 0 : 1;
        return { $metadata: {}, events: Array.from({ length: 20 }, (_, i) => ({ timestamp: base + i * 2, message: `${container} ${i}\n` })) };
      },
    } as unknown as LogsApi;
    const io = new RecordingIoHost();
    const td = 'arn:aws:ecs:r:1:task-definition/web:7';
    await reportTaskLogTails(ecsApi, async () => logsApi, io, [
      { taskArn: 'arn:aws:ecs:r:1:task/c/t1', taskDefinitionArn: td, containers: [] },
      { taskArn: 'arn:aws:ecs:r:1:task/c/t2', taskDefinitionArn: td, containers: [] },
    ]);
    // One DescribeTaskDefinition for both tasks; the newest 20 lines, asked for from the end of each stream.
    expect(ecsApi.callsOf('describeTaskDefinition')).to.have.length(1);
    expect(calls.every((c) => c.startFromHead === false && c.limit === 20)).to.equal(true);
    const t1 = io.lines.slice(0, 21);
    expect(t1[0]).to.equal('  Last 20 log lines of task t1:');
    expect(t1[1]).to.equal('    app     | app 10');
    expect(t1[2]).to.equal('    sidecar | sidecar 10');
    expect(t1[20]).to.equal('    sidecar | sidecar 19');
    expect(io.lines[21]).to.equal('  Last 20 log lines of task t2:');
    expect(io.lines.slice(22)).to.deep.equal(Array.from({ length: 20 }, (_, i) => `    app     | app ${i}`));
  });
});
