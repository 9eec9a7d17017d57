import { expect } from 'chai';
import type { Plan, Step } from '../../../lib/plan/plan.js';
import { renderPlan, renderStepDiff, renderSummary } from '../../../lib/plan/render.js';
import { planEcsDeploy } from '../../../lib/schedulers/ecs/plan.js';
import { HAKO_VERSION } from '../../../lib/version.js';
import { ecsModel, liveService, liveTaskDefinition } from '../schedulers/ecs/core-fixtures.js';

function step(s: Partial<Step>): Step {
  return { owner: 'test', kind: 'thing', action: 'update', resource: 'thing', title: 'Update thing', payload: {}, ...s };
}

// ANSI escape: ESC [ … m
const ANSI = new RegExp(`${String.fromCharCode(27)}\\[[0-9;]*m`);

describe('renderPlan', () => {
  it('shows the changed field as -/+ lines and leaves unchanged fields out of the diff', () => {
    const observed = {
      service: liveService({ desiredCount: 0 }),
      taskDefinition: liveTaskDefinition(HAKO_VERSION, { memory: 1024 }),
      taskDefinitionTags: [],
      calls: 2,
    };
    const text = renderPlan(planEcsDeploy(ecsModel(), observed, { force: false }), { color: false });
    const lines = text.split('\n');
    expect(lines).to.include('~ Update service ecs in cluster eagletmt');
    expect(lines).to.include('+ Register task definition ecs (replacing revision 1)');
    expect(lines).to.include('    -    memory: 1024');
    expect(lines).to.include('    +    memory: 64');
    expect(lines).to.include('    -desired_count: 0');
    expect(lines).to.include('    +desired_count: 1');
    const changed = lines.filter((l) => /^ {4}[-+]/.test(l));
    // memory, desired count, task definition ARN: nothing else differs.
    expect(changed).to.have.length(6);
    expect(lines.at(-1)).to.equal('Plan: 1 to register, 0 to create, 1 to update');
    expect(text).not.to.match(ANSI);
  });

  it('prints noop steps without a diff and `No changes.`', () => {
    const observed = { service: liveService(), taskDefinition: liveTaskDefinition(HAKO_VERSION), taskDefinitionTags: [], calls: 2 };
    const text = renderPlan(planEcsDeploy(ecsModel(), observed, { force: false }), { color: false });
    expect(text.split('\n')).to.deep.equal([
      `= Task definition isn't changed: ${liveTaskDefinition(HAKO_VERSION).taskDefinitionArn}`,
      "= Service isn't changed",
      'No changes.',
    ]);
  });

  it('shows a creation as added lines only', () => {
    const text = renderPlan(planEcsDeploy(ecsModel(), { taskDefinitionTags: [], calls: 2 }, { force: false }), { color: false });
    const body = text.split('\n').filter((l) => l.startsWith('    '));
    expect(body.length).to.be.greaterThan(0);
    expect(body.every((l) => l.startsWith('    +'))).to.equal(true);
    expect(body).to.include('    +desired_count: 1');
    expect(text).to.contain('Plan: 1 to register, 1 to create, 0 to update');
  });

  it('colours added and removed lines when asked', () => {
    const s = step({ before: { a: 1 }, after: { a: 2 } });
    const coloured = renderStepDiff(s, true);
    expect(coloured).to.match(ANSI);
    expect(coloured.replace(new RegExp(ANSI.source, 'g'), '')).to.equal('    -a: 1\n    +a: 2');
  });
});

describe('renderStepDiff', () => {
  it('is empty when before and after are equal whatever their key order', () => {
    expect(renderStepDiff(step({ before: { a: 1, b: 2 }, after: { b: 2, a: 1 } }), false)).to.equal('');
  });

  it('shows a deletion as removed lines', () => {
    expect(renderStepDiff(step({ action: 'delete', before: { name: 'x' } }), false)).to.equal('    -name: x');
  });
});

describe('renderSummary', () => {
  it('counts deletions only when there are some', () => {
    const plan: Plan = { steps: [step({ action: 'delete' }), step({ action: 'create', kind: 'register-task-definition' })] };
    expect(renderSummary(plan)).to.equal('Plan: 1 to register, 0 to create, 0 to update, 1 to delete');
  });
});
