/**
 * The default way to get AWS clients, for the CLI and for programmatic callers who pass none: `awsFor(region)`
 * returns a getter of `AwsClients` whose ports load the factory (and through it the SDK) only when first used,
 * which keeps `show-definition` free of SDK code.
 */
import type { IoHost } from '../io/io-host.js';
import { HAKO_VERSION } from '../version.js';
import type { AwsClients } from './ports.js';

export interface AwsSettings {
  /** Region for clients whose caller names none (no `scheduler.region`): like `--region`, wins over AWS_REGION. */
  readonly region?: string;
  /** Shared config profile, like `--profile`: wins over AWS_PROFILE. */
  readonly profile?: string;
  /** Receives a debug message per AWS call and a warning per throttled retry. */
  readonly io?: IoHost;
}

/** `(region) => () => AwsClients`: the shape every action takes as `awsFor`. */
export type AwsFor = (region: string | undefined) => () => AwsClients;

/** An `awsFor` building real SDK clients lazily with these settings. The region given per call wins. */
export function lazyAwsFor(settings: AwsSettings = {}): AwsFor {
  return (region) => {
    let clients: Promise<AwsClients> | undefined;
    const get = (): Promise<AwsClients> =>
      (clients ??= import('./factory.js').then((m) =>
        m.createAwsClients({
          region: region ?? settings.region,
          profile: settings.profile,
          userAgentVersion: HAKO_VERSION,
          io: settings.io,
        }),
      ));
    // Each port getter awaits the factory first, so callers keep the AwsClients shape.
    const facade = new Proxy({} as AwsClients, {
      get(_target, property: string) {
        return (...args: unknown[]) => get().then((c) => (c as unknown as Record<string, (...a: unknown[]) => unknown>)[property]!(...args));
      },
    });
    return () => facade;
  };
}
