/**
 * The built-in kubernetes scheduler's registration: the same shape as a third-party scheduler plugin's, resolved
 * through the same registry (../registry.ts). Normalisation validates `scheduler` with `configSchema` (paths
 * `scheduler.<key>`, unknown keys warned) before `create` receives it.
 */
import type { SchedulerPlugin } from '../scheduler.js';
import { kubernetesConfigOf, kubernetesSchedulerSchema } from './config.js';
import { createKubernetesScheduler } from './scheduler.js';

export const kubernetesScheduler: SchedulerPlugin = {
  type: 'kubernetes',
  configSchema: kubernetesSchedulerSchema as unknown as SchedulerPlugin['configSchema'],
  create: (config, context) => createKubernetesScheduler(kubernetesConfigOf(config), context),
};
