# Connection details for the application and for scripts/connect_to_awsdb.sh.
# DATABASE_URL deliberately carries no password: ECS injects the RDS-managed
# password as DATABASE_PASSWORD (valueFrom "<master_user_secret_arn>:password::")
# and the application merges it, so rotation never leaves a stale copy here.

locals {
  writer_endpoint = local.is_aurora ? aws_rds_cluster.this[0].endpoint : aws_db_instance.this[0].address
  reader_endpoint = local.is_aurora ? aws_rds_cluster.this[0].reader_endpoint : aws_db_instance.this[0].address
  port            = 5432
  master_secret = (local.is_aurora
    ? aws_rds_cluster.this[0].master_user_secret[0].secret_arn
    : aws_db_instance.this[0].master_user_secret[0].secret_arn
  )
  database_url = "postgres://${var.master_username}@${local.writer_endpoint}:${local.port}/${var.db_name}?sslmode=require"
}

resource "aws_ssm_parameter" "endpoint" {
  #checkov:skip=CKV2_AWS_34:A host name is not secret; String keeps it readable by the connect script without decrypt rights.
  name        = "${var.ssm_parameter_prefix}/db/endpoint"
  description = "Writer endpoint of the ${var.name_prefix} database"
  type        = "String"
  value       = local.writer_endpoint
}

resource "aws_ssm_parameter" "reader_endpoint" {
  #checkov:skip=CKV2_AWS_34:A host name is not secret; String keeps it readable by the connect script without decrypt rights.
  name        = "${var.ssm_parameter_prefix}/db/reader_endpoint"
  description = "Reader endpoint of the ${var.name_prefix} database (same as the writer for a single RDS instance)"
  type        = "String"
  value       = local.reader_endpoint
}

resource "aws_ssm_parameter" "master_secret_arn" {
  #checkov:skip=CKV2_AWS_34:An ARN is not secret; reading the secret it names still needs secretsmanager:GetSecretValue.
  name        = "${var.ssm_parameter_prefix}/db/master_secret_arn"
  description = "ARN of the RDS-managed master user secret of ${var.name_prefix}"
  type        = "String"
  value       = local.master_secret
}

resource "aws_ssm_parameter" "database_url" {
  #checkov:skip=CKV_AWS_337:Encrypted with the AWS-managed aws/ssm key, which the execution role can use without extra grants; the URL holds no password.
  name        = "${var.ssm_parameter_prefix}/DATABASE_URL"
  description = "Password-less PostgreSQL URL of ${var.name_prefix}; the password comes from DATABASE_PASSWORD"
  type        = "SecureString"
  value       = local.database_url
}
