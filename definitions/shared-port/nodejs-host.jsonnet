// Variant of the training scenario: both apps share listener port 80 and are told apart by host name.
// nodejs-host owns the listener (its default action forwards to nodejs-host); each app owns its host-header rule.
local service = import '../lib/fargate-service.libsonnet';

service.new(std.extVar('appId'), 'public.ecr.aws/docker/library/node:22-alpine', 3000, {
  listeners: [{ port: 80, protocol: 'HTTP' }],
  rules: [{ listener_port: 80, priority: 10, host_header: 'node.demo.hako.test' }],
})
