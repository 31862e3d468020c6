# monitoring: Datadog monitors and dashboard, Sentry project, key and alert
# rule, each behind a flag. The Sentry organisation/team and the notification
# target come from ../.tfvars.local (see ../.tfvars.local.example); the
# providers read their credentials from the environment (docs/deploy.md).
# No dependencies.

include "root" {
  path = find_in_parent_folders("root.hcl")
}

include "env" {
  path   = find_in_parent_folders("env.hcl")
  expose = true
}

terraform {
  source = "${get_repo_root()}/infra/terraform/modules//monitoring"

  extra_arguments "local_settings" {
    commands           = get_terraform_commands_that_need_vars()
    optional_var_files = ["${get_parent_terragrunt_dir("env")}/.tfvars.local"]
  }
}

inputs = {
  name_prefix    = include.env.locals.name_prefix
  environment    = include.env.locals.environment
  enable_datadog = include.env.locals.enable_datadog
  enable_sentry  = include.env.locals.enable_sentry

  # API errors over 5 minutes.
  api_error_critical = 10
  api_error_warning  = 5

  # API p95 latency over 5 minutes, in seconds.
  api_p95_latency_critical_seconds = 1
  api_p95_latency_warning_seconds  = 0.5

  # Database CPU over 10 minutes, in percent.
  rds_cpu_critical = 80
  rds_cpu_warning  = 60

  sentry_alert_events_per_hour = 100
}
