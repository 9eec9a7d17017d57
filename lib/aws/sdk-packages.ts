/**
 * Each port's SDK package and client class, and the commands its methods send (port-methods.ts). factory.ts loads
 * the package when the port is first used. The bundle (scripts/bundle.ts) keeps of each package only `sdkExports`:
 * the client and those commands, with the schemas and code they need. A client's file then holds hako's calls, not
 * the service's whole API (ECS: 53 KB instead of 159 KB), and a deploy loads and compiles that much less.
 */
import type { AwsPorts } from './ports.js';
import { PORT_METHODS } from './port-methods.js';

export interface SdkPackage {
  readonly package: string;
  readonly client: string;
}

export const SDK_PACKAGES: { readonly [K in keyof AwsPorts]: SdkPackage } = {
  ecs: { package: '@aws-sdk/client-ecs', client: 'ECSClient' },
  elbv2: { package: '@aws-sdk/client-elastic-load-balancing-v2', client: 'ElasticLoadBalancingV2Client' },
  elb: { package: '@aws-sdk/client-elastic-load-balancing', client: 'ElasticLoadBalancingClient' },
  route53: { package: '@aws-sdk/client-route-53', client: 'Route53Client' },
  s3: { package: '@aws-sdk/client-s3', client: 'S3Client' },
  logs: { package: '@aws-sdk/client-cloudwatch-logs', client: 'CloudWatchLogsClient' },
  ec2: { package: '@aws-sdk/client-ec2', client: 'EC2Client' },
  ssm: { package: '@aws-sdk/client-ssm', client: 'SSMClient' },
  secretsManager: { package: '@aws-sdk/client-secrets-manager', client: 'SecretsManagerClient' },
  applicationAutoScaling: { package: '@aws-sdk/client-application-auto-scaling', client: 'ApplicationAutoScalingClient' },
  cloudWatch: { package: '@aws-sdk/client-cloudwatch', client: 'CloudWatchClient' },
  codeDeploy: { package: '@aws-sdk/client-codedeploy', client: 'CodeDeployClient' },
  iam: { package: '@aws-sdk/client-iam', client: 'IAMClient' },
  ecr: { package: '@aws-sdk/client-ecr', client: 'ECRClient' },
  serviceDiscovery: { package: '@aws-sdk/client-servicediscovery', client: 'ServiceDiscoveryClient' },
};

/** The operation a port method sends: `describeServices` → `DescribeServices` (its command: `DescribeServicesCommand`). */
export function operationOf(method: string): string {
  return method.charAt(0).toUpperCase() + method.slice(1);
}

/** By package: the names hako uses from it, its client class first. */
export function sdkExports(): Map<string, string[]> {
  const exports = new Map<string, string[]>();
  for (const port of Object.keys(SDK_PACKAGES) as (keyof AwsPorts)[]) {
    const { package: name, client } = SDK_PACKAGES[port];
    const names = exports.get(name) ?? [client];
    for (const method of Object.keys(PORT_METHODS[port])) names.push(`${operationOf(method)}Command`);
    exports.set(name, [...new Set(names)]);
  }
  return exports;
}
