# Production shape: Aurora PostgreSQL, provisioned engine mode with
# Serverless v2 capacity, one writer and (aurora_instance_count - 1) readers.
# Unlike the original, storage is encrypted, the password is managed by RDS in
# Secrets Manager and a final snapshot has a name (INFRA-FACTS defect 5).

resource "aws_rds_cluster_parameter_group" "this" {
  count = local.is_aurora ? 1 : 0

  name        = "${var.name_prefix}-aurora-pg${local.major_version}"
  family      = "aurora-postgresql${local.major_version}"
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

resource "aws_rds_cluster" "this" {
  #checkov:skip=CKV2_AWS_8:Point-in-time recovery with up to 35 days of automated backups (30 in prod) is the chosen backup mechanism; an AWS Backup plan would duplicate it.
  count = local.is_aurora ? 1 : 0

  cluster_identifier              = "${var.name_prefix}-aurora"
  engine                          = "aurora-postgresql"
  engine_mode                     = "provisioned"
  engine_version                  = var.engine_version
  database_name                   = var.db_name
  master_username                 = var.master_username
  manage_master_user_password     = true
  master_user_secret_kms_key_id   = var.kms_key_arn
  db_subnet_group_name            = aws_db_subnet_group.this.name
  vpc_security_group_ids          = var.security_group_ids
  db_cluster_parameter_group_name = aws_rds_cluster_parameter_group.this[0].name
  port                            = 5432

  storage_encrypted                   = true
  kms_key_id                          = var.kms_key_arn
  iam_database_authentication_enabled = true
  enabled_cloudwatch_logs_exports     = ["postgresql"]

  backup_retention_period      = var.backup_retention_days
  preferred_backup_window      = var.preferred_backup_window
  preferred_maintenance_window = var.preferred_maintenance_window
  copy_tags_to_snapshot        = true
  deletion_protection          = var.deletion_protection
  skip_final_snapshot          = var.skip_final_snapshot
  final_snapshot_identifier    = var.skip_final_snapshot ? null : local.final_snap_id
  apply_immediately            = var.apply_immediately

  serverlessv2_scaling_configuration {
    min_capacity = var.serverless_min_acu
    max_capacity = var.serverless_max_acu
  }

  tags = { Name = "${var.name_prefix}-aurora" }

  lifecycle {
    precondition {
      condition     = var.serverless_max_acu >= var.serverless_min_acu
      error_message = "serverless_max_acu must not be below serverless_min_acu."
    }
  }
}

resource "aws_rds_cluster_instance" "this" {
  count = local.is_aurora ? var.aurora_instance_count : 0

  identifier                   = "${var.name_prefix}-aurora-${count.index + 1}"
  cluster_identifier           = aws_rds_cluster.this[0].id
  engine                       = aws_rds_cluster.this[0].engine
  engine_version               = aws_rds_cluster.this[0].engine_version
  instance_class               = "db.serverless"
  db_subnet_group_name         = aws_db_subnet_group.this.name
  publicly_accessible          = false
  auto_minor_version_upgrade   = true
  promotion_tier               = count.index
  performance_insights_enabled = var.performance_insights_enabled
  #checkov:skip=CKV_AWS_354:Performance Insights data is encrypted with the AWS-managed RDS key unless kms_key_arn is set; a dedicated key is optional.
  performance_insights_kms_key_id = var.performance_insights_enabled ? var.kms_key_arn : null
  monitoring_interval             = var.monitoring_interval
  monitoring_role_arn             = local.monitoring_role_arn
  copy_tags_to_snapshot           = true
  apply_immediately               = var.apply_immediately

  tags = { Name = "${var.name_prefix}-aurora-${count.index + 1}" }
}
