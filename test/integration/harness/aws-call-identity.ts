/**
 * Names the AWS call an HTTP request makes (service and operation) from the request alone, for every wire
 * protocol the SDK v3 clients hako uses send: JSON 1.0/1.1 (`X-Amz-Target`, including CloudWatch's
 * query-compatible JSON), the query protocols (`Action=` in a form body: ELBv2, IAM, classic ELB, STS, EC2),
 * Smithy RPC v2 (`/service/S/operation/O`, CBOR or JSON), and REST-XML (Route 53, S3: method + path).
 *
 * The service comes from the SigV4 credential scope (`Credential=AKID/date/region/SERVICE/aws4_request`): every
 * signed request names its signing service there, whatever the protocol. Display names follow lib/aws/factory.ts
 * (`ECS`, `ELBv2`, `CloudWatchLogs` …) so that recordings read like hako's own `aws.call` messages.
 */
import { route53Operation, s3Operation } from './aws-rest-operations.js';

/** How a request is encoded on the wire; decides how errors are shaped and how answers are parsed. */
export type AwsProtocol = 'json' | 'query' | 'ec2' | 'rest-xml' | 'rpc-v2-cbor' | 'rpc-v2-json' | 'rest-json';

export interface AwsCallIdentity {
  /** `ECS`, `ELBv2`, `Route53`, `S3`, … (the signing name itself for services this table does not know). */
  readonly service: string;
  /** `DescribeServices`, `ChangeResourceRecordSets`, … or `METHOD /path` when the shape is not recognised. */
  readonly operation: string;
  readonly protocol: AwsProtocol;
  /** SigV4 signing name: `ecs`, `elasticloadbalancing`, `monitoring`, … */
  readonly signingName?: string;
  readonly region?: string;
  /** CloudWatch's JSON protocol keeps the query protocol's error codes in an `x-amzn-query-error` header. */
  readonly queryCompatible: boolean;
  /** Query protocols: the `Version` parameter (AWS puts it in the error document's namespace). */
  readonly apiVersion?: string;
}

/** What identification needs from a request: Node's lower-cased headers and the whole body. */
export interface RawAwsRequest {
  readonly method: string;
  /** Path and query, as in `http.IncomingMessage.url`. */
  readonly url: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: Buffer;
}

const SERVICE_BY_SIGNING_NAME: Readonly<Record<string, string>> = {
  ecs: 'ECS',
  elasticloadbalancing: 'ELBv2',
  route53: 'Route53',
  s3: 'S3',
  logs: 'CloudWatchLogs',
  ec2: 'EC2',
  monitoring: 'CloudWatch',
  iam: 'IAM',
  servicediscovery: 'ServiceDiscovery',
  'application-autoscaling': 'ApplicationAutoScaling',
  codedeploy: 'CodeDeploy',
  secretsmanager: 'SecretsManager',
  ssm: 'SSM',
  ecr: 'ECR',
  sts: 'STS',
  acm: 'ACM',
};

/** For unsigned JSON requests: the service from the target prefix. */
const SERVICE_BY_TARGET_PREFIX: Readonly<Record<string, string>> = {
  AmazonEC2ContainerServiceV20141113: 'ECS',
  Logs_20140328: 'CloudWatchLogs',
  Route53AutoNaming_v20170314: 'ServiceDiscovery',
  AnyScaleFrontendService: 'ApplicationAutoScaling',
  CodeDeploy_20141006: 'CodeDeploy',
  secretsmanager: 'SecretsManager',
  AmazonSSM: 'SSM',
  AmazonEC2ContainerRegistry_V20150921: 'ECR',
  GraniteServiceVersion20100801: 'CloudWatch',
  CertificateManager: 'ACM',
};

/** Classic ELB and ELBv2 share the signing name `elasticloadbalancing`; only the API version tells them apart. */
const CLASSIC_ELB_VERSION = '2012-06-01';

