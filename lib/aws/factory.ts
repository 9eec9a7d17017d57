/**
 * The one place SDK clients are built. Each service's SDK package is loaded with a dynamic `import()` the first
 * time a port is asked for, so commands that never call AWS (`show-definition`, `schema`) load no SDK code.
 *
 * Endpoints: nothing here reads `AWS_ENDPOINT_URL`. SDK v3 honours it by itself (`@smithy/core`
 * `getEndpointUrlConfig`): `AWS_ENDPOINT_URL_<SERVICE_ID>` (the service id upper-cased, spaces → `_`, e.g.
 * `AWS_ENDPOINT_URL_ECS`, `AWS_ENDPOINT_URL_ELASTIC_LOAD_BALANCING_V2`, `AWS_ENDPOINT_URL_SECRETS_MANAGER`) wins
 * over `AWS_ENDPOINT_URL`, which wins over `endpoint_url` in the shared config profile. The one thing the SDK
 * cannot guess is S3 addressing: a custom endpoint such as `http://localhost:PORT` needs path-style requests.
 */
import type { IoHost } from '../io/io-host.js';
import { debug } from '../io/io-host.js';
import type {
  AwsClients,
  AwsPorts,
} from './ports.js';
import { bindPort, type CallListener, type SdkClient } from './bind-port.js';
import { addKeepErrorBody } from './keep-error-body.js';
import { RateBudget } from './rate-budget.js';
import { addRateBudget } from './rate-middleware.js';
import { assertProfileExists } from './profiles.js';
import { addRetryNotice } from './retry-notice.js';
import { adaptS3, type RawS3Api } from './s3-adapter.js';
import { SDK_PACKAGES } from './sdk-packages.js';
import {
  ECS_METHODS,
  ELBV2_METHODS,
  ELB_METHODS,
  ROUTE53_METHODS,
  S3_METHODS,
  LOGS_METHODS,
  IAM_METHODS,
  ECR_METHODS,
  EC2_METHODS,
  SSM_METHODS,
  SECRETS_MANAGER_METHODS,
  APPLICATION_AUTO_SCALING_METHODS,
  CLOUD_WATCH_METHODS,
  CODE_DEPLOY_METHODS,
  SERVICE_DISCOVERY_METHODS,
} from './port-methods.js';

export { PORT_METHODS } from './port-methods.js';

export interface AwsClientsOptions {
  /**
   * Default region (the definition's `scheduler.region`, or `--region`); omitted, AWS_REGION, then
   * AWS_DEFAULT_REGION (as the AWS CLI reads it; the SDK alone does not), then the profile's region.
   */
  readonly region?: string;
  /** Shared config profile (`--profile`); omitted, AWS_PROFILE or `default`. */
  readonly profile?: string;
  /** hako's version, sent as `hako/<version>` in the user agent. */
  readonly userAgentVersion: string;
  /** Receives a debug message per AWS call (service and operation only, never parameters), and retry notices. */
  readonly io?: IoHost;
  /** Attempts per call (first try included); tests lower it. */
  readonly maxAttempts?: number;
  /**
   * The run's rate budget per service and region (rate-budget.ts), shared with every other factory of the run;
   * default: one of this factory's own.
   */
  readonly rateBudget?: RateBudget;
}

export { RateBudget } from './rate-budget.js';

const DEFAULT_MAX_ATTEMPTS = 8;

/** AWS_DEFAULT_REGION where the AWS CLI would use it: when AWS_REGION is not set. */
export function regionFromEnvironment(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return env.AWS_REGION ? undefined : env.AWS_DEFAULT_REGION || undefined;
}

/** Client settings every service shares. Adaptive retries ride out the throttling a busy account sees. */
export interface BaseClientConfig {
  region?: string;
  profile?: string;
  retryMode: 'adaptive';
  maxAttempts: number;
  customUserAgent: string;
}

type SdkModule = Readonly<Record<string, unknown>>;
type ClientClass = new (config: Record<string, unknown>) => SdkClient;

interface ServiceSpec<P> {
  /** Display name in errors: `ECS DescribeServices failed: ...`. */
  readonly service: string;
  readonly load: () => Promise<{ module: SdkModule; Client: ClientClass }>;
  readonly methods: Readonly<Record<string, true>>;
  /**
   * Creates that carry no idempotency token: a request the SDK repeats after a lost response (5xx, connection
   * dropped) would create a second revision, listener or rule. They are sent once; the step executor decides what
   * to do about a failure (observe and adopt, then repeat: lib/plan/executor.ts).
   */
  readonly sentOnce?: readonly string[];
  /**
   * Reads that only add detail to a wait's progress: one attempt each, since the next poll asks again and the SDK's
   * retries would only hold the poll up (or, where the endpoint lacks the call, hold up every poll).
   */
  readonly bestEffort?: readonly string[];
  readonly extraConfig?: () => Record<string, unknown>;
  readonly adapt?: (raw: never) => P;
}


