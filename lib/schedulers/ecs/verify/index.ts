/**
 * `hako verify` for ECS: the checks of what an app's definition refers to (cluster, roles, images, secrets, log
 * groups, network, target groups, Cloud Map namespaces, and for a CODE_DEPLOY service the CodeDeploy application and
 * deployment group). Each is a thunk the action runs in a small pool; none changes anything.
 */
import type { AwsClients } from '../../../aws/ports.js';
import type { AppModel } from '../../../definition/model.js';
import { isOutputRef } from '../../../plan/outputs.js';
import { failed, logGroupKey, ok, skipped, type VerifyCheck, type VerifyContext } from '../../../verify/checks.js';
import { HakoError } from '../../../errors.js';
import { findDeploymentGroup } from '../codedeploy/discover.js';
import { isCodeDeployApp } from '../codedeploy/controller.js';
import { serviceBindings } from '../load-balancers.js';
import { checkSecrets } from '../secrets-check.js';
import { imageCheck } from './images.js';
import { clusterCheck, logGroupCheck, namespaceCheck, networkCheck, targetGroupsCheck, type LogGroupUse } from './resources.js';
import { roleCheck } from './roles.js';

function logGroupUses(model: AppModel): LogGroupUse[] {
  const uses = new Map<string, { region: string; group: string; containers: string[]; createdByEcs: boolean }>();
  for (const c of model.containers) {
    const log = c.log_configuration;
    if (log?.log_driver !== 'awslogs') continue;
    const group = log.options['awslogs-group'];
    const region = log.options['awslogs-region'] ?? model.scheduler.region ?? '';
    if (!group) continue;
    const key = logGroupKey(region, group);
    const use = uses.get(key) ?? { region, group, containers: [], createdByEcs: false };
    use.containers.push(c.name);
    use.createdByEcs ||= log.options['awslogs-create-group'] === 'true';
    uses.set(key, use);
  }
  return [...uses.values()];
}

export function verifyEcs(model: AppModel, aws: () => AwsClients, context: VerifyContext): VerifyCheck[] {
  const s = model.scheduler;
  const checks: VerifyCheck[] = [clusterCheck(s, () => aws().ecs())];

  for (const [what, arn] of [['task role', s.task_role_arn], ['execution role', s.execution_role_arn]] as const) {
    if (arn !== undefined) checks.push(roleCheck(what, arn, () => aws().iam()));
  }
  if (s.execution_role_arn === undefined && s.requires_compatibilities?.includes('FARGATE')) {
    checks.push({ title: 'execution role', run: async () => skipped('none set: Fargate tasks then cannot pull from ECR or read secrets') });
  }

  const images = new Map<string, string[]>();
  for (const c of model.containers) images.set(c.image, [...(images.get(c.image) ?? []), c.name]);
  for (const [image, containers] of images) checks.push(imageCheck(image, containers, (region) => aws().ecr(region)));

  const secretCount = model.containers.reduce((n, c) => n + (c.secrets?.length ?? 0) + (c.log_configuration?.secret_options?.length ?? 0), 0);
  checks.push({
    title: `secrets (${secretCount} value_from reference${secretCount === 1 ? '' : 's'})`,
    run: async () => {
      if (secretCount === 0) return skipped('none referenced');
      try {
        await checkSecrets(model.containers, aws());
        return ok('every one exists');
      } catch (e) {
        if ((e as { code?: string }).code === 'INVALID_SECRETS') return failed((e as Error).message);
        throw e;
      }
    },
  });

  for (const use of logGroupUses(model)) {
    checks.push(logGroupCheck(use, context.provided.get(logGroupKey(use.region, use.group)), (region) => aws().logs(region)));
  }

  checks.push(networkCheck(s, () => aws().ec2()));

  const bindings = serviceBindings(model);
  const known = bindings.flatMap((b) => (b.target_group_arn !== undefined && !isOutputRef(b.target_group_arn) ? [b.target_group_arn] : []));
  const pending = bindings.filter((b) => b.target_group_arn === undefined || isOutputRef(b.target_group_arn));
  if (known.length > 0) checks.push(targetGroupsCheck([...new Set(known)], s.network_mode, () => aws().elbv2()));
  for (const b of pending) {
    checks.push({ title: `target group ${b.target_group_name}`, run: async () => skipped('made or found by a script on deploy: not checked') });
  }

  const namespaces = new Set((s.service_discovery ?? []).map((e) => e.service.namespace_id));
  for (const id of namespaces) checks.push(namespaceCheck(id, () => aws().serviceDiscovery()));

  if (isCodeDeployApp(model)) {
    checks.push({
      title: 'CodeDeploy application and deployment group',
      run: async () => {
        try {
          // The same rule deploy uses: named in scheduler.codedeploy, else the one group whose ECS service is this.
          const found = await findDeploymentGroup(await aws().codeDeploy(), s.codedeploy, { cluster: s.cluster, service: model.id });
          return ok(`${found.application}/${found.deploymentGroup} deploys service ${model.id}`);
        } catch (e) {
          if (e instanceof HakoError && /^CODEDEPLOY_/.test(e.code)) return failed(e.message);
          throw e;
        }
      },
    });
  }
  return checks;
}
