/** Adapts raw S3 calls to the S3Api port: text bodies, and "absent" instead of 404 exceptions. */
import type { s3, S3Api } from './ports.js';
import { isAwsError, toAwsApiError } from './aws-error.js';

/** The S3 calls as the SDK answers them, before adaptation. */
export interface RawS3Api {
  getObject(input: s3.GetObjectCommandInput): Promise<s3.GetObjectCommandOutput>;
  headObject(input: s3.HeadObjectCommandInput): Promise<s3.HeadObjectCommandOutput>;
  putObject(input: s3.PutObjectCommandInput): Promise<s3.PutObjectCommandOutput>;
}

export function adaptS3(raw: RawS3Api): S3Api {
  return {
    async getObject(input) {
      let out: s3.GetObjectCommandOutput;
      try {
        out = await raw.getObject(input);
      } catch (err) {
        if (isAwsError(err, 'NoSuchKey')) return undefined;
        throw err;
      }
      try {
        return out.Body === undefined ? '' : await out.Body.transformToString('utf-8');
      } catch (err) {
        throw toAwsApiError('S3', 'GetObject', err);
      }
    },
    async headObject(input) {
      try {
        return await raw.headObject(input);
      } catch (err) {
        // HEAD responses have no body, so S3 can only say 404: the SDK names that `NotFound`.
        if (isAwsError(err, 'NotFound', 'NoSuchKey')) return undefined;
        throw err;
      }
    },
    putObject: (input) => raw.putObject(input),
  };
}
