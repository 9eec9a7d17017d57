/**
 * The ECS scheduler's parts that a rolling deploy does not run are imported on first use: the CodeDeploy part (its
 * AppSpecs bring the YAML library) and `hako verify`'s checks. A static import of either from any module the
 * scheduler loads undoes that (verify once imported isCodeDeployApp from codedeploy/plan.js: ~45 ms of a no-op
 * deploy's CPU with the rest). Checked in a fresh process on the compiled modules, whose loads are traced.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { repoRoot } from '../../../helpers/paths.js';

describe('ECS scheduler: parts loaded on first use', function () {
  this.timeout(30_000);

  it('loading the scheduler loads neither the CodeDeploy part, verify, nor the YAML library', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'hako-trace-'));
    try {
      const trace = path.join(dir, 'modules.txt');
      const scheduler = pathToFileURL(path.join(repoRoot, 'dist', 'lib', 'schedulers', 'ecs', 'index.js')).href;
      const r = spawnSync(process.execPath, ['--import', path.join(repoRoot, 'dist', 'scripts', 'trace-modules.js'), '--input-type=module', '-e', `await import(${JSON.stringify(scheduler)})`], {
        env: { ...process.env, HAKO_TRACE_FILE: trace },
        encoding: 'utf8',
      });
      expect(r.status, r.stderr).to.equal(0);
      const loaded = readFileSync(trace, 'utf8').split('\n');
      // The trace sees the scheduler's own modules: what it must not see is meaningful.
      expect(loaded.some((m) => m.endsWith('/schedulers/ecs/plan.js'))).to.equal(true);
      const lazy = loaded.filter((m) => /\/schedulers\/ecs\/(codedeploy\/(plan|appspec|index)|verify\/)[\w/-]*\.js$|\/node_modules\/yaml\//.test(m));
      expect(lazy).to.deep.equal([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
