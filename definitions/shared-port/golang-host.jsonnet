// Variant of the training scenario: the Go app shares port 80 (owned by nodejs-host) through a host-header rule.
local service = import '../lib/fargate-service.libsonnet';

service.new(std.extVar('appId'), 'public.ecr.aws/docker/library/golang:1.23-alpine', 8080, {
  rules: [{ listener_port: 80, priority: 20, host_header: 'go.demo.hako.test' }],
})
