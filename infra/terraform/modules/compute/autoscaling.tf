# Target tracking on average CPU and memory, per service. Scale out fast
# (60 s), scale in slowly (300 s).

locals {
  scaling_metrics = {
    cpu    = { metric = "ECSServiceAverageCPUUtilization", target = var.cpu_target }
    memory = { metric = "ECSServiceAverageMemoryUtilization", target = var.memory_target }
  }

  scaling_policies = var.autoscaling_enabled ? {
    for pair in setproduct(keys(local.roles), keys(local.scaling_metrics)) : "${pair[0]}-${pair[1]}" => {
      role   = pair[0]
      metric = local.scaling_metrics[pair[1]].metric
      target = local.scaling_metrics[pair[1]].target
    }
  } : {}
}

resource "aws_appautoscaling_target" "this" {
  for_each = var.autoscaling_enabled ? local.roles : {}

  service_namespace  = "ecs"
  resource_id        = "service/${aws_ecs_cluster.this.name}/${aws_ecs_service.this[each.key].name}"
  scalable_dimension = "ecs:service:DesiredCount"
  min_capacity       = var.autoscaling_min
  max_capacity       = var.autoscaling_max

  lifecycle {
    precondition {
      condition     = var.autoscaling_max >= var.autoscaling_min
      error_message = "autoscaling_max must not be below autoscaling_min."
    }
  }
}

resource "aws_appautoscaling_policy" "this" {
  for_each = local.scaling_policies

  name               = "${var.name_prefix}-${each.key}"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.this[each.value.role].service_namespace
  resource_id        = aws_appautoscaling_target.this[each.value.role].resource_id
  scalable_dimension = aws_appautoscaling_target.this[each.value.role].scalable_dimension

  target_tracking_scaling_policy_configuration {
    target_value       = each.value.target
    scale_out_cooldown = var.scale_out_cooldown
    scale_in_cooldown  = var.scale_in_cooldown

    predefined_metric_specification {
      predefined_metric_type = each.value.metric
    }
  }
}

# The scheduler sets desired counts to 0 at night. A scaling target whose
# minimum is above 0 would fight it, so warn when both are on.
check "scheduler_vs_autoscaling" {
  assert {
    condition     = !(var.scheduler_enabled && var.autoscaling_enabled && var.autoscaling_min > 0)
    error_message = "scheduler_enabled with autoscaling_enabled and autoscaling_min > 0: auto scaling may restart tasks the scheduler stopped. Use one or the other, or set autoscaling_min = 0."
  }
}
