/**
 * `scheduler` with `type: kubernetes`: where the app runs (kubeconfig, context, namespace) and the few settings
 * that have no place in the shared app model (replicas, the Service, the rollout deadline, pod metadata).
 * Validated like every other part of a definition: issues carry `scheduler.<key>` paths, unknown keys warn.
 *
 * This module is zod only: normalisation imports it (through ../builtins.ts) for every definition, so it
 * must stay free of the scheduler's code and of the Kubernetes client.
 */
import * as z from 'zod';
import { ecsSchedulerSchema } from '../../definition/schema/scheduler-ecs.js';

const opt = <T extends z.ZodType>(schema: T) => schema.nullish();

/** RFC 1123 label: what Kubernetes requires of namespaces, container names, volume names, Deployment names here. */
export const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1035 label: Service names (a label that starts with a letter). */
export const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** A label key (`prefix/name`) or value, as the API server checks them; checked up front so deploy fails early. */
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const LABEL_PREFIX = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
function validQualifiedName(key: string): boolean {
  const slash = key.lastIndexOf('/');
  const [prefix, name] = slash < 0 ? [undefined, key] : [key.slice(0, slash), key.slice(slash + 1)];
  if (prefix !== undefined && (prefix.length > 253 || !LABEL_PREFIX.test(prefix))) return false;
  return name.length <= 63 && LABEL_NAME.test(name);
}

/**
 * ECS settings have no meaning here. Someone moving a definition from `ecs` to `kubernetes` should hear which of
 * theirs no longer does anything, as an error naming the key rather than an "unknown key" warning.
 */
const ECS_HINTS: Readonly<Record<string, string>> = {
  cpu: 'set cpu and memory on the containers (they become resource requests and limits)',
  memory: 'set cpu and memory on the containers (they become resource requests and limits)',
  elb: 'expose the pods with scheduler.service',
  elb_v2: 'expose the pods with scheduler.service (and an Ingress made elsewhere)',
  load_balancers: 'expose the pods with scheduler.service',
  autoscaling: 'scale with a HorizontalPodAutoscaler made elsewhere',
  service_discovery: 'the Service (scheduler.service) has a cluster DNS name',
  deployment_configuration: 'set progress_deadline_seconds; the rollout strategy is the Deployment default',
};

function ecsOnly(key: string) {
  const hint = ECS_HINTS[key];
  return z
    .unknown()
    .refine((value) => value === undefined || value === null, {
      message: `an ECS setting, not used by the kubernetes scheduler${hint === undefined ? '' : `: ${hint}`}`,
      abort: true,
    })
    .optional();
}

/**
 * The schemas, built on first use: every deploy loads this module with the scheduler registry, and zod takes a few
 * milliseconds to build them, which only a kubernetes definition (or the JSON Schema) needs.
 */
function buildSchemas() {
  const dnsLabel = z
    .string()
    .max(63, 'at most 63 characters')
    .regex(DNS_LABEL, 'expected a DNS label: lowercase letters, digits and "-", starting and ending with a letter or digit');

  const labelKey = z.string().refine(validQualifiedName, { message: 'expected a label key: [prefix/]name, name at most 63 characters of letters, digits, "-", "_", "."' });
  const labelValue = z
    .string()
    .refine((v) => v === '' || (v.length <= 63 && LABEL_NAME.test(v)), { message: 'expected a label value: at most 63 letters, digits, "-", "_", "."' });

  const servicePortSchema = z.looseObject({
    port: z.number().int().min(1).max(65535).describe('Port the Service listens on'),
    target_port: opt(z.number().int().min(1).max(65535)).describe('Container port traffic goes to (default: port); must be in some port_mappings'),
    protocol: opt(z.enum(['tcp', 'udp', 'TCP', 'UDP'])).describe('tcp (default) or udp'),
    name: opt(dnsLabel).describe('Port name (required by Kubernetes when there are several ports; default "<protocol>-<port>")'),
    node_port: opt(z.number().int().min(1).max(65535)).describe('Fixed node port for NodePort and LoadBalancer Services'),
  });

  const serviceSchema = z.looseObject({
    type: opt(z.enum(['ClusterIP', 'NodePort', 'LoadBalancer'])).describe('Service type (default ClusterIP)'),
    ports: z.array(servicePortSchema).min(1),
  });

  /** The keys users set besides `type` (which normalisation keeps apart); the JSON Schema describes these. */
  const kubernetesShape = {
    namespace: dnsLabel.describe('Namespace of everything hako makes for the app (it must exist)'),
    context: opt(z.string().min(1)).describe("kubeconfig context (default: the kubeconfig's current context)"),
    kubeconfig: opt(z.string().min(1)).describe('kubeconfig file, relative to the definition (default: $KUBECONFIG, else ~/.kube/config)'),
    desired_count: opt(z.number().int().min(0)).describe('Number of pods (Deployment replicas); required by deploy'),
    service: opt(serviceSchema).describe('A Service in front of the pods (selecting them by the hako.io/app label)'),
    progress_deadline_seconds: opt(z.number().int().min(1))
      .describe('Seconds a rollout may make no progress before it is failed and rolled back (Kubernetes default 600)'),
    labels: opt(z.record(labelKey, labelValue)).describe('Extra labels on the Deployment, Service, Jobs and their pods'),
    pod_annotations: opt(z.record(labelKey, z.string())).describe('Annotations on the pods of the Deployment and of oneshot Jobs'),
    service_account_name: opt(dnsLabel).describe("ServiceAccount the pods run as (default: the namespace's default)"),
  };

  const ecsOnlyKeys = Object.keys(ecsSchedulerSchema.shape).filter((key) => key !== 'type' && !(key in kubernetesShape));

  const scheduler = z
    .looseObject({ ...kubernetesShape, ...Object.fromEntries(ecsOnlyKeys.map((key) => [key, ecsOnly(key)])) })
    .describe('Where and how the application runs on Kubernetes');

  const jsonShape = z
    .looseObject({ type: z.literal('kubernetes'), ...kubernetesShape })
    .describe('Where and how the application runs on Kubernetes');
  return { scheduler, jsonShape };
}

