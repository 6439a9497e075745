# Redline on ECS Fargate: the alternative to EKS. One task definition per role, services for
# api/worker/scheduler/converter, a one-off migration task (run by CD before each rollout, see
# the `migrate_command` output), a nightly backup task, an ALB with HTTPS and autoscaling.
# Networking, data stores and buckets come from deploy/terraform/aws (or your own), as inputs.
terraform {
  required_version = ">= 1.11.0"
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 5.100.0, < 6.0.0"
    }
  }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { Application = "redline", Environment = var.environment, ManagedBy = "terraform" }
  }
}

data "aws_caller_identity" "current" {}
data "aws_partition" "current" {}

locals {
  name      = "redline-${var.environment}-ecs"
  partition = data.aws_partition.current.partition
  # Every role reads only REDLINE_* and AWS_* variables.
  common_environment = [
    { name = "REDLINE_HOST", value = "0.0.0.0" },
    { name = "REDLINE_DATA_DIR", value = "/tmp/redline" },
    { name = "REDLINE_LOG_FORMAT", value = "json" },
    { name = "REDLINE_LOG_LEVEL", value = var.log_level },
    { name = "REDLINE_STORAGE_URL", value = "s3://${var.documents_bucket}/documents" },
    { name = "REDLINE_CONVERTER_URL", value = "http://redline-converter:8081" },
    { name = "REDLINE_CORS_ORIGINS", value = "https://${var.domain_name}" },
    { name = "AWS_REGION", value = var.region },
  ]
  # Credentials from one Secrets Manager secret (JSON keys), injected by the ECS agent.
  app_secrets = [
    { name = "REDLINE_DATABASE_URL", valueFrom = "${var.app_secret_arn}:REDLINE_DATABASE_URL::" },
    { name = "REDLINE_SECRET_KEY", valueFrom = "${var.app_secret_arn}:REDLINE_SECRET_KEY::" },
    { name = "REDLINE_REDIS_URL", valueFrom = "${var.app_secret_arn}:REDLINE_REDIS_URL::" },
  ]
  roles = {
    api       = { image = var.redline_image, command = ["serve", "--api-only"], cpu = 1024, memory = 2048, port = 8080, secrets = true, health = "/healthz", start = 30 }
    worker    = { image = var.redline_image, command = ["worker"], cpu = 2048, memory = 4096, port = 8080, secrets = true, health = "/healthz", start = 30 }
    scheduler = { image = var.redline_image, command = ["scheduler"], cpu = 256, memory = 512, port = 8080, secrets = true, health = "/healthz", start = 30 }
    # LibreOffice's first start takes 60-120 s: the container health check waits 240 s.
    converter = { image = var.converter_image, command = ["converter"], cpu = 2048, memory = 4096, port = 8081, secrets = false, health = "/healthz", start = 240 }
    migrate   = { image = var.redline_image, command = ["migrate"], cpu = 512, memory = 1024, port = 8080, secrets = true, health = "", start = 0 }
    backup    = { image = var.backup_image, command = [], cpu = 512, memory = 1024, port = 0, secrets = true, health = "", start = 0 }
  }
  services = {
    api       = { desired = 2, autoscale = true }
    worker    = { desired = 2, autoscale = true }
    scheduler = { desired = 2, autoscale = false } # one active (PostgreSQL advisory lock), one standby
    converter = { desired = 2, autoscale = true }
  }
}

resource "aws_ecs_cluster" "main" {
  name = local.name
  setting {
    name  = "containerInsights"
    value = "enabled"
  }
}

resource "aws_cloudwatch_log_group" "main" {
  name              = "/ecs/${local.name}"
  retention_in_days = 365
  kms_key_id        = var.kms_key_arn
}

resource "aws_service_discovery_http_namespace" "main" {
  name = local.name
}

# ---------------------------------------------------------------- IAM

