/**
 * How often does a deploy poll DescribeServices while a rollout is in progress? Drives the real wait loop
 * (lib/schedulers/ecs/wait.ts) against a scripted ECS that reports IN_PROGRESS for the whole run, on virtual
 * time, so the figure is exact and instant: calls in each minute of a 10-minute rollout, and in total.
 * Usage: node dist/scripts/bench-wait-rate.js
 */
import type { EcsApi, ecs } from '../lib/aws/ports.js';
import { silentIoHost } from '../lib/io/io-host.js';
import { waitForDeployment } from '../lib/schedulers/ecs/wait.js';
import { createVirtualTime } from '../lib/util/sleep.js';

const TD = 'arn:aws:ecs:ap-northeast-1:123456789012:task-definition/bench:2';
const deployment: ecs.Deployment = { id: 'ecs-svc/1', status: 'PRIMARY', taskDefinition: TD, desiredCount: 2, runningCount: 1, pendingCount: 1, rolloutState: 'IN_PROGRESS' };
const service: ecs.Service = {
  serviceArn: 'arn:aws:ecs:ap-northeast-1:123456789012:service/bench/bench',
  clusterArn: 'arn:aws:ecs:ap-northeast-1:123456789012:cluster/bench',
  serviceName: 'bench',
  taskDefinition: TD,
  deployments: [deployment],
  events: [],
};

const time = createVirtualTime();
const callTimes: number[] = [];
const ecsApi = {
  async describeServices() {
    callTimes.push(time.clock.now());
    return { services: [service], failures: [], $metadata: {} };
  },
  async listTasks() {
    return { taskArns: [], $metadata: {} };
  },
  async describeTasks() {
    return { tasks: [], failures: [], $metadata: {} };
  },
} as unknown as EcsApi;

const minutes = 10;
const outcome = await waitForDeployment(
  { ecs: ecsApi, io: silentIoHost, clock: time.clock, sleep: time.sleep },
  service,
  { taskDefinitionArn: TD, timeoutMs: minutes * 60_000, circuitBreaker: false },
);
const perMinute = Array.from({ length: minutes }, (_, m) => callTimes.filter((t) => t >= m * 60_000 && t < (m + 1) * 60_000).length);
process.stdout.write(`outcome after ${minutes} min of IN_PROGRESS: ${outcome.status}\n`);
process.stdout.write(`DescribeServices calls per minute: ${perMinute.join(', ')}\n`);
process.stdout.write(`total ${callTimes.length} calls; steady state ${perMinute[minutes - 1]} per minute (hako: 60 per minute)\n`);
