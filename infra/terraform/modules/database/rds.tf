# Staging shape: one RDS PostgreSQL instance on gp3 storage that grows on
# demand. Same security settings as Aurora: encrypted, RDS-managed password,
# TLS forced, logs exported.

resource "aws_db_parameter_group" "this" {
  count = local.is_aurora ? 0 : 1

  name        = "${var.name_prefix}-pg${local.major_version}"
  family      = "postgres${local.major_version}"
  description = "TLS only and statement logging for ${var.name_prefix}"

  # Log schema changes and statements slower than one second; refuse
  # clients that do not use TLS.
  parameter {
    name  = "log_statement"
    value = "ddl"
  }

  parameter {
    name  = "log_min_duration_statement"
    value = "1000"
  }

  parameter {
    name  = "rds.force_ssl"
    value = "1"
  }

  lifecycle {
    create_before_destroy = true
  }
}

resource "aws_db_instance" "this" {
  count = local.is_aurora ? 0 : 1

  identifier                    = "${var.name_prefix}-db"
  engine                        = "postgres"
  engine_version                = var.engine_version
  instance_class                = var.instance_class
  db_name                       = var.db_name
  username                      = var.master_username
  manage_master_user_password   = true
  master_user_secret_kms_key_id = var.kms_key_arn
  port                          = 5432

  allocated_storage     = var.allocated_storage
  max_allocated_storage = var.max_allocated_storage
  storage_type          = "gp3"
  storage_encrypted     = true
  kms_key_id            = var.kms_key_arn

  db_subnet_group_name   = aws_db_subnet_group.this.name
  vpc_security_group_ids = var.security_group_ids
  parameter_group_name   = aws_db_parameter_group.this[0].name
  publicly_accessible    = false
  multi_az               = var.multi_az

  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql", "upgrade"]
  performance_insights_enabled        = var.performance_insights_enabled
  #checkov:skip=CKV_AWS_354:Performance Insights data is encrypted with the AWS-managed RDS key unless kms_key_arn is set; a dedicated key is optional.
  performance_insights_kms_key_id = var.performance_insights_enabled ? var.kms_key_arn : null
  monitoring_interval             = var.monitoring_interval
  monitoring_role_arn             = local.monitoring_role_arn
  auto_minor_version_upgrade      = true

  backup_retention_period   = var.backup_retention_days
  backup_window             = var.preferred_backup_window
  maintenance_window        = var.preferred_maintenance_window
  copy_tags_to_snapshot     = true
  deletion_protection       = var.deletion_protection
  skip_final_snapshot       = var.skip_final_snapshot
  final_snapshot_identifier = var.skip_final_snapshot ? null : local.final_snap_id
  apply_immediately         = var.apply_immediately

  tags = { Name = "${var.name_prefix}-db" }

  lifecycle {
    precondition {
      condition     = var.max_allocated_storage >= var.allocated_storage
      error_message = "max_allocated_storage must not be below allocated_storage."
    }
  }
}
