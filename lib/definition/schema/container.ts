/** Container fields (reference §3.8), shared by `app` and every sidecar, plus `env` with its `$providers`. */
import * as z from 'zod';
import { builtOnUse, ignored, markOpen, nonNegativeInt, opt, portNumber, positiveInt, stringList, stringMap } from './common.js';

/** A `$providers` entry: `type` names the provider; the other keys are the provider's own options. */
export const providerConfigSchema = markOpen(
  z
    .looseObject({ type: z.string().min(1).describe('Env provider type: file, yaml, env, ssm, secrets_manager or a plugin') })
    .describe('Env provider used to resolve #{NAME} references in env values'),
);

/**
 * `env`: names to string values. `$providers` is the one non-string key. hako failed at deploy time on a
 * non-string value (`PORT must be a String but got Integer: 3000`); we fail at load time with the path.
 */
export const envSchema = z
  .object({
    $providers: opt(z.array(providerConfigSchema)).describe('Providers answering #{NAME} references, asked in order'),
  })
  .catchall(
    z
      .string()
      .refine((v) => !v.includes('#{}'), { message: 'empty interpolation #{} is not allowed' }),
  )
  .describe('Environment variables (values must be strings). #{NAME} is resolved through $providers');

const nameValueFrom = z.object({
  name: z.string().min(1),
  value_from: z.string().min(1).describe('ARN of an SSM parameter or a Secrets Manager secret'),
});

export const portMappingSchema = z.looseObject({
  container_port: portNumber.describe('Port the container listens on'),
  host_port: opt(portNumber).describe('Host port; 0 = dynamic (bridge). Under awsvpc it must equal container_port'),
  protocol: opt(z.enum(['tcp', 'udp', 'TCP', 'UDP'])).describe('tcp (default) or udp'),
});

export const mountPointSchema = builtOnUse(() =>
  z.looseObject({
    source_volume: z.string().min(1).describe('Name of a volume in `volumes`'),
    container_path: z.string().min(1),
    read_only: opt(z.boolean()),
  }),
);

export const dependsOnSchema = builtOnUse(() =>
  z.looseObject({
    container_name: z.string().min(1).describe('Container that must reach `condition` first'),
    condition: z.enum(['START', 'COMPLETE', 'SUCCESS', 'HEALTHY']),
  }),
);

export const volumeFromSchema = builtOnUse(() =>
  z.looseObject({
    source_container: z.string().min(1),
    read_only: opt(z.boolean()),
  }),
);

export const linuxParametersSchema = builtOnUse(() =>
  z.looseObject({
    capabilities: opt(z.looseObject({ add: opt(stringList), drop: opt(stringList) })),
    devices: opt(
      z.array(
        z.looseObject({
          host_path: z.string().min(1),
          container_path: opt(z.string()),
          permissions: opt(z.array(z.enum(['read', 'write', 'mknod']))),
        }),
      ),
    ),
    init_process_enabled: opt(z.boolean()),
    shared_memory_size: opt(positiveInt),
    tmpfs: opt(
      z.array(z.looseObject({ container_path: z.string().min(1), mount_options: opt(stringList), size: positiveInt })),
    ),
  }),
);

export const logConfigurationSchema = z.looseObject({
  log_driver: z.string().min(1).describe('awslogs, fluentd, json-file, awsfirelens, …'),
  options: opt(stringMap),
  secret_options: opt(z.array(nameValueFrom)),
});

export const healthCheckSchema = z.looseObject({
  command: z.array(z.string()).min(1).describe('["CMD-SHELL", "curl -f http://localhost/ || exit 1"]'),
  interval: opt(z.number().int().min(5).max(300)).describe('Seconds between checks (default 30)'),
  timeout: opt(z.number().int().min(2).max(60)).describe('Seconds before a check fails (default 5)'),
  retries: opt(z.number().int().min(1).max(10)).describe('Failures before unhealthy (default 3)'),
  start_period: opt(z.number().int().min(0).max(300)),
});

/** Fields every container has, whatever its role. */
const containerFields = {
  cpu: opt(nonNegativeInt).describe('CPU units reserved for the container (default 0)'),
  memory: opt(positiveInt).describe('Hard memory limit in MiB'),
  memory_reservation: opt(positiveInt).describe('Soft memory limit in MiB'),
  links: opt(stringList).describe('Containers to link: "name" or "name:alias" (bridge network mode)'),
  port_mappings: opt(z.array(portMappingSchema)),
  essential: opt(z.boolean()).describe('Stop the task when this container stops (default true)'),
  env: opt(envSchema),
  secrets: opt(z.array(nameValueFrom)).describe('Environment variables read from SSM / Secrets Manager'),
  docker_labels: opt(stringMap),
  mount_points: opt(z.array(mountPointSchema)),
  entry_point: opt(stringList),
  command: opt(stringList),
  user: opt(z.string()),
  working_directory: opt(z.string()),
  privileged: opt(z.boolean()),
  linux_parameters: opt(linuxParametersSchema),
  depends_on: opt(z.array(dependsOnSchema)),
  volumes_from: opt(z.array(volumeFromSchema)),
  log_configuration: opt(logConfigurationSchema),
  health_check: opt(healthCheckSchema),
  ulimits: opt(builtOnUse(() => z.array(z.looseObject({ name: z.string().min(1), soft_limit: z.number().int(), hard_limit: z.number().int() })))),
  extra_hosts: opt(builtOnUse(() => z.array(z.looseObject({ hostname: z.string().min(1), ip_address: z.string().min(1) })))),
  readonly_root_filesystem: opt(z.boolean()),
  docker_security_options: opt(stringList),
  system_controls: opt(builtOnUse(() => z.array(z.looseObject({ namespace: z.string().min(1), value: z.string() })))),
  repository_credentials: opt(builtOnUse(() => z.looseObject({ credentials_parameter: z.string().min(1) }))),
  resource_requirements: opt(builtOnUse(() => z.array(z.looseObject({ type: z.string().min(1), value: z.string().min(1) })))),
  firelens_configuration: opt(builtOnUse(() => z.looseObject({ type: z.string().min(1), options: opt(stringMap) }))),
  type: ignored('hako fixtures label containers with a type such as "nginx"'),
};

export const appContainerSchema = z
  .looseObject({
    image: z.string().min(1).describe('Image repository; the tag comes from `tag` or --tag (default latest)'),
    tag: opt(z.string().min(1)).describe('Image tag; --tag overrides it'),
    image_tag: ignored('hako never used app.image_tag'),
    ...containerFields,
  })
  .describe('The application container');

export const sidecarContainerSchema = z
  .looseObject({
    image_tag: opt(z.string().min(1)).describe('Full image reference, e.g. redis:7 (hako spelling)'),
    image: opt(z.string().min(1)).describe('Image repository, used when image_tag is absent'),
    tag: opt(z.string().min(1)).describe('Tag appended to `image`'),
    ...containerFields,
  })
  .describe('A sidecar container');

export type AppContainerInput = z.output<typeof appContainerSchema>;
export type SidecarContainerInput = z.output<typeof sidecarContainerSchema>;
export type ContainerInput = AppContainerInput | SidecarContainerInput;
