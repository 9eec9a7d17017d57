import { lazyAwsFor, type AwsFor, type AwsSettings } from '../aws/lazy-clients.js';
import type { AwsClients } from '../aws/ports.js';
import { UsageError } from '../errors.js';
import { scopedIo } from '../io/io-scope.js';

/**
 * The CLI's AWS settings (`--region`, `--profile`, the IoHost that reports each call), set once by main before a
 * command runs. Commands pass `awsFor` to the actions.
 */
let settings: AwsSettings = {};
let build: AwsFor = lazyAwsFor(settings);

export function configureAws(next: AwsSettings): void {
  settings = next;
  // Clients are shared by every app of a run: their per-call messages go to the app whose call it is (io-scope.ts).
  build = lazyAwsFor(next.io === undefined ? next : { ...next, io: scopedIo(next.io) });
}

/**
 * Clients for `region` (the definition's `scheduler.region`), else for `--region`, else the SDK's chain. A
 * `--region` that contradicts the definition is a usage error: the service lives where the definition says, and
 * silently deploying elsewhere than the user asked is worse than stopping.
 */
export function awsFor(region: string | undefined): () => AwsClients {
  if (region !== undefined && settings.region !== undefined && region !== settings.region) {
    throw new UsageError(`--region ${settings.region} contradicts scheduler.region ${region} in the definition`, {
      hint: 'The definition decides where the app lives: drop --region, or change scheduler.region.',
    });
  }
  return build(region);
}
