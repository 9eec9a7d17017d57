/**
 * `npm test`'s pretest may install nginx with apt-get when it runs as root: it must say what it installs and why
 * before doing it, and HAKO_NO_INSTALL=1 must stop it. apt-get, id and dpkg-query are stubs on PATH here.
 */
import { expect } from 'chai';
import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { repoRoot } from '../../helpers/paths.js';

describe('scripts/ensure-test-deps.sh (pretest)', () => {
  let bin: string;
  const log = () => path.join(bin, 'apt-get.log');

  beforeEach(() => {
    bin = mkdtempSync(path.join(os.tmpdir(), 'hako-pretest-'));
    const stub = (name: string, body: string) => {
      writeFileSync(path.join(bin, name), `#!/bin/sh\n${body}\n`);
      chmodSync(path.join(bin, name), 0o755);
    };
    stub('apt-get', `echo "$@" >> ${JSON.stringify(log())}`);
    stub('id', 'echo 0');
    stub('dpkg-query', 'echo "nginx-light 1.22"');
  });
  afterEach(() => rmSync(bin, { recursive: true, force: true }));

  const run = (env: Record<string, string> = {}) =>
    spawnSync('/bin/bash', [path.join(repoRoot, 'scripts', 'ensure-test-deps.sh')], {
      encoding: 'utf8',
      env: { PATH: `${bin}:/usr/bin:/bin`.split(':').filter((d) => d === bin || !existsSync(path.join(d, 'nginx'))).join(':'), HAKO_SBIN: path.join(bin, 'sbin'), ...env },
    });

  it('as root with apt-get: says it installs nginx-light and why, then does', () => {
    const r = run();
    expect(r.status).to.equal(0);
    expect(r.stderr).to.include('pretest: nginx is missing; the nginx -t checks of generated front-proxy configs');
    expect(r.stderr).to.include('installing it as root: apt-get update && apt-get install -y nginx-light (HAKO_NO_INSTALL=1 skips this)');
    expect(readFileSync(log(), 'utf8').trim().split('\n')).to.deep.equal(['update -q', 'install -y -q nginx-light']);
  });

  it('HAKO_NO_INSTALL=1: installs nothing and says what to run', () => {
    const r = run({ HAKO_NO_INSTALL: '1' });
    expect(r.status).to.equal(0);
    expect(existsSync(log())).to.equal(false);
    expect(r.stderr).to.include('Install it yourself (e.g. apt-get install nginx-light)');
  });
});
