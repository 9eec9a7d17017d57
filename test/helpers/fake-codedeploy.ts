/**
 * A hand-written fake of our CodeDeployApi port with a little state: applications, deployment groups, and
 * deployments whose status follows a script (each GetDeployment takes the next step; the last one stays). Every
 * call is recorded; `fail(method, error)` makes the next call of a method throw.
 */
import { CODE_DEPLOY_MUTATING_METHODS, type CodeDeployApi, type codeDeploy } from '../../lib/aws/ports.js';

type Method = keyof CodeDeployApi;

export interface FakeDeployment {
  info: codeDeploy.DeploymentInfo;
  /** Remaining steps of the script: partial infos merged in, one per GetDeployment. */
  script: Partial<codeDeploy.DeploymentInfo>[];
  /** What GetDeploymentTarget answers (one per call, the last one stays); absent: the call fails. */
  targets?: codeDeploy.ECSTarget[];
}

export class FakeCodeDeploy implements CodeDeployApi {
  readonly calls: { method: Method; input: unknown }[] = [];
  readonly groups = new Map<string, codeDeploy.DeploymentGroupInfo>();
  readonly applications: string[] = [];
  readonly deployments = new Map<string, FakeDeployment>();
  /** The status script a deployment created through the port gets. */
  nextScript: Partial<codeDeploy.DeploymentInfo>[] = [];
  private readonly failures = new Map<Method, Error[]>();
  private readonly lost = new Set<Method>();
  private counter = 0;

  constructor(private readonly options: { forbidMutations?: boolean } = {}) {}

  addGroup(application: string, deploymentGroup: string, info: Partial<codeDeploy.DeploymentGroupInfo> = {}): this {
    if (!this.applications.includes(application)) this.applications.push(application);
    this.groups.set(`${application}/${deploymentGroup}`, { applicationName: application, deploymentGroupName: deploymentGroup, computePlatform: 'ECS', ...info });
    return this;
  }

  addDeployment(info: codeDeploy.DeploymentInfo, script: Partial<codeDeploy.DeploymentInfo>[] = [], targets?: codeDeploy.ECSTarget[]): this {
    this.deployments.set(info.deploymentId!, { info, script, ...(targets === undefined ? {} : { targets }) });
    return this;
  }

  fail(method: Method, error: Error): this {
    this.failures.set(method, [...(this.failures.get(method) ?? []), error]);
    return this;
  }

  /** The next call of `method` takes effect, but its answer is lost (a 500 the client cannot tell from a failure). */
  loseNextAnswer(method: Method): this {
    this.lost.add(method);
    return this;
  }

  private afterEffect(method: Method): void {
    if (!this.lost.delete(method)) return;
    const e = codeDeployError('InternalFailure', 'the answer was lost') as Error & { $metadata: { httpStatusCode: number } };
    e.$metadata = { httpStatusCode: 500 };
    throw e;
  }

  callsOf<M extends Method>(method: M): Parameters<CodeDeployApi[M]>[0][] {
    return this.calls.filter((c) => c.method === method).map((c) => c.input as Parameters<CodeDeployApi[M]>[0]);
  }

  methods(): Method[] {
    return this.calls.map((c) => c.method);
  }

  mutations(): Method[] {
    return this.methods().filter((m) => (CODE_DEPLOY_MUTATING_METHODS as readonly string[]).includes(m));
  }

  private enter(method: Method, input: unknown): void {
    this.calls.push({ method, input });
    if (this.options.forbidMutations && (CODE_DEPLOY_MUTATING_METHODS as readonly string[]).includes(method)) {
      throw new Error(`FakeCodeDeploy: mutating call ${method} is forbidden in this test`);
    }
    const queued = this.failures.get(method);
    const e = queued?.shift();
    if (e !== undefined) throw e;
  }

  async listApplications(input: codeDeploy.ListApplicationsCommandInput) {
    this.enter('listApplications', input);
    return { $metadata: {}, applications: [...this.applications] };
  }

