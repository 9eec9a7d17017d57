import { expect } from 'chai';
import { AbortedError } from '../../../lib/errors.js';
import { RateBudget } from '../../../lib/aws/rate-budget.js';
import { addRateBudget } from '../../../lib/aws/rate-middleware.js';
import { withAbortSignal } from '../../../lib/util/abort-scope.js';
import { rejectionOf } from '../../helpers/definition-error.js';

type Handler = (args: unknown) => Promise<unknown>;
type Middleware = (next: Handler, context: { commandName?: string }) => Handler;

/** A client with just the middleware stack the budget is added to; `send` runs the middleware around `answer`. */
function fakeClient(budget: RateBudget) {
  let middleware: Middleware | undefined;
  const sent: string[] = [];
  const client = {
    config: { region: 'ap-northeast-1' },
    middlewareStack: {
      addRelativeTo(m: unknown) {
        middleware = m as Middleware;
      },
    },
  };
  addRateBudget(client, 'ECS', budget);
  const send = (operation: string): Promise<unknown> =>
    middleware!(async () => {
      sent.push(operation);
      return { ok: true };
    }, { commandName: `${operation}Command` })({});
  return { send, sent };
}

describe('aws: the rate budget middleware', () => {
  it('a request still waiting for its token when the run is interrupted ends with AbortedError and is never sent', async () => {
    // Real time, figures × 10: RegisterTaskDefinition bursts 200, then 10 per second (a token every 100 ms). The
    // abort's timer (20 ms) expires before the wait's (100 ms), whatever the load.
    const budget = new RateBudget({ scale: 10 });
    const { send, sent } = fakeClient(budget);
    for (let i = 0; i < 200; i++) await send('RegisterTaskDefinition');
    const controller = new AbortController();
    const waiting = withAbortSignal(controller.signal, () => send('RegisterTaskDefinition'));
    setTimeout(() => controller.abort(new AbortedError('Aborted', 130)), 20);
    const error = await rejectionOf(waiting, AbortedError);
    expect(error.exitCode).to.equal(130);
    expect(sent).to.have.length(200);

    // Made after the interrupt (a oneshot stopping its task): it waits for its turn as usual, and is sent.
    await withAbortSignal(controller.signal, () => send('DeregisterTaskDefinition'));
    expect(sent.at(-1)).to.equal('DeregisterTaskDefinition');
  });

  it('reports paced requests that AWS accepted, so that a budget still probing goes faster', async () => {
    const budget = new RateBudget({ scale: 10 });
    const { send } = fakeClient(budget);
    for (let i = 0; i < 202; i++) await send('RegisterTaskDefinition');
    // Two paced acceptances: 10/s + 2 × 10/s.
    expect(budget.rateOf('ECS', 'ap-northeast-1', 'RegisterTaskDefinition')).to.equal(30);
  });
});
