/**
 * Narrow ports: only the AWS calls hako makes. Everything outside lib/aws sees these interfaces, never an SDK
 * client, so unit tests can hand-write fakes and `show-definition` never loads SDK code (types are erased).
 * Inputs and outputs are the SDK's own shapes, re-exported as types only.
 *
 * Each port lists its mutating methods in a `*_MUTATING_METHODS` constant. Keep those lists exact: dry-run tests
 * use fakes that fail on any of them, and `readOnlyAwsClients` (read-only.ts) refuses them at run time.
 */
import type * as ecs from '@aws-sdk/client-ecs';
import type * as elb from '@aws-sdk/client-elastic-load-balancing';
import type * as elbv2 from '@aws-sdk/client-elastic-load-balancing-v2';
import type * as route53 from '@aws-sdk/client-route-53';
import type * as s3 from '@aws-sdk/client-s3';
import type * as logs from '@aws-sdk/client-cloudwatch-logs';
import type * as ssm from '@aws-sdk/client-ssm';
import type * as secretsManager from '@aws-sdk/client-secrets-manager';
import type * as ec2 from '@aws-sdk/client-ec2';
import type * as serviceDiscovery from '@aws-sdk/client-servicediscovery';
import type * as appAutoScaling from '@aws-sdk/client-application-auto-scaling';
import type * as cloudWatch from '@aws-sdk/client-cloudwatch';
import type * as codeDeploy from '@aws-sdk/client-codedeploy';
import type * as iam from '@aws-sdk/client-iam';
import type * as ecr from '@aws-sdk/client-ecr';

export type { ecs, elb, elbv2, route53, s3, logs, ssm, secretsManager, ec2, serviceDiscovery };
export type { appAutoScaling, cloudWatch, codeDeploy, iam, ecr };

export interface EcsApi {
  describeServices(input: ecs.DescribeServicesCommandInput): Promise<ecs.DescribeServicesCommandOutput>;
  describeTaskDefinition(input: ecs.DescribeTaskDefinitionCommandInput): Promise<ecs.DescribeTaskDefinitionCommandOutput>;
  listTaskDefinitions(input: ecs.ListTaskDefinitionsCommandInput): Promise<ecs.ListTaskDefinitionsCommandOutput>;
  listTagsForResource(input: ecs.ListTagsForResourceCommandInput): Promise<ecs.ListTagsForResourceCommandOutput>;
  describeTasks(input: ecs.DescribeTasksCommandInput): Promise<ecs.DescribeTasksCommandOutput>;
  listTasks(input: ecs.ListTasksCommandInput): Promise<ecs.ListTasksCommandOutput>;
  describeClusters(input: ecs.DescribeClustersCommandInput): Promise<ecs.DescribeClustersCommandOutput>;
  /** Front host-port allocation scans the cluster's services (hako §4.2). */
  listServices(input: ecs.ListServicesCommandInput): Promise<ecs.ListServicesCommandOutput>;
  /** Oneshot reports the container instance a task ran on (hako §4.9). */
  describeContainerInstances(
    input: ecs.DescribeContainerInstancesCommandInput,
  ): Promise<ecs.DescribeContainerInstancesCommandOutput>;
  // Mutating calls. Keep this list exact: dry-run tests use a fake that fails on any of these.
  registerTaskDefinition(input: ecs.RegisterTaskDefinitionCommandInput): Promise<ecs.RegisterTaskDefinitionCommandOutput>;
  deregisterTaskDefinition(input: ecs.DeregisterTaskDefinitionCommandInput): Promise<ecs.DeregisterTaskDefinitionCommandOutput>;
  createService(input: ecs.CreateServiceCommandInput): Promise<ecs.CreateServiceCommandOutput>;
  updateService(input: ecs.UpdateServiceCommandInput): Promise<ecs.UpdateServiceCommandOutput>;
  deleteService(input: ecs.DeleteServiceCommandInput): Promise<ecs.DeleteServiceCommandOutput>;
  runTask(input: ecs.RunTaskCommandInput): Promise<ecs.RunTaskCommandOutput>;
  stopTask(input: ecs.StopTaskCommandInput): Promise<ecs.StopTaskCommandOutput>;
}

