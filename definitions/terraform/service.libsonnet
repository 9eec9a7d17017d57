// A Fargate web service of the Terraform variant of the training scenario. Terraform owns the infrastructure —
// the cluster, the subnets (the default VPC's), the security group, the ALB with its target groups and listeners —
// and hako deploys only the app, reading what it needs from the state (std.native('tfstate'), the state given by
// --tfstate or HAKO_TFSTATE from base.env) and binding the service to the target group Terraform made
// (scheduler.load_balancers). hako never creates, changes or deletes any of those.
local tf = std.native('tfstate');
local env = std.native('must_env');

{
  // `name` is the app's key in the Terraform configuration (aws_lb_target_group.<name>), `port` its container port.
  new(name, image, port):: {
    scheduler: {
      type: 'ecs',
      region: env('REGION'),
      cluster: tf('aws_ecs_cluster.training.name'),
      desired_count: std.parseJson(env('DESIRED_COUNT')),
      cpu: '256',
      memory: '512',
      requires_compatibilities: ['FARGATE'],
      launch_type: 'FARGATE',
      network_mode: 'awsvpc',
      network_configuration: {
        awsvpc_configuration: {
          // A list attribute is a JSON string (as in ecspresso's tfstate): parse it back.
          subnets: std.parseJson(tf('data.aws_subnets.default.ids')),
          security_groups: [tf('aws_security_group.web.id')],
          assign_public_ip: 'DISABLED',
        },
      },
      load_balancers: [
        { target_group_arn: tf('aws_lb_target_group.%s.arn' % name), container_name: 'app', container_port: port },
      ],
    },
    app: {
      image: image,
      cpu: 256,
      memory: 512,
      port_mappings: [{ container_port: port }],
      env: { PORT: std.toString(port) },
    },
  },
}
