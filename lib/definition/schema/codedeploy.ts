/**
 * `scheduler.deployment_controller` and `scheduler.codedeploy`: blue/green deploys through CodeDeploy, and the
 * checks of what ECS or CodeDeploy would reject only late (after other steps ran) or not at all (a deploy that
 * can never shift traffic).
 */
import * as z from 'zod';
import type { DefinitionIssue } from '../../errors.js';
import { builtOnUse, opt } from './common.js';
import { error, warning } from './issues.js';

export const deploymentControllerSchema = builtOnUse(() =>
  z
    .looseObject({
      type: z
        .enum(['ECS', 'CODE_DEPLOY', 'EXTERNAL'])
        .describe('ECS (rolling update, the default) or CODE_DEPLOY (blue/green through CodeDeploy); EXTERNAL is not supported'),
    })
    .describe(
      'How new versions roll out; fixed when the service is created. CODE_DEPLOY needs one scheduler.load_balancers binding (a target group of a CodeDeploy deployment group\'s pair)',
    ),
);

/** A Lambda function (name or ARN) CodeDeploy invokes at one lifecycle event of an ECS deployment. */
const hookFunction = opt(z.string().min(1));

export const codeDeploySchema = builtOnUse(() =>
  z
    .looseObject({
      application: opt(z.string().min(1)).describe('CodeDeploy application (default: found from the deployment groups that deploy this service)'),
      deployment_group: opt(z.string().min(1)).describe('Deployment group (default: the one whose ECS service is this one)'),
      deployment_config: opt(z.string().min(1)).describe(
        'Deployment configuration of each deployment, e.g. CodeDeployDefault.ECSCanary10Percent5Minutes (default: the group\'s)',
      ),
      termination_wait_minutes: opt(z.number().int().min(0).max(2880)).describe(
        "Minutes the old (blue) task set keeps running after traffic moved; set, hako keeps the deployment group's setting at this value",
      ),
      wait: opt(z.enum(['succeeded', 'traffic_shifted'])).describe(
        'What deploy waits for: the deployment to succeed (default; includes the blue task set termination wait) or all traffic on the new task set (--no-wait: nothing)',
      ),
      appspec_format: opt(z.enum(['yaml', 'json'])).describe('How the AppSpec is written (default yaml)'),
      hooks: opt(
        z.looseObject({
          before_install: hookFunction,
          after_install: hookFunction,
          after_allow_test_traffic: hookFunction,
          before_allow_traffic: hookFunction,
          after_allow_traffic: hookFunction,
        }),
      ).describe('Lambda functions for the AppSpec lifecycle hooks'),
    })
    .describe('Blue/green deployments through CodeDeploy (with deployment_controller CODE_DEPLOY)'),
);

export type CodeDeployInput = z.output<typeof codeDeploySchema>;

type Obj = Record<string, unknown>;

function obj(value: unknown): Obj | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Obj) : undefined;
}

function present(o: Obj | undefined, key: string): boolean {
  return o !== undefined && o[key] !== undefined && o[key] !== null;
}

/**
 * Checks of `scheduler.deployment_controller` against the rest of the definition. `definition` is the raw value,
 * read defensively like every cross-check (the shape may have errors of its own).
 */
export function checkDeploymentController(definition: Obj, scheduler: Obj): DefinitionIssue[] {
  const out: DefinitionIssue[] = [];
  const type = obj(scheduler['deployment_controller'])?.['type'];
  if (type === 'EXTERNAL') {
    out.push(
      error(
        'scheduler.deployment_controller.type',
        'EXTERNAL is not supported: hako deploys with the ECS (rolling) or CODE_DEPLOY (blue/green) controller; an EXTERNAL service is driven by task sets another tool manages',
      ),
    );
  }
  if (type !== 'CODE_DEPLOY') {
    if (present(scheduler, 'codedeploy')) out.push(warning('scheduler.codedeploy', 'ignored: scheduler.deployment_controller.type is not CODE_DEPLOY'));
    return out;
  }

  const declared = Array.isArray(scheduler['load_balancers']) ? scheduler['load_balancers'].length : 0;
  const scripts = Array.isArray(definition['scripts']) ? definition['scripts'] : [];
  // The alb script keeps its listeners forwarding to its one target group: after CodeDeploy moved production
  // traffic to the other group of the pair, the next deploy would move it back, to a task set that is gone.
  const albWhy =
    'with CODE_DEPLOY, CodeDeploy moves the listeners between the target group pair and the alb script would move them back: make the load balancer, the pair and the listeners elsewhere (Terraform) and bind the blue group with scheduler.load_balancers';
  if (present(scheduler, 'elb_v2')) out.push(error('scheduler.elb_v2', albWhy));
  scripts.forEach((s, i) => {
    if (obj(s)?.['type'] === 'alb') out.push(error(`scripts[${i}].type`, albWhy));
  });
  if (present(scheduler, 'elb')) {
    out.push(error('scheduler.elb', 'CodeDeploy blue/green needs an Application or Network Load Balancer, not a classic ELB'));
  } else if (declared === 0) {
    out.push(
      error(
        'scheduler.load_balancers',
        "a CODE_DEPLOY service needs a load balancer binding: the target group of the deployment group's pair it starts on",
      ),
    );
  } else if (declared > 1) {
    out.push(error('scheduler.load_balancers', `a CODE_DEPLOY service binds exactly one target group (CodeDeploy shifts traffic within one pair), got ${declared}`));
  }
  if (scheduler['scheduling_strategy'] === 'DAEMON') {
    out.push(error('scheduler.scheduling_strategy', 'a CODE_DEPLOY service must use the REPLICA scheduling strategy'));
  }
  const dc = obj(scheduler['deployment_configuration']);
  if (present(dc, 'deployment_circuit_breaker')) {
    out.push(
      error('scheduler.deployment_configuration.deployment_circuit_breaker', 'the circuit breaker works only with the ECS (rolling) deployment controller; CodeDeploy rolls back by itself'),
    );
  }
  if (scheduler['launch_type'] === 'EC2') {
    for (const key of ['maximum_percent', 'minimum_healthy_percent']) {
      if (present(dc, key)) {
        out.push(error(`scheduler.deployment_configuration.${key}`, 'ECS takes no custom value for a CODE_DEPLOY service whose tasks use the EC2 launch type'));
      }
    }
  }
  return out;
}
