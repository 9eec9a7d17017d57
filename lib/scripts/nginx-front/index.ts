/**
 * The `nginx_front` script: an nginx sidecar named `front` proxies to the app. hako mutated the front container
 * in its hooks; here `contribute` returns the env, link and port mapping, and the configuration upload is a
 * planned step, so `diff` shows the nginx lines that would change and a redeploy with nothing new uploads nothing.
 */
import type { AppModel, ScriptContribution } from '../../definition/model.js';
import { PluginError } from '../../errors.js';
import { info } from '../../io/io-host.js';
import type { Step } from '../../plan/plan.js';
import type { ApplyContext, Script, ScriptContext, ScriptPlugin } from '../script.js';
import { frontConfigKey, nginxFrontConfigSchema, type NginxFrontConfig } from './config.js';
import { renderFrontConfig } from './render.js';

export { frontConfigKey, nginxFrontConfigSchema, type NginxFrontConfig } from './config.js';
export { renderFrontConfig, type FrontConfigInput } from './render.js';

export const NGINX_FRONT_TYPE = 'nginx_front';
/** The sidecar the script configures; hako hard-codes the name. */
export const FRONT_CONTAINER = 'front';

/** Payload of `upload-front-config` and `front-config-unchanged` steps. */
export interface FrontConfigPayload {
  readonly region: string;
  readonly bucket: string;
  readonly key: string;
  readonly body: string;
}

function isAwsvpc(model: AppModel): boolean {
  return model.scheduler.network_mode === 'awsvpc';
}

/** Pure: the front container's env, link to the backend and port 80 mapping (hako's deploy_starting/started). */
export function frontContribution(config: NginxFrontConfig, model: AppModel): ScriptContribution {
  const front = model.containers.find((c) => c.name === FRONT_CONTAINER);
  if (!front) {
    throw new PluginError(NGINX_FRONT_TYPE, `Script nginx_front requires a sidecar container named \`${FRONT_CONTAINER}\``, {
      hint: 'Add a `front` sidecar running an nginx image that downloads its configuration from S3_CONFIG_BUCKET/S3_CONFIG_KEY, or remove the nginx_front script.',
    });
  }
  const awsvpc = isAwsvpc(model);
  if (!awsvpc && !model.containers.some((c) => c.name === config.backend)) {
    throw new PluginError(NGINX_FRONT_TYPE, `Script nginx_front proxies to container \`${config.backend}\`, which is not defined`, {
      hint: 'Set `backend` to the name of the app or a sidecar.',
    });
  }
  return {
    containers: {
      [FRONT_CONTAINER]: {
        env: [
          { name: 'AWS_DEFAULT_REGION', value: config.s3.region },
          { name: 'S3_CONFIG_BUCKET', value: config.s3.bucket },
          { name: 'S3_CONFIG_KEY', value: frontConfigKey(config.s3, model.id) },
        ],
        // awsvpc supports no links: the task's containers share one network namespace and reach each other on localhost.
        ...(awsvpc ? {} : { links: [`${config.backend}:backend`] }),
        // A definition that already maps port 80 on front keeps its own mapping.
        ...(front.port_mappings.some((p) => p.container_port === 80)
          ? {}
          : { port_mappings: [{ container_port: 80, host_port: awsvpc ? 80 : 0, protocol: 'tcp' as const }] }),
      },
    },
  };
}

/** Pure: the server block for this model (backend host `localhost` under awsvpc, else the `backend` link). */
export function frontConfigFor(config: NginxFrontConfig, model: AppModel): string {
  return renderFrontConfig({
    backendHost: isAwsvpc(model) ? 'localhost' : 'backend',
    backendPort: config.backend_port,
    locations: config.locations,
    clientMaxBodySize: config.client_max_body_size,
  });
}

/** Pure: compares the live object (undefined = absent) with the rendered one. */
export function planFrontConfig(payload: FrontConfigPayload, current: string | undefined): Step<FrontConfigPayload> {
  const location = `s3://${payload.bucket}/${payload.key}`;
  const resource = `front configuration ${location}`;
  if (current === payload.body) {
    return {
      owner: NGINX_FRONT_TYPE,
      kind: 'front-config-unchanged',
      action: 'noop',
      resource,
      title: `Front configuration unchanged: ${location}`,
      before: current,
      after: payload.body,
      payload,
    };
  }
  return {
    owner: NGINX_FRONT_TYPE,
    kind: 'upload-front-config',
    action: current === undefined ? 'create' : 'update',
    resource,
    title: `Upload front configuration to ${location}`,
    ...(current === undefined ? {} : { before: current }),
    after: payload.body,
    payload,
  };
}

class NginxFront implements Script {
  constructor(
    private readonly config: NginxFrontConfig,
    private readonly context: ScriptContext,
  ) {}

  contribute(model: AppModel): ScriptContribution {
    return frontContribution(this.config, model);
  }

  async plan(model: AppModel, options: { readonly forOneshot: boolean }): Promise<Step[]> {
    // A oneshot task runs the app alone: no front, nothing to upload (hako has no oneshot hook here either).
    if (options.forOneshot) return [];
    const payload: FrontConfigPayload = {
      region: this.config.s3.region,
      bucket: this.config.s3.bucket,
      key: frontConfigKey(this.config.s3, this.context.appId),
      body: frontConfigFor(this.config, model),
    };
    const s3 = await this.context.aws().s3(payload.region);
    const current = await s3.getObject({ Bucket: payload.bucket, Key: payload.key });
    return [planFrontConfig(payload, current)];
  }

  async apply(step: Step, context: ApplyContext): Promise<void> {
    if (step.owner !== NGINX_FRONT_TYPE) throw new PluginError(NGINX_FRONT_TYPE, `Cannot apply a step owned by ${step.owner}`);
    if (step.kind === 'front-config-unchanged') return;
    if (step.kind !== 'upload-front-config') throw new PluginError(NGINX_FRONT_TYPE, `Unknown step kind ${step.kind}`);
    const p = step.payload as FrontConfigPayload;
    const s3 = await context.aws().s3(p.region);
    await s3.putObject({ Bucket: p.bucket, Key: p.key, Body: p.body, ContentType: 'text/plain' });
    info(context.io, 'nginx-front.uploaded', `Uploaded front configuration to s3://${p.bucket}/${p.key}`, {
      bucket: p.bucket,
      key: p.key,
    });
  }
}

/** The built-in `nginx_front` script registration. */
export const nginxFrontScript: ScriptPlugin<NginxFrontConfig> = {
  type: NGINX_FRONT_TYPE,
  configSchema: nginxFrontConfigSchema,
  create: (config, context) => new NginxFront(config, context),
};
