/**
 * The one executor's rules, with a scripted applier: each step kind answers from a queue of results and errors,
 * shaped like what our ports throw (SDK errors with `$metadata`, hako's AwsApiError).
 */
import { expect } from 'chai';
import { AbortedError, AwsApiError } from '../../../lib/errors.js';
import { RecordingIoHost } from '../../../lib/io/io-host.js';
import { Execution, StepFailedError, type StepApplier, type StepOutcome } from '../../../lib/plan/executor.js';
import { outputRef, UnresolvedOutputError } from '../../../lib/plan/outputs.js';
import type { Step, StepAction } from '../../../lib/plan/plan.js';
import { createVirtualTime } from '../../../lib/util/sleep.js';
import { TEST_RUN_ID } from '../../helpers/apply-context.js';

type Answer = StepOutcome | void | Error;

/** An applier whose `apply` answers from a queue per step kind and records what it was given. */
class ScriptedApplier implements StepApplier {
  readonly applied: Step[] = [];
  readonly reconciled: Step[] = [];
  private readonly answers = new Map<string, Answer[]>();
  reconcileAnswer: StepOutcome | undefined = undefined;

  answer(kind: string, ...answers: Answer[]): this {
    this.answers.set(kind, [...(this.answers.get(kind) ?? []), ...answers]);
    return this;
  }

  async apply(step: Step): Promise<StepOutcome | void> {
    this.applied.push(step);
    const a = this.answers.get(step.kind)?.shift();
    if (a instanceof Error) throw a;
    return a;
  }

  async reconcile(step: Step): Promise<StepOutcome | undefined> {
    this.reconciled.push(step);
    return this.reconcileAnswer;
  }
}

function step(kind: string, action: StepAction, extra: Partial<Step> = {}): Step {
  return { owner: 'test', kind, action, resource: kind, title: `${action} ${kind}`, payload: {}, ...extra };
}

/** An SDK error as the SDK throws it: `name` is the AWS code, `$metadata` the HTTP status. */
function sdkError(name: string, status: number): Error {
  const e = new Error(`${name} (HTTP ${status})`);
  e.name = name;
  Object.assign(e, { $metadata: { httpStatusCode: status } });
  return e;
}

function wrapped(name: string, status: number): AwsApiError {
  return new AwsApiError('ELBv2', 'CreateTargetGroup', name, 'failed', { cause: sdkError(name, status) });
}

function connectionReset(): Error {
  return Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
}

function setup(options: { keepGoing?: boolean; signal?: AbortSignal } = {}) {
  const io = new RecordingIoHost();
  const time = createVirtualTime();
  const applier = new ScriptedApplier();
  const execution = new Execution({
    context: {
      io,
      aws: () => {
        throw new Error('no AWS in executor tests');
      },
      sleep: time.sleep,
      clock: time.clock,
      runId: TEST_RUN_ID,
      ...(options.signal ? { signal: options.signal } : {}),
    },
    applierFor: () => applier,
    ...(options.keepGoing ? { keepGoing: true } : {}),
  });
  return { io, time, applier, execution };
}

const TG_ARN = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web/1';

