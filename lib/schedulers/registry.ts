/**
 * Built-in schedulers, registered exactly like plugins: `scheduler.type` names one of these or a module path /
 * package exporting the same registration (loaded by lib/plugin-loader.ts). Importing this loads no AWS SDK or
 * Kubernetes client code (each scheduler builds its clients lazily).
 */
import { ecsScheduler } from './ecs/index.js';
import { kubernetesScheduler } from './kubernetes/index.js';
import type { SchedulerPlugin } from './scheduler.js';

export function builtinSchedulers(): SchedulerPlugin[] {
  return [ecsScheduler as unknown as SchedulerPlugin, kubernetesScheduler];
}
