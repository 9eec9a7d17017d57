import { expect } from 'chai';
import { parse } from 'yaml';
import type { CodeDeployConfig, EcsSchedulerModel } from '../../../../lib/definition/model.js';
import { outputRef } from '../../../../lib/plan/outputs.js';
import {
  desiredAppSpec,
  liveAppSpec,
  renderAppSpec,
  sameAppSpec,
  serviceAppSpec,
  taskDefinitionInAppSpec,
} from '../../../../lib/schedulers/ecs/codedeploy/appspec.js';
import { service, taskDefArn } from '../../../helpers/fake-ecs.js';
import { appModel } from '../../../helpers/model-builders.js';

const REV1 = taskDefArn('nanika', 1);
const REV2 = taskDefArn('nanika', 2);
const BINDING = { containerName: 'front', containerPort: 80 };
const CODEDEPLOY: CodeDeployConfig = { wait: 'succeeded', appspec_format: 'yaml' };

function model(scheduler: Partial<EcsSchedulerModel> = {}) {
  return appModel({ scheduler: { deployment_controller: { type: 'CODE_DEPLOY' }, codedeploy: CODEDEPLOY, ...scheduler } });
}

const fargate: Partial<EcsSchedulerModel> = {
  platform_version: '1.4.0',
  network_configuration: { awsvpc_configuration: { subnets: ['subnet-b', 'subnet-a'], security_groups: ['sg-1'], assign_public_ip: 'DISABLED' } },
  capacity_provider_strategy: [
    { capacity_provider: 'FARGATE_SPOT', weight: 2, base: 1 },
    { capacity_provider: 'FARGATE', weight: 1 },
  ],
};

