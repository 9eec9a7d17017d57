/**
 * `hako oneshot` follows its containers' awslogs streams, against moto. moto runs no containers, so the test holds
 * the task RUNNING (state manager), writes the containers' output into their streams itself
 * (`oneshot/<container>/<task id>`), and stops the task with StopTask.
 */
import { expect } from 'chai';
import { ECSClient, StopTaskCommand } from '@aws-sdk/client-ecs';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { setTaskTransitionManual, unsetTaskTransition, useMoto } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { startHako, TaskLogWriter } from './harness/live-hako.js';
import { fixture, repoRoot } from '../helpers/paths.js';

const ONESHOT = fixture('integration', 'oneshot-logs.jsonnet');
const GROUP = '/hako/oneshot-logs';

describe('integration: hako oneshot follows the task logs', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let ecs: ECSClient;
  let logs: TaskLogWriter;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...aws.env(), AWS_PROFILE: undefined, ...account.env };
    ecs = new ECSClient(motoClientConfig(moto));
    logs = new TaskLogWriter(motoClientConfig(moto));
    await logs.createGroup(GROUP);
    await setTaskTransitionManual(moto);
  });
  afterEach(async () => {
    ecs.destroy();
    logs.destroy();
    await unsetTaskTransition(moto);
  });

  async function started(run: ReturnType<typeof startHako>): Promise<{ taskArn: string; taskId: string }> {
    const m = await run.waitForLine(/Started task: (arn:[^\s"]+)/);
    const taskArn = m[1]!;
    return { taskArn, taskId: taskArn.split('/').pop()! };
  }

  const stop = (taskArn: string) => ecs.send(new StopTaskCommand({ cluster: 'hako-demo', task: taskArn, reason: 'test stops it' }));

  it('prints new lines as they arrive, each once and in order, prefixed per container, then drains after STOPPED', async () => {
    const run = startHako(['oneshot', ONESHOT, '-c', 'agent', '-c', 'quiet', '--', 'migrate'], { env, cwd: repoRoot });
    const { taskArn, taskId } = await started(run);
    const t0 = Date.now();
    await logs.put(GROUP, `oneshot/app/${taskId}`, [
      { timestamp: t0, message: 'app: one' },
      { timestamp: t0 + 1, message: 'app: two' },
    ]);
    await logs.put(GROUP, `oneshot/agent/${taskId}`, [{ timestamp: t0 + 2, message: 'agent: ready' }]);
    await run.waitForLine(/agent \| agent: ready/);
    // The same millisecond twice: two lines, printed twice.
    await logs.put(GROUP, `oneshot/app/${taskId}`, [
      { timestamp: t0 + 10, message: 'app: same ms' },
      { timestamp: t0 + 10, message: 'app: same ms' },
      { timestamp: t0 + 11, message: 'app: three' },
    ]);
    await run.waitForLine(/app: three/);
    // Written just before the task stops: the drain after STOPPED prints them.
    await logs.put(GROUP, `oneshot/app/${taskId}`, [{ timestamp: t0 + 20, message: 'app: last words' }]);
    await stop(taskArn);
    const code = await run.exited;
    const out = run.stdout();
    expect(code, `${out}\n${run.stderr()}`).to.equal(0);

    const logLines = out.split('\n').filter((l) => / \| /.test(l));
    expect(logLines).to.deep.equal([
      'app   | app: one',
      'app   | app: two',
      'agent | agent: ready',
      'app   | app: same ms',
      'app   | app: same ms',
      'app   | app: three',
      'app   | app: last words',
    ]);
    expect(out).to.contain('Logs of quiet are not available: it has no log configuration');
    // The drained tail comes before the task's end is reported.
    expect(out.indexOf('app: last words')).to.be.lessThan(out.indexOf('Oneshot task finished'));
  });

  it('--output json gives each line as a message with its container, time and text', async () => {
    const run = startHako(['oneshot', ONESHOT, '--output', 'json', '--', 'migrate'], { env, cwd: repoRoot, watch: 'stderr' });
    const { taskArn, taskId } = await started(run);
    // CloudWatch refuses events older than 14 days: a recent, whole second.
    const timestamp = Math.floor(Date.now() / 1000) * 1000;
    await logs.put(GROUP, `oneshot/app/${taskId}`, [{ timestamp, message: 'hello "json"' }]);
    await run.waitForLine(/ecs\.oneshot\.log/);
    await stop(taskArn);
    expect(await run.exited).to.equal(0);
    const messages = run
      .stderr()
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as { code: string; message: string; data?: Record<string, unknown> });
    const logged = messages.filter((m) => m.code === 'ecs.oneshot.log');
    expect(logged).to.have.length(1);
    expect(logged[0]!.message).to.equal('hello "json"');
    expect(logged[0]!.data).to.deep.equal({ container: 'app', timestamp: new Date(timestamp).toISOString(), message: 'hello "json"' });
  });

  it('--no-logs reads no logs', async () => {
    const run = startHako(['oneshot', ONESHOT, '--no-logs', '--', 'migrate'], { env, cwd: repoRoot });
    const { taskArn, taskId } = await started(run);
    await logs.put(GROUP, `oneshot/app/${taskId}`, [{ timestamp: Date.now(), message: 'unseen' }]);
    await stop(taskArn);
    expect(await run.exited).to.equal(0);
    expect(run.stdout()).to.not.contain('unseen');
    expect(aws.calls().map(callName), formatCalls(aws.calls())).to.not.include('CloudWatchLogs GetLogEvents');
  });
});
