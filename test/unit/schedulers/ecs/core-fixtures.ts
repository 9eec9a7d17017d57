/**
 * Models and live ECS objects for the pure-core tests (task definition, compare, plan). The model mirrors hako's
 * spec/fixtures/jsonnet/ecs.jsonnet after normalisation: cluster eagletmt, desired_count 1, role ECSServiceRole,
 * one `app` container busybox cpu 32 memory 64.
 */
import type { ecs } from '../../../../lib/aws/ports.js';
import { container as baseContainer } from '../../../helpers/model-builders.js';
import type { AppModel, AppModelData, ContainerModel, EcsSchedulerModel } from '../../../../lib/definition/model.js';

export const CLUSTER_ARN = 'arn:aws:ecs:ap-northeast-1:012345678901:cluster/eagletmt';
export const TD_ARN_1 = 'arn:aws:ecs:ap-northeast-1:012345678901:task-definition/ecs:1';

export function container(overrides: Partial<ContainerModel> = {}): ContainerModel {
  return baseContainer(overrides.name ?? 'app', { image: 'busybox:latest', cpu: 32, memory: 64, ...overrides });
}

export function scheduler(overrides: Partial<EcsSchedulerModel> = {}): EcsSchedulerModel {
  return {
    type: 'ecs',
    region: 'ap-northeast-1',
    cluster: 'eagletmt',
    desired_count: 1,
    role: 'ECSServiceRole',
    placement_constraints: [],
    placement_strategy: [],
    dynamic_port_mapping: true,
    tags: {},
    enable_execute_command: false,
    ...overrides,
  };
}

export function ecsModel(overrides: Partial<AppModelData> = {}): AppModel {
  return {
    id: 'ecs',
    file: '/defs/ecs.jsonnet',
    root_path: '/defs',
    scheduler: scheduler(),
    containers: [container()],
    volumes: [],
    scripts: [],
    load_balancers: [],
    ...overrides,
  };
}

/** The task definition ECS reports after registering the ecs.jsonnet model (as real ECS echoes it). */
export function liveTaskDefinition(version: string, overrides: Partial<ecs.ContainerDefinition> = {}): ecs.TaskDefinition {
  return {
    taskDefinitionArn: TD_ARN_1,
    family: 'ecs',
    revision: 1,
    status: 'ACTIVE',
    networkMode: 'bridge',
    volumes: [],
    placementConstraints: [],
    compatibilities: ['EXTERNAL', 'EC2'],
    containerDefinitions: [
      {
        name: 'app',
        image: 'busybox:latest',
        cpu: 32,
        memory: 64,
        links: [],
        portMappings: [],
        essential: true,
        environment: [],
        mountPoints: [],
        volumesFrom: [],
        privileged: false,
        dockerLabels: { 'cc.wanko.hako.version': version },
        systemControls: [],
        ...overrides,
      },
    ],
  };
}

/** The live service of §7.3 case 2: desired 1 running 1, deployment configuration 200/100. */
export function liveService(overrides: Partial<ecs.Service> = {}): ecs.Service {
  return {
    serviceArn: 'arn:aws:ecs:ap-northeast-1:012345678901:service/eagletmt/ecs',
    serviceName: 'ecs',
    clusterArn: CLUSTER_ARN,
    status: 'ACTIVE',
    desiredCount: 1,
    runningCount: 1,
    taskDefinition: TD_ARN_1,
    deploymentConfiguration: {
      maximumPercent: 200,
      minimumHealthyPercent: 100,
      deploymentCircuitBreaker: { enable: false, rollback: false },
    },
    placementConstraints: [],
    placementStrategy: [],
    serviceRegistries: [],
    loadBalancers: [],
    enableExecuteCommand: false,
    schedulingStrategy: 'REPLICA',
    launchType: 'EC2',
    events: [],
    ...overrides,
  };
}
