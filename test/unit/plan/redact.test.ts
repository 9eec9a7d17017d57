import { expect } from 'chai';
import type { Plan } from '../../../lib/plan/plan.js';
import { redactPlan } from '../../../lib/plan/redact.js';
import { renderPlan } from '../../../lib/plan/render.js';

function plan(before: unknown, after: unknown): Plan {
  return { steps: [{ owner: 'ecs', kind: 'register-task-definition', action: 'create', resource: 'td', title: 'Register', before, after, payload: {} }] };
}

describe('redactPlan', () => {
  const revealed = new Map([['s3cr3t-password', 'DB_PASSWORD']]);

  it('masks a provider value in env entries on both sides, keeping a fingerprint that changes with the value', () => {
    const p = plan(
      { containers: { app: { environment: ['DB_PASSWORD=old-password', 'PORT=3000'] } } },
      { containers: { app: { environment: ['DB_PASSWORD=s3cr3t-password', 'PORT=3000'] } } },
    );
    const text = renderPlan(redactPlan(p, revealed), { color: false });
    expect(text).not.to.include('s3cr3t-password');
    expect(text).not.to.include('old-password');
    expect(text).to.match(/-\s+- DB_PASSWORD=\(from a provider, sha256:[0-9a-f]{8}\)/);
    expect(text).to.match(/\+\s+- DB_PASSWORD=\(from a provider, sha256:[0-9a-f]{8}\)/);
    expect(text).to.include('PORT=3000');
  });

  it('shows no change when the secret is unchanged', () => {
    const side = { environment: ['DB_PASSWORD=s3cr3t-password'] };
    const redacted = redactPlan(plan(side, side), revealed);
    expect(redacted.steps[0]!.before).to.deep.equal(redacted.steps[0]!.after);
  });

  it('replaces a provider value inside any other string', () => {
    const redacted = redactPlan(plan(undefined, { command: ['login', '--password=s3cr3t-password'] }), revealed);
    expect(redacted.steps[0]!.after).to.deep.equal({ command: ['login', '--password=(secret DB_PASSWORD)'] });
  });

  it('leaves plans alone when no provider value was read', () => {
    const p = plan({ a: 'x' }, { a: 'y' });
    expect(redactPlan(p, new Map())).to.equal(p);
  });
});
