# Values of the production environment. Everything here differs from staging
# (compare with ../staging/env.hcl); values both environments share live in the
# units' inputs or in the modules' defaults.
#
# Production is public: ALB open to the internet behind the WAF, tasks in
# private subnets reaching the internet through one NAT gateway, Aurora
# Serverless v2 with a writer and a reader, 1 vCPU / 2 GB tasks scaling 1-10.

locals {
  environment = "prod"
  owner       = "tidilyspace-platform"
  name_prefix = "bookmark-manager-prod"

  # Environment name the application sees (development | staging | production).
  app_environment = "production"

  ssm_parameter_prefix = "/bookmark-manager/prod"

  # --- network -------------------------------------------------------------
  vpc_cidr             = "10.1.0.0/16"
  public_subnet_cidrs  = ["10.1.0.0/24", "10.1.1.0/24"]
  private_subnet_cidrs = ["10.1.2.0/24", "10.1.3.0/24"]
  enable_nat_gateway   = true

  # Interface VPC endpoints (one ENI per private subnet, billed per hour each):
  # everything a task needs to start (image, logs, parameters, secrets) stays
  # reachable without the single NAT gateway, in both AZs. The S3 gateway
  # endpoint is always there (free).
  interface_endpoints = ["ecr.api", "ecr.dkr", "logs", "ssm", "ssmmessages", "secretsmanager"]

  # --- security ------------------------------------------------------------
  alb_allowed_cidrs = ["0.0.0.0/0"] # public service
  enable_waf        = true

  # --- database: Aurora Serverless v2, writer + reader -----------------------
  db_engine                = "aurora-serverless-v2"
  db_instance_class        = "db.t4g.micro" # used by the rds engine only; Aurora instances are db.serverless
  db_allocated_storage     = 20
  db_max_allocated_storage = 100
  db_aurora_instance_count = 2
  db_backup_retention_days = 30
  db_deletion_protection   = true
  db_multi_az              = true

  # --- storage ---------------------------------------------------------------
  assets_versioning_enabled   = true
  assets_ia_transition_days   = 180
  assets_expiration_days      = 730
  assets_cors_allowed_origins = ["https://tidilyspace.com", "https://www.tidilyspace.com"]
  assets_force_destroy        = false

  # --- ecr -----------------------------------------------------------------
  ecr_image_retention_count = 30
  ecr_force_delete          = false

  # --- compute -------------------------------------------------------------
  task_cpu                = 1024 # 1 vCPU
  task_memory             = 2048 # MB
  autoscaling_enabled     = true
  container_insights      = true
  log_retention_days      = 30
  alb_deletion_protection = true
  domain_name             = "tidilyspace.com"
  create_route53_zone     = true
  base_url                = "https://tidilyspace.com"

  # Sampling for Sentry traces and Datadog APM.
  trace_sample_rate = 0.2
  trace_rate_limit  = 50

  # Production runs around the clock: no start/stop schedule.
  scheduler_enabled    = false
  scheduler_start_cron = "cron(0 0 ? * MON-FRI *)"
  scheduler_stop_cron  = "cron(0 13 ? * MON-FRI *)"

  # --- monitoring ------------------------------------------------------------
  enable_datadog = true
  enable_sentry  = true
}
