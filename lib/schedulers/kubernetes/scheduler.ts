/**
 * The built-in kubernetes scheduler: the Scheduler contract (../scheduler.ts) over the pieces of this folder —
 * manifests (model → objects), plan (server-side dry run × live objects), apply, wait (rollout), ops (stop,
 * rollback, remove), oneshot (a Job) and status. It talks to the cluster only through the KubeApi port, built
 * lazily from the kubeconfig on first use and read-only in dry runs.
 */
import path from 'node:path';
import type { AnyAppModel } from '../../definition/model.js';
import { AbortedError, HakoError } from '../../errors.js';
import { warn } from '../../io/io-host.js';
import type { KubeClients } from '../../kube/factory.js';
import type { KubeApi, KubeManifest } from '../../kube/ports.js';
import { readOnlyKubeApi } from '../../kube/read-only.js';
import type { JournalEntry } from '../../plan/executor.js';
import { stepId } from '../../plan/plan.js';
import { HAKO_VERSION } from '../../version.js';
import type {
  DeployPlanOptions,
  OneshotPlanOptions,
  OneshotRun,
  OneshotRunOptions,
  RollbackPlan,
  RolloutOutcome,
  Scheduler,
  SchedulerContext,
  SchedulerStatus,
  StatusSection,
  WaitOptions,
} from '../scheduler.js';
import { applyKubernetesStep, rolloutInJournal } from './apply.js';
import { displayShape } from './compare.js';
import type { KubernetesConfig } from './config.js';
import { describeObject, STEP_OWNER } from './labels.js';
import { jobManifest, oneshotJobName } from './manifests.js';
import { followOneshot } from './oneshot.js';
import { planKubernetesRemove, planKubernetesRollback, planKubernetesStop } from './ops.js';
import { planKubernetesDeploy, requireNamespace } from './plan.js';
import { observeKubernetesStatus, renderKubernetesStatus } from './status.js';
import { applyStep, deleteStep, isKubernetesStep, type DeploymentPayload, type KubernetesStep } from './steps.js';
import { validateKubernetesModel } from './validate.js';
import { waitForRollout, type WatchContext } from './wait.js';

export interface KubernetesSchedulerDeps {
  /** The port to use instead of one built from the kubeconfig (tests). */
  readonly kube?: () => Promise<KubeApi>;
  /** Wall-clock time for `--force`'s restart mark; default `new Date()`. */
  readonly now?: () => Date;
}

