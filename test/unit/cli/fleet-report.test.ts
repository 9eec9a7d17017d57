import { expect } from 'chai';
import { DeploymentError, DefinitionError } from '../../../lib/errors.js';
import type { AppOutcome } from '../../../lib/cli/fleet/app-task.js';
import { renderLiveTable } from '../../../lib/cli/fleet/live-table.js';
import { fleetExitCode, renderSummaryTable } from '../../../lib/cli/fleet/summary.js';
import { SkippedError, type FleetOutcome } from '../../../lib/fleet/runner.js';

function ok(label: string, value: AppOutcome, durationMs = 1200): FleetOutcome<AppOutcome> {
  return { entry: { label, file: `${label}.jsonnet` }, index: 0, status: 'ok', value, durationMs };
}
function failed(label: string, error: unknown): FleetOutcome<AppOutcome> {
  return { entry: { label, file: `${label}.jsonnet` }, index: 0, status: 'failed', error, durationMs: 800 };
}
const skipped = (label: string): FleetOutcome<AppOutcome> => ({
  entry: { label },
  index: 0,
  status: 'skipped',
  error: new SkippedError('an app failed and --fail-fast stops the run'),
  durationMs: 0,
});

describe('cli: the end of a run of many apps', () => {
  it('exit code: 0 all ok, 16 when an app differs and none failed, 1 on any failure or command failure, 130 interrupted', () => {
    const deployed = ok('web', { exitCode: 0, result: 'deployed' });
    const differs = ok('api', { exitCode: 16, result: 'changes' });
    const unavailable = ok('batch', { exitCode: 1, result: 'unavailable' });
    expect(fleetExitCode([deployed, deployed], false)).to.equal(0);
    expect(fleetExitCode([deployed, differs], false)).to.equal(16);
    expect(fleetExitCode([differs, failed('x', new Error('boom'))], false)).to.equal(1);
    expect(fleetExitCode([differs, unavailable], false)).to.equal(1);
    expect(fleetExitCode([deployed, skipped('y')], false)).to.equal(1);
    expect(fleetExitCode([deployed], true)).to.equal(130);
  });

  it('the summary table names each app, its result, its revision and its time', () => {
    const text = renderSummaryTable(
      [
        ok('web', { exitCode: 0, result: 'deployed', revision: 'web:4' }, 3210),
        failed('api', new DeploymentError('rolled-back', 'Deployment failed: x. Rolled back to api:2')),
        failed('worker', new DefinitionError('worker.jsonnet', [])),
        skipped('cron'),
      ],
      false,
    );
    expect(text.split('\n')).to.deep.equal([
      'APP     RESULT               REVISION  TIME',
      'web     deployed             web:4     3.2s',
      'api     failed, rolled back  -         800ms',
      'worker  invalid              -         800ms',
      'cron    skipped              -         -',
      '4 apps: 1 deployed, 1 failed, rolled back, 1 invalid, 1 skipped',
    ]);
  });

  it('the live table shows the apps in flight with what they do, their counts and time, and counts the rest', () => {
    const lines = renderLiveTable(
      'deploy',
      [
        { label: 'web', state: 'running', doing: 'Waiting for web to reach a steady state', detail: 'running 1/2, pending 1', startedAt: 0 },
        { label: 'api', state: 'waiting', doing: 'waiting for elbv2:load-balancer:ap-northeast-1/shared', startedAt: 5_000 },
        { label: 'cron', state: 'done', doing: '', startedAt: 0, failed: true },
        { label: 'batch', state: 'queued', doing: '' },
      ],
      65_000,
      0,
      { columns: 100, rows: 24 },
      false,
    );
    expect(lines).to.have.length(3);
    expect(lines[0]).to.match(/^web +Waiting for web to reach a steady state +running 1\/2, pending 1 +1m05s$/);
    expect(lines[1]).to.match(/^api +waiting for elbv2:load-balancer:ap-northeast-1\/shared +1m00s$/);
    expect(lines[2]).to.equal('hako deploy: 1/4 done · 1 failed · 2 running · 1 queued · 1m05s');
    for (const l of lines) expect(l.length).to.be.at.most(99);
    // A short terminal: rows past it are counted.
    const many = Array.from({ length: 10 }, (_, i) => ({ label: `app${i}`, state: 'running' as const, doing: 'x', startedAt: 0 }));
    const short = renderLiveTable('deploy', many, 1000, 0, { columns: 80, rows: 6 }, false);
    expect(short).to.have.length(5);
    expect(short[3]).to.equal('… 7 more in flight');
  });
});
