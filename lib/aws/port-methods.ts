/**
 * The methods each port binds: what the SDK is actually asked to do, by port. A port method `describeServices`
 * sends `DescribeServicesCommand` (bind-port.ts). Kept apart from the factory that builds clients from them.
 */
import type {
  ApplicationAutoScalingApi,
  AwsPorts,
  CloudWatchApi,
  CodeDeployApi,
  Ec2Api,
  EcrApi,
  EcsApi,
  ElbApi,
  Elbv2Api,
  IamApi,
  LogsApi,
  Route53Api,
  SecretsManagerApi,
  ServiceDiscoveryApi,
  SsmApi,
} from './ports.js';
import type { RawS3Api } from './s3-adapter.js';

export const ECS_METHODS: Record<keyof EcsApi, true> = {
  describeServices: true,
  describeTaskDefinition: true,
  listTaskDefinitions: true,
  listTagsForResource: true,
  describeTasks: true,
  listTasks: true,
  describeClusters: true,
  listServices: true,
  describeContainerInstances: true,
  registerTaskDefinition: true,
  deregisterTaskDefinition: true,
  createService: true,
  updateService: true,
  deleteService: true,
  runTask: true,
  stopTask: true,
};

export const ELBV2_METHODS: Record<keyof Elbv2Api, true> = {
  describeLoadBalancers: true,
  describeTargetGroups: true,
  describeListeners: true,
  describeRules: true,
  describeTags: true,
  describeLoadBalancerAttributes: true,
  describeTargetGroupAttributes: true,
  createLoadBalancer: true,
  deleteLoadBalancer: true,
  createTargetGroup: true,
  deleteTargetGroup: true,
  modifyTargetGroup: true,
  createListener: true,
  modifyListener: true,
  deleteListener: true,
  createRule: true,
  modifyRule: true,
  deleteRule: true,
  setRulePriorities: true,
  addTags: true,
  removeTags: true,
  modifyLoadBalancerAttributes: true,
  modifyTargetGroupAttributes: true,
  setSubnets: true,
  setSecurityGroups: true,
};

export const ELB_METHODS: Record<keyof ElbApi, true> = {
  describeLoadBalancers: true,
  describeTags: true,
  describeLoadBalancerAttributes: true,
  createLoadBalancer: true,
  deleteLoadBalancer: true,
  modifyLoadBalancerAttributes: true,
};

export const ROUTE53_METHODS: Record<keyof Route53Api, true> = {
  listHostedZonesByName: true,
  getHostedZone: true,
  listResourceRecordSets: true,
  getChange: true,
  changeResourceRecordSets: true,
};

export const S3_METHODS: Record<keyof RawS3Api, true> = { getObject: true, headObject: true, putObject: true };
export const LOGS_METHODS: Record<keyof LogsApi, true> = {
  describeLogGroups: true,
  getLogEvents: true,
  createLogGroup: true,
  putRetentionPolicy: true,
};
export const IAM_METHODS: Record<keyof IamApi, true> = { getRole: true };
export const ECR_METHODS: Record<keyof EcrApi, true> = { describeImages: true };
export const EC2_METHODS: Record<keyof Ec2Api, true> = {
  describeSubnets: true,
  describeSecurityGroups: true,
  describeVpcs: true,
  describeInstances: true,
};
export const SSM_METHODS: Record<keyof SsmApi, true> = { getParameters: true };
export const SECRETS_MANAGER_METHODS: Record<keyof SecretsManagerApi, true> = { getSecretValue: true };
export const APPLICATION_AUTO_SCALING_METHODS: Record<keyof ApplicationAutoScalingApi, true> = {
  describeScalableTargets: true,
  describeScalingPolicies: true,
  registerScalableTarget: true,
  putScalingPolicy: true,
};
export const CLOUD_WATCH_METHODS: Record<keyof CloudWatchApi, true> = { describeAlarms: true, putMetricAlarm: true };
export const CODE_DEPLOY_METHODS: Record<keyof CodeDeployApi, true> = {
  listApplications: true,
  listDeploymentGroups: true,
  getDeploymentGroup: true,
  listDeployments: true,
  getDeployment: true,
  getDeploymentTarget: true,
  createDeployment: true,
  stopDeployment: true,
  updateDeploymentGroup: true,
};
export const SERVICE_DISCOVERY_METHODS: Record<keyof ServiceDiscoveryApi, true> = {
  getNamespace: true,
  listServices: true,
  getService: true,
  getOperation: true,
  listInstances: true,
  createService: true,
  updateService: true,
  deleteService: true,
};

/**
 * The methods each port binds, by port: what the SDK is actually asked to do. Exported so a test can check that
 * every method that is not a read (Describe*, List*, Get*, Head*) is in the port's `*_MUTATING_METHODS` list.
 */
export const PORT_METHODS: { readonly [K in keyof AwsPorts]: Readonly<Record<string, true>> } = {
  ecs: ECS_METHODS,
  elbv2: ELBV2_METHODS,
  elb: ELB_METHODS,
  route53: ROUTE53_METHODS,
  s3: S3_METHODS,
  logs: LOGS_METHODS,
  ec2: EC2_METHODS,
  ssm: SSM_METHODS,
  secretsManager: SECRETS_MANAGER_METHODS,
  applicationAutoScaling: APPLICATION_AUTO_SCALING_METHODS,
  cloudWatch: CLOUD_WATCH_METHODS,
  serviceDiscovery: SERVICE_DISCOVERY_METHODS,
  codeDeploy: CODE_DEPLOY_METHODS,
  iam: IAM_METHODS,
  ecr: ECR_METHODS,
};
