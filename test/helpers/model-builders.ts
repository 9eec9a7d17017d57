/**
 * Small AppModel builders for tests that need a model without evaluating a definition: a container with every
 * required field at its default, and an app model (id `nanika`, hako's spec name) around containers.
 */
import type { AppModel, AppModelData, ContainerModel, EcsSchedulerModel, LogConfiguration } from '../../lib/definition/model.js';

export function container(name: string, overrides: Partial<ContainerModel> = {}): ContainerModel {
  return {
    name,
    image: `${name}-image`,
    cpu: 0,
    links: [],
    port_mappings: [],
    essential: true,
    env: [],
    env_providers: [],
    docker_labels: {},
    mount_points: [],
    privileged: false,
    volumes_from: [],
    ...overrides,
  };
}

/** A container logging through awslogs (for the log-group script). */
export function withLogs(log: LogConfiguration | undefined): Partial<ContainerModel> {
  return log ? { log_configuration: log } : {};
}

export interface AppModelOverrides {
  readonly scheduler?: Partial<EcsSchedulerModel>;
  readonly containers?: ContainerModel[];
}

export function appModel(overrides: AppModelOverrides = {}): AppModel {
  const data: AppModelData = {
    id: 'nanika',
    file: '/defs/nanika.jsonnet',
    root_path: '/defs',
    scheduler: {
      type: 'ecs',
      cluster: 'default',
      placement_constraints: [],
      placement_strategy: [],
      dynamic_port_mapping: true,
      tags: {},
      enable_execute_command: false,
      ...overrides.scheduler,
    },
    containers: overrides.containers ?? [container('app'), container('front')],
    volumes: [],
    scripts: [],
    load_balancers: [],
  };
  return data;
}
