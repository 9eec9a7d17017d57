/**
 * `npm run test:unit` must run the unit tests alone and `test:integration` the integration tests alone: a `spec`
 * in .mocharc.json is added to the files a script names, which once made test:unit run the whole suite.
 * Each script's mocha command is run with --dry-run (files load, no test runs) and the files it would run listed.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { repoRoot } from '../../helpers/paths.js';

const scripts = (JSON.parse(readFileSync(path.join(repoRoot, 'package.json'), 'utf8')) as { scripts: Record<string, string> }).scripts;

/** The spec files the mocha command at the end of an npm script would run. */
function specFilesOf(script: string): string[] {
  const command = scripts[script]!;
  const mocha = command.slice(command.lastIndexOf('mocha '));
  const r = spawnSync('sh', ['-c', `${mocha} --dry-run --reporter json`], {
    cwd: repoRoot,
    encoding: 'utf8',
    env: { ...process.env, PATH: `${path.join(repoRoot, 'node_modules', '.bin')}:${process.env.PATH ?? ''}` },
    maxBuffer: 64 * 1024 * 1024,
  });
  expect(r.status, r.stderr).to.equal(0);
  const report = JSON.parse(r.stdout.slice(r.stdout.indexOf('{'))) as { tests: { file: string }[] };
  return [...new Set(report.tests.map((t) => path.relative(repoRoot, t.file)))];
}

describe('npm test scripts', function () {
  this.timeout(120_000);

  it('test:unit runs only dist/test/unit', () => {
    const files = specFilesOf('test:unit');
    expect(files.length).to.be.greaterThan(10);
    expect(files.filter((f) => !f.startsWith('dist/test/unit/'))).to.deep.equal([]);
  });

  it('test:integration runs only dist/test/integration', () => {
    const files = specFilesOf('test:integration');
    expect(files.length).to.be.greaterThan(1);
    expect(files.filter((f) => !f.startsWith('dist/test/integration/'))).to.deep.equal([]);
  });

  it('test runs unit, CLI and integration tests', () => {
    const dirs = new Set(specFilesOf('test').map((f) => f.split('/').slice(0, 3).join('/')));
    expect([...dirs].sort()).to.deep.equal(['dist/test/cli', 'dist/test/integration', 'dist/test/unit']);
  });
});
