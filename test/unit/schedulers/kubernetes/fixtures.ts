/** Models and configs for the kubernetes scheduler's unit tests. */
import type { AnyAppModel, AppModelData, ContainerModel, PluginSchedulerModel, VolumeModel } from '../../../../lib/definition/model.js';
import { kubernetesConfigOf, type KubernetesConfig } from '../../../../lib/schedulers/kubernetes/config.js';
import { container } from '../../../helpers/model-builders.js';

export function kubeConfig(raw: Record<string, unknown> = {}): KubernetesConfig {
  return kubernetesConfigOf({ namespace: 'prod', desired_count: 2, ...raw });
}

export function kubeModel(parts: { containers?: ContainerModel[]; volumes?: VolumeModel[]; id?: string; scripts?: AppModelData['scripts'] } = {}): AnyAppModel {
  const data: AppModelData<PluginSchedulerModel> = {
    id: parts.id ?? 'web',
    file: '/defs/web.jsonnet',
    root_path: '/defs',
    scheduler: { type: 'kubernetes', config: { namespace: 'prod' } },
    containers: parts.containers ?? [container('app', { image: 'registry.example/web:v1', port_mappings: [{ container_port: 8080, protocol: 'tcp' }] })],
    volumes: parts.volumes ?? [],
    scripts: parts.scripts ?? [],
    load_balancers: [],
  };
  return data;
}

export { container };
