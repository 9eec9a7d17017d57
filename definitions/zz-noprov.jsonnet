// A web app behind hako's nginx front proxy, with redis, on the EC2 launch type (bridge networking).
// Deployed by the README demo against the local emulator.
local front = import 'lib/front.libsonnet';
local provideFromFile(name) = std.native('provide.file')(std.toString({ path: 'hello.env' }), name);

{
  scheduler: {
    type: 'ecs',
    region: 'ap-northeast-1',
    cluster: 'hako-demo',
    desired_count: 1,
    deployment_configuration: {
      maximum_percent: 200,
      minimum_healthy_percent: 50,
    },
    tags: { team: 'platform' },
  },
  app: {
    image: 'ryotarai/hello-sinatra',
    tag: 'latest',
    cpu: 128,
    memory: 256,
    links: ['redis:redis'],
    env: {
      PORT: '3000',
      MESSAGE: 'x-san, hello',
      REDIS_URL: 'redis://redis:6379',
    },
    health_check: {
      command: ['CMD-SHELL', 'curl -f http://localhost:3000/ || exit 1'],
      interval: 30,
      timeout: 5,
      retries: 3,
      start_period: 10,
    },
  },
  sidecars: {
    front: front.container,
    redis: {
      image_tag: 'redis:7-alpine',
      cpu: 64,
      memory: 128,
    },
  },
  scripts: [
    front.script(3000),
    { type: 'create_aws_cloud_watch_logs_log_group', retention_in_days: 14 },
  ],
}
