/**
 * The default way to get AWS clients, for the CLI and for programmatic callers who pass none: `awsFor(region)`
 * returns a getter of `AwsClients` whose ports load the factory (and through it the SDK) only when first used,
 * which keeps `show-definition` free of SDK code.
 */
import type { IoHost } from '../io/io-host.js';
import { HAKO_VERSION } from '../version.js';
import type { AwsClients } from './ports.js';
import type { RateBudget } from './rate-budget.js';

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

/**
 * An `awsFor` building real SDK clients lazily with these settings. The region given per call wins. Every app of a
 * run asks with the same few regions: each region's clients are built once and shared, and all of them share one
 * rate budget per AWS service and region (rate-budget.ts).
 */
export function lazyAwsFor(settings: AwsSettings = {}): AwsFor {
  const byRegion = new Map<string, Promise<AwsClients>>();
  let budget: RateBudget | undefined;
  return (region) => {
    const effective = region ?? settings.region;
    const get = (): Promise<AwsClients> => {
      const key = effective ?? '';
      let clients = byRegion.get(key);
      if (clients === undefined) {
        clients = import('./factory.js').then((m) =>
          m.createAwsClients({
            region: effective,
            profile: settings.profile,
            userAgentVersion: HAKO_VERSION,
            io: settings.io,
            rateBudget: (budget ??= new m.RateBudget()),
          }),
        );
        byRegion.set(key, clients);
        // A failed import must not poison the run: the next caller tries again.
        clients.catch(() => byRegion.delete(key));
      }
      return clients;
    };
    // Each port getter awaits the factory first, so callers keep the AwsClients shape.
    const facade = new Proxy({} as AwsClients, {
      get(_target, property: string) {
        return (...args: unknown[]) => get().then((c) => (c as unknown as Record<string, (...a: unknown[]) => unknown>)[property]!(...args));
      },
    });
    return () => facade;
  };
}
