/** `scheduler.type` naming a plugin: the plugin's schema validates the rest of `scheduler`; the model carries it. */
import { expect } from 'chai';
import { z } from 'zod';
import { normaliseDefinition } from '../../../lib/definition/normalise.js';
import { isEcsApp } from '../../../lib/schedulers/scheduler.js';
import { evaluated, fakeScriptSchemas, issuesOf, minimal } from './schema-helpers.js';

const schedulerSchemas = new Map<string, z.ZodType>([
  ['./k8s.mjs', z.strictObject({ namespace: z.string(), replicas: z.number().int().min(1).default(1) })],
]);

function withScheduler(scheduler: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { ...minimal(extra), scheduler };
}

describe('plugin schedulers in normalisation', () => {
  it("carries the plugin's config (minus type, nulls dropped) as the model's scheduler", () => {
    const raw = withScheduler({ type: './k8s.mjs', namespace: 'web', replicas: null });
    const { model } = normaliseDefinition(evaluated(raw), { scriptSchemas: fakeScriptSchemas, schedulerSchemas });
    expect(model.scheduler).to.deep.equal({ type: './k8s.mjs', config: { namespace: 'web' } });
    expect(isEcsApp(model)).to.equal(false);
  });

  it("reports the plugin schema's issues with scheduler.<key> paths", () => {
    const { errors, warnings } = issuesOf(withScheduler({ type: './k8s.mjs', namespace: 3, replicas: 0, cluster: 'x' }), { schedulerSchemas });
    expect(errors).to.have.length(2);
    expect(errors[0]).to.match(/^scheduler\.namespace: /);
    expect(errors[1]).to.match(/^scheduler\.replicas: /);
    expect(warnings.join('\n')).to.include('scheduler.cluster: unknown key');
  });

  it('makes unknown scheduler keys errors under --strict', () => {
    const { errors } = issuesOf(withScheduler({ type: './k8s.mjs', namespace: 'web', cluster: 'x' }), { schedulerSchemas, strict: true });
    expect(errors.join('\n')).to.include('scheduler.cluster');
  });

  it('still rejects a non-ecs type with no plugin', () => {
    const { errors } = issuesOf(withScheduler({ type: './other.mjs' }), { schedulerSchemas });
    expect(errors).to.deep.equal(['scheduler.type: no plugin for scheduler type "./other.mjs"']);
  });

  it('does not turn a plugin scheduler\'s elb_v2 into an alb script', () => {
    const schemas = new Map<string, z.ZodType>([['./lb.mjs', z.looseObject({})]]);
    const raw = withScheduler({ type: './lb.mjs', elb_v2: { vpc_id: 'vpc-1' } });
    const { model } = normaliseDefinition(evaluated(raw), { scriptSchemas: fakeScriptSchemas, schedulerSchemas: schemas });
    expect(model.scripts).to.deep.equal([]);
  });

  it('leaves ECS definitions as they were, and isEcsApp says so', () => {
    const { model } = normaliseDefinition(evaluated(minimal()), { scriptSchemas: fakeScriptSchemas, schedulerSchemas });
    expect(isEcsApp(model)).to.equal(true);
    expect(model.scheduler).to.include({ type: 'ecs', cluster: 'eagletmt' });
  });
});
