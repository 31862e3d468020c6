# security: security groups (ALB, ECS, database), the ECS task and execution
# roles, and the WAF web ACL (created only where enable_waf is true).

include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "env" {
  path   = find_in_parent_folders("env.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/infra/terraform/modules//security"
}

dependency "network" {
  config_path = "../network"

  mock_outputs = {
    vpc_id                    = "vpc-0123456789abcdef0"
    vpc_cidr                  = "10.0.0.0/16"
    bastion_security_group_id = "sg-0b000000000000001"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix               = include.env.locals.name_prefix
  environment               = include.env.locals.environment
  vpc_id                    = dependency.network.outputs.vpc_id
  vpc_cidr                  = dependency.network.outputs.vpc_cidr
  alb_allowed_cidrs         = include.env.locals.alb_allowed_cidrs
  bastion_security_group_id = dependency.network.outputs.bastion_security_group_id

  enable_waf     = include.env.locals.enable_waf
  waf_rate_limit = 2000 # requests per 5 minutes per client IP

  app_port_web = 3000
  app_port_api = 3001

  # Parameters under this prefix are readable by the execution role.
  ssm_parameter_prefix = include.env.locals.ssm_parameter_prefix

  # Secrets the execution role may read to inject into containers: the
  # Datadog API key (shared by both environments, see docs/deploy.md) and the
  # RDS-managed master secret. RDS names that secret "rds!cluster-<id>" or
  # "rds!db-<id>" only when the database is created, after this unit, hence the
  # wildcard. Keep staging and prod in separate AWS accounts to stop this
  # pattern from matching the other environment's secret.
  secret_arns = [
    "arn:aws:secretsmanager:ap-northeast-1:${get_aws_account_id()}:secret:datadog/api_key-*",
    "arn:aws:secretsmanager:ap-northeast-1:${get_aws_account_id()}:secret:rds!*",
  ]

  assets_bucket_name_pattern = "${include.env.locals.name_prefix}-assets"
}
