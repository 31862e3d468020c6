# One task definition and one service per role, both from the same image.
# The image's ENTRYPOINT is the `tidily` binary; the command picks the role.

locals {
  common_environment = merge(
    {
      APP_ENV         = local.app_env
      BIND            = "0.0.0.0"
      BASE_URL        = var.base_url
      TRUSTED_PROXIES = join(",", var.trusted_proxy_cidrs)
      # The ALB reuses idle connections to a target for up to its idle timeout, so a target
      # must keep them open longer or a request can land on a connection being closed (502).
      # The ALB reads whole headers before it forwards, so no slow client reaches the task.
      HEADER_TIMEOUT_SECS = tostring(min(var.alb_idle_timeout + 5, 4096))
    },
    var.enable_datadog_agent ? {
      DD_ENV               = var.environment
      DD_VERSION           = local.image_version
      DD_AGENT_HOST        = "localhost"
      DD_TRACE_AGENT_URL   = "http://localhost:8126"
      DD_TRACE_SAMPLE_RATE = tostring(var.dd_trace_sample_rate)
      DD_TRACE_RATE_LIMIT  = tostring(var.dd_trace_rate_limit)
      DD_LOGS_INJECTION    = "true"
    } : {},
    var.app_environment,
  )

  app_secrets = [for name in sort(keys(var.app_secrets)) : { name = name, valueFrom = var.app_secrets[name] }]

  # Writable scratch space for a read-only root filesystem: /tmp for the app,
  # and the two directories the ECS Exec agent writes to.
  scratch_volumes = {
    tmp     = "/tmp"
    ssm-lib = "/var/lib/amazon/ssm"
    ssm-log = "/var/log/amazon/ssm"
  }

  container_definitions = {
    for role, cfg in local.roles : role => concat(
      [
        {
          name        = role
          image       = var.container_image
          essential   = true
          command     = ["serve", "--role", role]
          stopTimeout = 30
          portMappings = [{
            name          = role
            containerPort = cfg.port
            hostPort      = cfg.port
            protocol      = "tcp"
          }]
          environment = [
            for k, v in merge(local.common_environment, {
              PORT       = tostring(cfg.port)
              DD_SERVICE = "${var.dd_service_prefix}-${role}"
            }) : { name = k, value = v }
          ]
          secrets                = local.app_secrets
          readonlyRootFilesystem = true
          linuxParameters        = { initProcessEnabled = true }
          mountPoints = [
            for vol, path in local.scratch_volumes : { sourceVolume = vol, containerPath = path, readOnly = false }
          ]
          dockerLabels = {
            "com.datadoghq.tags.env"     = var.environment
            "com.datadoghq.tags.service" = "${var.dd_service_prefix}-${role}"
            "com.datadoghq.tags.version" = local.image_version
          }
          logConfiguration = {
            logDriver = "awslogs"
            options = {
              awslogs-group         = aws_cloudwatch_log_group.app[role].name
              awslogs-region        = var.aws_region
              awslogs-stream-prefix = role
            }
          }
        }
      ],
      var.enable_datadog_agent ? [
        {
          name              = "datadog-agent"
          image             = var.dd_agent_image
          essential         = false
          memoryReservation = 128
          portMappings = [{
            containerPort = 8126
            hostPort      = 8126
            protocol      = "tcp"
          }]
          environment = [
            { name = "DD_SITE", value = var.dd_site },
            { name = "DD_ENV", value = var.environment },
            { name = "DD_SERVICE", value = "${var.dd_service_prefix}-${role}" },
            { name = "ECS_FARGATE", value = "true" },
            { name = "DD_APM_ENABLED", value = "true" },
            { name = "DD_APM_RECEIVER_PORT", value = "8126" },
          ]
          secrets = [{ name = "DD_API_KEY", valueFrom = coalesce(var.dd_api_key_secret_arn, "unset") }]
          logConfiguration = {
            logDriver = "awslogs"
            options = {
              awslogs-group         = aws_cloudwatch_log_group.app[role].name
              awslogs-region        = var.aws_region
              awslogs-stream-prefix = "datadog"
            }
          }
        }
      ] : [],
    )
  }
}

resource "aws_ecs_task_definition" "this" {
  #checkov:skip=CKV_AWS_336:The app container is read-only; only the optional Datadog agent sidecar keeps a writable root for its runtime state.
  for_each = local.roles

  family                   = "${var.name_prefix}-${each.key}"
  requires_compatibilities = ["FARGATE"]
  network_mode             = "awsvpc"
  cpu                      = tostring(each.value.cpu)
  memory                   = tostring(each.value.memory)
  execution_role_arn       = var.task_execution_role_arn
  task_role_arn            = var.task_role_arn
  container_definitions    = jsonencode(local.container_definitions[each.key])

  runtime_platform {
    operating_system_family = "LINUX"
    cpu_architecture        = var.cpu_architecture
  }

  dynamic "volume" {
    for_each = local.scratch_volumes

    content {
      name = volume.key
    }
  }

  tags = { Name = "${var.name_prefix}-${each.key}" }

  lifecycle {
    precondition {
      condition     = !var.enable_datadog_agent || var.dd_api_key_secret_arn != null
      error_message = "enable_datadog_agent needs dd_api_key_secret_arn."
    }
  }
}

resource "aws_ecs_service" "this" {
  #checkov:skip=CKV_AWS_333:Public IPs are only assigned when assign_public_ip is true (staging, which has no NAT gateway and admits traffic only from the ALB security group).
  for_each = local.roles

  name                              = "${var.name_prefix}-${each.key}"
  cluster                           = aws_ecs_cluster.this.id
  task_definition                   = aws_ecs_task_definition.this[each.key].arn
  desired_count                     = var.desired_count
  launch_type                       = "FARGATE"
  platform_version                  = "LATEST"
  enable_execute_command            = true
  health_check_grace_period_seconds = var.health_check_grace_period
  propagate_tags                    = "SERVICE"
  enable_ecs_managed_tags           = true

  deployment_minimum_healthy_percent = 100
  deployment_maximum_percent         = 200

  deployment_circuit_breaker {
    enable   = true
    rollback = true
  }

  network_configuration {
    subnets          = var.service_subnet_ids
    security_groups  = [var.ecs_security_group_id]
    assign_public_ip = var.assign_public_ip
  }

  load_balancer {
    target_group_arn = aws_lb_target_group.this[each.key].arn
    container_name   = each.key
    container_port   = each.value.port
  }

  tags = { Name = "${var.name_prefix}-${each.key}" }

  # Auto scaling and the staging scheduler own the task count after creation.
  lifecycle {
    ignore_changes = [desired_count]
  }

  # Wait for every listener and the /api/* rule, not only the HTTP listener,
  # so the first tasks never register before routing exists (defect 6).
  depends_on = [
    aws_lb_listener.http,
    aws_lb_listener.https,
    aws_lb_listener_rule.api,
  ]
}
