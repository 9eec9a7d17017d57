import type { AwsClients } from '../aws/ports.js';
import type { IoHost } from '../io/io-host.js';
import { HAKO_VERSION } from '../version.js';

/**
 * A lazy AwsClients for a region: nothing (not even the factory module's SDK imports) loads until a port is
 * first used, which keeps `show-definition` free of SDK code.
 */
let callIo: IoHost | undefined;

/** The CLI's IoHost receives one debug message per AWS call (`--verbose`; counted by the benchmarks). */
export function reportAwsCallsTo(io: IoHost): void {
  callIo = io;
}

export function awsFor(region: string | undefined): () => AwsClients {
  let clients: Promise<AwsClients> | undefined;
  const get = (): Promise<AwsClients> =>
    (clients ??= import('../aws/factory.js').then((m) => m.createAwsClients({ region, userAgentVersion: HAKO_VERSION, io: callIo })));
  // Each port getter awaits the factory first, so callers keep the AwsClients shape.
  const facade = new Proxy({} as AwsClients, {
    get(_target, property: string) {
      return (...args: unknown[]) => get().then((c) => (c as unknown as Record<string, (...a: unknown[]) => unknown>)[property]!(...args));
    },
  });
  return () => facade;
}