export const ECS_MUTATING_METHODS = [
  'registerTaskDefinition',
  'deregisterTaskDefinition',
  'createService',
  'updateService',
  'deleteService',
  'runTask',
  'stopTask',
] as const satisfies readonly (keyof EcsApi)[];

export interface Elbv2Api {
  describeLoadBalancers(input: elbv2.DescribeLoadBalancersCommandInput): Promise<elbv2.DescribeLoadBalancersCommandOutput>;
  describeTargetGroups(input: elbv2.DescribeTargetGroupsCommandInput): Promise<elbv2.DescribeTargetGroupsCommandOutput>;
  describeListeners(input: elbv2.DescribeListenersCommandInput): Promise<elbv2.DescribeListenersCommandOutput>;
  describeRules(input: elbv2.DescribeRulesCommandInput): Promise<elbv2.DescribeRulesCommandOutput>;
  describeTags(input: elbv2.DescribeTagsCommandInput): Promise<elbv2.DescribeTagsCommandOutput>;
  describeLoadBalancerAttributes(
    input: elbv2.DescribeLoadBalancerAttributesCommandInput,
  ): Promise<elbv2.DescribeLoadBalancerAttributesCommandOutput>;
  describeTargetGroupAttributes(
    input: elbv2.DescribeTargetGroupAttributesCommandInput,
  ): Promise<elbv2.DescribeTargetGroupAttributesCommandOutput>;
  // Mutating calls.
  createLoadBalancer(input: elbv2.CreateLoadBalancerCommandInput): Promise<elbv2.CreateLoadBalancerCommandOutput>;
  deleteLoadBalancer(input: elbv2.DeleteLoadBalancerCommandInput): Promise<elbv2.DeleteLoadBalancerCommandOutput>;
  createTargetGroup(input: elbv2.CreateTargetGroupCommandInput): Promise<elbv2.CreateTargetGroupCommandOutput>;
  deleteTargetGroup(input: elbv2.DeleteTargetGroupCommandInput): Promise<elbv2.DeleteTargetGroupCommandOutput>;
  modifyTargetGroup(input: elbv2.ModifyTargetGroupCommandInput): Promise<elbv2.ModifyTargetGroupCommandOutput>;
  createListener(input: elbv2.CreateListenerCommandInput): Promise<elbv2.CreateListenerCommandOutput>;
  modifyListener(input: elbv2.ModifyListenerCommandInput): Promise<elbv2.ModifyListenerCommandOutput>;
  deleteListener(input: elbv2.DeleteListenerCommandInput): Promise<elbv2.DeleteListenerCommandOutput>;
  createRule(input: elbv2.CreateRuleCommandInput): Promise<elbv2.CreateRuleCommandOutput>;
  modifyRule(input: elbv2.ModifyRuleCommandInput): Promise<elbv2.ModifyRuleCommandOutput>;
  deleteRule(input: elbv2.DeleteRuleCommandInput): Promise<elbv2.DeleteRuleCommandOutput>;
  setRulePriorities(input: elbv2.SetRulePrioritiesCommandInput): Promise<elbv2.SetRulePrioritiesCommandOutput>;
  addTags(input: elbv2.AddTagsCommandInput): Promise<elbv2.AddTagsCommandOutput>;
  removeTags(input: elbv2.RemoveTagsCommandInput): Promise<elbv2.RemoveTagsCommandOutput>;
  modifyLoadBalancerAttributes(
    input: elbv2.ModifyLoadBalancerAttributesCommandInput,
  ): Promise<elbv2.ModifyLoadBalancerAttributesCommandOutput>;
  modifyTargetGroupAttributes(
    input: elbv2.ModifyTargetGroupAttributesCommandInput,
  ): Promise<elbv2.ModifyTargetGroupAttributesCommandOutput>;
  setSubnets(input: elbv2.SetSubnetsCommandInput): Promise<elbv2.SetSubnetsCommandOutput>;
  setSecurityGroups(input: elbv2.SetSecurityGroupsCommandInput): Promise<elbv2.SetSecurityGroupsCommandOutput>;
}

