output "datadog_dashboard_url" {
  description = "Full URL of the Datadog dashboard, or null when enable_datadog is false."
  value       = var.enable_datadog ? "https://${var.datadog_site}${datadog_dashboard.this[0].url}" : null
}

output "datadog_monitor_ids" {
  description = "Map of monitor purpose to Datadog monitor ID (empty when enable_datadog is false)."
  value = var.enable_datadog ? {
    api_errors  = datadog_monitor.api_errors[0].id
    api_latency = datadog_monitor.api_latency[0].id
    rds_cpu     = datadog_monitor.rds_cpu[0].id
  } : {}
}

output "sentry_project_slug" {
  description = "Slug of the Sentry project, or null when enable_sentry is false."
  value       = var.enable_sentry ? sentry_project.this[0].slug : null
}

output "sentry_dsn" {
  description = "Public DSN of the Sentry client key (give it to the app as SENTRY_DSN), or null when enable_sentry is false."
  value       = var.enable_sentry ? sentry_key.this[0].dsn_public : null
  sensitive   = true
}
