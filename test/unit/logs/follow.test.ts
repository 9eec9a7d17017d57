import { expect } from 'chai';
import type { LogsApi, logs } from '../../../lib/aws/ports.js';
import { AwsApiError } from '../../../lib/errors.js';
import { LogFollower } from '../../../lib/logs/follow.js';
import { LogStreamReader, type LogLine, type LogStreamRef } from '../../../lib/logs/log-stream.js';
import { createVirtualTime } from '../../../lib/util/sleep.js';

interface Event {
  timestamp: number;
  message: string;
  ingestionTime?: number;
}

/**
 * A scripted CloudWatch Logs: streams are arrays the test appends to; the forward token is the index after the
 * last event returned (as AWS's cursor behaves); `failures` answers the next calls with errors instead.
 */
class ScriptedLogs implements Pick<LogsApi, 'getLogEvents'> {
  readonly streams = new Map<string, Event[]>();
  readonly calls: logs.GetLogEventsCommandInput[] = [];
  readonly failures: Error[] = [];
  /** Page size when the caller asks for more (AWS also cuts pages at 1 MB). */
  pageSize = 10_000;

  append(stream: string, ...events: Event[]): void {
    const list = this.streams.get(stream) ?? [];
    list.push(...events);
    this.streams.set(stream, list);
  }

  async getLogEvents(input: logs.GetLogEventsCommandInput): Promise<logs.GetLogEventsCommandOutput> {
    this.calls.push(input);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const events = this.streams.get(input.logStreamName ?? '');
    if (events === undefined) throw new AwsApiError('CloudWatchLogs', 'GetLogEvents', 'ResourceNotFoundException', 'The specified log stream does not exist.');
    let start = 0;
    if (input.nextToken !== undefined) start = Number(input.nextToken.slice(2));
    else if (input.startTime !== undefined) start = events.findIndex((e) => e.timestamp >= input.startTime!) === -1 ? events.length : events.findIndex((e) => e.timestamp >= input.startTime!);
    const page = events.slice(start, start + Math.min(this.pageSize, input.limit ?? 10_000));
    return { $metadata: {}, events: page, nextForwardToken: `f/${start + page.length}` };
  }
}

const throttling = () => new AwsApiError('CloudWatchLogs', 'GetLogEvents', 'ThrottlingException', 'Rate exceeded');
const badToken = () => new AwsApiError('CloudWatchLogs', 'GetLogEvents', 'InvalidParameterException', 'The specified nextToken is invalid.');

const APP: LogStreamRef = { group: 'g', stream: 'p/app/t1', label: 'app' };
const SIDE: LogStreamRef = { group: 'g', stream: 'p/side/t1', label: 'side' };

function follower(api: ScriptedLogs, streams: LogStreamRef[], vt = createVirtualTime()) {
  const lines: LogLine[] = [];
  const throttled: number[] = [];
  const f = new LogFollower({
    streams,
    logs: async () => api as unknown as LogsApi,
    emit: (line) => lines.push(line),
    onThrottled: (ms) => throttled.push(ms),
    sleep: vt.sleep,
    backoff: { jitter: 0 },
  });
  return { f, lines, throttled, vt };
}

const text = (lines: readonly LogLine[]) => lines.map((l) => `${l.label}:${l.message}`);