// Literal specifiers (not a computed string) so TypeScript checks each package and bundlers can see them; they are
// SDK_PACKAGES's (sdk-packages.ts), which scripts/bundle.ts checks when it keeps of each only what hako uses.
const SPECS: { readonly [K in keyof AwsPorts]: ServiceSpec<AwsPorts[K]> } = {
  ecs: {
    service: 'ECS',
    methods: ECS_METHODS,
    sentOnce: ['registerTaskDefinition'],
    load: async () => sdk(await import('@aws-sdk/client-ecs'), SDK_PACKAGES.ecs.client),
  },
  elbv2: {
    service: 'ELBv2',
    methods: ELBV2_METHODS,
    // AWS answers a repeated CreateLoadBalancer/CreateTargetGroup/CreateListener with the same settings with the
    // existing resource, but not every endpoint does (moto makes another), and CreateRule never does.
    sentOnce: ['createLoadBalancer', 'createTargetGroup', 'createListener', 'createRule'],
    load: async () => sdk(await import('@aws-sdk/client-elastic-load-balancing-v2'), SDK_PACKAGES.elbv2.client),
  },
  elb: {
    service: 'ELB',
    methods: ELB_METHODS,
    // CreateLoadBalancer is not sent once: a classic load balancer's name is unique in the account and region, so a
    // request the SDK repeats after a lost response cannot make a second one — it fails with
    // DuplicateAccessPointName, and the executor then observes and adopts what the first request made.
    load: async () => sdk(await import('@aws-sdk/client-elastic-load-balancing'), SDK_PACKAGES.elb.client),
  },
  route53: {
    service: 'Route53',
    methods: ROUTE53_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-route-53'), SDK_PACKAGES.route53.client),
  },
  s3: {
    service: 'S3',
    methods: S3_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-s3'), SDK_PACKAGES.s3.client),
    // Virtual-hosted addressing puts the bucket in the host name, which a local endpoint cannot resolve.
    extraConfig: () => (customEndpointFor('S3') ? { forcePathStyle: true } : {}),
    adapt: (raw: RawS3Api) => adaptS3(raw),
  },
  logs: {
    service: 'CloudWatchLogs',
    methods: LOGS_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-cloudwatch-logs'), SDK_PACKAGES.logs.client),
  },
  ec2: {
    service: 'EC2',
    methods: EC2_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-ec2'), SDK_PACKAGES.ec2.client),
  },
  ssm: {
    service: 'SSM',
    methods: SSM_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-ssm'), SDK_PACKAGES.ssm.client),
  },
  secretsManager: {
    service: 'SecretsManager',
    methods: SECRETS_MANAGER_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-secrets-manager'), SDK_PACKAGES.secretsManager.client),
  },
  applicationAutoScaling: {
    service: 'ApplicationAutoScaling',
    methods: APPLICATION_AUTO_SCALING_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-application-auto-scaling'), SDK_PACKAGES.applicationAutoScaling.client),
  },
  cloudWatch: {
    service: 'CloudWatch',
    methods: CLOUD_WATCH_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-cloudwatch'), SDK_PACKAGES.cloudWatch.client),
  },
  codeDeploy: {
    service: 'CodeDeploy',
    methods: CODE_DEPLOY_METHODS,
    // CreateDeployment takes no idempotency token: a repeat after a lost answer would start a second deployment
    // (or be refused while the first runs). The executor observes instead (the run id in its description).
    sentOnce: ['createDeployment'],
    bestEffort: ['getDeploymentTarget'],
    load: async () => sdk(await import('@aws-sdk/client-codedeploy'), SDK_PACKAGES.codeDeploy.client),
  },
  iam: {
    service: 'IAM',
    methods: IAM_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-iam'), SDK_PACKAGES.iam.client),
  },
  ecr: {
    service: 'ECR',
    methods: ECR_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-ecr'), SDK_PACKAGES.ecr.client),
  },
  serviceDiscovery: {
    service: 'ServiceDiscovery',
    methods: SERVICE_DISCOVERY_METHODS,
    load: async () => sdk(await import('@aws-sdk/client-servicediscovery'), SDK_PACKAGES.serviceDiscovery.client),
  },
};

function sdk(module: object, clientName: string): { module: SdkModule; Client: ClientClass } {
  const m = module as SdkModule;
  return { module: m, Client: m[clientName] as ClientClass };
}

