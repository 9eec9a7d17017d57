# The infrastructure of the Terraform variant of the training scenario: what terraform.tfstate describes (its ids
# are placeholders; the integration test and scripts/bench-terraform.ts make the same resources in the local
# emulator and write a state with their real ids). hako reads it and deploys the apps; Terraform owns all of this.

provider "aws" {
  region = "ap-northeast-1"
}

data "aws_vpc" "default" {
  default = true
}

data "aws_subnets" "default" {
  filter {
    name   = "vpc-id"
    values = [data.aws_vpc.default.id]
  }
  filter {
    name   = "default-for-az"
    values = ["true"]
  }
}

resource "aws_ecs_cluster" "training" {
  name = "hako-training-tf"
}

resource "aws_security_group" "web" {
  name        = "hako-training-tf-web"
  description = "hako training (Terraform variant): ALB and tasks"
  vpc_id      = data.aws_vpc.default.id
}

resource "aws_lb" "training" {
  name               = "hako-training-tf"
  load_balancer_type = "application"
  subnets            = data.aws_subnets.default.ids
  security_groups    = [aws_security_group.web.id]
}

resource "aws_lb_target_group" "nodejs" {
  name        = "tf-nodejs"
  port        = 3000
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.default.id
}

resource "aws_lb_target_group" "golang" {
  name        = "tf-golang"
  port        = 8080
  protocol    = "HTTP"
  target_type = "ip"
  vpc_id      = data.aws_vpc.default.id
}

resource "aws_lb_listener" "nodejs" {
  load_balancer_arn = aws_lb.training.arn
  port              = 80
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.nodejs.arn
  }
}

resource "aws_lb_listener" "golang" {
  load_balancer_arn = aws_lb.training.arn
  port              = 8080
  protocol          = "HTTP"
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.golang.arn
  }
}
