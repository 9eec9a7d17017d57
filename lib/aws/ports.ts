/**
 * Narrow ports: only the AWS calls hako makes. Everything outside lib/aws sees these interfaces, never an SDK
 * client, so unit tests can hand-write fakes and `show-definition` never loads SDK code (types are erased).
 * Inputs and outputs are the SDK's own shapes, re-exported as types only.
 */
import type * as ecs from '@aws-sdk/client-ecs';

export type { ecs };

export interface EcsApi {
  describeServices(input: ecs.DescribeServicesCommandInput): Promise<ecs.DescribeServicesCommandOutput>;
  describeTaskDefinition(input: ecs.DescribeTaskDefinitionCommandInput): Promise<ecs.DescribeTaskDefinitionCommandOutput>;
  listTaskDefinitions(input: ecs.ListTaskDefinitionsCommandInput): Promise<ecs.ListTaskDefinitionsCommandOutput>;
  listTagsForResource(input: ecs.ListTagsForResourceCommandInput): Promise<ecs.ListTagsForResourceCommandOutput>;
  describeTasks(input: ecs.DescribeTasksCommandInput): Promise<ecs.DescribeTasksCommandOutput>;
  listTasks(input: ecs.ListTasksCommandInput): Promise<ecs.ListTasksCommandOutput>;
  describeClusters(input: ecs.DescribeClustersCommandInput): Promise<ecs.DescribeClustersCommandOutput>;
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

/**
 * Every port hako may need, created lazily: a getter builds its SDK client (with a dynamic import) on first use.
 * `region` overrides the default region for services whose resources live elsewhere (SSM parameters by ARN).
 */
export interface AwsClients {
  ecs(): Promise<EcsApi>;
}
