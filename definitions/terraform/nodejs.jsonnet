// Training scenario, Terraform variant: the node.js app behind the ALB Terraform made, on the target group its
// listener on port 80 forwards to. `hako deploy --envfile definitions/terraform/base.env definitions/terraform/nodejs.jsonnet`
local service = import 'service.libsonnet';

service.new('nodejs', 'public.ecr.aws/docker/library/node:22-alpine', 3000) + {
  app+: { command: ['node', '-e', "require('http').createServer((q, s) => s.end('hello from node')).listen(3000)"] },
}
