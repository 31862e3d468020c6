# Values of the staging environment. Everything here differs from prod
# (compare with ../prod/env.hcl); values both environments share live in the
# units' inputs or in the modules' defaults.
#
# Staging is built for cost: no NAT gateway (tasks run in public subnets with a
# public IP, behind an ALB that only the CIDRs below can reach), a single small
# RDS instance instead of Aurora, the smallest Fargate size, no WAF and a
# weekday 09:00-22:00 JST schedule.

locals {
  environment = "staging"
  owner       = "tidilyspace-platform"
  name_prefix = "bookmark-manager-staging"

  # Environment name the application sees (development | staging | production).
  app_environment = "staging"

  ssm_parameter_prefix = "/bookmark-manager/staging"

  # --- network -------------------------------------------------------------
  vpc_cidr             = "10.0.0.0/16"
  public_subnet_cidrs  = ["10.0.0.0/24", "10.0.1.0/24"]
  private_subnet_cidrs = ["10.0.2.0/24", "10.0.3.0/24"]
  enable_nat_gateway   = false

  # Interface VPC endpoints (one ENI per private subnet, billed per hour each).
  # Tasks run in public subnets and reach ECR, CloudWatch Logs and Secrets
  # Manager through the internet gateway, so staging keeps only what the
  # bastion in the private subnet needs for Session Manager. The S3 gateway
  # endpoint is always there (free).
  interface_endpoints = ["ssm", "ssmmessages"]

  # --- security ------------------------------------------------------------
  # Who may reach the staging ALB on 80/443. 203.0.113.0/24 is a documentation
  # range (RFC 5737) that matches nobody: REPLACE it with your office / VPN
  # egress CIDRs (a single address is x.x.x.x/32) before the first apply.
  alb_allowed_cidrs = ["203.0.113.0/24"]
  enable_waf        = false

  # --- database: one RDS PostgreSQL instance ------------------------------
  db_engine                = "rds"
  db_instance_class        = "db.t4g.micro"
  db_allocated_storage     = 20
  db_max_allocated_storage = 100
  db_aurora_instance_count = 1
  db_backup_retention_days = 7
  db_deletion_protection   = false
  db_multi_az              = false

  # --- storage ---------------------------------------------------------------
  assets_versioning_enabled   = false
  assets_ia_transition_days   = 90
  assets_expiration_days      = 365
  assets_cors_allowed_origins = ["*"]
  assets_force_destroy        = true

  # --- ecr -----------------------------------------------------------------
  ecr_image_retention_count = 10
  ecr_force_delete          = true

  # --- compute -------------------------------------------------------------
  task_cpu                = 256 # 0.25 vCPU
  task_memory             = 512 # MB
  autoscaling_enabled     = false
  container_insights      = false
  log_retention_days      = 7
  alb_deletion_protection = false
  # No domain: staging is reached on the ALB's DNS name over HTTP from the
  # allowed CIDRs only. Set e.g. "staging.tidilyspace.com" (with a hosted zone)
  # to get ACM + HTTPS.
  domain_name         = null
  create_route53_zone = false
  # The app's public base URL. The ALB's DNS name exists only after the first
  # compute apply: then REPLACE this with "http://<alb_dns_name>" (output of
  # the compute unit) and apply compute again (see README.md, phase 6).
  base_url = "http://localhost:3000"

  # Sampling for Sentry traces and Datadog APM.
  trace_sample_rate = 0.05
  trace_rate_limit  = 10

  # Weekday schedule, expressed in UTC (JST = UTC+9):
  # start 00:00 UTC = 09:00 JST, stop 13:00 UTC = 22:00 JST.
  scheduler_enabled    = true
  scheduler_start_cron = "cron(0 0 ? * MON-FRI *)"
  scheduler_stop_cron  = "cron(0 13 ? * MON-FRI *)"

  # --- monitoring ------------------------------------------------------------
  # Optional in staging (Datadog costs about $26/month here); turn on when wanted.
  enable_datadog = false
  enable_sentry  = false
}
