mock_provider "aws" {
  mock_data "aws_caller_identity" {
    defaults = { account_id = "123456789012" }
  }
  mock_data "aws_partition" {
    defaults = { partition = "aws" }
  }
  mock_resource "aws_iam_role" {
    defaults = { arn = "arn:aws:iam::123456789012:role/mocked" }
  }
  mock_resource "aws_ecs_cluster" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:cluster/mocked" }
  }
  mock_resource "aws_ecs_task_definition" {
    defaults = { arn = "arn:aws:ecs:eu-west-1:123456789012:task-definition/mocked:1", arn_without_revision = "arn:aws:ecs:eu-west-1:123456789012:task-definition/mocked" }
  }
  mock_resource "aws_lb" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/mocked/1" }
  }
  mock_resource "aws_lb_target_group" {
    defaults = { arn = "arn:aws:elasticloadbalancing:eu-west-1:123456789012:targetgroup/mocked/1" }
  }
  mock_resource "aws_service_discovery_http_namespace" {
    defaults = { arn = "arn:aws:servicediscovery:eu-west-1:123456789012:namespace/ns-mocked" }
  }
}

variables {
  region             = "eu-west-1"
  environment        = "test"
  domain_name        = "redline.example.com"
  vpc_id             = "vpc-0123456789abcdef0"
  vpc_cidr           = "10.40.0.0/16"
  private_subnet_ids = ["subnet-a", "subnet-b"]
  public_subnet_ids  = ["subnet-c", "subnet-d"]
  redline_image      = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/redline@sha256:0000000000000000000000000000000000000000000000000000000000000001"
  converter_image    = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/redline-converter:1.0.0"
  backup_image       = "123456789012.dkr.ecr.eu-west-1.amazonaws.com/redline-backup:1.0.0"
  documents_bucket   = "docs"
  backups_bucket     = "backups"
  kms_key_arn        = "arn:aws:kms:eu-west-1:123456789012:key/00000000-0000-0000-0000-000000000000"
  certificate_arn    = "arn:aws:acm:eu-west-1:123456789012:certificate/mocked"
  app_secret_arn     = "arn:aws:secretsmanager:eu-west-1:123456789012:secret:redline-app"
}

run "plan" {
  command = plan

  assert {
    condition     = toset(keys(aws_ecs_task_definition.role)) == toset(["api", "worker", "scheduler", "converter", "migrate", "backup"])
    error_message = "a task definition per role plus migrate and backup"
  }
  assert {
    condition     = toset(keys(aws_ecs_service.role)) == toset(["api", "worker", "scheduler", "converter"])
    error_message = "long-running services; migrate and backup are one-off tasks"
  }
  assert {
    condition = alltrue([for k, t in aws_ecs_task_definition.role :
    jsondecode(t.container_definitions)[0].readonlyRootFilesystem && jsondecode(t.container_definitions)[0].user == "10001:10001"])
    error_message = "read-only root filesystem, non-root user"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.role["converter"].container_definitions)[0].healthCheck.startPeriod >= 180
    error_message = "converter health check waits for LibreOffice's first start"
  }
  assert {
    condition     = jsondecode(aws_ecs_task_definition.role["migrate"].container_definitions)[0].command == ["migrate"]
    error_message = "migration task runs redline migrate"
  }
  assert {
    condition     = aws_lb_target_group.api.health_check[0].path == "/healthz"
    error_message = "ALB health check on /healthz"
  }
}