  async listDeploymentGroups(input: codeDeploy.ListDeploymentGroupsCommandInput) {
    this.enter('listDeploymentGroups', input);
    if (!this.applications.includes(input.applicationName ?? '')) throw codeDeployError('ApplicationDoesNotExistException');
    const names = [...this.groups.values()].filter((g) => g.applicationName === input.applicationName).map((g) => g.deploymentGroupName!);
    // Some endpoints say "no more pages" with an empty token.
    return { $metadata: {}, applicationName: input.applicationName, deploymentGroups: names, nextToken: '' };
  }

  async getDeploymentGroup(input: codeDeploy.GetDeploymentGroupCommandInput) {
    this.enter('getDeploymentGroup', input);
    if (!this.applications.includes(input.applicationName ?? '')) throw codeDeployError('ApplicationDoesNotExistException');
    const info = this.groups.get(`${input.applicationName}/${input.deploymentGroupName}`);
    if (info === undefined) throw codeDeployError('DeploymentGroupDoesNotExistException');
    return { $metadata: {}, deploymentGroupInfo: structuredClone(info) };
  }

  async listDeployments(input: codeDeploy.ListDeploymentsCommandInput) {
    this.enter('listDeployments', input);
    const ids = [...this.deployments.values()]
      .filter((d) => d.info.applicationName === input.applicationName && d.info.deploymentGroupName === input.deploymentGroupName)
      .filter((d) => input.includeOnlyStatuses === undefined || input.includeOnlyStatuses.includes(d.info.status!))
      .map((d) => d.info.deploymentId!);
    return { $metadata: {}, deployments: ids };
  }

  async getDeployment(input: codeDeploy.GetDeploymentCommandInput) {
    this.enter('getDeployment', input);
    const d = this.deployments.get(input.deploymentId ?? '');
    if (d === undefined) throw codeDeployError('DeploymentDoesNotExistException');
    const step = d.script.shift();
    if (step !== undefined) d.info = { ...d.info, ...step };
    return { $metadata: {}, deploymentInfo: structuredClone(d.info) };
  }

  async getDeploymentTarget(input: codeDeploy.GetDeploymentTargetCommandInput) {
    this.enter('getDeploymentTarget', input);
    const d = this.deployments.get(input.deploymentId ?? '');
    if (d?.targets === undefined || d.targets.length === 0) throw codeDeployError('InternalFailure', 'not implemented');
    const target = d.targets.length > 1 ? d.targets.shift()! : d.targets[0]!;
    return { $metadata: {}, deploymentTarget: { deploymentTargetType: 'ECSTarget' as const, ecsTarget: target } };
  }

  async createDeployment(input: codeDeploy.CreateDeploymentCommandInput) {
    this.enter('createDeployment', input);
    const deploymentId = `d-FAKE${++this.counter}`;
    this.addDeployment(
      {
        deploymentId,
        applicationName: input.applicationName,
        deploymentGroupName: input.deploymentGroupName,
        status: 'Created',
        description: input.description,
        revision: input.revision,
        createTime: new Date(Date.UTC(2024, 0, 1, 0, this.counter)),
      },
      this.nextScript.map((s) => ({ ...s })),
    );
    this.afterEffect('createDeployment');
    return { $metadata: {}, deploymentId };
  }

  async stopDeployment(input: codeDeploy.StopDeploymentCommandInput) {
    this.enter('stopDeployment', input);
    return { $metadata: {}, status: 'Pending' as const };
  }

  async updateDeploymentGroup(input: codeDeploy.UpdateDeploymentGroupCommandInput) {
    this.enter('updateDeploymentGroup', input);
    const key = `${input.applicationName}/${input.currentDeploymentGroupName}`;
    const info = this.groups.get(key)!;
    this.groups.set(key, { ...info, ...(input.blueGreenDeploymentConfiguration ? { blueGreenDeploymentConfiguration: input.blueGreenDeploymentConfiguration } : {}) });
    return { $metadata: {}, hooksNotCleanedUp: [] };
  }
}

/** An error shaped like the SDK's: `name` is the AWS error code. */
export function codeDeployError(name: string, message = name): Error {
  const e = new Error(message);
  e.name = name;
  return e;
}
