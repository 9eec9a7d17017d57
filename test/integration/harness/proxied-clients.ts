/**
 * Real SDK clients for tests of the AWS proxy: `client(ECSClient)` goes through the proxy, configured like hako's
 * (adaptive, 8 attempts) but retrying through RecordingRetries; `direct(ECSClient)` talks to moto itself, to read
 * back what moto holds without being recorded or faulted. Both are destroyed after each test.
 */
import type { AwsProxyHandle } from './aws-proxy.js';
import { motoClientConfig } from './aws.js';
import type { MotoHandle } from './moto.js';
import { hakoLikeRetryConfig, RecordingRetries } from './recording-retries.js';

type Destroyable = { destroy(): void };
type ClientClass<C> = new (config: never) => C;

export interface ProxiedClients {
  client<C extends Destroyable>(Client: ClientClass<C>): C;
  direct<C extends Destroyable>(Client: ClientClass<C>): C;
  /** This test's retry strategy, shared by its proxied clients: how the SDK classified each failed attempt. */
  retries(): RecordingRetries;
}

/** Registers beforeEach/afterEach hooks on the current suite; call it after `useAwsProxy`. */
export function useProxiedClients(moto: MotoHandle, aws: AwsProxyHandle): ProxiedClients {
  let retries = new RecordingRetries();
  const made: Destroyable[] = [];
  beforeEach(() => {
    retries = new RecordingRetries();
  });
  afterEach(() => {
    for (const c of made.splice(0)) c.destroy();
  });
  const keep = <C extends Destroyable>(c: C): C => {
    made.push(c);
    return c;
  };
  return {
    client: (Client) => keep(new Client({ ...motoClientConfig(moto), endpoint: aws.endpoint(), ...hakoLikeRetryConfig(retries) } as never)),
    direct: (Client) => keep(new Client(motoClientConfig(moto) as never)),
    retries: () => retries,
  };
}
