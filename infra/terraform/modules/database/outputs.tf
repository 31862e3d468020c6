output "writer_endpoint" {
  description = "Host name of the writer (Aurora cluster endpoint or RDS instance address)."
  value       = local.writer_endpoint
}

output "reader_endpoint" {
  description = "Host name for read-only traffic (Aurora reader endpoint; the instance address for RDS)."
  value       = local.reader_endpoint
}

output "port" {
  description = "PostgreSQL port."
  value       = local.port
}

output "database_url_parameter_arn" {
  description = "ARN of the SecureString SSM parameter holding the password-less DATABASE_URL."
  value       = aws_ssm_parameter.database_url.arn
}

output "database_url_parameter_name" {
  description = "Name of the SSM parameter holding DATABASE_URL."
  value       = aws_ssm_parameter.database_url.name
}

output "master_user_secret_arn" {
  description = "ARN of the RDS-managed Secrets Manager secret with the master credentials (JSON keys username and password)."
  value       = local.master_secret
}

output "db_name" {
  description = "Name of the application database."
  value       = var.db_name
}

output "master_username" {
  description = "Master user name."
  value       = var.master_username
}

output "engine" {
  description = "Which database shape was created: aurora-serverless-v2 or rds."
  value       = var.engine
}