export function createKubernetesScheduler(config: KubernetesConfig, context: SchedulerContext, deps: KubernetesSchedulerDeps = {}): Scheduler {
  const { io } = context;
  let clients: Promise<KubeClients> | undefined;
  const base =
    deps.kube ??
    (async () => {
      // Loaded on first use: ECS commands and show-definition never load the factory, let alone the client.
      clients ??= import('../../kube/factory.js').then((m) =>
        m.createKubeClients({
          // Like every path in a definition (env files, plugins), relative to the definition file.
          ...(config.kubeconfig === undefined ? {} : { kubeconfig: path.resolve(context.rootPath, config.kubeconfig) }),
          ...(config.context === undefined ? {} : { context: config.context }),
          userAgentVersion: HAKO_VERSION,
          io,
        }),
      );
      return (await clients).kube();
    });
  const kube = async (): Promise<KubeApi> => {
    const api = await base();
    return context.dryRun ? readOnlyKubeApi(api) : api;
  };
  const watchContext = async (signal: AbortSignal | undefined): Promise<WatchContext> => ({
    kube: await kube(),
    io,
    clock: context.clock,
    sleep: context.sleep,
    ...(signal === undefined ? {} : { signal }),
  });
  const now = deps.now ?? (() => new Date());
  const what = (model: AnyAppModel) => describeObject('Deployment', model.id, config.namespace);

  return {
    runsScripts: false,

    validate: (model: AnyAppModel) => validateKubernetesModel(model, config),

    async planDeploy(model: AnyAppModel, options: DeployPlanOptions): Promise<KubernetesStep[]> {
      return planKubernetesDeploy(await kube(), model, config, { force: options.force, now: () => now().toISOString() });
    },

    async apply(step, ctx) {
      return applyKubernetesStep(await kube(), ctx.io, step);
    },

    async wait(model: AnyAppModel, journal: readonly JournalEntry[], options: WaitOptions): Promise<RolloutOutcome> {
      const found = rolloutInJournal(journal);
      if (found === undefined) return { status: 'none' };
      let result;
      try {
        result = await waitForRollout(await watchContext(options.signal), found.target, options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs });
      } catch (e) {
        if (!(e instanceof AbortedError)) throw e;
        throw new AbortedError(`Interrupted: the rollout of ${what(model)} goes on without hako`, 130, {
          hint: `Watch it with \`hako status ${model.file}\`; undo it with \`hako rollback ${model.file}\`.`,
        });
      }
      if (result.status === 'completed') return { status: 'completed' };
      const failed = { status: result.status, reason: result.reason, taskIds: result.pods } as const;
      // A rollback that fails is reported, not rolled back again.
      if (found.entry.step.kind !== 'apply-deployment') return failed;
      const payload = found.entry.step.payload as DeploymentPayload;
      if (payload.previous === undefined) {
        return {
          ...failed,
          note: `Nothing to roll back to: hako had not deployed ${model.id} to namespace ${config.namespace} before`,
          hint: `Fix the definition and deploy again, or delete it with \`hako remove ${model.file}\`.`,
        };
      }
      const target = `${model.id} revision ${payload.previousRevision ?? '?'}`;
      const rollback: KubernetesStep<'rollback-deployment'> = {
        owner: STEP_OWNER,
        kind: 'rollback-deployment',
        action: 'update',
        resource: found.entry.step.resource,
        title: `Roll ${what(model)} back to what was deployed before (revision ${payload.previousRevision ?? '?'})`,
        payload: { manifest: payload.previous as unknown as KubeManifest<'Deployment'> },
      };
      // The failed template's ReplicaSet leaves the history, so that `hako rollback` never goes back to it. Not when
      // the rollout kept the previous template (a scale-up that failed): that ReplicaSet is what runs.
      const failedSet = result.replicaSet;
      const forget =
        failedSet !== undefined && failedSet.revision !== payload.previousRevision
          ? [{ ...deleteStep('ReplicaSet', failedSet.name, config.namespace), title: `Delete the failed rollout's ReplicaSet ${failedSet.name} (revision ${failedSet.revision})`, dependsOn: [stepId(rollback)] }]
          : [];
      return { ...failed, recovery: [rollback, ...forget], recoveryTarget: target };
    },

    async planRollback(model: AnyAppModel, options: { readonly to?: number }): Promise<RollbackPlan> {
      return planKubernetesRollback(await kube(), model, config, options.to);
    },

    async planStop(model: AnyAppModel) {
      return planKubernetesStop(await kube(), model, config);
    },

    async planRemove(model: AnyAppModel) {
      const { steps, foreign } = await planKubernetesRemove(await kube(), model, config);
      for (const f of foreign) warn(io, 'kubernetes.remove.foreign', `${f} was not made by hako for ${model.id}: left alone`, { object: f });
      return steps;
    },

    async planOneshot(model: AnyAppModel, options: OneshotPlanOptions) {
      const api = await kube();
      await requireNamespace(api, config.namespace);
      // Unique per run, like an ECS task id: concurrent oneshots of one app never collide.
      const name = oneshotJobName(model.id, context.runId.replace(/[^0-9a-f]/g, '').slice(0, 5));
      const manifest = jobManifest(model, config, {
        name,
        command: options.command,
        // `-e NAME` alone passes hako's own value of NAME through, as `docker run -e NAME` does.
        env: options.env.map((e) => ({ name: e.name, value: e.value ?? process.env[e.name] ?? '' })),
        overrides: options.overrides,
      });
      // The server checks the Job as it would create it (admission, quota, schema) before anything runs.
      const dryRun = await api.apply(manifest, { dryRun: true });
      return [applyStep('create-job', 'create', { manifest }, { after: displayShape(dryRun) })];
    },

    async runOneshot(_model: AnyAppModel, journal: readonly JournalEntry[], options: OneshotRunOptions): Promise<OneshotRun> {
      const entry = journal.find((e) => isKubernetesStep(e.step) && e.step.kind === 'create-job');
      const job = (entry?.step.payload as { manifest?: KubeManifest } | undefined)?.manifest?.metadata.name;
      if (job === undefined) throw new HakoError('internal: the oneshot Job was not planned', 'INTERNAL');
      return followOneshot(await watchContext(options.signal), { namespace: config.namespace, job }, {
        noWait: options.noWait,
        ...(options.onStarted === undefined ? {} : { onStarted: options.onStarted }),
      });
    },

    async status(model: AnyAppModel, sections: readonly StatusSection[]): Promise<SchedulerStatus> {
      const report = await observeKubernetesStatus(await kube(), model, config);
      if (report === undefined) return { exists: false, text: `${what(model)} does not exist (or was not made by hako)`, data: null };
      if (sections.length > 0) report.sections = [...sections];
      return { exists: true, text: renderKubernetesStatus(report, sections), data: report };
    },
  };
}