let built: ReturnType<typeof buildSchemas> | undefined;
const schemas = (): ReturnType<typeof buildSchemas> => (built ??= buildSchemas());

export const kubernetesSchedulerSchema = z.lazy(() => schemas().scheduler);

/** What the JSON Schema shows for `type: kubernetes` (without the ECS keys that are only there to be refused). */
export const kubernetesSchedulerJsonShape = z.lazy(() => schemas().jsonShape);

export type KubernetesSchedulerInput = z.output<typeof kubernetesSchedulerSchema>;

export interface ServicePortConfig {
  readonly port: number;
  readonly targetPort: number;
  readonly protocol: 'TCP' | 'UDP';
  readonly name?: string;
  readonly nodePort?: number;
}

/** The config as the scheduler uses it: nulls gone, defaults applied, names in one spelling. */
export interface KubernetesConfig {
  readonly namespace: string;
  readonly context?: string;
  readonly kubeconfig?: string;
  readonly desiredCount?: number;
  readonly service?: { readonly type: 'ClusterIP' | 'NodePort' | 'LoadBalancer'; readonly ports: readonly ServicePortConfig[] };
  readonly progressDeadlineSeconds?: number;
  readonly labels: Readonly<Record<string, string>>;
  readonly podAnnotations: Readonly<Record<string, string>>;
  readonly serviceAccountName?: string;
}

const some = <T>(v: T | null | undefined): T | undefined => (v === null ? undefined : v);

/** Parses the (already validated) `scheduler` object into the scheduler's config. */
export function kubernetesConfigOf(raw: unknown): KubernetesConfig {
  const c = kubernetesSchedulerSchema.parse(raw);
  const service = some(c.service);
  return {
    namespace: c.namespace,
    ...(some(c.context) === undefined ? {} : { context: c.context! }),
    ...(some(c.kubeconfig) === undefined ? {} : { kubeconfig: c.kubeconfig! }),
    ...(some(c.desired_count) === undefined ? {} : { desiredCount: c.desired_count! }),
    ...(service === undefined
      ? {}
      : {
          service: {
            type: some(service.type) ?? 'ClusterIP',
            ports: service.ports.map((p) => ({
              port: p.port,
              targetPort: some(p.target_port) ?? p.port,
              protocol: (some(p.protocol) ?? 'tcp').toUpperCase() as 'TCP' | 'UDP',
              ...(some(p.name) === undefined ? {} : { name: p.name! }),
              ...(some(p.node_port) === undefined ? {} : { nodePort: p.node_port! }),
            })),
          },
        }),
    ...(some(c.progress_deadline_seconds) === undefined ? {} : { progressDeadlineSeconds: c.progress_deadline_seconds! }),
    labels: { ...(some(c.labels) ?? {}) },
    podAnnotations: { ...(some(c.pod_annotations) ?? {}) },
    ...(some(c.service_account_name) === undefined ? {} : { serviceAccountName: c.service_account_name! }),
  };
}