describe('step executor', () => {
  it('applies changing steps in order, skips noops, and hands outputs of earlier steps to later payloads', async () => {
    const { applier, execution } = setup();
    applier.answer('create-tg', { outputs: { 'test:tg:arn': TG_ARN } });
    const ref = outputRef('test:tg:arn', 'ARN of target group web');
    const journal = await execution.run([
      step('create-tg', 'create', { outputs: { 'test:tg:arn': undefined } }),
      step('check', 'noop'),
      step('create-service', 'create', { payload: { loadBalancers: [{ targetGroupArn: ref }] } }),
    ]);
    expect(applier.applied.map((s) => s.kind)).to.deep.equal(['create-tg', 'create-service']);
    expect(applier.applied[1]!.payload).to.deep.equal({ loadBalancers: [{ targetGroupArn: TG_ARN }] });
    expect(journal.map((e) => e.status)).to.deep.equal(['applied', 'unchanged', 'applied']);
    expect(journal[0]!.outputs).to.deep.equal({ 'test:tg:arn': TG_ARN });
  });

  it('resolves a ref from an output known at plan time (an existing resource) without applying its step', async () => {
    const { applier, execution } = setup();
    await execution.run([
      step('tg-unchanged', 'noop', { outputs: { 'test:tg:arn': TG_ARN } }),
      step('update-service', 'update', { payload: { arn: outputRef('test:tg:arn', 'ARN') } }),
    ]);
    expect(applier.applied.map((s) => s.payload)).to.deep.equal([{ arn: TG_ARN }]);
  });

  it('counts a delete whose target is already gone as done, by default and by the owner\'s own rule', async () => {
    const { applier, execution } = setup();
    applier.answer('delete-a', wrapped('TargetGroupNotFound', 400));
    applier.answer('delete-b', sdkError('InvalidChangeBatch', 400));
    const owned: StepApplier = {
      apply: (s, c) => applier.apply(s),
      isGone: (_s, e) => (e as Error).name === 'InvalidChangeBatch',
    };
    const custom = new Execution({ ...setup().execution['options'], applierFor: () => owned });
    const first = await execution.run([step('delete-a', 'delete')]);
    const second = await custom.run([step('delete-b', 'delete')]);
    expect(first[0]!.status).to.equal('gone');
    expect(second[0]!.status).to.equal('gone');
  });

  it('adopts what a create whose response was lost had made, instead of creating it again', async () => {
    const { applier, execution, io } = setup();
    applier.answer('create-tg', wrapped('InternalFailure', 500));
    applier.reconcileAnswer = { outputs: { 'test:tg:arn': TG_ARN } };
    const journal = await execution.run([step('create-tg', 'create', { outputs: { 'test:tg:arn': undefined } })]);
    expect(applier.applied).to.have.length(1);
    expect(applier.reconciled).to.have.length(1);
    expect(journal[0]).to.deep.include({ status: 'adopted', outputs: { 'test:tg:arn': TG_ARN } });
    expect(io.codes()).to.include('step.adopted');
  });

  it('repeats a create whose lost request had no effect, once the owner observed that', async () => {
    const { applier, execution } = setup();
    applier.answer('create-tg', connectionReset(), { outputs: { 'test:tg:arn': TG_ARN } });
    const journal = await execution.run([step('create-tg', 'create', { outputs: { 'test:tg:arn': undefined } })]);
    expect(applier.reconciled).to.have.length(1);
    expect(applier.applied).to.have.length(2);
    expect(journal[0]).to.deep.include({ status: 'applied', attempts: 2 });
  });

  it('adopts on "already exists" when the owner can observe, and fails on it when it cannot', async () => {
    const { applier, execution } = setup();
    applier.answer('create-group', wrapped('ResourceAlreadyExistsException', 400));
    applier.reconcileAnswer = {};
    expect((await execution.run([step('create-group', 'create')]))[0]!.status).to.equal('adopted');

    const plain = setup();
    const noReconcile: StepApplier = { apply: (s) => plain.applier.apply(s) };
    plain.applier.answer('create-group', wrapped('ResourceAlreadyExistsException', 400));
    const execution2 = new Execution({ ...plain.execution['options'], applierFor: () => noReconcile });
    let caught: unknown;
    await execution2.run([step('create-group', 'create')]).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(StepFailedError);
  });

  it('repeats updates after a lost response and after throttling, with growing pauses on virtual time', async () => {
    const { applier, execution, time, io } = setup();
    applier.answer('update', sdkError('ServiceUnavailable', 503), sdkError('ThrottlingException', 400), {});
    const journal = await execution.run([step('update', 'update')]);
    expect(journal[0]).to.deep.include({ status: 'applied', attempts: 3 });
    expect(io.codes().filter((c) => c === 'step.retrying')).to.have.length(2);
    expect(time.clock.now()).to.be.greaterThan(0);
    expect(applier.reconciled).to.have.length(0);
  });

  it('gives up after the allowed attempts and fails the step with the last error', async () => {
    const { applier, execution } = setup();
    applier.answer('update', ...Array.from({ length: 4 }, () => sdkError('ThrottlingException', 400)));
    let caught: unknown;
    await execution.run([step('update', 'update')]).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(StepFailedError);
    expect((caught as StepFailedError).entry).to.deep.include({ status: 'failed', attempts: 4 });
  });

  it('fails at once on a rejection, without repeating it, and runs nothing after it', async () => {
    const { applier, execution, io } = setup();
    applier.answer('create-service', wrapped('InvalidParameterException', 400));
    let caught: unknown;
    await execution.run([step('create-service', 'create'), step('after', 'update')]).catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(StepFailedError);
    expect(applier.applied.map((s) => s.kind)).to.deep.equal(['create-service']);
    expect(applier.reconciled).to.have.length(0);
    expect(io.codes()).to.include('step.failed');
  });

  it('with keepGoing, applies everything that does not depend on a failed step and tells what is left', async () => {
    const { applier, execution } = setup({ keepGoing: true });
    applier.answer('delete-service', wrapped('InvalidParameterException', 400));
    const journal = await execution.run([
      step('delete-service', 'delete', { id: 'svc' }),
      step('delete-tg', 'delete', { dependsOn: ['svc'] }),
      step('delete-dns', 'delete'),
    ]);
    expect(journal.map((e) => e.status)).to.deep.equal(['failed', 'skipped', 'applied']);
    expect(execution.left.map((e) => e.step.kind)).to.deep.equal(['delete-service', 'delete-tg']);
    expect(journal[1]!.blockedBy).to.deep.equal(['svc']);
  });

  it('skips a step whose ref names the output of a failed step', async () => {
    const { applier, execution } = setup({ keepGoing: true });
    applier.answer('create-tg', wrapped('InvalidParameterException', 400));
    const journal = await execution.run([
      step('create-tg', 'create', { outputs: { 'test:tg:arn': undefined } }),
      step('create-service', 'create', { payload: { arn: outputRef('test:tg:arn', 'ARN') } }),
    ]);
    expect(journal.map((e) => e.status)).to.deep.equal(['failed', 'skipped']);
  });

  it('fails a step that needs an output nobody provides, naming it', async () => {
    const { execution } = setup({ keepGoing: true });
    const journal = await execution.run([step('create-service', 'create', { payload: { arn: outputRef('test:nobody', 'ARN of nothing') } })]);
    expect(journal[0]!.status).to.equal('failed');
    expect(journal[0]!.error).to.be.instanceOf(UnresolvedOutputError);
    expect((journal[0]!.error as Error).message).to.include('ARN of nothing');
  });

  it('stops when the signal fires during a pause, marking the step interrupted', async () => {
    const controller = new AbortController();
    const { applier, execution } = setup({ signal: controller.signal });
    applier.answer('update', sdkError('ThrottlingException', 400));
    const run = execution.run([step('update', 'update')]);
    controller.abort(new AbortedError());
    let caught: unknown;
    await run.catch((e: unknown) => (caught = e));
    expect(caught).to.be.instanceOf(AbortedError);
    expect(execution.journal.map((e) => e.status)).to.deep.equal(['interrupted']);
  });

  it('reports each step start and end through the IoHost with the same data as the journal', async () => {
    const { applier, execution, io } = setup();
    applier.answer('create-tg', { outputs: { 'test:tg:arn': TG_ARN } });
    await execution.run([step('create-tg', 'create', { outputs: { 'test:tg:arn': undefined } })]);
    const started = io.messages.find((m) => m.code === 'step.started');
    const finished = io.messages.find((m) => m.code === 'step.finished');
    expect(started?.data).to.deep.include({ id: 'test:create-tg:create-tg', action: 'create', title: 'create create-tg' });
    expect(finished?.data).to.deep.include({ status: 'applied', attempts: 1, outputs: { 'test:tg:arn': TG_ARN } });
  });
});
