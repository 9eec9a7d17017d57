// A Fargate service on awsvpc networking behind its own application load balancer, with a DNS name.
local network = import 'lib/network.libsonnet';

{
  scheduler: {
    type: 'ecs',
    region: 'ap-northeast-1',
    cluster: 'hako-demo',
    desired_count: 1,
    cpu: '256',
    memory: '512',
    requires_compatibilities: ['FARGATE'],
    launch_type: 'FARGATE',
    network_mode: 'awsvpc',
    network_configuration: network.awsvpc,
    execution_role_arn: 'arn:aws:iam::123456789012:role/ecsTaskExecutionRole',
  },
  app: {
    image: 'public.ecr.aws/nginx/nginx',
    tag: '1.27',
    cpu: 256,
    // Fargate does not need a container memory, but giving one keeps RunTask working in the emulator too.
    memory: 512,
    port_mappings: [{ container_port: 80 }],
    log_configuration: {
      log_driver: 'awslogs',
      options: {
        'awslogs-group': '/hako/' + std.extVar('appId'),
        'awslogs-region': 'ap-northeast-1',
        'awslogs-stream-prefix': 'app',
      },
    },
  },
  scripts: [
    {
      type: 'alb',
      vpc_id: network.vpc_id,
      subnets: network.subnets,
      security_groups: network.security_groups,
      listeners: [{ port: 80, protocol: 'HTTP' }],
      health_check_path: '/',
      container_name: 'app',
      container_port: 80,
    },
    {
      type: 'route53',
      hosted_zone: 'demo.hako.test',
      records: [{ name: std.extVar('appId'), type: 'A' }],
    },
    { type: 'create_aws_cloud_watch_logs_log_group', retention_in_days: 7 },
  ],
}
