// A small Fargate web service behind the shared training ALB. `alb` is the part of the alb script entry that
// differs per app (listeners or rules).
local network = import 'network.libsonnet';

{
  new(appId, image, port, alb):: {
    scheduler: {
      type: 'ecs',
      region: 'ap-northeast-1',
      cluster: 'hako-training',
      desired_count: 1,
      cpu: '256',
      memory: '512',
      requires_compatibilities: ['FARGATE'],
      launch_type: 'FARGATE',
      network_mode: 'awsvpc',
      network_configuration: network.awsvpc,
    },
    app: {
      image: image,
      cpu: 256,
      memory: 512,
      port_mappings: [{ container_port: port }],
      env: { PORT: std.toString(port) },
    },
    scripts: [
      {
        type: 'alb',
        load_balancer_name: 'hako-training',
        vpc_id: network.vpc_id,
        subnets: network.subnets,
        security_groups: network.security_groups,
        health_check_path: '/healthz',
        container_name: 'app',
        container_port: port,
      } + alb,
    ],
  },
}
