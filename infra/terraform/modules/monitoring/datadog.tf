# Datadog monitors and dashboard. Every query filters on env:<environment>
# (and the API's service tag), which only works because the AWS provider's
# default_tags now put env on every resource (INFRA-FACTS defect 4) and the
# app sets DD_ENV. Trace metrics measure duration in seconds, so the latency
# thresholds are seconds too.

locals {
  env_filter    = "env:${var.environment}"
  api_filter    = "env:${var.environment},service:${var.api_service_name}"
  trace_metric  = "trace.${var.trace_operation_name}"
  notify_suffix = var.notification_target == "" ? "" : "\n\n${var.notification_target}"
  monitor_tags  = ["env:${var.environment}", "project:bookmark-manager", "managed-by:terraform"]
}

resource "datadog_monitor" "api_errors" {
  count = var.enable_datadog ? 1 : 0

  name    = "[${var.environment}] ${var.name_prefix} API errors"
  type    = "query alert"
  query   = "sum(last_5m):sum:${local.trace_metric}.errors{${local.api_filter}}.as_count() > ${var.api_error_critical}"
  message = "The API (${var.api_service_name}) returned {{value}} errors in the last 5 minutes in ${var.environment}.${local.notify_suffix}"

  monitor_thresholds {
    critical = var.api_error_critical
    warning  = var.api_error_warning
  }

  notify_no_data      = false
  require_full_window = false
  include_tags        = true
  tags                = local.monitor_tags
}

resource "datadog_monitor" "api_latency" {
  count = var.enable_datadog ? 1 : 0

  name    = "[${var.environment}] ${var.name_prefix} API p95 latency"
  type    = "query alert"
  query   = "percentile(last_5m):p95:${local.trace_metric}{${local.api_filter}} > ${var.api_p95_latency_critical_seconds}"
  message = "API p95 latency is {{value}} s over the last 5 minutes in ${var.environment} (threshold ${var.api_p95_latency_critical_seconds} s).${local.notify_suffix}"

  monitor_thresholds {
    critical = var.api_p95_latency_critical_seconds
    warning  = var.api_p95_latency_warning_seconds
  }

  notify_no_data      = false
  require_full_window = false
  include_tags        = true
  tags                = local.monitor_tags
}

resource "datadog_monitor" "rds_cpu" {
  count = var.enable_datadog ? 1 : 0

  name    = "[${var.environment}] ${var.name_prefix} database CPU"
  type    = "query alert"
  query   = "avg(last_10m):avg:aws.rds.cpuutilization{${local.env_filter}} by {dbinstanceidentifier} > ${var.rds_cpu_critical}"
  message = "Database {{dbinstanceidentifier.name}} averaged {{value}} % CPU over 10 minutes in ${var.environment}.${local.notify_suffix}"

  monitor_thresholds {
    critical = var.rds_cpu_critical
    warning  = var.rds_cpu_warning
  }

  notify_no_data      = false
  require_full_window = true
  include_tags        = true
  tags                = local.monitor_tags
}

resource "datadog_dashboard" "this" {
  count = var.enable_datadog ? 1 : 0

  title       = "${var.name_prefix} overview"
  description = "API traffic, errors and latency; database CPU and connections (${var.environment}). Managed by Terraform."
  layout_type = "ordered"

  widget {
    timeseries_definition {
      title = "API requests"
      request {
        q            = "sum:${local.trace_metric}.hits{${local.api_filter}}.as_count()"
        display_type = "bars"
      }
    }
  }

  widget {
    timeseries_definition {
      title = "API errors"
      request {
        q            = "sum:${local.trace_metric}.errors{${local.api_filter}}.as_count()"
        display_type = "bars"
      }
    }
  }

  widget {
    timeseries_definition {
      title = "API p95 latency (s)"
      request {
        q            = "p95:${local.trace_metric}{${local.api_filter}}"
        display_type = "line"
      }
    }
  }

  widget {
    timeseries_definition {
      title = "Database CPU (%)"
      request {
        q            = "avg:aws.rds.cpuutilization{${local.env_filter}} by {dbinstanceidentifier}"
        display_type = "line"
      }
    }
  }

  widget {
    timeseries_definition {
      title = "Database connections"
      request {
        q            = "avg:aws.rds.database_connections{${local.env_filter}} by {dbinstanceidentifier}"
        display_type = "line"
      }
    }
  }
}
