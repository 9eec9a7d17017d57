/**
 * An ApplyContext for tests that apply steps by hand: real time unless a virtual one is given, a fixed run id.
 */
import type { AwsClients } from '../../lib/aws/ports.js';
import type { IoHost } from '../../lib/io/io-host.js';
import type { ApplyContext } from '../../lib/plan/executor.js';
import { sleep, systemClock, type Clock, type Sleep } from '../../lib/util/sleep.js';

export const TEST_RUN_ID = '00000000-0000-4000-8000-000000000001';

export function applyContext(parts: { io: IoHost; aws: () => AwsClients; sleep?: Sleep; clock?: Clock; signal?: AbortSignal }): ApplyContext {
  return { sleep, clock: systemClock, runId: TEST_RUN_ID, ...parts };
}