export function header(headers: RawAwsRequest['headers'], name: string): string | undefined {
  const v = headers[name.toLowerCase()];
  return Array.isArray(v) ? v[0] : v;
}

/** Signing name and region from `Authorization: AWS4-HMAC-SHA256 Credential=AKID/20240101/REGION/SERVICE/aws4_request`. */
export function credentialScope(authorization: string | undefined): { signingName: string; region: string } | undefined {
  const m = /Credential=[^/,\s]+\/\d{8}\/([^/]+)\/([^/]+)\/aws4_request/.exec(authorization ?? '');
  return m ? { region: m[1] as string, signingName: m[2] as string } : undefined;
}

export function identifyAwsCall(req: RawAwsRequest): AwsCallIdentity {
  const scope = credentialScope(header(req.headers, 'authorization'));
  const signingName = scope?.signingName;
  const url = new URL(req.url, 'http://proxy.invalid');
  const base = {
    ...(signingName === undefined ? {} : { signingName }),
    ...(scope === undefined ? {} : { region: scope.region }),
    queryCompatible: header(req.headers, 'x-amzn-query-mode') === 'true',
  };
  const serviceFromScope = signingName === undefined ? undefined : (SERVICE_BY_SIGNING_NAME[signingName] ?? signingName);

  const target = header(req.headers, 'x-amz-target');
  if (target !== undefined) {
    const dot = target.lastIndexOf('.');
    const prefix = dot < 0 ? '' : target.slice(0, dot);
    return {
      ...base,
      protocol: 'json',
      service: serviceFromScope ?? SERVICE_BY_TARGET_PREFIX[prefix] ?? (prefix || 'unknown'),
      operation: target.slice(dot + 1),
    };
  }

  // Smithy RPC v2: the path carries both names; `smithy-protocol` says which codec.
  const rpc = /^\/service\/([^/]+)\/operation\/([^/]+)$/.exec(url.pathname);
  const smithyProtocol = header(req.headers, 'smithy-protocol');
  if (rpc !== null && smithyProtocol !== undefined) {
    return {
      ...base,
      protocol: smithyProtocol === 'rpc-v2-cbor' ? 'rpc-v2-cbor' : 'rpc-v2-json',
      service: serviceFromScope ?? (rpc[1] as string),
      operation: decodeURIComponent(rpc[2] as string),
    };
  }

  const params = queryParams(req, url);
  const action = params?.get('Action');
  if (params !== undefined && action) {
    const apiVersion = params.get('Version') ?? undefined;
    const service =
      signingName === 'elasticloadbalancing' && apiVersion === CLASSIC_ELB_VERSION ? 'ELB' : (serviceFromScope ?? 'unknown');
    return {
      ...base,
      ...(apiVersion === undefined ? {} : { apiVersion }),
      protocol: signingName === 'ec2' ? 'ec2' : 'query',
      service,
      operation: action,
    };
  }

  const fallback = `${req.method} ${url.pathname}`;
  if (signingName === 'route53') {
    return { ...base, protocol: 'rest-xml', service: 'Route53', operation: route53Operation(req.method, url) ?? fallback };
  }
  if (signingName === 's3') {
    const copySource = header(req.headers, 'x-amz-copy-source') !== undefined;
    return { ...base, protocol: 'rest-xml', service: 'S3', operation: s3Operation(req.method, url, copySource) ?? fallback };
  }
  return { ...base, protocol: 'rest-json', service: serviceFromScope ?? 'unknown', operation: fallback };
}

/** Query-protocol parameters: the form body of a POST, or the URL's query string of a GET. */
function queryParams(req: RawAwsRequest, url: URL): URLSearchParams | undefined {
  const contentType = header(req.headers, 'content-type') ?? '';
  if (contentType.startsWith('application/x-www-form-urlencoded')) return new URLSearchParams(req.body.toString('utf8'));
  if (req.method === 'GET' && url.searchParams.has('Action')) return url.searchParams;
  return undefined;
}
