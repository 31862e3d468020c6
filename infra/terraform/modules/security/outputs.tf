output "alb_security_group_id" {
  description = "Security group for the application load balancer."
  value       = aws_security_group.alb.id
}

output "ecs_security_group_id" {
  description = "Security group for the ECS tasks (web and API)."
  value       = aws_security_group.ecs.id
}

output "database_security_group_id" {
  description = "Security group for the database (RDS instance or Aurora cluster)."
  value       = aws_security_group.database.id
}

output "task_execution_role_arn" {
  description = "ARN of the ECS task execution role (image pull, logs, container secrets)."
  value       = aws_iam_role.task_execution.arn
}

output "task_role_arn" {
  description = "ARN of the ECS task role (the application's own AWS permissions)."
  value       = aws_iam_role.task.arn
}

output "waf_web_acl_arn" {
  description = "ARN of the WAFv2 web ACL, or null when enable_waf is false."
  value       = var.enable_waf ? aws_wafv2_web_acl.this[0].arn : null
}

output "waf_web_acl_name" {
  description = "Name of the WAFv2 web ACL (for CloudWatch metric queries), or null when enable_waf is false."
  value       = var.enable_waf ? aws_wafv2_web_acl.this[0].name : null
}

output "vpc_cidr" {
  description = "The VPC CIDR block this module was given."
  value       = var.vpc_cidr
}
