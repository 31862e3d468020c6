# Shared pieces of both database shapes: subnet group, parameter groups that
# force TLS and log slow and schema-changing statements, and the Enhanced
# Monitoring role.

locals {
  is_aurora     = var.engine == "aurora-serverless-v2"
  major_version = split(".", var.engine_version)[0]
  final_snap_id = "${var.name_prefix}-db-final"
}

resource "aws_db_subnet_group" "this" {
  name        = "${var.name_prefix}-db"
  description = "Private subnets of ${var.name_prefix}"
  subnet_ids  = var.subnet_ids

  tags = { Name = "${var.name_prefix}-db" }
}

data "aws_iam_policy_document" "monitoring_assume" {
  statement {
    actions = ["sts:AssumeRole"]

    principals {
      type        = "Service"
      identifiers = ["monitoring.rds.amazonaws.com"]
    }
  }
}

resource "aws_iam_role" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  name               = "${var.name_prefix}-rds-monitoring"
  assume_role_policy = data.aws_iam_policy_document.monitoring_assume.json
}

resource "aws_iam_role_policy_attachment" "monitoring" {
  count = var.monitoring_interval > 0 ? 1 : 0

  role       = aws_iam_role.monitoring[0].name
  policy_arn = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole"
}

locals {
  monitoring_role_arn = var.monitoring_interval > 0 ? aws_iam_role.monitoring[0].arn : null
}
