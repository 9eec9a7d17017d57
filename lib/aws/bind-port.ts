/**
 * Builds a port from a list of method names: `describeServices` sends `new DescribeServicesCommand(input)`.
 * One generic binder instead of a hand-written wrapper per call keeps every service to a few lines.
 */
import { toAwsApiError } from './aws-error.js';
import { operationOf } from './sdk-packages.js';

/** The one thing we need from an SDK v3 client (and its resolved config, to name the region in errors). */
export interface SdkClient {
  send(command: unknown): Promise<unknown>;
  readonly config?: { readonly region?: unknown };
}

/** The region a client signs for, for error messages; undefined when it cannot tell (no region at all). */
async function clientRegion(client: SdkClient): Promise<string | undefined> {
  try {
    const region: unknown = client.config?.region;
    const value: unknown = typeof region === 'function' ? await (region as () => unknown)() : region;
    return typeof value === 'string' ? value : undefined;
  } catch {
    return undefined;
  }
}

/** Called before each request; used for debug logging. */
export type CallListener = (service: string, operation: string) => void;

/**
 * Returns an object with one async method per key of `methods`. Each method sends the SDK command named after it
 * (looked up in `commands`, the SDK module's exports) and maps failures with `toAwsApiError`.
 * Throws at once if the SDK module lacks a command, so a misspelt port method fails on first use of the service.
 */
export function bindPort<P>(
  service: string,
  /** The client each method sends with (one client, or a method's own one with other retry settings). */
  client: SdkClient | ((method: string) => SdkClient),
  commands: Readonly<Record<string, unknown>>,
  methods: Readonly<Record<keyof P & string, true>>,
  onCall?: CallListener,
  settings: { readonly profile?: string } = {},
): P {
  const port: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const method of Object.keys(methods)) {
    const operation = operationOf(method);
    const Command = commands[`${operation}Command`];
    if (typeof Command !== 'function') {
      throw new Error(`internal error: the ${service} SDK has no ${operation}Command`);
    }
    const Ctor = Command as new (input: unknown) => unknown;
    // Chosen at the first call, not here: a method's own client (factory.ts) is then made only when it is used.
    const senderOf = typeof client === 'function' ? () => client(method) : () => client;
    port[method] = async (input: unknown) => {
      onCall?.(service, operation);
      const sender = senderOf();
      try {
        return await sender.send(new Ctor(input ?? {}));
      } catch (err) {
        throw toAwsApiError(service, operation, err, { input, region: await clientRegion(sender), profile: settings.profile });
      }
    };
  }
  return port as P;
}
