// Training scenario, Terraform variant: the Go app behind the same ALB, on the target group Terraform's listener on
// port 8080 forwards to. `hako deploy --envfile definitions/terraform/base.env definitions/terraform/golang.jsonnet`
local service = import 'service.libsonnet';

service.new('golang', 'public.ecr.aws/docker/library/golang:1.23-alpine', 8080)
