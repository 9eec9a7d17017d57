/**
 * Operation names for the REST-XML services, from method + path (+ query), as the SDK models route them.
 * Route 53 and S3 are the two REST services hako talks to; anything not listed here is reported by the caller as
 * `METHOD /path`, which a test can still match on.
 */

const R53_PREFIX = '/2013-04-01';

/** Route 53 routes (API 2013-04-01) hako and its tests use, plus their neighbours. `undefined` when unknown. */
export function route53Operation(method: string, url: URL): string | undefined {
  if (!url.pathname.startsWith(`${R53_PREFIX}/`)) return undefined;
  // The SDK writes some paths with a trailing slash (`/rrset/`); the route is the same.
  const parts = url.pathname.slice(R53_PREFIX.length + 1).replace(/\/$/, '').split('/');
  const [resource, id, sub] = parts;
  const m = method.toUpperCase();
  switch (resource) {
    case 'hostedzone':
      if (id === undefined) return m === 'POST' ? 'CreateHostedZone' : m === 'GET' ? 'ListHostedZones' : undefined;
      if (sub === undefined) {
        return ({ GET: 'GetHostedZone', DELETE: 'DeleteHostedZone', POST: 'UpdateHostedZoneComment' } as Record<string, string>)[m];
      }
      if (sub === 'rrset') return m === 'POST' ? 'ChangeResourceRecordSets' : m === 'GET' ? 'ListResourceRecordSets' : undefined;
      if (sub === 'associatevpc') return 'AssociateVPCWithHostedZone';
      if (sub === 'disassociatevpc') return 'DisassociateVPCFromHostedZone';
      if (sub === 'dnssec') return 'GetDNSSEC';
      return undefined;
    case 'hostedzonesbyname':
      return 'ListHostedZonesByName';
    case 'hostedzonesbyvpc':
      return 'ListHostedZonesByVPC';
    case 'hostedzonecount':
      return 'GetHostedZoneCount';
    case 'change':
      return 'GetChange';
    case 'tags':
      return m === 'POST' ? 'ChangeTagsForResource' : 'ListTagsForResource';
    case 'healthcheck':
      if (id === undefined) return m === 'POST' ? 'CreateHealthCheck' : 'ListHealthChecks';
      return ({ GET: 'GetHealthCheck', DELETE: 'DeleteHealthCheck', POST: 'UpdateHealthCheck' } as Record<string, string>)[m];
    default:
      return undefined;
  }
}

/** Bucket sub-resources (`?tagging`): the noun of their Get/Put/Delete operations. */
const BUCKET_SUBRESOURCES: Readonly<Record<string, string>> = {
  tagging: 'BucketTagging',
  policy: 'BucketPolicy',
  versioning: 'BucketVersioning',
  acl: 'BucketAcl',
  cors: 'BucketCors',
  lifecycle: 'BucketLifecycleConfiguration',
  encryption: 'BucketEncryption',
  website: 'BucketWebsite',
  notification: 'BucketNotificationConfiguration',
  publicAccessBlock: 'PublicAccessBlock',
  ownershipControls: 'BucketOwnershipControls',
  'object-lock': 'ObjectLockConfiguration',
};

const VERB: Readonly<Record<string, string>> = { GET: 'Get', PUT: 'Put', DELETE: 'Delete' };

/**
 * S3 operation, path-style (`/bucket/key`; the test clients force path-style addressing). The SDK names most
 * object operations itself in `?x-id=GetObject`; the rest is routed by method, sub-resource and key.
 */
export function s3Operation(method: string, url: URL, copySource: boolean): string | undefined {
  const xId = url.searchParams.get('x-id');
  if (xId) return xId;
  const m = method.toUpperCase();
  const q = url.searchParams;
  const [bucket, ...keyParts] = url.pathname.split('/').slice(1);
  const key = keyParts.join('/');
  if (!bucket) return m === 'GET' ? 'ListBuckets' : undefined;

  if (key === '') {
    if (m === 'POST' && q.has('delete')) return 'DeleteObjects';
    if (m === 'GET' && q.has('location')) return 'GetBucketLocation';
    if (m === 'GET' && q.has('uploads')) return 'ListMultipartUploads';
    if (m === 'GET' && q.has('versions')) return 'ListObjectVersions';
    for (const [sub, noun] of Object.entries(BUCKET_SUBRESOURCES)) {
      if (q.has(sub) && VERB[m] !== undefined) return `${VERB[m]}${noun}`;
    }
    if (m === 'GET') return q.get('list-type') === '2' ? 'ListObjectsV2' : 'ListObjects';
    return ({ PUT: 'CreateBucket', DELETE: 'DeleteBucket', HEAD: 'HeadBucket' } as Record<string, string>)[m];
  }

  if (q.has('uploadId')) {
    if (m === 'PUT') return copySource ? 'UploadPartCopy' : 'UploadPart';
    return ({ POST: 'CompleteMultipartUpload', DELETE: 'AbortMultipartUpload', GET: 'ListParts' } as Record<string, string>)[m];
  }
  if (m === 'POST' && q.has('uploads')) return 'CreateMultipartUpload';
  if (q.has('tagging') && VERB[m] !== undefined) return `${VERB[m]}ObjectTagging`;
  if (q.has('acl') && (m === 'GET' || m === 'PUT')) return `${VERB[m]}ObjectAcl`;
  if (m === 'PUT') return copySource ? 'CopyObject' : 'PutObject';
  return ({ GET: 'GetObject', HEAD: 'HeadObject', DELETE: 'DeleteObject' } as Record<string, string>)[m];
}
