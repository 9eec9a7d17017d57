/**
 * `hako oneshot` on Kubernetes: the Job (created by the executor from the planned step) runs one pod; this follows
 * it — the `app` container's log as it is written, then its exit code. An app that never gets an exit code (its
 * image cannot be pulled, its config cannot be created) ends the run with 127 instead of waiting forever; Ctrl-C
 * deletes the Job (and with it the pod) and reports 130.
 */
import { AbortedError } from '../../errors.js';
import { debug, info, warn } from '../../io/io-host.js';
import type { KubeObjects, KubeStream } from '../../kube/ports.js';
import type { OneshotRun } from '../scheduler.js';
import { JOB_NAME_LABEL } from './labels.js';
import { nextChange, type WatchContext } from './wait.js';

type Pod = KubeObjects['Pod'];

export const EXIT_NO_EXIT_CODE = 127;
export const EXIT_INTERRUPTED = 130;

/** Waiting reasons after which the container will not start without someone changing something. */
const STUCK = new Set(['ErrImagePull', 'ImagePullBackOff', 'InvalidImageName', 'CreateContainerConfigError', 'CreateContainerError', 'ErrImageNeverPull']);
/** How long the log stream may take to end by itself once the pod has (a kubelet ends it; kwok never does). */
const LOG_DRAIN_MS = 2000;

export interface OneshotJob {
  readonly namespace: string;
  readonly job: string;
}

function appStatus(pod: Pod | undefined) {
  return pod?.status?.containerStatuses?.find((c) => c.name === 'app');
}

/** Where the run stands: the app's exit code once the pod has ended, or why it never will. Pure. */
export function podOutcome(pod: Pod | undefined): { readonly done: false } | { readonly done: true; readonly exitCode?: number; readonly why?: string } {
  const phase = pod?.status?.phase;
  const app = appStatus(pod);
  if (phase === 'Succeeded' || phase === 'Failed') {
    const code = app?.state?.terminated?.exitCode;
    return code === undefined ? { done: true, why: `pod ${phase} without an exit code for app (${pod?.status?.reason ?? pod?.status?.message ?? 'no reason given'})` } : { done: true, exitCode: code };
  }
  const waiting = app?.state?.waiting;
  if (waiting?.reason !== undefined && STUCK.has(waiting.reason)) return { done: true, why: `${waiting.reason}: ${waiting.message ?? ''}`.trim() };
  return { done: false };
}

/** Splits a log stream into lines, each reported once complete. */
function lineWriter(emit: (line: string) => void) {
  let pending = '';
  return {
    write(text: string) {
      pending += text;
      let i: number;
      while ((i = pending.indexOf('\n')) >= 0) {
        emit(pending.slice(0, i));
        pending = pending.slice(i + 1);
      }
    },
    flush() {
      if (pending !== '') emit(pending);
      pending = '';
    },
  };
}

export async function followOneshot(
  ctx: WatchContext,
  target: OneshotJob,
  options: { readonly noWait: boolean; onStarted?(task: { cluster: string; taskArn: string }): Promise<void> },
): Promise<OneshotRun> {
  const { kube, io } = ctx;
  const { namespace, job } = target;
  const base = { cluster: namespace, taskArn: job };
  info(io, 'kubernetes.oneshot.started', `Started Job ${job} in namespace ${namespace}`, target);
  await options.onStarted?.(base);
  if (options.noWait) return { ...base, exitCode: 0, stopped: false, data: { namespace, job } };

  const selector = `${JOB_NAME_LABEL}=${job}`;
  let logs: KubeStream | undefined;
  const out = lineWriter((line) => info(io, 'kubernetes.oneshot.log', line, { job, line }));
  const reported = new Set<string>();
  const once = (key: string, say: () => void) => {
    if (!reported.has(key)) say();
    reported.add(key);
  };
  try {
    for (;;) {
      const list = await kube.list('Pod', namespace, { labelSelector: selector });
      const pod = list.items[0];
      const podName = pod?.metadata?.name;
      if (pod !== undefined && podName !== undefined) {
        once(`pod ${podName}`, () => info(io, 'kubernetes.oneshot.pod', `Pod ${podName}${pod.spec?.nodeName ? ` on node ${pod.spec.nodeName}` : ''}`, { pod: podName }));
        const app = appStatus(pod);
        if (logs === undefined && (app?.state?.running !== undefined || app?.state?.terminated !== undefined)) {
          logs = kube.followPodLog(namespace, podName, { container: 'app', onData: (text) => out.write(text) });
          logs.done.catch((e: unknown) => debug(io, 'kubernetes.oneshot.log-failed', `Following the log of ${podName}: ${(e as Error).message}`));
        }
        const unscheduled = pod.status?.conditions?.find((c) => c.type === 'PodScheduled' && c.status === 'False');
        if (unscheduled?.message !== undefined) once(`unscheduled ${unscheduled.message}`, () => warn(io, 'kubernetes.oneshot.unschedulable', `Pod ${podName} cannot be scheduled yet: ${unscheduled.message}`));
        const outcome = podOutcome(pod);
        if (outcome.done) {
          await drain(ctx, logs);
          out.flush();
          if (outcome.exitCode !== undefined) {
            info(io, 'kubernetes.oneshot.finished', `app has stopped with exit_code=${outcome.exitCode}`, { exitCode: outcome.exitCode });
            return { ...base, exitCode: outcome.exitCode, stopped: false };
          }
          warn(io, 'kubernetes.oneshot.no-exit-code', `app has no exit code: ${outcome.why ?? ''}`);
          // A pod stuck before its start would hold the Job open: it is removed, as ECS stops such a task.
          if (pod.status?.phase !== 'Succeeded' && pod.status?.phase !== 'Failed') await kube.delete('Job', namespace, job, { propagationPolicy: 'Background' });
          return { ...base, exitCode: EXIT_NO_EXIT_CODE, stopped: false };
        }
      } else {
        await reportJobTrouble(ctx, target, once);
      }
      await nextChange(ctx, 'Pod', namespace, { labelSelector: selector }, list.resourceVersion, 30_000);
    }
  } catch (e) {
    logs?.stop();
    if (!(e instanceof AbortedError) || !ctx.signal?.aborted) throw e;
    out.flush();
    warn(io, 'kubernetes.oneshot.stopping', `Deleting Job ${job} (its pod is stopped)`, target);
    await kube.delete('Job', namespace, job, { propagationPolicy: 'Background' });
    return { ...base, exitCode: EXIT_INTERRUPTED, stopped: true };
  }
}

/** Lets the log stream end by itself for a moment, then ends it. */
async function drain(ctx: WatchContext, logs: KubeStream | undefined): Promise<void> {
  if (logs === undefined) return;
  const timer = new AbortController();
  await Promise.race([logs.done.catch(() => undefined), ctx.sleep(LOG_DRAIN_MS, timer.signal).catch(() => undefined)]);
  timer.abort();
  logs.stop();
}

/** A Job without a pod: the controller's FailedCreate events say why (quota, admission), once each. */
async function reportJobTrouble(ctx: WatchContext, target: OneshotJob, once: (key: string, say: () => void) => void): Promise<void> {
  const events = await ctx.kube.list('Event', target.namespace, { fieldSelector: `involvedObject.name=${target.job}` }).catch(() => ({ items: [] }));
  for (const e of events.items) {
    if (e.type === 'Warning') once(`event ${e.reason} ${e.message}`, () => warn(ctx.io, 'kubernetes.oneshot.job-event', `Job ${target.job}: ${e.reason ?? ''}: ${e.message ?? ''}`));
  }
}
