/**
 * `hako oneshot` through the real CLI against moto, on a Fargate fixture (moto cannot place EC2-launch-type
 * tasks: it has no container instances). The task moto recorded is read back to check what hako asked for.
 *
 * moto stops every task with exit code 0 and lists only its first container; the exit-code tests have the proxy
 * rewrite DescribeTasks into what ECS reports for a task whose containers exited otherwise.
 */
import { expect } from 'chai';
import { spawn } from 'node:child_process';
import { DescribeTaskDefinitionCommand, DescribeTasksCommand, ECSClient, ListTasksCommand, type Task } from '@aws-sdk/client-ecs';
import { prepareEmulatorAccount } from '../../scripts/emulator-account.js';
import { setTaskTransitionManual, unsetTaskTransition, useMoto } from './harness/moto.js';
import { motoClientConfig } from './harness/aws.js';
import { callName, formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { runHako, type CliResult } from '../helpers/cli.js';
import { fixture, hakoBin, repoRoot } from '../helpers/paths.js';

const ONESHOT = fixture('integration', 'oneshot-fargate.jsonnet');

describe('integration: hako oneshot against moto', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  // hako talks to moto through the proxy: it records the calls and rewrites what moto cannot report.
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let ecs: ECSClient;

  beforeEach(async () => {
    const account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...aws.env(), AWS_PROFILE: undefined, ...account.env };
    ecs = new ECSClient(motoClientConfig(moto));
  });
  afterEach(async () => {
    ecs.destroy();
    await unsetTaskTransition(moto);
  });

  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env, cwd: repoRoot });

  function expectCode(r: { code: number | null; stdout: string; stderr: string }, code: number): void {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  }

  /** Every task moto knows in the cluster, whatever its desired status. */
  async function clusterTasks(): Promise<Task[]> {
    const arns = new Set<string>();
    for (const desiredStatus of ['RUNNING', 'STOPPED'] as const) {
      const out = await ecs.send(new ListTasksCommand({ cluster: 'hako-demo', desiredStatus }));
      for (const arn of out.taskArns ?? []) arns.add(arn);
    }
    if (arns.size === 0) return [];
    return (await ecs.send(new DescribeTasksCommand({ cluster: 'hako-demo', tasks: [...arns] }))).tasks ?? [];
  }

  it('runs the app with the command and -e overrides and exits 0', async () => {
    const r = await hako('oneshot', ONESHOT, '-e', 'FOO=bar', '--', 'echo', 'hi');
    expectCode(r, 0);

    const tasks = await clusterTasks();
    expect(tasks).to.have.length(1);
    const task = tasks[0]!;
    expect(task.lastStatus).to.equal('STOPPED');
    expect(task.taskDefinitionArn).to.match(/task-definition\/oneshot-fargate-oneshot:1$/);
    expect(r.stdout).to.contain(task.taskArn);
    const app = task.overrides?.containerOverrides?.find((c) => c.name === 'app');
    expect(app?.command).to.deep.equal(['echo', 'hi']);
    expect(app?.environment).to.deep.equal([{ name: 'FOO', value: 'bar' }]);
  });

  it('--no-wait prints the cluster and task ARN as JSON and exits 0', async () => {
    const r = await hako('oneshot', ONESHOT, '--no-wait', '--', 'echo', 'hi');
    expectCode(r, 0);
    const line = r.stdout.split('\n').find((l) => l.startsWith('{'));
    expect(line, r.stdout).to.not.equal(undefined);
    const data = JSON.parse(line!) as { cluster: string; task_arn: string };
    const tasks = await clusterTasks();
    expect(tasks.map((t) => t.taskArn)).to.deep.equal([data.task_arn]);
    expect(data.cluster).to.match(/hako-demo$/);
  });

  it('--no-wait prints only its JSON on stdout, in text and with --output json', async () => {
    for (const extra of [[], ['--output', 'json']]) {
      const r = await hako('oneshot', ONESHOT, '--no-wait', ...extra, '--', 'echo', 'hi');
      expectCode(r, 0);
      const data = JSON.parse(r.stdout) as { cluster: string; task_arn: string };
      expect(data.task_arn, extra.join(' ')).to.match(/^arn:aws:ecs:/);
    }
  });

  it('oneshot --dry-run --output json prints the plan as JSON with provider values masked as in text', async () => {
    const SECRET = fixture('integration', 'oneshot-secret.jsonnet');
    const planted = ['planted-secret-pw-7f3a91', 'planted-secret-token-c2d8e4'];
    const text = await hako('oneshot', SECRET, '--dry-run', '--', 'echo', 'hi');
    const json = await hako('oneshot', SECRET, '--dry-run', '--output', 'json', '--', 'echo', 'hi');
    expectCode(json, 0);
    for (const value of planted) expect(`${json.stdout}${json.stderr}`).to.not.contain(value);
    const plan = JSON.parse(json.stdout) as { steps: { after?: unknown; payload?: unknown }[] };
    expect(plan.steps.length).to.be.greaterThan(0);
    expect(plan.steps.every((s) => !('payload' in s))).to.equal(true);
    const masks = (s: string) => (s.match(/\(from a provider, sha256:[0-9a-f]{8}\)/g) ?? []).sort();
    expect(masks(json.stdout)).to.not.be.empty;
    expect(masks(json.stdout)).to.deep.equal(masks(text.stdout));
  });

  it('Ctrl-C stops the running task and exits 130, whatever the stopped app reported', async () => {
    // Without this moto moves the task to STOPPED by itself on the 4th DescribeTasks.
    await setTaskTransitionManual(moto);
    const child = spawn(process.execPath, [hakoBin, 'oneshot', ONESHOT, '--', 'sleep', '3600'], {
      cwd: repoRoot,
      env: { ...process.env, NO_COLOR: '1', ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    let sent = false;
    const closed = new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', (code) => resolve(code));
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
      if (!sent && stdout.includes('Started task:')) {
        sent = true;
        child.kill('SIGINT');
      }
    });
    const code = await closed;
    expect(sent, `never saw "Started task:"\nstdout:\n${stdout}\nstderr:\n${stderr}`).to.equal(true);

    const tasks = await clusterTasks();
    expect(tasks).to.have.length(1);
    expect(tasks[0]!.lastStatus).to.equal('STOPPED');
    expect(tasks[0]!.stoppedReason).to.equal('Stopped by hako stop_oneshot');
    // moto's StopTask gives every container exit code 0, the code a SIGTERM'd app would often report too: the run
    // was interrupted, and a migration stopped halfway must not look green, so hako exits 130 (issue 8).
    const appExit = tasks[0]!.containers?.find((c) => c.name === 'app')?.exitCode;
    expect(appExit).to.equal(0);
    expect(`${stdout}${stderr}`).to.contain(`Stopping ${tasks[0]!.taskArn}`);
    expectCode({ code, stdout, stderr }, 130);
  });

  it('oneshot --dry-run after a real oneshot masks provider values on both sides and sees no change', async () => {
    const SECRET = fixture('integration', 'oneshot-secret.jsonnet');
    const planted = ['planted-secret-pw-7f3a91', 'planted-secret-token-c2d8e4'];
    const first = await hako('oneshot', SECRET, '--', 'echo', 'hi');
    expectCode(first, 0);
    aws.clearCalls();
    for (const args of [['--dry-run'], ['--dry-run', '--verbose'], ['--dry-run', '--output', 'json']]) {
      const r = await hako('oneshot', SECRET, ...args, '--', 'echo', 'hi');
      expectCode(r, 0);
      for (const value of planted) expect(`${r.stdout}${r.stderr}`, `${args.join(' ')} printed a provider value`).to.not.contain(value);
      // The live revision was registered from the same values: comparing with them (not placeholders) finds nothing.
      expect(r.stdout, args.join(' ')).to.contain("Task definition isn't changed");
      if (args.length === 1) {
        // How to run the same oneshot locally: provider values as placeholders, the command at the end.
        expect(r.stdout).to.contain("docker run --name app --cpu-shares 256 --memory 448M \\\n   --env 'API_TOKEN=${API_TOKEN}' \\\n   --env 'DB_PASSWORD=${DB_PASSWORD}' \\\n   --env PLAIN=visible \\\n   busybox:1.36 \\\n   echo hi");
      }
    }
    // A dry run reads the live revision and writes nothing: no RegisterTaskDefinition, no RunTask.
    expect(aws.calls().map(callName), formatCalls(aws.calls())).to.include('ECS DescribeTaskDefinition');
    expect(aws.mutatingCalls().map(callName), formatCalls(aws.calls())).to.deep.equal([]);
  });

  describe("the exit code is the app container's, wherever ECS lists it", () => {
    interface Stopped {
      name: string;
      exitCode?: number;
      reason?: string;
    }

    /**
     * Rewrites every STOPPED task in DescribeTasks answers to list `containers` in this order, with these exit
     * codes (none when absent). moto's only container (the app's) is the template for each.
     */
    function stopTasksWith(containers: Stopped[]): void {
      aws.rewrite({ service: 'ECS', operation: 'DescribeTasks' }, (body: { tasks?: { lastStatus?: string; containers?: Record<string, unknown>[] }[] }) => {
        for (const task of body.tasks ?? []) {
          if (task.lastStatus !== 'STOPPED') continue;
          const template = task.containers?.[0] ?? {};
          task.containers = containers.map((c) => {
            const { exitCode: _ignored, ...rest } = template;
            return {
              ...rest,
              name: c.name,
              containerArn: `${String(template.containerArn)}-${c.name}`,
              lastStatus: 'STOPPED',
              ...(c.exitCode === undefined ? {} : { exitCode: c.exitCode }),
              ...(c.reason === undefined ? {} : { reason: c.reason }),
            };
          });
        }
      });
    }

    async function oneshotWithAgent(): Promise<CliResult> {
      const r = await hako('oneshot', ONESHOT, '-c', 'agent', '--', 'sh', '-c', 'exit 3');
      const rewritten = aws.calls().filter((c) => callName(c) === 'ECS DescribeTasks' && c.rewritten);
      expect(rewritten.length, `the STOPPED answer was never rewritten\n${formatCalls(aws.calls())}`).to.be.greaterThan(0);
      // The sidecar really is part of the task hako ran.
      const td = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'oneshot-fargate-oneshot' }));
      expect(td.taskDefinition?.containerDefinitions?.map((c) => c.name)).to.deep.equal(['app', 'agent']);
      return r;
    }

    it('a sidecar listed first exits 0 and the app exits 3: hako oneshot exits 3', async () => {
      stopTasksWith([{ name: 'agent', exitCode: 0 }, { name: 'app', exitCode: 3 }]);
      const r = await oneshotWithAgent();
      expectCode(r, 3);
      expect(r.stdout).to.contain('app has stopped with exit_code=3');
      expect(r.stdout).to.contain('agent has stopped with exit_code=0');
    });

    it('the first container exits 1 and the app exits 0: hako oneshot exits 0', async () => {
      stopTasksWith([{ name: 'agent', exitCode: 1 }, { name: 'app', exitCode: 0 }]);
      const r = await oneshotWithAgent();
      expectCode(r, 0);
      expect(r.stdout).to.contain('agent has stopped with exit_code=1');
    });

    it('the app stops without an exit code: hako oneshot exits 127', async () => {
      const reason = 'CannotPullContainerError: pull image manifest has been retried 5 time(s)';
      stopTasksWith([{ name: 'agent', exitCode: 0 }, { name: 'app', reason }]);
      const r = await oneshotWithAgent();
      expectCode(r, 127);
      expect(r.stdout).to.contain(`app has stopped without exit_code: reason=${reason}`);
    });
  });
});
