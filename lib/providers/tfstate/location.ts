/**
 * Where a Terraform state lives: a local file, or an S3 object (`s3://bucket/key`, the S3 backend's own object —
 * a non-default workspace is `s3://bucket/env:/WORKSPACE/key`). Reading it is the only outside-world access
 * of the tfstate provider; S3 goes through the S3 port, so no SDK code loads for a local state.
 */
import { readFile } from '../../util/fs-async.js';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { AwsApiError, ProviderError } from '../../errors.js';
import type { ProviderContext } from '../provider.js';

export type StateLocation =
  | { readonly kind: 'file'; readonly path: string }
  | { readonly kind: 's3'; readonly bucket: string; readonly key: string; readonly region?: string };

const SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;

/**
 * Parses a state URL. Local paths resolve against `base` (the definition's directory for `url` options, the
 * working directory for `--tfstate`); `file://` URLs are accepted too. Other schemes are refused by name.
 */
export function parseStateUrl(url: string, base: string, region?: string): StateLocation {
  const scheme = SCHEME.exec(url)?.[1]?.toLowerCase();
  if (scheme === undefined) return { kind: 'file', path: path.resolve(base, url) };
  if (scheme === 'file') return { kind: 'file', path: fileURLToPath(url) };
  if (scheme === 's3') {
    const rest = url.slice('s3://'.length);
    const slash = rest.indexOf('/');
    if (slash <= 0 || slash === rest.length - 1) {
      throw new ProviderError('tfstate', `tfstate provider: ${url} names no object: expected s3://BUCKET/KEY`);
    }
    return { kind: 's3', bucket: rest.slice(0, slash), key: rest.slice(slash + 1), ...(region === undefined ? {} : { region }) };
  }
  throw new ProviderError('tfstate', `tfstate provider: cannot read ${scheme}:// state URLs (${url})`, {
    hint: 'Give a local path (relative to the definition) or s3://BUCKET/KEY; for another backend, `terraform state pull > FILE` first.',
  });
}

/** `--tfstate`/`HAKO_TFSTATE` relative paths mean the working directory: made absolute before evaluation. */
export function absoluteStateUrl(url: string, cwd: string): string {
  return SCHEME.test(url) ? url : path.resolve(cwd, url);
}

/** How errors name the location: the absolute path, or the s3:// URL. */
export function describeLocation(location: StateLocation): string {
  return location.kind === 'file' ? location.path : `s3://${location.bucket}/${location.key}`;
}

/** The state's text. A missing file or object, or a failing S3 call, is a ProviderError naming the location. */
export async function readStateText(location: StateLocation, context: ProviderContext): Promise<string> {
  const where = describeLocation(location);
  if (location.kind === 'file') {
    try {
      return await readFile(location.path, 'utf8');
    } catch (e) {
      const code = (e as NodeJS.ErrnoException).code;
      const why = code === 'ENOENT' ? 'no such file' : code === 'EISDIR' ? 'is a directory' : (e as Error).message;
      throw new ProviderError('tfstate', `tfstate provider: cannot read Terraform state ${where}: ${why}`, {
        cause: e,
        hint: 'A relative url is resolved against the directory of the definition file; --tfstate and HAKO_TFSTATE against the working directory.',
      });
    }
  }
  let text: string | undefined;
  try {
    const s3 = await context.aws().s3(location.region);
    text = await s3.getObject({ Bucket: location.bucket, Key: location.key });
  } catch (err) {
    if (!(err instanceof AwsApiError)) throw err;
    throw new ProviderError('tfstate', `tfstate provider: cannot read Terraform state ${where}: ${err.message}`, {
      cause: err,
      ...(err.hint === undefined ? { hint: 'Check the bucket name, its region (the `region` option) and your S3 permissions.' } : { hint: err.hint }),
    });
  }
  if (text === undefined) {
    throw new ProviderError('tfstate', `tfstate provider: cannot read Terraform state ${where}: no such object`, {
      hint: 'Check the key; a non-default workspace of the S3 backend lives under env:/WORKSPACE/.',
    });
  }
  return text;
}
