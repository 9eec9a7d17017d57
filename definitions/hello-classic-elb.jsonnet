// hako's hello-lb / hello-autoscaling shape: a web app behind the nginx front proxy on the EC2 launch type, served by
// a classic load balancer (`scheduler.elb`). hako creates the load balancer `hako-hello-classic-elb` (tagged
// hako:created-by, so that only this app's `remove` deletes it), gives the front container a fixed host port — the
// instance port the load balancer forwards to, from 10000 up, as hako allocated it — and creates the service bound
// to it. Subnets and security groups come from the environment (lib/network.libsonnet).
local front = import 'lib/front.libsonnet';
local network = import 'lib/network.libsonnet';

{
  scheduler: {
    type: 'ecs',
    region: 'ap-northeast-1',
    cluster: 'hako-demo',
    desired_count: 1,
    elb: {
      listeners: [{ load_balancer_port: 80, protocol: 'HTTP' }],
      subnets: network.subnets,
      security_groups: network.security_groups,
      cross_zone_load_balancing: true,
      tags: { team: 'platform' },
    },
  },
  app: {
    image: 'ryotarai/hello-sinatra',
    tag: 'latest',
    cpu: 128,
    memory: 256,
    env: { PORT: '3000' },
  },
  sidecars: {
    front: front.container,
  },
  scripts: [
    front.script(3000) + { locations: { '/': { allow_only_from: ['10.0.0.0/24'] } } },
  ],
}
