// Training scenario: a node.js app answering on port 80 of the shared ALB (its own listener).
local service = import 'lib/fargate-service.libsonnet';

service.new(std.extVar('appId'), 'public.ecr.aws/docker/library/node:22-alpine', 3000, {
  listeners: [{ port: 80, protocol: 'HTTP' }],
}) + {
  app+: { command: ['node', '-e', "require('http').createServer((q, s) => s.end('hello from node')).listen(3000)"] },
}