export const ELBV2_MUTATING_METHODS = [
  'createLoadBalancer',
  'deleteLoadBalancer',
  'createTargetGroup',
  'deleteTargetGroup',
  'modifyTargetGroup',
  'createListener',
  'modifyListener',
  'deleteListener',
  'createRule',
  'modifyRule',
  'deleteRule',
  'setRulePriorities',
  'addTags',
  'removeTags',
  'modifyLoadBalancerAttributes',
  'modifyTargetGroupAttributes',
  'setSubnets',
  'setSecurityGroups',
] as const satisfies readonly (keyof Elbv2Api)[];

/**
 * Classic Load Balancing, for `scheduler.elb` (hako §3.3, §4.13). Classic load balancers are named, not ARN'd:
 * every call takes the name.
 */
export interface ElbApi {
  describeLoadBalancers(input: elb.DescribeLoadBalancersCommandInput): Promise<elb.DescribeLoadBalancersCommandOutput>;
  describeTags(input: elb.DescribeTagsCommandInput): Promise<elb.DescribeTagsCommandOutput>;
  describeLoadBalancerAttributes(
    input: elb.DescribeLoadBalancerAttributesCommandInput,
  ): Promise<elb.DescribeLoadBalancerAttributesCommandOutput>;
  // Mutating calls.
  createLoadBalancer(input: elb.CreateLoadBalancerCommandInput): Promise<elb.CreateLoadBalancerCommandOutput>;
  deleteLoadBalancer(input: elb.DeleteLoadBalancerCommandInput): Promise<elb.DeleteLoadBalancerCommandOutput>;
  modifyLoadBalancerAttributes(
    input: elb.ModifyLoadBalancerAttributesCommandInput,
  ): Promise<elb.ModifyLoadBalancerAttributesCommandOutput>;
}

export const ELB_MUTATING_METHODS = [
  'createLoadBalancer',
  'deleteLoadBalancer',
  'modifyLoadBalancerAttributes',
] as const satisfies readonly (keyof ElbApi)[];

export interface Route53Api {
  listHostedZonesByName(input: route53.ListHostedZonesByNameCommandInput): Promise<route53.ListHostedZonesByNameCommandOutput>;
  getHostedZone(input: route53.GetHostedZoneCommandInput): Promise<route53.GetHostedZoneCommandOutput>;
  listResourceRecordSets(input: route53.ListResourceRecordSetsCommandInput): Promise<route53.ListResourceRecordSetsCommandOutput>;
  getChange(input: route53.GetChangeCommandInput): Promise<route53.GetChangeCommandOutput>;
  // Mutating calls.
  changeResourceRecordSets(
    input: route53.ChangeResourceRecordSetsCommandInput,
  ): Promise<route53.ChangeResourceRecordSetsCommandOutput>;
}

export const ROUTE53_MUTATING_METHODS = ['changeResourceRecordSets'] as const satisfies readonly (keyof Route53Api)[];

/** S3 is adapted rather than passed through: callers want text and "absent", not streams and 404 exceptions. */
export interface S3Api {
  /** The object's body as UTF-8 text, or `undefined` when the key (or bucket) does not exist. */
  getObject(input: s3.GetObjectCommandInput): Promise<string | undefined>;
  /** The object's metadata, or `undefined` when it does not exist. */
  headObject(input: s3.HeadObjectCommandInput): Promise<s3.HeadObjectCommandOutput | undefined>;
  // Mutating calls.
  putObject(input: s3.PutObjectCommandInput): Promise<s3.PutObjectCommandOutput>;
}

export const S3_MUTATING_METHODS = ['putObject'] as const satisfies readonly (keyof S3Api)[];