/** The endpoint URL the SDK will use for `serviceId` from the environment, if any (same precedence as the SDK). */
export function customEndpointFor(serviceId: string, env: NodeJS.ProcessEnv = process.env): string | undefined {
  const specific = env[`AWS_ENDPOINT_URL_${serviceId.toUpperCase().replace(/ /g, '_')}`];
  return specific || env.AWS_ENDPOINT_URL || undefined;
}

/** The configuration every client gets; exported for tests. */
export function baseClientConfig(options: AwsClientsOptions, region?: string): BaseClientConfig {
  const effective = region ?? options.region;
  return {
    ...(effective === undefined ? {} : { region: effective }),
    ...(options.profile === undefined ? {} : { profile: options.profile }),
    retryMode: 'adaptive',
    maxAttempts: options.maxAttempts ?? DEFAULT_MAX_ATTEMPTS,
    customUserAgent: `hako/${options.userAgentVersion}`,
  };
}

/**
 * Builds the lazily created AWS ports for one run. Nothing is loaded or created until a getter is called; each
 * (service, region) pair gets one SDK client, shared by every later call.
 */
export function createAwsClients(given: AwsClientsOptions): AwsClients {
  const options: AwsClientsOptions = { ...given, region: given.region ?? regionFromEnvironment() };
  const profile = options.profile ?? (process.env.AWS_PROFILE || undefined);
  const cache = new Map<string, Promise<unknown>>();
  const io = options.io;
  const budget = options.rateBudget ?? new RateBudget();
  const onCall: CallListener | undefined =
    io === undefined
      ? undefined
      : (service, operation) => debug(io, 'aws.call', `${service} ${operation}`, { service, operation });

  function port<K extends keyof AwsPorts>(key: K, region?: string): Promise<AwsPorts[K]> {
    const cacheKey = `${key}:${region ?? options.region ?? ''}`;
    let pending = cache.get(cacheKey) as Promise<AwsPorts[K]> | undefined;
    if (pending === undefined) {
      pending = build(SPECS[key] as ServiceSpec<AwsPorts[K]>, region);
      cache.set(cacheKey, pending);
      // A failed import must not poison the cache for the rest of the run.
      pending.catch(() => cache.delete(cacheKey));
    }
    return pending;
  }

  async function build<P>(spec: ServiceSpec<P>, region?: string): Promise<P> {
    // The SDK warns on stderr, outside IoHost, that its future releases will need Node 22. That is news for hako's
    // maintainers (package.json `engines`), not for someone deploying; an explicit user setting still wins.
    process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
    if (profile !== undefined) assertProfileExists(profile, options.profile !== undefined ? '--profile' : 'AWS_PROFILE');
    const { module, Client } = await spec.load();
    const config = baseClientConfig(options, region);
    const clientConfig = { ...config, ...spec.extraConfig?.() };
    const withMiddleware = (c: SdkClient, maxAttempts: number): SdkClient => {
      addKeepErrorBody(c as { middlewareStack?: never });
      addRateBudget(c as { middlewareStack?: never }, spec.service, budget);
      if (io !== undefined) addRetryNotice(c as { middlewareStack?: never }, spec.service, io, maxAttempts);
      return c;
    };
    const client = withMiddleware(new Client(clientConfig), config.maxAttempts);
    // Creates without an idempotency token are sent once (see ServiceSpec.sentOnce): the executor decides.
    const sentOnce = new Set([...(spec.sentOnce ?? []), ...(spec.bestEffort ?? [])]);
    // Made on the first such call (bindPort asks at call time): most runs send none, and a client costs its set-up.
    let once: SdkClient | undefined;
    const onceClient = (): SdkClient => (once ??= withMiddleware(new Client({ ...clientConfig, maxAttempts: 1 }), 1));
    const raw = bindPort<Record<string, true>>(
      spec.service,
      (method) => (sentOnce.has(method) ? onceClient() : client),
      module,
      spec.methods,
      onCall,
      { profile },
    );
    return spec.adapt ? spec.adapt(raw as never) : (raw as unknown as P);
  }

  return {
    ecs: (region) => port('ecs', region),
    elbv2: (region) => port('elbv2', region),
    elb: (region) => port('elb', region),
    route53: () => port('route53'),
    s3: (region) => port('s3', region),
    logs: (region) => port('logs', region),
    ec2: (region) => port('ec2', region),
    ssm: (region) => port('ssm', region),
    secretsManager: (region) => port('secretsManager', region),
    applicationAutoScaling: (region) => port('applicationAutoScaling', region),
    cloudWatch: (region) => port('cloudWatch', region),
    serviceDiscovery: (region) => port('serviceDiscovery', region),
    codeDeploy: (region) => port('codeDeploy', region),
    iam: () => port('iam'),
    ecr: (region) => port('ecr', region),
  };
}
