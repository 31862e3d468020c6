# database: PostgreSQL 17.6 - Aurora Serverless v2 (writer + reader) or a
# single RDS instance, chosen by db_engine in env.hcl. The master password is
# managed by RDS in Secrets Manager; the password-less DATABASE_URL is stored
# as a SecureString parameter under ssm_parameter_prefix.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "env" {
  path   = find_in_parent_folders("env.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/infra/terraform/modules//database"
}

dependency "network" {
  config_path = "../network"

  mock_outputs = {
    private_subnet_ids = ["subnet-0c000000000000001", "subnet-0c000000000000002"]
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

dependency "security" {
  config_path = "../security"

  mock_outputs = {
    database_security_group_id = "sg-0d000000000000001"
  }
  mock_outputs_allowed_terraform_commands = ["validate", "plan"]
}

inputs = {
  name_prefix        = include.env.locals.name_prefix
  engine             = include.env.locals.db_engine
  subnet_ids         = dependency.network.outputs.private_subnet_ids
  security_group_ids = [dependency.security.outputs.database_security_group_id]

  db_name         = "bookmarkdb"
  master_username = "dbadmin"
  engine_version  = "17.6"

  # Aurora Serverless v2 (prod): capacity per instance, writer + reader.
  serverless_min_acu    = 0.5
  serverless_max_acu    = 2
  aurora_instance_count = include.env.locals.db_aurora_instance_count

  # Single RDS instance (staging).
  instance_class        = include.env.locals.db_instance_class
  allocated_storage     = include.env.locals.db_allocated_storage
  max_allocated_storage = include.env.locals.db_max_allocated_storage
  multi_az              = include.env.locals.db_multi_az

  backup_retention_days   = include.env.locals.db_backup_retention_days
  preferred_backup_window = "03:00-04:00" # UTC, 12:00-13:00 JST
  deletion_protection     = include.env.locals.db_deletion_protection

  ssm_parameter_prefix = include.env.locals.ssm_parameter_prefix
}