export interface LogsApi {
  describeLogGroups(input: logs.DescribeLogGroupsCommandInput): Promise<logs.DescribeLogGroupsCommandOutput>;
  /** Oneshot follows its containers' awslogs streams; failed deploys show the tail of stopped tasks' streams. */
  getLogEvents(input: logs.GetLogEventsCommandInput): Promise<logs.GetLogEventsCommandOutput>;
  // Mutating calls.
  createLogGroup(input: logs.CreateLogGroupCommandInput): Promise<logs.CreateLogGroupCommandOutput>;
  putRetentionPolicy(input: logs.PutRetentionPolicyCommandInput): Promise<logs.PutRetentionPolicyCommandOutput>;
}

export const LOGS_MUTATING_METHODS = ['createLogGroup', 'putRetentionPolicy'] as const satisfies readonly (keyof LogsApi)[];

export interface SsmApi {
  getParameters(input: ssm.GetParametersCommandInput): Promise<ssm.GetParametersCommandOutput>;
}

export const SSM_MUTATING_METHODS = [] as const satisfies readonly (keyof SsmApi)[];

export interface SecretsManagerApi {
  getSecretValue(input: secretsManager.GetSecretValueCommandInput): Promise<secretsManager.GetSecretValueCommandOutput>;
}

export const SECRETS_MANAGER_MUTATING_METHODS = [] as const satisfies readonly (keyof SecretsManagerApi)[];

export interface Ec2Api {
  describeSubnets(input: ec2.DescribeSubnetsCommandInput): Promise<ec2.DescribeSubnetsCommandOutput>;
  describeSecurityGroups(input: ec2.DescribeSecurityGroupsCommandInput): Promise<ec2.DescribeSecurityGroupsCommandOutput>;
  describeVpcs(input: ec2.DescribeVpcsCommandInput): Promise<ec2.DescribeVpcsCommandOutput>;
  /** Status names the instances tasks run on by their `Name` tag (hako §4.10). */
  describeInstances(input: ec2.DescribeInstancesCommandInput): Promise<ec2.DescribeInstancesCommandOutput>;
}

export const EC2_MUTATING_METHODS = [] as const satisfies readonly (keyof Ec2Api)[];

/** Cloud Map, for `scheduler.service_discovery` (hako §4.16, §4.11). */
export interface ServiceDiscoveryApi {
  getNamespace(input: serviceDiscovery.GetNamespaceCommandInput): Promise<serviceDiscovery.GetNamespaceCommandOutput>;
  listServices(input: serviceDiscovery.ListServicesCommandInput): Promise<serviceDiscovery.ListServicesCommandOutput>;
  getService(input: serviceDiscovery.GetServiceCommandInput): Promise<serviceDiscovery.GetServiceCommandOutput>;
  getOperation(input: serviceDiscovery.GetOperationCommandInput): Promise<serviceDiscovery.GetOperationCommandOutput>;
  /** Status shows each registry's instance count (hako §4.10). */
  listInstances(input: serviceDiscovery.ListInstancesCommandInput): Promise<serviceDiscovery.ListInstancesCommandOutput>;
  // Mutating calls.
  createService(input: serviceDiscovery.CreateServiceCommandInput): Promise<serviceDiscovery.CreateServiceCommandOutput>;
  updateService(input: serviceDiscovery.UpdateServiceCommandInput): Promise<serviceDiscovery.UpdateServiceCommandOutput>;
  deleteService(input: serviceDiscovery.DeleteServiceCommandInput): Promise<serviceDiscovery.DeleteServiceCommandOutput>;
}

export const SERVICE_DISCOVERY_MUTATING_METHODS = [
  'createService',
  'updateService',
  'deleteService',
] as const satisfies readonly (keyof ServiceDiscoveryApi)[];

