/**
 * A CODE_DEPLOY app, its live service and the ports around it, for the CodeDeploy part's unit tests: a model bound
 * to one target group, a service that runs revision 1 of exactly that model, and a scheduler over fakes.
 */
import type { AwsPorts, ecs } from '../../../../lib/aws/ports.js';
import { awsClientsFromPorts } from '../../../../lib/aws/static-clients.js';
import type { AppModel, CodeDeployConfig, EcsSchedulerModel } from '../../../../lib/definition/model.js';
import type { IoHost } from '../../../../lib/io/io-host.js';
import { Execution, type JournalEntry } from '../../../../lib/plan/executor.js';
import type { Step } from '../../../../lib/plan/plan.js';
import { createEcsScheduler } from '../../../../lib/schedulers/ecs/scheduler.js';
import { buildTaskDefinition } from '../../../../lib/schedulers/ecs/task-definition.js';
import type { Scheduler } from '../../../../lib/schedulers/scheduler.js';
import { createVirtualTime, type VirtualTime } from '../../../../lib/util/sleep.js';
import { TEST_RUN_ID } from '../../../helpers/apply-context.js';
import { FakeCodeDeploy } from '../../../helpers/fake-codedeploy.js';
import { FakeEcs, service, taskDefArn } from '../../../helpers/fake-ecs.js';
import { appModel, container } from '../../../helpers/model-builders.js';

export const REV1 = taskDefArn('nanika', 1);
export const REV2 = taskDefArn('nanika', 2);
export const TG_BLUE = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/nanika-blue/0123456789abcdef';
export const TG_GREEN = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/nanika-green/fedcba9876543210';
export const SERVICE_ARN = 'arn:aws:ecs:ap-northeast-1:123456789012:service/default/nanika';

export function cdModel(scheduler: Partial<EcsSchedulerModel> = {}, codedeploy: Partial<CodeDeployConfig> = {}, image = 'app-image'): AppModel {
  return appModel({
    scheduler: {
      desired_count: 2,
      deployment_controller: { type: 'CODE_DEPLOY' },
      codedeploy: { wait: 'succeeded', appspec_format: 'yaml', ...codedeploy },
      load_balancers: [{ target_group_name: 'nanika-blue', target_group_arn: TG_BLUE, container_name: 'app', container_port: 80 }],
      health_check_grace_period_seconds: 0,
      ...scheduler,
    },
    containers: [container('app', { image, port_mappings: [{ container_port: 80, protocol: 'tcp' }] })],
  });
}

/** The service as ECS describes it after running `REV1`, bound as `cdModel` binds it. */
export function cdService(overrides: Partial<ecs.Service> = {}): ecs.Service {
  return service({
    serviceName: 'nanika',
    serviceArn: SERVICE_ARN,
    desiredCount: 2,
    runningCount: 2,
    taskDefinition: REV1,
    deploymentController: { type: 'CODE_DEPLOY' },
    healthCheckGracePeriodSeconds: 0,
    loadBalancers: [{ targetGroupArn: TG_GREEN, containerName: 'app', containerPort: 80 }],
    ...overrides,
  });
}

/** Revision 1 as ECS describes it: exactly what `cdModel()` registers. */
export function liveRevision(model: AppModel = cdModel(), arn = REV1): ecs.TaskDefinition {
  return { ...buildTaskDefinition(model, { family: 'nanika' }), taskDefinitionArn: arn, revision: 1, status: 'ACTIVE' } as ecs.TaskDefinition;
}

/** An ECS fake whose service and latest revision are as given (answered again and again). */
export function ecsWith(live: ecs.Service | undefined, revision: ecs.TaskDefinition | undefined = liveRevision()): FakeEcs {
  return new FakeEcs()
    .fallback('describeServices', { services: live === undefined ? [] : [live] })
    .fallback('describeTaskDefinition', revision === undefined ? new Error('unused') : { taskDefinition: revision, tags: [] });
}

/** A deployment group that deploys `nanika` in `default`, blue/green between the two target groups. */
export function groupWith(codeDeploy: FakeCodeDeploy, application = 'nanika-app', group = 'nanika-dg', overrides: Record<string, unknown> = {}): FakeCodeDeploy {
  return codeDeploy.addGroup(application, group, {
    ecsServices: [{ clusterName: 'default', serviceName: 'nanika' }],
    deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
    loadBalancerInfo: { targetGroupPairInfoList: [{ targetGroups: [{ name: 'nanika-blue' }, { name: 'nanika-green' }] }] },
    blueGreenDeploymentConfiguration: {
      deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
      terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: 60 },
    },
    ...overrides,
  });
}

export interface Harness {
  readonly scheduler: Scheduler;
  readonly time: VirtualTime;
  apply(steps: readonly Step[]): Promise<readonly JournalEntry[]>;
}

/** The ECS scheduler over the fakes, on virtual time, and a way to apply its steps through the executor. */
export function harness(ports: Partial<AwsPorts>, io: IoHost, options: { dryRun?: boolean } = {}): Harness {
  const time = createVirtualTime();
  const aws = () => awsClientsFromPorts(ports);
  const scheduler = createEcsScheduler({
    appId: 'nanika',
    rootPath: '/defs',
    file: '/defs/nanika.jsonnet',
    aws,
    io,
    dryRun: options.dryRun ?? false,
    clock: time.clock,
    sleep: time.sleep,
    runId: TEST_RUN_ID,
  });
  return {
    scheduler,
    time,
    async apply(steps) {
      const execution = new Execution({
        context: { io, aws, sleep: time.sleep, clock: time.clock, runId: TEST_RUN_ID },
        applierFor: () => scheduler,
        backoff: { initialMs: 1, maxMs: 1 },
      });
      await execution.run(steps);
      return execution.journal;
    },
  };
}
