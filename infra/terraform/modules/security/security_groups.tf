# Three security groups chained by reference: internet (allowed CIDRs) -> ALB
# -> ECS tasks -> database. The database also admits the bastion.

locals {
  app_ports = toset([tostring(var.app_port_web), tostring(var.app_port_api)])
  alb_ingress = {
    for pair in setproduct(var.alb_allowed_cidrs, ["80", "443"]) : "${pair[0]}-${pair[1]}" => {
      cidr = pair[0]
      port = tonumber(pair[1])
    }
  }
}

resource "aws_security_group" "alb" {
  #checkov:skip=CKV2_AWS_5:Attached to the load balancer by the compute module, which receives this group's ID.
  name        = "${var.name_prefix}-alb"
  description = "ALB: HTTP and HTTPS from the allowed CIDRs"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name_prefix}-alb" }
}

resource "aws_vpc_security_group_ingress_rule" "alb" {
  for_each = local.alb_ingress

  security_group_id = aws_security_group.alb.id
  description       = "Port ${each.value.port} from ${each.value.cidr}"
  cidr_ipv4         = each.value.cidr
  from_port         = each.value.port
  to_port           = each.value.port
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "alb_to_ecs" {
  for_each = local.app_ports

  security_group_id            = aws_security_group.alb.id
  description                  = "To the ECS tasks on port ${each.value}"
  referenced_security_group_id = aws_security_group.ecs.id
  from_port                    = tonumber(each.value)
  to_port                      = tonumber(each.value)
  ip_protocol                  = "tcp"
}

resource "aws_security_group" "ecs" {
  #checkov:skip=CKV2_AWS_5:Attached to the ECS services by the compute module, which receives this group's ID.
  name        = "${var.name_prefix}-ecs"
  description = "ECS tasks: app ports from the ALB only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name_prefix}-ecs" }
}

resource "aws_vpc_security_group_ingress_rule" "ecs_from_alb" {
  for_each = local.app_ports

  security_group_id            = aws_security_group.ecs.id
  description                  = "App port ${each.value} from the ALB"
  referenced_security_group_id = aws_security_group.alb.id
  from_port                    = tonumber(each.value)
  to_port                      = tonumber(each.value)
  ip_protocol                  = "tcp"
}

# HTTPS out covers AWS APIs (or their endpoints), Sentry and Datadog intake.
resource "aws_vpc_security_group_egress_rule" "ecs_https" {
  security_group_id = aws_security_group.ecs.id
  description       = "HTTPS to AWS APIs, Sentry and Datadog"
  cidr_ipv4         = "0.0.0.0/0"
  from_port         = 443
  to_port           = 443
  ip_protocol       = "tcp"
}

resource "aws_vpc_security_group_egress_rule" "ecs_postgres" {
  security_group_id            = aws_security_group.ecs.id
  description                  = "PostgreSQL to the database"
  referenced_security_group_id = aws_security_group.database.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

resource "aws_security_group" "database" {
  #checkov:skip=CKV2_AWS_5:Attached to the RDS instance or Aurora cluster by the database module, which receives this group's ID.
  name        = "${var.name_prefix}-database"
  description = "Database: PostgreSQL from the ECS tasks and the bastion only"
  vpc_id      = var.vpc_id

  tags = { Name = "${var.name_prefix}-database" }
}

resource "aws_vpc_security_group_ingress_rule" "database_from_ecs" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the ECS tasks"
  referenced_security_group_id = aws_security_group.ecs.id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}

resource "aws_vpc_security_group_ingress_rule" "database_from_bastion" {
  security_group_id            = aws_security_group.database.id
  description                  = "PostgreSQL from the bastion (SSM port forwarding)"
  referenced_security_group_id = var.bastion_security_group_id
  from_port                    = 5432
  to_port                      = 5432
  ip_protocol                  = "tcp"
}