/** Application Auto Scaling for the ECS service's desired count (hako §4.15). */
export interface ApplicationAutoScalingApi {
  describeScalableTargets(
    input: appAutoScaling.DescribeScalableTargetsCommandInput,
  ): Promise<appAutoScaling.DescribeScalableTargetsCommandOutput>;
  describeScalingPolicies(
    input: appAutoScaling.DescribeScalingPoliciesCommandInput,
  ): Promise<appAutoScaling.DescribeScalingPoliciesCommandOutput>;
  // Mutating calls.
  registerScalableTarget(
    input: appAutoScaling.RegisterScalableTargetCommandInput,
  ): Promise<appAutoScaling.RegisterScalableTargetCommandOutput>;
  putScalingPolicy(input: appAutoScaling.PutScalingPolicyCommandInput): Promise<appAutoScaling.PutScalingPolicyCommandOutput>;
}

export const APPLICATION_AUTO_SCALING_MUTATING_METHODS = [
  'registerScalableTarget',
  'putScalingPolicy',
] as const satisfies readonly (keyof ApplicationAutoScalingApi)[];

/** CloudWatch alarms that trigger StepScaling policies. */
export interface CloudWatchApi {
  describeAlarms(input: cloudWatch.DescribeAlarmsCommandInput): Promise<cloudWatch.DescribeAlarmsCommandOutput>;
  // Mutating calls.
  putMetricAlarm(input: cloudWatch.PutMetricAlarmCommandInput): Promise<cloudWatch.PutMetricAlarmCommandOutput>;
}

export const CLOUD_WATCH_MUTATING_METHODS = ['putMetricAlarm'] as const satisfies readonly (keyof CloudWatchApi)[];

/** IAM, read only: `hako verify` checks that the task and execution roles exist and trust ECS tasks. */
export interface IamApi {
  getRole(input: iam.GetRoleCommandInput): Promise<iam.GetRoleCommandOutput>;
}

export const IAM_MUTATING_METHODS = [] as const satisfies readonly (keyof IamApi)[];

/** ECR, read only: `hako verify` checks that the images' tags exist. */
export interface EcrApi {
  describeImages(input: ecr.DescribeImagesCommandInput): Promise<ecr.DescribeImagesCommandOutput>;
}

export const ECR_MUTATING_METHODS = [] as const satisfies readonly (keyof EcrApi)[];

/**
 * CodeDeploy, for ECS services whose deployment controller is CODE_DEPLOY (blue/green). Deployment groups are read
 * one by one (GetDeploymentGroup): BatchGetDeploymentGroups would save calls, but not every endpoint has it.
 */
export interface CodeDeployApi {
  listApplications(input: codeDeploy.ListApplicationsCommandInput): Promise<codeDeploy.ListApplicationsCommandOutput>;
  listDeploymentGroups(input: codeDeploy.ListDeploymentGroupsCommandInput): Promise<codeDeploy.ListDeploymentGroupsCommandOutput>;
  getDeploymentGroup(input: codeDeploy.GetDeploymentGroupCommandInput): Promise<codeDeploy.GetDeploymentGroupCommandOutput>;
  listDeployments(input: codeDeploy.ListDeploymentsCommandInput): Promise<codeDeploy.ListDeploymentsCommandOutput>;
  getDeployment(input: codeDeploy.GetDeploymentCommandInput): Promise<codeDeploy.GetDeploymentCommandOutput>;
  /** A deployment's lifecycle events and task sets' traffic, for progress (target id `<cluster>:<service>`). */
  getDeploymentTarget(input: codeDeploy.GetDeploymentTargetCommandInput): Promise<codeDeploy.GetDeploymentTargetCommandOutput>;
  // Mutating calls.
  createDeployment(input: codeDeploy.CreateDeploymentCommandInput): Promise<codeDeploy.CreateDeploymentCommandOutput>;
  stopDeployment(input: codeDeploy.StopDeploymentCommandInput): Promise<codeDeploy.StopDeploymentCommandOutput>;
  updateDeploymentGroup(input: codeDeploy.UpdateDeploymentGroupCommandInput): Promise<codeDeploy.UpdateDeploymentGroupCommandOutput>;
}

