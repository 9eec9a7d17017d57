import { expect } from 'chai';
import { parseEcrImage } from '../../../../lib/schedulers/ecs/verify/images.js';
import { roleName, trusts } from '../../../../lib/schedulers/ecs/verify/roles.js';
import { runChecks, ok, failed } from '../../../../lib/verify/checks.js';

const doc = (statement: unknown) => encodeURIComponent(JSON.stringify({ Version: '2012-10-17', Statement: statement }));

describe('ecs verify: roles and images', () => {
  it('reads trust policies as IAM returns them (URL-encoded), statements as objects or lists', () => {
    const allow = { Effect: 'Allow', Principal: { Service: ['ec2.amazonaws.com', 'ecs-tasks.amazonaws.com'] }, Action: ['sts:AssumeRole'] };
    expect(trusts(doc([allow]), 'ecs-tasks.amazonaws.com')).to.equal(true);
    expect(trusts(doc(allow), 'ecs-tasks.amazonaws.com')).to.equal(true);
    expect(trusts(JSON.stringify({ Statement: allow }), 'ecs-tasks.amazonaws.com')).to.equal(true);
    expect(trusts(doc([{ ...allow, Effect: 'Deny' }]), 'ecs-tasks.amazonaws.com')).to.equal(false);
    expect(trusts(doc([{ ...allow, Action: 'sts:TagSession' }]), 'ecs-tasks.amazonaws.com')).to.equal(false);
    expect(trusts(doc([{ ...allow, Principal: { Service: 'ec2.amazonaws.com' } }]), 'ecs-tasks.amazonaws.com')).to.equal(false);
    expect(trusts('%7Bnot json', 'ecs-tasks.amazonaws.com')).to.equal(false);
    expect(roleName('arn:aws:iam::123456789012:role/service/ecs/web')).to.equal('web');
  });

  it('knows ECR image references, with a tag, a digest or neither (latest)', () => {
    expect(parseEcrImage('123456789012.dkr.ecr.us-east-1.amazonaws.com/team/web:v1')).to.deep.equal({ registryId: '123456789012', region: 'us-east-1', repository: 'team/web', tag: 'v1' });
    expect(parseEcrImage('123456789012.dkr.ecr.us-east-1.amazonaws.com/web')).to.include({ tag: 'latest' });
    expect(parseEcrImage(`123456789012.dkr.ecr.us-east-1.amazonaws.com/web@sha256:${'b'.repeat(64)}`)).to.include({ digest: `sha256:${'b'.repeat(64)}` });
    expect(parseEcrImage('busybox:1.36')).to.equal(undefined);
    expect(parseEcrImage('ghcr.io/org/web:1')).to.equal(undefined);
  });

  it('runs checks a few at a time, keeps their order, and turns a thrown error into ✗', async () => {
    let running = 0;
    let most = 0;
    const check = (i: number) => ({
      title: `c${i}`,
      run: async () => {
        running++;
        most = Math.max(most, running);
        await new Promise((r) => setTimeout(r, 5 * (10 - i)));
        running--;
        if (i === 3) throw new Error('boom');
        return i % 2 ? failed('odd') : ok();
      },
    });
    const out = await runChecks(Array.from({ length: 10 }, (_, i) => check(i)), 3);
    expect(most).to.equal(3);
    expect(out.map((o) => o.title)).to.deep.equal(Array.from({ length: 10 }, (_, i) => `c${i}`));
    expect(out[3]).to.deep.equal({ title: 'c3', status: 'failed', detail: 'boom' });
  });
});
