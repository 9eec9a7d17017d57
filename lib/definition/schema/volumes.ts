/** `volumes` (reference §3.7): name → host path, Docker volume or EFS volume. */
import * as z from 'zod';
import { builtOnUse, opt, portNumber, stringMap } from './common.js';

export const dockerVolumeConfigurationSchema = builtOnUse(() =>
  z.looseObject({
    autoprovision: opt(z.boolean()),
    driver: opt(z.string().min(1)).describe('Volume driver (default local)'),
    driver_opts: opt(stringMap),
    labels: opt(stringMap),
    scope: opt(z.enum(['task', 'shared'])).describe('task (default) or shared'),
  }),
);

export const efsVolumeConfigurationSchema = builtOnUse(() =>
  z.looseObject({
    file_system_id: z.string().min(1),
    root_directory: opt(z.string()),
    transit_encryption: opt(z.enum(['ENABLED', 'DISABLED'])),
    transit_encryption_port: opt(portNumber),
    authorization_config: opt(
      z.looseObject({ access_point_id: opt(z.string().min(1)), iam: opt(z.enum(['ENABLED', 'DISABLED'])) }),
    ),
  }),
);

export const volumeSchema = builtOnUse(() =>
  z
    .looseObject({
      source_path: opt(z.string().min(1)).describe('Host path; absent = a Docker-managed local volume'),
      docker_volume_configuration: opt(dockerVolumeConfigurationSchema),
      efs_volume_configuration: opt(efsVolumeConfigurationSchema),
    })
    .describe('A task volume; the first of docker_volume_configuration, efs_volume_configuration, source_path wins'),
);

export const volumesSchema = builtOnUse(() =>
  z.record(z.string(), volumeSchema).describe('Task volumes by name (mount_points refer to them)'),
);

export type VolumeInput = z.output<typeof volumeSchema>;
