import { expect } from 'chai';
import { issuesOf, minimal, normalise } from './schema-helpers.js';

const TG = 'arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:targetgroup/web-blue/0123456789abcdef';
const binding = { target_group_arn: TG, container_name: 'app', container_port: 80 };

function codeDeploy(scheduler: Record<string, unknown> = {}, top: Record<string, unknown> = {}): Record<string, unknown> {
  const raw = minimal(top);
  Object.assign(raw['scheduler'] as object, { deployment_controller: { type: 'CODE_DEPLOY' }, load_balancers: [binding], ...scheduler });
  Object.assign(raw['app'] as object, { port_mappings: [{ container_port: 80 }] });
  return raw;
}

describe('definition: deployment_controller and codedeploy', () => {
  it('normalises a CODE_DEPLOY scheduler with the codedeploy defaults, and leaves both out for a rolling one', () => {
    const { model } = normalise(codeDeploy({ codedeploy: { application: 'web', hooks: { after_allow_test_traffic: 'smoke-test', before_install: null } } }));
    expect(model.scheduler.deployment_controller).to.deep.equal({ type: 'CODE_DEPLOY' });
    expect(model.scheduler.codedeploy).to.deep.equal({ application: 'web', wait: 'succeeded', appspec_format: 'yaml', hooks: { after_allow_test_traffic: 'smoke-test' } });

    const rolling = normalise(minimal()).model.scheduler;
    expect(rolling.deployment_controller).to.equal(undefined);
    expect(rolling.codedeploy).to.equal(undefined);
    expect(normalise(codeDeploy({ deployment_controller: { type: 'ECS' } })).model.scheduler.codedeploy).to.equal(undefined);
  });

  it('rejects EXTERNAL with why, and unknown types by the schema', () => {
    expect(issuesOf(codeDeploy({ deployment_controller: { type: 'EXTERNAL' } })).errors).to.deep.equal([
      'scheduler.deployment_controller.type: EXTERNAL is not supported: hako deploys with the ECS (rolling) or CODE_DEPLOY (blue/green) controller; an EXTERNAL service is driven by task sets another tool manages',
    ]);
    expect(issuesOf(codeDeploy({ deployment_controller: { type: 'BLUE_GREEN' } })).errors).to.have.length(1);
  });

  it('requires exactly one binding to a target group made elsewhere, and no alb script, which would undo traffic shifts', () => {
    expect(issuesOf(codeDeploy({ load_balancers: [] })).errors).to.deep.equal([
      "scheduler.load_balancers: a CODE_DEPLOY service needs a load balancer binding: the target group of the deployment group's pair it starts on",
    ]);
    expect(issuesOf(codeDeploy({ load_balancers: [binding, { ...binding, container_port: 81 }] })).errors).to.deep.equal([
      'scheduler.load_balancers: a CODE_DEPLOY service binds exactly one target group (CodeDeploy shifts traffic within one pair), got 2',
    ]);
    const why =
      'with CODE_DEPLOY, CodeDeploy moves the listeners between the target group pair and the alb script would move them back: make the load balancer, the pair and the listeners elsewhere (Terraform) and bind the blue group with scheduler.load_balancers';
    expect(issuesOf(codeDeploy({ elb_v2: { vpc_id: 'vpc-1', container_name: 'app', container_port: 80 } })).errors).to.deep.equal([`scheduler.elb_v2: ${why}`]);
    expect(issuesOf(codeDeploy({}, { scripts: [{ type: 'create_aws_cloud_watch_logs_log_group' }, { type: 'alb' }] })).errors).to.include(`scripts[1].type: ${why}`);
  });

  it('rejects what ECS refuses for a CODE_DEPLOY service: classic ELB, DAEMON, the circuit breaker, custom percents on EC2', () => {
    const { errors } = issuesOf(
      codeDeploy({
        load_balancers: null,
        elb: { listeners: [{ load_balancer_port: 80, protocol: 'HTTP' }], container_name: 'app', container_port: 80 },
        scheduling_strategy: 'DAEMON',
        launch_type: 'EC2',
        deployment_configuration: { maximum_percent: 200, deployment_circuit_breaker: { enable: true } },
      }),
    );
    expect(errors).to.deep.equal([
      'scheduler.elb: CodeDeploy blue/green needs an Application or Network Load Balancer, not a classic ELB',
      'scheduler.scheduling_strategy: a CODE_DEPLOY service must use the REPLICA scheduling strategy',
      'scheduler.deployment_configuration.deployment_circuit_breaker: the circuit breaker works only with the ECS (rolling) deployment controller; CodeDeploy rolls back by itself',
      'scheduler.deployment_configuration.maximum_percent: ECS takes no custom value for a CODE_DEPLOY service whose tasks use the EC2 launch type',
    ]);
  });

  it('warns that a codedeploy section without the CODE_DEPLOY controller is ignored, and checks its values', () => {
    const raw = minimal();
    Object.assign(raw['scheduler'] as object, { codedeploy: { application: 'web' } });
    expect(issuesOf(raw)).to.deep.equal({ errors: [], warnings: ['scheduler.codedeploy: ignored: scheduler.deployment_controller.type is not CODE_DEPLOY'] });
    expect(issuesOf(codeDeploy({ codedeploy: { termination_wait_minutes: 3000, wait: 'forever', appspec_formt: 'yaml' } }))).to.deep.equal({
      errors: [
        'scheduler.codedeploy.termination_wait_minutes: must be <= 2880, got number 3000',
        'scheduler.codedeploy.wait: expected one of "succeeded", "traffic_shifted", got "forever"',
      ],
      warnings: ['scheduler.codedeploy.appspec_formt: unknown key, did you mean appspec_format?'],
    });
  });
});
