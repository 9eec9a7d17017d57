/**
 * CodeDeploy around moto for the integration suite: a blue/green deployment group set up as Terraform would, reading
 * deployments back, and shaping GetDeployment answers.
 *
 * moto keeps every deployment `Created` for ever and answers its timestamps as ISO strings, which the JavaScript SDK
 * refuses to read ("Expected real number"); AWS sends epoch seconds. So every GetDeployment a test lets hako make
 * goes through `deploymentAnswers`, which writes the timestamps as AWS does and the status the test wants, and the
 * test itself reads deployments back over plain HTTP (`motoDeployment`).
 */
import { CodeDeployClient, CreateApplicationCommand, CreateDeploymentGroupCommand } from '@aws-sdk/client-codedeploy';
import type { AwsProxyHandle, ProxiedRequest } from './aws-proxy.js';
import { motoClientConfig } from './aws.js';
import type { MotoHandle } from './moto.js';

export interface BlueGreenGroup {
  readonly application: string;
  readonly group: string;
  readonly cluster: string;
  readonly service: string;
  /** Names of the target group pair (blue first). */
  readonly targetGroups: readonly [string, string];
  readonly terminationWaitMinutes?: number;
}

/** An ECS application and a blue/green deployment group for one service, with all-at-once traffic shifting. */
export async function createBlueGreenGroup(moto: MotoHandle, g: BlueGreenGroup): Promise<void> {
  const client = new CodeDeployClient(motoClientConfig(moto));
  try {
    await client.send(new CreateApplicationCommand({ applicationName: g.application, computePlatform: 'ECS' }));
    await client.send(
      new CreateDeploymentGroupCommand({
        applicationName: g.application,
        deploymentGroupName: g.group,
        serviceRoleArn: 'arn:aws:iam::123456789012:role/codedeploy-ecs',
        deploymentConfigName: 'CodeDeployDefault.ECSAllAtOnce',
        deploymentStyle: { deploymentType: 'BLUE_GREEN', deploymentOption: 'WITH_TRAFFIC_CONTROL' },
        ecsServices: [{ clusterName: g.cluster, serviceName: g.service }],
        blueGreenDeploymentConfiguration: {
          deploymentReadyOption: { actionOnTimeout: 'CONTINUE_DEPLOYMENT' },
          terminateBlueInstancesOnDeploymentSuccess: { action: 'TERMINATE', terminationWaitTimeInMinutes: g.terminationWaitMinutes ?? 5 },
        },
        autoRollbackConfiguration: { enabled: true, events: ['DEPLOYMENT_FAILURE'] },
        loadBalancerInfo: {
          targetGroupPairInfoList: [
            {
              targetGroups: g.targetGroups.map((name) => ({ name })),
              prodTrafficRoute: { listenerArns: ['arn:aws:elasticloadbalancing:ap-northeast-1:123456789012:listener/app/web/0123456789abcdef/0123456789abcdef'] },
            },
          ],
        },
      }),
    );
  } finally {
    client.destroy();
  }
}

async function motoCall(moto: MotoHandle, operation: string, input: unknown): Promise<Record<string, unknown>> {
  const res = await fetch(`${moto.endpoint()}/`, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': `CodeDeploy_20141006.${operation}`,
      // moto takes the region from the credential scope; it checks no signature.
      authorization: `AWS4-HMAC-SHA256 Credential=testing/20240101/${moto.region()}/codedeploy/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(input),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`moto CodeDeploy ${operation}: ${res.status} ${text}`);
  return JSON.parse(text) as Record<string, unknown>;
}

/** A deployment as moto holds it (read without the SDK: see the top of this file). */
export async function motoDeployment(moto: MotoHandle, deploymentId: string): Promise<Record<string, any>> {
  return (await motoCall(moto, 'GetDeployment', { deploymentId }))['deploymentInfo'] as Record<string, any>;
}

/** Every deployment moto holds for a group, oldest first. */
export async function motoDeployments(moto: MotoHandle, application: string, group: string): Promise<string[]> {
  return (await motoCall(moto, 'ListDeployments', { applicationName: application, deploymentGroupName: group }))['deployments'] as string[];
}

const TIMESTAMPS = ['createTime', 'startTime', 'completeTime'];

/**
 * Answers every GetDeployment with what `shape` says for that deployment (merged into moto's answer), timestamps
 * as AWS writes them. `shape` gets the deployment id and how many times it was asked for that id before; for an id
 * moto does not know (a rollback deployment CodeDeploy would have started) it builds the whole answer.
 */
export function deploymentAnswers(
  proxy: AwsProxyHandle,
  shape: (deploymentId: string, asked: number, request: ProxiedRequest) => Record<string, unknown> | undefined,
): void {
  const asked = new Map<string, number>();
  proxy.rewrite(
    { service: 'CodeDeploy', operation: 'GetDeployment' },
    (body: { deploymentInfo?: Record<string, unknown> } | undefined, request) => {
      const id = (request.body as { deploymentId: string }).deploymentId;
      const n = asked.get(id) ?? 0;
      asked.set(id, n + 1);
      const known = request.status >= 200 && request.status <= 299 ? body?.deploymentInfo : undefined;
      const info: Record<string, unknown> = { ...(known ?? { deploymentId: id }), ...shape(id, n, request) };
      for (const key of TIMESTAMPS) {
        const v = info[key];
        if (typeof v === 'string') info[key] = Date.parse(v) / 1000;
        else if (v === null) delete info[key];
      }
      if (known === undefined && info['status'] === undefined) throw new Error(`no answer for unknown deployment ${id}`);
      return { deploymentInfo: info };
    },
    { errors: true },
  );
}