resource "aws_iam_role" "execution" {
  name = "${local.name}-execution"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "ecs-tasks.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy_attachment" "execution" {
  role       = aws_iam_role.execution.name
  policy_arn = "arn:${local.partition}:iam::aws:policy/service-role/AmazonECSTaskExecutionRolePolicy"
}

resource "aws_iam_role_policy" "execution_secrets" {
  name = "read-app-secret"
  role = aws_iam_role.execution.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "secretsmanager:GetSecretValue", Resource = var.app_secret_arn },
      { Effect = "Allow", Action = "kms:Decrypt", Resource = var.kms_key_arn },
    ]
  })
}

# The task role: what Redline itself may do (the same scope as the EKS IRSA role).
resource "aws_iam_role" "task" {
  name = "${local.name}-task"
  assume_role_policy = jsonencode({
    Version = "2012-10-17"
    Statement = [{
      Effect    = "Allow"
      Principal = { Service = "ecs-tasks.amazonaws.com" }
      Action    = "sts:AssumeRole"
      Condition = { StringEquals = { "aws:SourceAccount" = data.aws_caller_identity.current.account_id } }
    }]
  })
}

resource "aws_iam_role_policy" "task" {
  name = "redline-s3"
  role = aws_iam_role.task.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      {
        Effect   = "Allow"
        Action   = ["s3:ListBucket", "s3:GetBucketLocation", "s3:GetBucketCors", "s3:ListBucketMultipartUploads"]
        Resource = ["arn:${local.partition}:s3:::${var.documents_bucket}", "arn:${local.partition}:s3:::${var.backups_bucket}"]
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = "arn:${local.partition}:s3:::${var.documents_bucket}/*"
      },
      {
        Effect   = "Allow"
        Action   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload", "s3:ListMultipartUploadParts"]
        Resource = "arn:${local.partition}:s3:::${var.backups_bucket}/*"
      },
      { Effect = "Allow", Action = ["kms:Decrypt", "kms:GenerateDataKey", "kms:DescribeKey"], Resource = var.kms_key_arn },
    ]
  })
}

# ---------------------------------------------------------------- task definitions

resource "aws_ecs_task_definition" "role" {
  for_each                 = local.roles
  family                   = "${local.name}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = each.value.cpu
  memory                   = each.value.memory
  execution_role_arn       = aws_iam_role.execution.arn
  task_role_arn            = aws_iam_role.task.arn
  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = "X86_64"
  }
  # The only writable path: /tmp (Fargate task storage), root filesystem read-only.
  volume {
    name = "tmp"
  }
  container_definitions = jsonencode([merge({
    name                   = each.key
    image                  = each.value.image
    essential              = true
    user                   = "10001:10001"
    readonlyRootFilesystem = true
    privileged             = false
    environment = concat(local.common_environment,
      each.value.port > 0 ? [{ name = "REDLINE_PORT", value = tostring(each.value.port) }] : [],
      each.key == "converter" ? [{ name = "REDLINE_CONVERTER_POOL_SIZE", value = "2" }] : [],
      each.key == "backup" ? [{ name = "REDLINE_BACKUP_TARGET", value = "s3://${var.backups_bucket}/postgres" }] : [],
    )
    secrets     = each.value.secrets ? local.app_secrets : []
    mountPoints = [{ sourceVolume = "tmp", containerPath = "/tmp", readOnly = false }]
    linuxParameters = {
      initProcessEnabled = true
      capabilities       = { drop = ["ALL"] }
    }
    logConfiguration = {
      logDriver = "awslogs"
      options = {
        awslogs-group         = aws_cloudwatch_log_group.main.name
        awslogs-region        = var.region
        awslogs-stream-prefix = each.key
      }
    }
    },
    # (jsonencode/jsondecode: the two branches have different object types)
    jsondecode(length(each.value.command) > 0 ? jsonencode({ command = each.value.command }) : "{}"),
    jsondecode(each.value.port > 0 && each.value.health != "" ? jsonencode({
      portMappings = [{ name = each.key, containerPort = each.value.port, protocol = "tcp", appProtocol = "http" }]
      healthCheck = {
        command     = ["CMD", "curl", "-fsS", "-o", "/dev/null", "http://127.0.0.1:${each.value.port}${each.value.health}"]
        interval    = 15
        timeout     = 5
        retries     = 3
        startPeriod = each.value.start
      }
    }) : "{}")
  )])
}

