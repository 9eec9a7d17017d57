/**
 * A long wait's status line: it ticks every second on a terminal (with the limit), and without one a heartbeat
 * line appears at least every 15 s, so CI does not take the job for hung.
 */
import { expect } from 'chai';
import { Writable } from 'node:stream';
import { CliIoHost, type Timers } from '../../../lib/cli/cli-io-host.js';

class Capture extends Writable {
  text = '';
  isTTY: boolean;
  columns = 120;
  constructor(tty: boolean) {
    super();
    this.isTTY = tty;
  }
  override _write(chunk: Buffer, _enc: BufferEncoding, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

function virtualTimers() {
  let now = 0;
  const ticks: (() => void)[] = [];
  const timers: Timers = {
    now: () => now,
    every: (_ms, fn) => {
      ticks.push(fn);
      return () => ticks.splice(ticks.indexOf(fn), 1);
    },
  };
  return {
    timers,
    /** Advances time second by second, firing the tick each second. */
    advance(seconds: number) {
      for (let i = 0; i < seconds; i++) {
        now += 1000;
        for (const t of [...ticks]) t();
      }
    },
    active: () => ticks.length,
  };
}

function host(tty: boolean, output: 'text' | 'json' = 'text') {
  const vt = virtualTimers();
  const stdout = new Capture(tty);
  const stderr = new Capture(tty);
  const io = new CliIoHost({ output, verbose: false, colorStdout: false, colorStderr: false, stdout: stdout as never, stderr: stderr as never, timers: vt.timers });
  return { io, vt, stdout, stderr };
}

describe('CliIoHost: progress of a long wait', () => {
  it('on a terminal redraws the elapsed time every second against the limit, and stops when cleared', () => {
    const { io, vt, stderr } = host(true);
    io.status('Waiting for hello to reach a steady state', { elapsedMs: 0, limitMs: 1_200_000 });
    vt.advance(12);
    expect(stderr.text).to.contain('Waiting for hello to reach a steady state: 12s / 20m00s');
    expect(stderr.text).to.contain('Waiting for hello to reach a steady state: 11s / 20m00s');
    io.status(undefined);
    expect(vt.active()).to.equal(0);
  });

  it('without a terminal prints a heartbeat with the counts when nothing was printed for 15 s', () => {
    const { io, vt, stdout, stderr } = host(false);
    io.status('Waiting for hello to reach a steady state', { elapsedMs: 0, limitMs: 600_000, detail: 'primary: running 0/2, pending 2' });
    vt.advance(14);
    expect(stdout.text).to.equal('');
    vt.advance(1);
    expect(stdout.text).to.equal('Waiting for hello to reach a steady state: 15s / 10m00s — primary: running 0/2, pending 2\n');
    io.notify({ level: 'info', code: 'ecs.service.event', message: 'something happened' });
    vt.advance(14);
    expect(stdout.text.split('\n').filter(Boolean)).to.have.length(2);
    vt.advance(1);
    expect(stdout.text.split('\n').filter(Boolean)).to.have.length(3);
    expect(stderr.text).to.equal('');
  });
});
