output "cluster_name" {
  description = "Name of the ECS cluster."
  value       = aws_ecs_cluster.this.name
}

output "cluster_arn" {
  description = "ARN of the ECS cluster."
  value       = aws_ecs_cluster.this.arn
}

output "web_service_name" {
  description = "Name of the web ECS service."
  value       = aws_ecs_service.this["web"].name
}

output "api_service_name" {
  description = "Name of the API ECS service."
  value       = aws_ecs_service.this["api"].name
}

output "task_definition_arns" {
  description = "Map of role (web, api) to task definition ARN."
  value       = { for k, t in aws_ecs_task_definition.this : k => t.arn }
}

output "target_group_arns" {
  description = "Map of role (web, api) to target group ARN."
  value       = { for k, t in aws_lb_target_group.this : k => t.arn }
}

output "alb_dns_name" {
  description = "DNS name of the ALB."
  value       = aws_lb.this.dns_name
}

output "alb_arn" {
  description = "ARN of the ALB."
  value       = aws_lb.this.arn
}

output "alb_arn_suffix" {
  description = "ARN suffix of the ALB, for CloudWatch metric dimensions."
  value       = aws_lb.this.arn_suffix
}

output "alb_zone_id" {
  description = "Route53 zone ID of the ALB, for alias records."
  value       = aws_lb.this.zone_id
}

output "https_enabled" {
  description = "True when domain_name is set and the ALB serves HTTPS (HTTP redirects)."
  value       = local.https_enabled
}

output "website_url" {
  description = "URL of the site: https://<domain_name>, or http://<alb dns name> without a domain."
  value       = local.https_enabled ? "https://${var.domain_name}" : "http://${aws_lb.this.dns_name}"
}

output "certificate_arn" {
  description = "ARN of the validated ACM certificate, or null without a domain."
  value       = local.https_enabled ? aws_acm_certificate_validation.this[0].certificate_arn : null
}

output "route53_zone_id" {
  description = "ID of the hosted zone holding the records, or null without a domain."
  value       = local.zone_id
}

output "route53_name_servers" {
  description = "Name servers of the zone when this module created it (set them at the registrar), else null."
  value       = local.https_enabled && var.create_route53_zone ? aws_route53_zone.this[0].name_servers : null
}

output "scheduler_function_name" {
  description = "Name of the start/stop Lambda, or null when scheduler_enabled is false."
  value       = var.scheduler_enabled ? aws_lambda_function.scheduler[0].function_name : null
}

output "log_group_names" {
  description = "Map of log group purpose (web, api, exec and, with the scheduler, scheduler) to CloudWatch log group name."
  value = merge(
    { for k, g in aws_cloudwatch_log_group.app : k => g.name },
    { exec = aws_cloudwatch_log_group.exec.name },
    var.scheduler_enabled ? { scheduler = aws_cloudwatch_log_group.scheduler[0].name } : {},
  )
}
