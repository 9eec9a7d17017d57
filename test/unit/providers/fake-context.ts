import { RecordingIoHost } from '../../../lib/io/io-host.js';
import type { ProviderContext } from '../../../lib/providers/provider.js';

/** A provider context for unit tests: no AWS at all, messages recorded, `env` as given (never process.env). */
export function fakeContext(rootPath: string, env: Readonly<Record<string, string>> = {}): ProviderContext & { io: RecordingIoHost } {
  return {
    rootPath,
    io: new RecordingIoHost(),
    aws: () => {
      throw new Error('unit tests must not reach AWS');
    },
    env,
  };
}