describe('CodeDeploy AppSpec', () => {
  it('names the revision, the container and port, and the task set settings the definition sets, in YAML as AWS writes it', () => {
    const text = renderAppSpec(desiredAppSpec(model({ ...fargate, codedeploy: { ...CODEDEPLOY, hooks: { after_allow_test_traffic: 'check', before_install: 'pre' } } }), REV2, BINDING), 'yaml');
    expect(text).to.equal(
      [
        'version: 0.0',
        'Resources:',
        '  - TargetService:',
        '      Type: AWS::ECS::Service',
        '      Properties:',
        `        TaskDefinition: ${REV2}`,
        '        LoadBalancerInfo:',
        '          ContainerName: front',
        '          ContainerPort: 80',
        '        PlatformVersion: 1.4.0',
        '        NetworkConfiguration:',
        '          AwsvpcConfiguration:',
        '            Subnets:',
        '              - subnet-a',
        '              - subnet-b',
        '            SecurityGroups:',
        '              - sg-1',
        '            AssignPublicIp: DISABLED',
        '        CapacityProviderStrategy:',
        '          - CapacityProvider: FARGATE',
        '            Weight: 1',
        '          - CapacityProvider: FARGATE_SPOT',
        '            Base: 1',
        '            Weight: 2',
        // In lifecycle order, whatever order the definition wrote them in.
        'Hooks:',
        '  - BeforeInstall: pre',
        '  - AfterAllowTestTraffic: check',
        '',
      ].join('\n'),
    );
    // What CodeDeploy parses: the version is the number 0.0, everything else as shown.
    const parsed = parse(text) as { version: unknown; Resources: { TargetService: { Properties: { LoadBalancerInfo: unknown } } }[] };
    expect(parsed.version).to.equal(0);
    expect(parsed.Resources[0]!.TargetService.Properties.LoadBalancerInfo).to.deep.equal({ ContainerName: 'front', ContainerPort: 80 });
  });

  it('writes JSON with the same content when appspec_format is json', () => {
    const spec = desiredAppSpec(model(fargate), REV2, BINDING);
    const text = renderAppSpec(spec, 'json');
    expect(text).to.match(/^\{\n {2}"version": 0\.0,\n/);
    const parsed = JSON.parse(text) as Record<string, unknown>;
    expect({ ...parsed, version: '0.0' }).to.deep.equal(spec);
  });

  it('leaves out what the definition does not set, so CodeDeploy keeps the service\'s own', () => {
    const spec = desiredAppSpec(model(), REV2, BINDING);
    expect(spec).to.deep.equal({
      version: '0.0',
      Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: REV2, LoadBalancerInfo: { ContainerName: 'front', ContainerPort: 80 } } } }],
    });
  });

  it('shows a revision registered in the same apply as known after apply', () => {
    const ref = outputRef('ecs:task-definition:nanika:arn', 'new revision of task definition nanika');
    const spec = desiredAppSpec(model(), ref, BINDING);
    expect(spec.Resources[0].TargetService.Properties.TaskDefinition).to.deep.equal(ref);
    expect(renderAppSpec(spec, 'yaml')).to.contain('TaskDefinition: "(known after apply: new revision of task definition nanika)"');
  });

  it('describes what runs now in the same shape, restricted to what the definition sets', () => {
    const live = service({
      serviceName: 'nanika',
      taskDefinition: REV1,
      platformVersion: '1.4.0',
      loadBalancers: [{ targetGroupArn: 'arn:tg/blue', containerName: 'front', containerPort: 80 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-a', 'subnet-b'], securityGroups: ['sg-1'], assignPublicIp: 'DISABLED' } },
      capacityProviderStrategy: [
        { capacityProvider: 'FARGATE', weight: 1, base: 0 },
        { capacityProvider: 'FARGATE_SPOT', weight: 2, base: 1 },
      ],
    });
    const desired = desiredAppSpec(model(fargate), REV1, BINDING);
    // Base 0 is how ECS reports an unset base: the same strategy, in any order.
    expect(sameAppSpec(desired, liveAppSpec(live, desired))).to.equal(true);
    const heavierSpot = desiredAppSpec(model({ ...fargate, capacity_provider_strategy: [{ capacity_provider: 'FARGATE', weight: 1 }, { capacity_provider: 'FARGATE_SPOT', weight: 3, base: 1 }] }), REV1, BINDING);
    expect(sameAppSpec(heavierSpot, liveAppSpec(live, heavierSpot))).to.equal(false);
    // A new revision, another port, or other subnets make a deployment.
    expect(sameAppSpec(desiredAppSpec(model(), REV2, BINDING), liveAppSpec(live, desiredAppSpec(model(), REV2, BINDING)))).to.equal(false);
    const port = desiredAppSpec(model(), REV1, { containerName: 'front', containerPort: 8080 });
    expect(sameAppSpec(port, liveAppSpec(live, port))).to.equal(false);
    // Unset in the definition: whatever the service has is not compared.
    const bare = desiredAppSpec(model(), REV1, BINDING);
    expect(liveAppSpec(live, bare)).to.deep.equal(bare);
  });

  it('reads the running version from the PRIMARY task set, which moves with each CodeDeploy deployment', () => {
    const live = service({
      taskDefinition: REV1,
      loadBalancers: [{ targetGroupArn: 'arn:tg/blue', containerName: 'front', containerPort: 80 }],
      taskSets: [
        { id: 'ecs-svc/green', status: 'PRIMARY', taskDefinition: REV2, loadBalancers: [{ targetGroupArn: 'arn:tg/green', containerName: 'front', containerPort: 80 }] },
        { id: 'ecs-svc/blue', status: 'ACTIVE', taskDefinition: REV1 },
      ],
    });
    const desired = desiredAppSpec(model(), REV2, BINDING);
    expect(sameAppSpec(desired, liveAppSpec(live, desired))).to.equal(true);
  });

  it('builds a rollback AppSpec from the service as it runs, with another revision', () => {
    const live = service({
      taskDefinition: REV2,
      platformVersion: 'LATEST',
      loadBalancers: [{ targetGroupArn: 'arn:tg/green', containerName: 'front', containerPort: 80 }],
      networkConfiguration: { awsvpcConfiguration: { subnets: ['subnet-b', 'subnet-a'], securityGroups: ['sg-1'] } },
    });
    expect(serviceAppSpec(live, REV1, CODEDEPLOY).Resources[0].TargetService.Properties).to.deep.equal({
      TaskDefinition: REV1,
      LoadBalancerInfo: { ContainerName: 'front', ContainerPort: 80 },
      PlatformVersion: 'LATEST',
      NetworkConfiguration: { AwsvpcConfiguration: { Subnets: ['subnet-a', 'subnet-b'], SecurityGroups: ['sg-1'] } },
    });
  });

  it('reads the task definition back from AppSpec content, YAML or JSON', () => {
    const spec = desiredAppSpec(model(fargate), REV2, BINDING);
    expect(taskDefinitionInAppSpec(renderAppSpec(spec, 'yaml'))).to.equal(REV2);
    expect(taskDefinitionInAppSpec(renderAppSpec(spec, 'json'))).to.equal(REV2);
    expect(taskDefinitionInAppSpec('not: [an appspec')).to.equal(undefined);
  });
});