export const CODE_DEPLOY_MUTATING_METHODS = [
  'createDeployment',
  'stopDeployment',
  'updateDeploymentGroup',
] as const satisfies readonly (keyof CodeDeployApi)[];

/**
 * Every port hako may need, created lazily: a getter builds its SDK client (with a dynamic import) on first use,
 * once per (service, region). `region` overrides the default region for resources that live elsewhere (an SSM
 * parameter or a secret referenced by an ARN in another region, an S3 bucket, a log group); omitted, the
 * definition's `scheduler.region` or the SDK's default chain applies. Route 53 is global and takes none.
 */
export interface AwsClients {
  ecs(region?: string): Promise<EcsApi>;
  elbv2(region?: string): Promise<Elbv2Api>;
  /** Classic Load Balancing (`scheduler.elb`). */
  elb(region?: string): Promise<ElbApi>;
  route53(): Promise<Route53Api>;
  s3(region?: string): Promise<S3Api>;
  logs(region?: string): Promise<LogsApi>;
  ec2(region?: string): Promise<Ec2Api>;
  ssm(region?: string): Promise<SsmApi>;
  secretsManager(region?: string): Promise<SecretsManagerApi>;
  serviceDiscovery(region?: string): Promise<ServiceDiscoveryApi>;
  applicationAutoScaling(region?: string): Promise<ApplicationAutoScalingApi>;
  cloudWatch(region?: string): Promise<CloudWatchApi>;
  codeDeploy(region?: string): Promise<CodeDeployApi>;
  /** IAM is global: no region. */
  iam(): Promise<IamApi>;
  ecr(region?: string): Promise<EcrApi>;
}

/** The port type each `AwsClients` getter returns, by getter name. */
export interface AwsPorts {
  ecs: EcsApi;
  elbv2: Elbv2Api;
  elb: ElbApi;
  route53: Route53Api;
  s3: S3Api;
  logs: LogsApi;
  ec2: Ec2Api;
  ssm: SsmApi;
  secretsManager: SecretsManagerApi;
  serviceDiscovery: ServiceDiscoveryApi;
  applicationAutoScaling: ApplicationAutoScalingApi;
  cloudWatch: CloudWatchApi;
  codeDeploy: CodeDeployApi;
  iam: IamApi;
  ecr: EcrApi;
}

/** Mutating method names per port, for guards and dry-run fakes. */
export const MUTATING_METHODS: { readonly [K in keyof AwsPorts]: readonly (keyof AwsPorts[K])[] } = {
  ecs: ECS_MUTATING_METHODS,
  elbv2: ELBV2_MUTATING_METHODS,
  elb: ELB_MUTATING_METHODS,
  route53: ROUTE53_MUTATING_METHODS,
  s3: S3_MUTATING_METHODS,
  logs: LOGS_MUTATING_METHODS,
  ec2: EC2_MUTATING_METHODS,
  ssm: SSM_MUTATING_METHODS,
  secretsManager: SECRETS_MANAGER_MUTATING_METHODS,
  serviceDiscovery: SERVICE_DISCOVERY_MUTATING_METHODS,
  applicationAutoScaling: APPLICATION_AUTO_SCALING_MUTATING_METHODS,
  cloudWatch: CLOUD_WATCH_MUTATING_METHODS,
  codeDeploy: CODE_DEPLOY_MUTATING_METHODS,
  iam: IAM_MUTATING_METHODS,
  ecr: ECR_MUTATING_METHODS,
};

const MUTATING_OPERATIONS = new Set(
  Object.values(MUTATING_METHODS).flatMap((methods) => (methods as readonly string[]).map((m) => m.toLowerCase())),
);

/**
 * Whether an AWS operation name (`CreateListener`, as the per-call debug messages give it) is one of the mutating
 * calls of any port. Benchmarks and tests use it to count writes and to prove no-op runs made none.
 */
export function isMutatingOperation(operation: string): boolean {
  return MUTATING_OPERATIONS.has(operation.toLowerCase());
}