# ---------------------------------------------------------------- network

resource "aws_security_group" "alb" {
  name        = "${local.name}-alb"
  description = "Redline ALB: HTTPS (and HTTP, redirected) from the internet"
  vpc_id      = var.vpc_id
  #checkov:skip=CKV_AWS_260:Port 80 only answers a redirect to HTTPS (listener below)
  ingress {
    description = "HTTPS"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = var.allowed_cidrs
  }
  ingress {
    description = "HTTP, redirected to HTTPS"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = var.allowed_cidrs
  }
  egress {
    description = "To the API tasks"
    from_port   = 8080
    to_port     = 8080
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
}

resource "aws_security_group" "tasks" {
  name        = "${local.name}-tasks"
  description = "Redline tasks"
  vpc_id      = var.vpc_id
  ingress {
    description     = "API from the ALB"
    from_port       = 8080
    to_port         = 8080
    protocol        = "tcp"
    security_groups = [aws_security_group.alb.id]
  }
  ingress {
    description = "Converter and probes between Redline tasks"
    from_port   = 8080
    to_port     = 8081
    protocol    = "tcp"
    self        = true
  }
  egress {
    description = "HTTPS: S3, Secrets Manager, ECR, STS and source_url fetches"
    from_port   = 443
    to_port     = 443
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    description = "HTTP source_url fetches"
    from_port   = 80
    to_port     = 80
    protocol    = "tcp"
    cidr_blocks = ["0.0.0.0/0"]
  }
  egress {
    description = "PostgreSQL inside the VPC"
    from_port   = 5432
    to_port     = 5432
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
  egress {
    description = "Valkey inside the VPC"
    from_port   = 6379
    to_port     = 6379
    protocol    = "tcp"
    cidr_blocks = [var.vpc_cidr]
  }
  egress {
    description = "Converter between Redline tasks"
    from_port   = 8081
    to_port     = 8081
    protocol    = "tcp"
    self        = true
  }
}

resource "aws_lb" "main" {
  name                       = substr(local.name, 0, 32)
  load_balancer_type         = "application"
  internal                   = false
  subnets                    = var.public_subnet_ids
  security_groups            = [aws_security_group.alb.id]
  drop_invalid_header_fields = true
  enable_deletion_protection = true
  idle_timeout               = 300
  #checkov:skip=CKV_AWS_91:ALB access logs need a log bucket with an ELB bucket policy; enable with access_logs when you have one
  #checkov:skip=CKV2_AWS_28:WAF is deployment-specific; attach a web ACL with aws_wafv2_web_acl_association
}

resource "aws_lb_target_group" "api" {
  name                 = substr("${local.name}-api", 0, 32)
  port                 = 8080
  protocol             = "HTTP"
  target_type          = "ip"
  vpc_id               = var.vpc_id
  deregistration_delay = 30
  health_check {
    path                = "/healthz"
    matcher             = "200"
    interval            = 15
    healthy_threshold   = 2
    unhealthy_threshold = 3
  }
}

resource "aws_lb_listener" "http" {
  load_balancer_arn = aws_lb.main.arn
  port              = 80
  protocol          = "HTTP"
  #checkov:skip=CKV_AWS_2:This listener only redirects to HTTPS
  #checkov:skip=CKV_AWS_103:This listener only redirects to HTTPS
  default_action {
    type = "redirect"
    redirect {
      port        = "443"
      protocol    = "HTTPS"
      status_code = "HTTP_301"
    }
  }
}

resource "aws_lb_listener" "https" {
  load_balancer_arn = aws_lb.main.arn
  port              = 443
  protocol          = "HTTPS"
  ssl_policy        = "ELBSecurityPolicy-TLS13-1-2-2021-06"
  certificate_arn   = var.certificate_arn
  default_action {
    type             = "forward"
    target_group_arn = aws_lb_target_group.api.arn
  }
}

# ---------------------------------------------------------------- services

resource "aws_ecs_service" "role" {
  for_each               = local.services
  name                   = "${local.name}-${each.key}"
  cluster                = aws_ecs_cluster.main.id
  task_definition        = aws_ecs_task_definition.role[each.key].arn
  desired_count          = each.value.desired
  launch_type            = "FARGATE"
  platform_version       = "LATEST"
  enable_execute_command = false
  propagate_tags         = "SERVICE"

  network_configuration {
    subnets          = var.private_subnet_ids
    security_groups  = [aws_security_group.tasks.id]
    assign_public_ip = false
  }

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200
  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  # The converter is reachable as http://redline-converter:8081 from the other services.
  service_connect_configuration {
    enabled   = true
    namespace = aws_service_discovery_http_namespace.main.arn
    dynamic "service" {
      for_each = each.key == "converter" ? [1] : []
      content {
        port_name = "converter"
        client_alias {
          dns_name = "redline-converter"
          port     = 8081
        }
      }
    }
  }

  dynamic "load_balancer" {
    for_each = each.key == "api" ? [1] : []
    content {
      target_group_arn = aws_lb_target_group.api.arn
      container_name   = "api"
      container_port   = 8080
    }
  }
  health_check_grace_period_seconds = each.key == "api" ? 60 : null

  lifecycle {
    # Application Auto Scaling owns desired_count; CD owns the task definition revision.
    ignore_changes = [desired_count]
  }
  depends_on = [aws_lb_listener.https]
}

resource "aws_appautoscaling_target" "role" {
  for_each           = { for k, v in local.services : k => v if v.autoscale }
  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.main.name}/${aws_ecs_service.role[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = 2
  max_capacity       = var.max_tasks
}

resource "aws_appautoscaling_policy" "cpu" {
  for_each           = aws_appautoscaling_target.role
  name               = "${each.key}-cpu"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = each.value.service_namespace
  resource_id        = each.value.resource_id
  scalable_dimension = each.value.scalable_dimension
  target_tracking_scaling_policy_configuration {
    target_value       = 70
    scale_in_cooldown  = 300
    scale_out_cooldown = 60
    predefined_metric_specification {
      predefined_metric_type = "ECSServiceAverageCPUUtilization"
    }
  }
}

# ---------------------------------------------------------------- nightly backup

resource "aws_iam_role" "scheduler" {
  name = "${local.name}-backup-schedule"
  assume_role_policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Principal = { Service = "scheduler.amazonaws.com" }, Action = "sts:AssumeRole" }]
  })
}

resource "aws_iam_role_policy" "scheduler" {
  name = "run-backup-task"
  role = aws_iam_role.scheduler.id
  policy = jsonencode({
    Version = "2012-10-17"
    Statement = [
      { Effect = "Allow", Action = "ecs:RunTask", Resource = aws_ecs_task_definition.role["backup"].arn_without_revision },
      { Effect = "Allow", Action = "iam:PassRole", Resource = [aws_iam_role.execution.arn, aws_iam_role.task.arn] },
    ]
  })
}

resource "aws_scheduler_schedule" "backup" {
  name                         = "${local.name}-backup"
  schedule_expression          = "cron(17 2 * * ? *)"
  schedule_expression_timezone = "Etc/UTC"
  kms_key_arn                  = var.kms_key_arn
  flexible_time_window {
    mode = "OFF"
  }
  target {
    arn      = aws_ecs_cluster.main.arn
    role_arn = aws_iam_role.scheduler.arn
    ecs_parameters {
      task_definition_arn = aws_ecs_task_definition.role["backup"].arn_without_revision
      launch_type         = "FARGATE"
      network_configuration {
        subnets          = var.private_subnet_ids
        security_groups  = [aws_security_group.tasks.id]
        assign_public_ip = false
      }
    }
  }
}
