/**
 * The `alb` script: an application or network load balancer in front of the service (also what
 * `scheduler.elb_v2` becomes). It may share the load balancer with other apps: ownership lives in AWS tags
 * (lib/scripts/ownership.ts), so any machine running hako sees the same truth.
 */
import type { Elbv2Api } from '../../aws/ports.js';
import type { AppModel } from '../../definition/model.js';
import { warn } from '../../io/io-host.js';
import type { Step } from '../../plan/plan.js';
import type { Sleep } from '../../util/sleep.js';
import type { ApplyContext, Script, ScriptContext, ScriptPlugin, StepOutcome } from '../script.js';
import { applyAlbStep } from './apply.js';
import { configSchema, resolveSettings, type AlbConfig, type AlbSettings } from './config.js';
import { contributeAlb, scriptPath } from './contribute.js';
import { describeAllListeners, findLoadBalancer, observeAlb } from './observe.js';
import { planAlbDeploy } from './plan.js';
import { planAlbRemove } from './plan-remove.js';
import { isAlbTargetGone, reconcileAlbStep } from './reconcile.js';
import { ALB_STEP_OWNER, type AlbStep } from './steps.js';

export { configSchema, defaultResourceName, resolveSettings } from './config.js';
export type { AlbConfig, AlbSettings } from './config.js';
export { ALB_STEP_OWNER } from './steps.js';
export type { AlbPayloads, AlbStep, AlbStepKind } from './steps.js';

export interface AlbScriptOptions {
  /** Waits between DeleteTargetGroup retries; default the apply context's. Tests pass virtual time. */
  readonly sleep?: Sleep;
  readonly deleteTargetGroupAttempts?: number;
}

/** Builds the script instance; `albScript.create` is this with real time. */
export function createAlbScript(config: AlbConfig, context: ScriptContext, options: AlbScriptOptions = {}): Script {
  const settingsFor = (model: AppModel): AlbSettings =>
    resolveSettings(config, context.appId, model.scheduler.network_mode);
  const elbv2 = (): Promise<Elbv2Api> => context.aws().elbv2();
  const report = (warnings: readonly string[]): void => {
    for (const w of warnings) warn(context.io, 'alb.plan.warning', w);
  };

  return {
    contribute: (model) => contributeAlb(settingsFor(model), model),

    /**
     * The load balancer, not only the listeners this app routes on: apps behind one load balancer create it when it
     * is missing, reconcile its attributes, subnets and security groups, and `remove` deletes it once no app uses
     * it — all of which two apps must not do at once, whatever their ports. Held until the app's steps are
     * applied (not through its rollout), so apps sharing it wait for each other's plan and apply only.
     */
    locks(model) {
      const settings = settingsFor(model);
      const region = model.scheduler.region ?? 'default-region';
      return [
        { name: `elbv2:load-balancer:${region}/${settings.loadBalancerName}` },
        { name: `elbv2:target-group:${region}/${settings.targetGroupName}` },
      ];
    },

    async plan(model, { forOneshot }): Promise<Step[]> {
      // A oneshot task is not registered with the target group: it needs nothing from the load balancer.
      if (forOneshot) return [];
      const settings = settingsFor(model);
      const observed = await observeAlb(await elbv2(), {
        loadBalancerName: settings.loadBalancerName,
        targetGroupName: settings.targetGroupName,
        loadBalancerAttributes: settings.loadBalancerAttributes !== undefined,
        targetGroupAttributes: settings.targetGroupAttributes !== undefined,
      });
      const plan = planAlbDeploy({
        settings,
        observed,
        containerNames: model.containers.map((c) => c.name),
        path: scriptPath(model, settings),
        file: model.file,
      });
      report(plan.warnings);
      return plan.steps;
    },

    /** Deletes what this app owns; copies of a name (see duplicates.ts) are all deleted, not refused. */
    async planRemove(model): Promise<Step[]> {
      const settings = settingsFor(model);
      const observed = await observeAlb(await elbv2(), {
        loadBalancerName: settings.loadBalancerName,
        targetGroupName: settings.targetGroupName,
      });
      const plan = planAlbRemove(settings, observed);
      report(plan.warnings);
      return plan.steps;
    },

    async apply(step: Step, applyContext: ApplyContext): Promise<StepOutcome | void> {
      if (step.owner !== ALB_STEP_OWNER) return;
      const outcome = await applyAlbStep(step as AlbStep, {
        api: await applyContext.aws().elbv2(),
        io: applyContext.io,
        sleep: options.sleep ?? applyContext.sleep,
        ...(options.deleteTargetGroupAttempts === undefined ? {} : { deleteTargetGroupAttempts: options.deleteTargetGroupAttempts }),
      });
      return outcome;
    },

    async reconcile(step: Step, applyContext: ApplyContext): Promise<StepOutcome | undefined> {
      if (step.owner !== ALB_STEP_OWNER) return undefined;
      return reconcileAlbStep(step as AlbStep, await applyContext.aws().elbv2(), applyContext.io);
    },

    isGone: (step, error) => step.owner === ALB_STEP_OWNER && isAlbTargetGone(step as AlbStep, error),

    async status(model): Promise<string[]> {
      const settings = settingsFor(model);
      const api = await elbv2();
      const lb = await findLoadBalancer(api, settings.loadBalancerName);
      if (lb?.LoadBalancerArn === undefined) return [];
      const listeners = await describeAllListeners(api, lb.LoadBalancerArn);
      // On a shared load balancer, show the ports this app routes on; hako's given-LB case shows them all.
      const ports = new Set([...settings.listeners.map((l) => l.port), ...settings.rules.map((r) => r.listenerPort)]);
      const shown = ports.size === 0 ? listeners : listeners.filter((l) => ports.has(l.Port ?? 0));
      return [
        'Load balancer:',
        ...shown.map((l) => `  ${lb.DNSName ?? ''}:${l.Port ?? ''} -> ${settings.containerName}:${settings.containerPort}`),
      ];
    },
  };
}

/** The built-in `alb` script plugin. */
export const albScript: ScriptPlugin<AlbConfig> = {
  type: 'alb',
  configSchema,
  create: (config, context) => createAlbScript(config, context),
};
