# Cluster, log groups and the values both task definitions share.

locals {
  roles = {
    web = {
      port              = var.web_port
      cpu               = var.web_cpu
      memory            = var.web_memory
      health_check_path = var.web_health_check_path
    }
    api = {
      port              = var.api_port
      cpu               = var.api_cpu
      memory            = var.api_memory
      health_check_path = var.api_health_check_path
    }
  }

  https_enabled = var.domain_name != null
  app_env       = coalesce(var.app_env, var.environment == "prod" ? "production" : "staging")
  image_version = element(split(":", element(split("@", var.container_image), 0)), length(split(":", element(split("@", var.container_image), 0))) - 1)
}

resource "aws_cloudwatch_log_group" "app" {
  #checkov:skip=CKV_AWS_338:Retention follows the seeds (7 days staging, 30 prod); these are operational logs, audit events live in the database.
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts at rest with service keys; a customer key can be supplied through log_kms_key_arn.
  for_each = local.roles

  name              = "/ecs/${var.name_prefix}-${each.key}"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
}

# Transcripts of ECS Exec sessions (the task role may write here).
resource "aws_cloudwatch_log_group" "exec" {
  #checkov:skip=CKV_AWS_338:Retention follows the environment's log retention (7 or 30 days).
  #checkov:skip=CKV_AWS_158:CloudWatch Logs encrypts at rest with service keys; a customer key can be supplied through log_kms_key_arn.
  name              = "/ecs/${var.name_prefix}-exec"
  retention_in_days = var.log_retention_days
  kms_key_id        = var.log_kms_key_arn
}

resource "aws_ecs_cluster" "this" {
  #checkov:skip=CKV_AWS_65:Container Insights is a per-environment cost choice (on in prod, off in staging as the seeds specify) through container_insights.
  #checkov:skip=CKV_AWS_224:ECS Exec logging is on (OVERRIDE to the exec log group); a customer key for it is optional through log_kms_key_arn.
  name = "${var.name_prefix}-cluster"

  setting {
    name  = "containerInsights"
    value = var.container_insights ? "enabled" : "disabled"
  }

  configuration {
    execute_command_configuration {
      kms_key_id = var.log_kms_key_arn
      logging    = "OVERRIDE"

      log_configuration {
        cloud_watch_log_group_name     = aws_cloudwatch_log_group.exec.name
        cloud_watch_encryption_enabled = var.log_kms_key_arn != null
      }
    }
  }

  tags = { Name = "${var.name_prefix}-cluster" }
}

resource "aws_ecs_cluster_capacity_providers" "this" {
  cluster_name       = aws_ecs_cluster.this.name
  capacity_providers = ["FARGATE"]

  default_capacity_provider_strategy {
    capacity_provider = "FARGATE"
    weight            = 1
  }
}
