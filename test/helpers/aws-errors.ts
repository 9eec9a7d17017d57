/**
 * What the hand-written fakes of our AWS ports share: errors shaped like the SDK's, and the faults a test can put
 * on a mutating call to exercise the executor's rules (lib/plan/failures.ts).
 */

/** An error shaped like the SDK's: `name` is the AWS error code; `httpStatusCode` goes where the SDK puts it. */
export function awsError(name: string, message = name, httpStatusCode?: number): Error {
  const e = Object.assign(new Error(message), httpStatusCode === undefined ? {} : { $metadata: { httpStatusCode } });
  e.name = name;
  return e;
}

/** `lost`: the call takes effect, then its answer is lost (HTTP 500); `refused`: it fails with 500 before acting. */
export type InjectedFault = 'lost' | 'refused';

/** Faults queued per method, taken one per call. */
export class FaultQueue<M extends string> {
  private readonly queued = new Map<M, InjectedFault[]>();

  add(method: M, fault: InjectedFault, times = 1): void {
    this.queued.set(method, [...(this.queued.get(method) ?? []), ...Array<InjectedFault>(times).fill(fault)]);
  }

  /**
   * Runs `act` as `method` under its next fault, if any: refused, `act` never runs; lost, it runs and then the call
   * fails. The error is an internal failure (HTTP 500), which the executor reads as "outcome unknown".
   * `refused` is told of a refused call (a fake that records calls in `act` still records it).
   */
  async run<T>(method: M, label: string, act: () => T | Promise<T>, refused?: () => void): Promise<T> {
    const fault = this.queued.get(method)?.shift();
    if (fault === 'refused') {
      refused?.();
      throw awsError('InternalFailure', `${label}: ${method} answered HTTP 500`, 500);
    }
    const out = await act();
    if (fault === 'lost') throw awsError('InternalFailure', `${label}: ${method} answered HTTP 500 after acting`, 500);
    return out;
  }
}
