// Training scenario: a Go app on port 8080 of the same ALB as nodejs.jsonnet (its own listener).
local service = import 'lib/fargate-service.libsonnet';

service.new(std.extVar('appId'), 'public.ecr.aws/docker/library/golang:1.23-alpine', 8080, {
  listeners: [{ port: 8080, protocol: 'HTTP' }],
})
