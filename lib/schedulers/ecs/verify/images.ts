/**
 * Container images: an ECR image must exist for its tag (or digest) in its repository; images elsewhere (Docker
 * Hub, GHCR…) are reported as not checked rather than guessed at.
 */
import type { EcrApi } from '../../../aws/ports.js';
import { isAwsError } from '../../../aws/aws-error.js';
import { failed, ok, skipped, type CheckResult, type VerifyCheck } from '../../../verify/checks.js';

export interface EcrImage {
  readonly registryId: string;
  readonly region: string;
  readonly repository: string;
  readonly tag?: string;
  readonly digest?: string;
}

const ECR = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(?:\.cn)?\/([^:@]+)(?::([^@]+))?(?:@(sha256:[0-9a-f]+))?$/;

/** Pure: the parts of an ECR image reference, or undefined for another registry. No tag or digest means `latest`. */
export function parseEcrImage(image: string): EcrImage | undefined {
  const m = ECR.exec(image);
  if (!m) return undefined;
  const [, registryId = '', region = '', repository = '', tag, digest] = m;
  return { registryId, region, repository, ...(digest ? { digest } : { tag: tag ?? 'latest' }) };
}

export function imageCheck(image: string, containers: readonly string[], ecr: (region: string) => Promise<EcrApi>): VerifyCheck {
  const title = `image ${image} (${containers.join(', ')})`;
  const parsed = parseEcrImage(image);
  if (parsed === undefined) return { title, run: async () => skipped('not an ECR image: not checked') };
  return {
    title,
    async run(): Promise<CheckResult> {
      const imageId = parsed.digest ? { imageDigest: parsed.digest } : { imageTag: parsed.tag! };
      try {
        const out = await (await ecr(parsed.region)).describeImages({ registryId: parsed.registryId, repositoryName: parsed.repository, imageIds: [imageId] });
        const found = out.imageDetails?.[0];
        return found ? ok(`in ECR${found.imagePushedAt ? `, pushed ${found.imagePushedAt.toISOString().slice(0, 10)}` : ''}`) : failed('not in its ECR repository');
      } catch (e) {
        if (isAwsError(e, 'ImageNotFoundException')) return failed(`no image ${parsed.digest ?? `tagged ${parsed.tag}`} in ${parsed.repository}`);
        if (isAwsError(e, 'RepositoryNotFoundException')) return failed(`no ECR repository ${parsed.repository} in ${parsed.region}`);
        throw e;
      }
    },
  };
}