describe('logs: following CloudWatch Logs streams', () => {
  it('emits the lines of several streams in timestamp order, each stream in its own order', async () => {
    const api = new ScriptedLogs();
    api.append(APP.stream, { timestamp: 1, message: 'a1' }, { timestamp: 3, message: 'a3' }, { timestamp: 3, message: 'a3b' });
    api.append(SIDE.stream, { timestamp: 2, message: 's2' }, { timestamp: 3, message: 's3\n' });
    const { f, lines } = follower(api, [APP, SIDE]);
    expect(await f.pollOnce()).to.equal(5);
    expect(text(lines)).to.deep.equal(['app:a1', 'side:s2', 'app:a3', 'app:a3b', 'side:s3']);
    // Nothing new: the cursor (token) stays at the end.
    expect(await f.pollOnce()).to.equal(0);
    api.append(APP.stream, { timestamp: 4, message: 'a4' });
    expect(await f.pollOnce()).to.equal(1);
    expect(text(lines).at(-1)).to.equal('app:a4');
    expect(api.calls.filter((c) => c.logStreamName === APP.stream).map((c) => c.nextToken)).to.deep.equal([undefined, 'f/3', 'f/3']);
  });

  it('waits for a stream that does not exist yet, then reads it from the start', async () => {
    const api = new ScriptedLogs();
    const { f, lines } = follower(api, [APP]);
    expect(await f.pollOnce()).to.equal(0);
    api.append(APP.stream, { timestamp: 1, message: 'first' });
    expect(await f.pollOnce()).to.equal(1);
    expect(text(lines)).to.deep.equal(['app:first']);
  });

  it('re-reading from the last timestamp after a refused token prints each event once, equal timestamps included', async () => {
    const api = new ScriptedLogs();
    // Two identical lines in the same millisecond are two lines; both must print, once each.
    api.append(APP.stream, { timestamp: 5, message: 'tick', ingestionTime: 9 }, { timestamp: 5, message: 'tick', ingestionTime: 9 }, { timestamp: 5, message: 'tock' });
    const reader = new LogStreamReader(APP);
    const port = api as unknown as LogsApi;
    expect((await reader.poll(port)).map((l) => l.message)).to.deep.equal(['tick', 'tick', 'tock']);
    // More lines in the same millisecond arrive; the token is refused: the reader goes back to timestamp 5.
    api.append(APP.stream, { timestamp: 5, message: 'tick', ingestionTime: 9 }, { timestamp: 6, message: 'next' });
    api.failures.push(badToken());
    expect((await reader.poll(port)).map((l) => l.message)).to.deep.equal(['tick', 'next']);
    expect(api.calls.at(-1)).to.include({ startTime: 5 });
    expect(api.calls.at(-1)?.nextToken).to.equal(undefined);
    // A second re-read from timestamp 6 skips `next` only.
    api.failures.push(badToken());
    api.append(APP.stream, { timestamp: 6, message: 'next again' });
    expect((await reader.poll(port)).map((l) => l.message)).to.deep.equal(['next again']);
  });

  it('reads on while pages come back full; a page cut short (1 MB) leaves the rest for the next poll', async () => {
    const api = new ScriptedLogs();
    api.append(APP.stream, ...Array.from({ length: 1500 }, (_, t) => ({ timestamp: t, message: `m${t}` })));
    const { f, lines } = follower(api, [APP]);
    expect(await f.pollOnce()).to.equal(1500);
    expect(api.calls.map((c) => c.limit)).to.deep.equal([1000, 1000]);
    api.pageSize = 2;
    api.append(APP.stream, ...[1500, 1501, 1502].map((t) => ({ timestamp: t, message: `m${t}` })));
    expect(await f.pollOnce()).to.equal(2);
    expect(await f.pollOnce()).to.equal(1);
    expect(lines.map((l) => l.message)).to.deep.equal(Array.from({ length: 1503 }, (_, t) => `m${t}`));
  });

  it('backs off while idle, snaps back when lines arrive, doubles when throttled, and loses nothing', async () => {
    const api = new ScriptedLogs();
    api.append(APP.stream);
    const { f, lines, throttled, vt } = follower(api, [APP]);
    const stop = new AbortController();
    let polls = 0;
    vt.onSleep = () => {
      polls++;
      if (polls === 3) api.append(APP.stream, { timestamp: 1, message: 'one' });
      if (polls === 5) {
        api.failures.push(throttling(), throttling());
        api.append(APP.stream, { timestamp: 2, message: 'two' });
      }
      if (polls === 9) stop.abort();
    };
    await f.run(stop.signal);
    // idle 1000, 1500, 2250 → lines: back to 1000 → idle 1500 → throttled twice: doubled from 2250 → read: 1000 → 1500.
    expect(vt.sleeps.slice(0, 9)).to.deep.equal([1000, 1500, 2250, 1000, 1500, 4500, 9000, 1000, 1500]);
    expect(throttled).to.deep.equal([4500, 9000]);
    expect(lines.map((l) => l.message)).to.deep.equal(['one', 'two']);
  });

  it('drains after the stop: what was written just before it is printed, then it ends', async () => {
    const api = new ScriptedLogs();
    api.append(APP.stream, { timestamp: 1, message: 'early' });
    const { f, lines, vt } = follower(api, [APP]);
    const stop = new AbortController();
    vt.onSleep = () => {
      if (stop.signal.aborted) return;
      api.append(APP.stream, { timestamp: 2, message: 'last words' });
      stop.abort();
    };
    const stats = await f.run(stop.signal);
    expect(lines.map((l) => l.message)).to.deep.equal(['early', 'last words']);
    // One poll before the stop, then the drain: one that finds the last line, one that finds nothing.
    expect(stats.polls).to.equal(3);
  });

  it('stops reading a stream it may not read and says so once', async () => {
    const api = new ScriptedLogs();
    api.append(APP.stream, { timestamp: 1, message: 'x' });
    api.failures.push(new AwsApiError('CloudWatchLogs', 'GetLogEvents', 'AccessDeniedException', 'not allowed'));
    const unavailable: string[] = [];
    const f = new LogFollower({
      streams: [APP],
      logs: async () => api as unknown as LogsApi,
      emit: () => {},
      onUnavailable: (ref, reason) => unavailable.push(`${ref.label}: ${reason}`),
      sleep: createVirtualTime().sleep,
    });
    await f.pollOnce();
    await f.pollOnce();
    expect(unavailable).to.deep.equal(['app: CloudWatchLogs GetLogEvents failed: AccessDeniedException: not allowed']);
    expect(api.calls).to.have.length(1);
  });
});
