/**
 * `hako init` against moto: services made with the SDK, as Terraform or ecspresso would have made them (no hako
 * label, ECS's own shapes), are written as definitions; `hako diff` on each right after reports no changes. The
 * proxy shows that neither command writes anything.
 */
import { expect } from 'chai';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { CreateServiceCommand, ECSClient, RegisterTaskDefinitionCommand, type RegisterTaskDefinitionCommandInput } from '@aws-sdk/client-ecs';
import {
  CreateListenerCommand,
  CreateLoadBalancerCommand,
  CreateTargetGroupCommand,
  ElasticLoadBalancingV2Client,
} from '@aws-sdk/client-elastic-load-balancing-v2';
import { CreatePrivateDnsNamespaceCommand, CreateServiceCommand as CreateSdServiceCommand, ListNamespacesCommand, ServiceDiscoveryClient } from '@aws-sdk/client-servicediscovery';
import { ApplicationAutoScalingClient, PutScalingPolicyCommand, RegisterScalableTargetCommand } from '@aws-sdk/client-application-auto-scaling';
import { prepareEmulatorAccount, type EmulatorAccount } from '../../scripts/emulator-account.js';
import { useMoto } from './harness/moto.js';
import { defaultNetwork, motoClientConfig } from './harness/aws.js';
import { formatCalls, useAwsProxy } from './harness/aws-proxy.js';
import { runHako, type CliResult } from '../helpers/cli.js';

const ACCOUNT = '123456789012';
const REGION = 'ap-northeast-1';

