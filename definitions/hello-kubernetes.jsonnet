// The hello app on Kubernetes: the same app model as hello.jsonnet (image, env from a provider, health check,
// resources), deployed as a Deployment with a Service in namespace hako-demo of the current kubeconfig context.
// The containers of a pod share one network, so redis is at localhost instead of a Docker link.
local provideFromFile(name) = std.native('provide.file')(std.toString({ path: 'hello.env' }), name);

{
  scheduler: {
    type: 'kubernetes',
    namespace: 'hako-demo',
    desired_count: 2,
    progress_deadline_seconds: 120,
    service: { ports: [{ port: 80, target_port: 3000 }] },
    labels: { team: 'platform' },
  },
  app: {
    image: 'ryotarai/hello-sinatra',
    tag: 'latest',
    cpu: 128,
    memory: 256,
    port_mappings: [{ container_port: 3000 }],
    env: {
      PORT: '3000',
      MESSAGE: std.format('%s-san, hello', provideFromFile('username')),
      REDIS_URL: 'redis://localhost:6379',
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
    redis: {
      image_tag: 'redis:7-alpine',
      cpu: 64,
      memory: 128,
    },
  },
}
