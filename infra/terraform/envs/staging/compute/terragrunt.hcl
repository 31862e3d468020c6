# compute: ECS cluster, one task definition and service per role (web, api)
# from the same image, the ALB ("/api/*" -> api, everything else -> web),
# auto scaling, log groups and - where enabled - the start/stop scheduler.
#
# The image tag comes from TIDILY_IMAGE_TAG (the git commit that was pushed,
# see docs/deploy.md). The scheduler zip is built by scripts/package-scheduler.sh
# (target/lambda/scheduler.zip, or $SCHEDULER_ZIP).

include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "env" {
  path   = find_in_parent_folders("env.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/infra/terraform/modules//compute"
}

dependency "network" {
  config_path = "../network"

  mock_outputs = {
    vpc_id             = "vpc-0123456789abcdef0"
    vpc_cidr           = "10.0.0.0/16"
    public_subnet_ids  = ["subnet-0a000000000000001", "subnet-0a000000000000002"]
    private_subnet_ids = ["subnet-0c000000000000001", "subnet-0c000000000000002"]
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "security" {
  config_path = "../security"

  mock_outputs = {
    alb_security_group_id   = "sg-0a000000000000001"
    ecs_security_group_id   = "sg-0e000000000000001"
    task_execution_role_arn = "arn:aws:iam::123456789012:role/mock-task-execution"
    task_role_arn           = "arn:aws:iam::123456789012:role/mock-task"
    waf_web_acl_arn         = null
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "ecr" {
  config_path = "../ecr"

  mock_outputs = {
    repository_urls = {
      tidily = "123456789012.dkr.ecr.ap-northeast-1.amazonaws.com/bookmark-manager-mock-tidily"
    }
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "monitoring" {
  config_path = "../monitoring"

  mock_outputs = {
    sentry_dsn = ""
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "storage" {
  config_path = "../storage"

  mock_outputs = {
    bucket_name = "bookmark-manager-staging-assets"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "database" {
  config_path = "../database"

  mock_outputs = {
    database_url_parameter_arn = "arn:aws:ssm:ap-northeast-1:123456789012:parameter/mock/DATABASE_URL"
    master_user_secret_arn     = "arn:aws:secretsmanager:ap-northeast-1:123456789012:secret:rds!db-mock-AbCdEf"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix = include.env.locals.name_prefix
  environment = include.env.locals.environment
  aws_region  = "ap-northeast-1"

  vpc_id            = dependency.network.outputs.vpc_id
  public_subnet_ids = dependency.network.outputs.public_subnet_ids
  # Staging has no NAT gateway: tasks run in the public subnets with a public
  # IP (the ALB security group admits only alb_allowed_cidrs, and the ECS
  # security group admits only the ALB).
  service_subnet_ids = dependency.network.outputs.public_subnet_ids
  assign_public_ip   = true

  alb_security_group_id   = dependency.security.outputs.alb_security_group_id
  ecs_security_group_id   = dependency.security.outputs.ecs_security_group_id
  task_execution_role_arn = dependency.security.outputs.task_execution_role_arn
  task_role_arn           = dependency.security.outputs.task_role_arn
  waf_web_acl_arn         = dependency.security.outputs.waf_web_acl_arn

  container_image = "${dependency.ecr.outputs.repository_urls.tidily}:${get_env("TIDILY_IMAGE_TAG", "TIDILY_IMAGE_TAG-not-set")}"

  web_cpu    = include.env.locals.task_cpu
  web_memory = include.env.locals.task_memory
  api_cpu    = include.env.locals.task_cpu
  api_memory = include.env.locals.task_memory
  web_port   = 3000
  api_port   = 3001

  desired_count       = 1
  autoscaling_enabled = include.env.locals.autoscaling_enabled
  autoscaling_min     = 1
  autoscaling_max     = 10
  cpu_target          = 70 # percent, average over the service
  memory_target       = 80 # percent, average over the service
  scale_out_cooldown  = 60 # seconds
  scale_in_cooldown   = 300

  container_insights      = include.env.locals.container_insights
  log_retention_days      = include.env.locals.log_retention_days
  alb_deletion_protection = include.env.locals.alb_deletion_protection
  domain_name             = include.env.locals.domain_name
  create_route53_zone     = include.env.locals.create_route53_zone
  deregistration_delay    = 30

  # Only the ALB (inside the VPC) may set X-Forwarded-For for the app.
  trusted_proxy_cidrs = [dependency.network.outputs.vpc_cidr]

  # APP_ENV, PORT, BASE_URL and TRUSTED_PROXIES are set by the module.
  app_env = include.env.locals.app_environment
  app_environment = {
    RUST_LOG                  = "info"
    SENTRY_DSN                = dependency.monitoring.outputs.sentry_dsn
    SENTRY_TRACES_SAMPLE_RATE = "${include.env.locals.trace_sample_rate}"
    # Stored files (favicons, previews) in the assets bucket, whose objects the task role
    # may read, write and delete (security module).
    FILE_STORE = "s3://${dependency.storage.outputs.bucket_name}/files"
    AWS_REGION = "ap-northeast-1"
  }

  # Container secrets: SSM parameter ARNs, or "<secret ARN>:<json key>::".
  app_secrets = {
    DATABASE_URL      = dependency.database.outputs.database_url_parameter_arn
    DATABASE_PASSWORD = "${dependency.database.outputs.master_user_secret_arn}:password::"
    JWT_SECRET        = "arn:aws:ssm:ap-northeast-1:${get_aws_account_id()}:parameter${include.env.locals.ssm_parameter_prefix}/JWT_SECRET"
  }

  base_url = include.env.locals.base_url

  enable_datadog_agent  = include.env.locals.enable_datadog
  dd_api_key_secret_arn = "arn:aws:secretsmanager:ap-northeast-1:${get_aws_account_id()}:secret:datadog/api_key"
  dd_site               = "ap1.datadoghq.com"
  dd_trace_sample_rate  = include.env.locals.trace_sample_rate
  dd_trace_rate_limit   = include.env.locals.trace_rate_limit

  scheduler_enabled           = include.env.locals.scheduler_enabled
  scheduler_lambda_zip_path   = get_env("SCHEDULER_ZIP", "${get_repo_root()}/target/lambda/scheduler.zip")
  scheduler_start_cron        = include.env.locals.scheduler_start_cron
  scheduler_stop_cron         = include.env.locals.scheduler_stop_cron
  scheduler_web_desired_count = 1
  scheduler_api_desired_count = 1
}