describe('integration: hako init writes a definition that diff finds unchanged', function () {
  this.timeout(120_000);
  const moto = useMoto({ env: { MOTO_ECS_SERVICE_RUNNING: '1' } });
  const aws = useAwsProxy(moto);
  let env: NodeJS.ProcessEnv;
  let account: EmulatorAccount;
  let dir: string;
  let ecs: ECSClient;

  beforeEach(async () => {
    account = await prepareEmulatorAccount(moto.endpoint());
    env = { ...aws.env(), AWS_PROFILE: undefined };
    dir = mkdtempSync(path.join(os.tmpdir(), 'hako-init-'));
    ecs = new ECSClient(motoClientConfig(moto));
  });
  afterEach(() => {
    ecs.destroy();
    rmSync(dir, { recursive: true, force: true });
  });

  const hako = (...args: string[]): Promise<CliResult> => runHako(args, { env, cwd: dir });
  function expectCode(r: CliResult, code: number): void {
    expect(r.code, `exit code\nstdout:\n${r.stdout}\nstderr:\n${r.stderr}`).to.equal(code);
  }

  async function register(input: RegisterTaskDefinitionCommandInput): Promise<string> {
    const out = await ecs.send(new RegisterTaskDefinitionCommand(input));
    return out.taskDefinition!.taskDefinitionArn!;
  }

  /** init then diff, asserting that neither wrote anything to AWS. */
  async function roundTrip(service: string, ...initArgs: string[]): Promise<{ init: CliResult; diff: CliResult; file: string }> {
    aws.clearCalls();
    const init = await hako('init', '--cluster', 'hako-demo', '--service', service, '--region', REGION, ...initArgs);
    expectCode(init, 0);
    const file = init.stdout.match(/Wrote (\S+);/)?.[1] ?? '';
    const diff = await hako('diff', file);
    expect(aws.mutatingCalls(), formatCalls(aws.calls())).to.deep.equal([]);
    return { init, diff, file: path.join(dir, file) };
  }

  it('an EC2/bridge service with sidecars, volumes, secrets, health check and placement: diff exits 0', async () => {
    const arn = await register({
      family: 'inventory',
      tags: [{ key: 'team', value: 'inventory' }],
      volumes: [
        { name: 'data', host: { sourcePath: '/var/lib/inventory' } },
        { name: 'cache', dockerVolumeConfiguration: { scope: 'task', driver: 'local' } },
        { name: 'scratch', host: {} },
      ],
      containerDefinitions: [
        {
          name: 'app',
          image: 'example/inventory:1.2.3',
          cpu: 256,
          memory: 512,
          memoryReservation: 256,
          essential: true,
          links: ['redis:cache'],
          portMappings: [{ containerPort: 8080, hostPort: 0, protocol: 'tcp' }],
          environment: [
            { name: 'RACK_ENV', value: 'production' },
            { name: 'MESSAGE', value: `it's "quoted" $HOME` },
          ],
          secrets: [{ name: 'DB_PASSWORD', valueFrom: `arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/inventory/db` }],
          mountPoints: [
            { sourceVolume: 'data', containerPath: '/data', readOnly: false },
            { sourceVolume: 'cache', containerPath: '/cache', readOnly: true },
          ],
          dependsOn: [{ containerName: 'redis', condition: 'START' }],
          dockerLabels: { team: 'inventory' },
          logConfiguration: { logDriver: 'awslogs', options: { 'awslogs-group': '/ecs/inventory', 'awslogs-region': REGION, 'awslogs-stream-prefix': 'app' } },
          healthCheck: { command: ['CMD-SHELL', 'curl -f http://localhost:8080/health || exit 1'], interval: 10, timeout: 5, retries: 3, startPeriod: 30 },
          ulimits: [{ name: 'nofile', softLimit: 4096, hardLimit: 8192 }],
          command: ['bundle', 'exec', 'puma'],
        },
        { name: 'redis', image: 'redis:7-alpine', cpu: 64, memory: 128, essential: true, mountPoints: [{ sourceVolume: 'scratch', containerPath: '/scratch' }] },
        { name: 'log-router', image: 'fluent/fluent-bit:2.2', memory: 64, essential: false, volumesFrom: [{ sourceContainer: 'app', readOnly: true }] },
      ],
    });
    await ecs.send(
      new CreateServiceCommand({
        cluster: 'hako-demo',
        serviceName: 'inventory',
        taskDefinition: arn,
        desiredCount: 2,
        launchType: 'EC2',
        placementStrategy: [{ type: 'spread', field: 'attribute:ecs.availability-zone' }],
        placementConstraints: [{ type: 'distinctInstance' }],
        deploymentConfiguration: { maximumPercent: 150, minimumHealthyPercent: 50 },
      }),
    );

    const { init, diff, file } = await roundTrip('inventory');
    expect(file).to.equal(path.join(dir, 'inventory.jsonnet'));
    expect(init.stdout).to.contain('app: the app container is app (it is named app)');
    expectCode(diff, 0);
    expect(diff.stdout).to.contain("Task definition isn't changed");
    expect(diff.stdout).to.contain("Service isn't changed");
    const written = readFileSync(file, 'utf8');
    // Secrets stay references; defaults are left out; it reads like hand-written Jsonnet.
    expect(written).to.contain(`value_from: 'arn:aws:ssm:${REGION}:${ACCOUNT}:parameter/inventory/db'`);
    expect(written).to.contain("image: 'example/inventory',\n    tag: '1.2.3',");
    expect(written).to.contain("MESSAGE: 'it\\'s \"quoted\" $HOME',");
    expect(written).to.not.contain('retries');
    expect(written).to.not.contain('cc.wanko.hako.version');

    // The same in YAML.
    const yaml = await roundTrip('inventory', '--format', 'yaml');
    expect(yaml.file).to.equal(path.join(dir, 'inventory.yml'));
    expectCode(yaml.diff, 0);
  });

  it('a Fargate/awsvpc service behind a target group, in Cloud Map, with autoscaling: diff exits 0', async () => {
    const { vpcId, subnetIds } = await defaultNetwork(moto);
    const sg = account.env.HAKO_SECURITY_GROUPS;
    const elbv2 = new ElasticLoadBalancingV2Client(motoClientConfig(moto));
    const sd = new ServiceDiscoveryClient(motoClientConfig(moto));
    const scaling = new ApplicationAutoScalingClient(motoClientConfig(moto));
    try {
      const lb = await elbv2.send(new CreateLoadBalancerCommand({ Name: 'storefront', Subnets: subnetIds.slice(0, 2), SecurityGroups: [sg] }));
      const tg = await elbv2.send(new CreateTargetGroupCommand({ Name: 'storefront', Protocol: 'HTTP', Port: 80, VpcId: vpcId, TargetType: 'ip' }));
      const tgArn = tg.TargetGroups![0]!.TargetGroupArn!;
      await elbv2.send(
        new CreateListenerCommand({ LoadBalancerArn: lb.LoadBalancers![0]!.LoadBalancerArn!, Protocol: 'HTTP', Port: 80, DefaultActions: [{ Type: 'forward', TargetGroupArn: tgArn }] }),
      );
      await sd.send(new CreatePrivateDnsNamespaceCommand({ Name: 'shop.local', Vpc: vpcId }));
      const namespaceId = (await sd.send(new ListNamespacesCommand({}))).Namespaces!.find((n) => n.Name === 'shop.local')!.Id!;
      const sdService = await sd.send(
        new CreateSdServiceCommand({ Name: 'storefront', NamespaceId: namespaceId, DnsConfig: { RoutingPolicy: 'MULTIVALUE', DnsRecords: [{ Type: 'A', TTL: 10 }] } }),
      );
      const arn = await register({
        family: 'storefront',
        networkMode: 'awsvpc',
        requiresCompatibilities: ['FARGATE'],
        cpu: '512',
        memory: '1024',
        executionRoleArn: `arn:aws:iam::${ACCOUNT}:role/ecsTaskExecutionRole`,
        taskRoleArn: `arn:aws:iam::${ACCOUNT}:role/storefront`,
        runtimePlatform: { cpuArchitecture: 'ARM64', operatingSystemFamily: 'LINUX' },
        containerDefinitions: [
          { name: 'app', image: `${ACCOUNT}.dkr.ecr.${REGION}.amazonaws.com/storefront:2024-06-01`, memory: 768, essential: true, portMappings: [{ containerPort: 80, hostPort: 80, protocol: 'tcp' }] },
          { name: 'envoy', image: 'envoyproxy/envoy:v1.29', memory: 128, essential: true, user: '1337', portMappings: [{ containerPort: 9901, protocol: 'tcp' }] },
        ],
      });
      await ecs.send(
        new CreateServiceCommand({
          cluster: 'hako-demo',
          serviceName: 'storefront',
          taskDefinition: arn,
          desiredCount: 3,
          launchType: 'FARGATE',
          platformVersion: '1.4.0',
          networkConfiguration: { awsvpcConfiguration: { subnets: subnetIds.slice(0, 2), securityGroups: [sg], assignPublicIp: 'ENABLED' } },
          loadBalancers: [{ targetGroupArn: tgArn, containerName: 'app', containerPort: 80 }],
          serviceRegistries: [{ registryArn: sdService.Service!.Arn! }],
          healthCheckGracePeriodSeconds: 60,
        }),
      );
      await scaling.send(
        new RegisterScalableTargetCommand({
          ServiceNamespace: 'ecs',
          ResourceId: 'service/hako-demo/storefront',
          ScalableDimension: 'ecs:service:DesiredCount',
          MinCapacity: 2,
          MaxCapacity: 10,
          RoleARN: `arn:aws:iam::${ACCOUNT}:role/ecsAutoscaleRole`,
        }),
      );
      await scaling.send(
        new PutScalingPolicyCommand({
          PolicyName: 'storefront-cpu',
          ServiceNamespace: 'ecs',
          ResourceId: 'service/hako-demo/storefront',
          ScalableDimension: 'ecs:service:DesiredCount',
          PolicyType: 'TargetTrackingScaling',
          TargetTrackingScalingPolicyConfiguration: {
            TargetValue: 50,
            PredefinedMetricSpecification: { PredefinedMetricType: 'ECSServiceAverageCPUUtilization' },
            ScaleInCooldown: 120,
          },
        }),
      );

      const { diff, file } = await roundTrip('storefront');
      expectCode(diff, 0);
      const written = readFileSync(file, 'utf8');
      expect(written).to.contain(`target_group_arn: '${tgArn}'`);
      expect(written).to.contain(`namespace_id: '${namespaceId}'`);
      expect(written).to.contain("predefined_metric_type: 'ECSServiceAverageCPUUtilization'");
      expect(written).to.contain("assign_public_ip: 'ENABLED'");
      expect(written).to.not.contain('host_port');
    } finally {
      for (const c of [elbv2, sd, scaling]) c.destroy();
    }
  });

  it('says which container is the app when none is named app, and diff shows the rename', async () => {
    const arn = await register({
      family: 'legacy',
      containerDefinitions: [
        { name: 'sidecar', image: 'busybox:1', memory: 32, essential: false },
        { name: 'web', image: 'nginx:1.25', memory: 128, essential: true, links: ['sidecar'] },
      ],
    });
    await ecs.send(new CreateServiceCommand({ cluster: 'hako-demo', serviceName: 'legacy', taskDefinition: arn, desiredCount: 1 }));
    const { init, diff } = await roundTrip('legacy');
    expect(init.stdout).to.contain('the app container is web (it is the essential container); hako names it app');
    expectCode(diff, 16);
    expect(diff.stdout).to.match(/^    -  web:$/m);
    expect(diff.stdout).to.match(/^    \+  app:$/m);
  });

  it('refuses to overwrite without --force, a file whose name is another app id, and a missing service', async () => {
    writeFileSync(path.join(dir, 'nothing.jsonnet'), '{}');
    await ecs.send(new RegisterTaskDefinitionCommand({ family: 'nothing', containerDefinitions: [{ name: 'app', image: 'busybox:1', memory: 32 }] }));
    await ecs.send(new CreateServiceCommand({ cluster: 'hako-demo', serviceName: 'nothing', taskDefinition: 'nothing:1', desiredCount: 1 }));
    const exists = await hako('init', '--cluster', 'hako-demo', '--service', 'nothing');
    expectCode(exists, 1);
    expect(exists.stderr).to.contain('exists');
    expect(readFileSync(path.join(dir, 'nothing.jsonnet'), 'utf8')).to.equal('{}');
    expectCode(await hako('init', '--cluster', 'hako-demo', '--service', 'nothing', '--force'), 0);

    const misnamed = await hako('init', '--cluster', 'hako-demo', '--service', 'nothing', '-o', 'other.jsonnet');
    expectCode(misnamed, 2);
    expect(misnamed.stderr).to.contain('other.jsonnet would manage the service other, not nothing');

    const missing = await hako('init', '--cluster', 'hako-demo', '--service', 'ghost');
    expectCode(missing, 1);
    expect(missing.stderr).to.contain('Service ghost not found in cluster hako-demo');
  });
});
