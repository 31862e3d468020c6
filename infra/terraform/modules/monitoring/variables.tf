variable "name_prefix" {
  description = "Prefix for every resource name, `bookmark-manager-<env>`."
  type        = string

  validation {
    condition     = can(regex("^bookmark-manager-(staging|prod)$", var.name_prefix))
    error_message = "name_prefix must be bookmark-manager-staging or bookmark-manager-prod."
  }
}

variable "environment" {
  description = "Environment name: staging or prod. Monitors filter on the tag env:<environment> (set by the provider's default_tags and DD_ENV)."
  type        = string

  validation {
    condition     = contains(["staging", "prod"], var.environment)
    error_message = "environment must be staging or prod."
  }
}

variable "enable_datadog" {
  description = "Create the Datadog monitors and dashboard."
  type        = bool

  validation {
    condition     = var.enable_datadog == true || var.enable_datadog == false
    error_message = "enable_datadog must be true or false."
  }
}

variable "enable_sentry" {
  description = "Create the Sentry project, client key and issue alert."
  type        = bool

  validation {
    condition     = var.enable_sentry == true || var.enable_sentry == false
    error_message = "enable_sentry must be true or false."
  }
}

variable "datadog_site" {
  description = "Datadog site, used to build the dashboard URL."
  type        = string
  default     = "ap1.datadoghq.com"

  validation {
    condition     = can(regex("^([a-z0-9]+\\.)?datadoghq\\.(com|eu)$|^ddog-gov\\.com$", var.datadog_site))
    error_message = "datadog_site must be a Datadog site such as ap1.datadoghq.com."
  }
}

variable "api_service_name" {
  description = "Datadog service tag of the API role (compute module: <dd_service_prefix>-api)."
  type        = string
  default     = "tidily-api"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_.-]*$", var.api_service_name))
    error_message = "api_service_name must be a lower-case Datadog service name."
  }
}

variable "web_service_name" {
  description = "Datadog service tag of the web role (compute module: <dd_service_prefix>-web)."
  type        = string
  default     = "tidily-web"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_.-]*$", var.web_service_name))
    error_message = "web_service_name must be a lower-case Datadog service name."
  }
}

variable "trace_operation_name" {
  description = "Operation name of the server's request spans; Datadog names the trace metrics trace.<operation>.* after it."
  type        = string
  default     = "http.server.request"

  validation {
    condition     = can(regex("^[a-z][a-z0-9_.]*$", var.trace_operation_name))
    error_message = "trace_operation_name must be a lower-case span operation name such as http.server.request."
  }
}

variable "api_error_critical" {
  description = "API errors in 5 minutes that raise a critical alert."
  type        = number
  default     = 10

  validation {
    condition     = var.api_error_critical >= 1
    error_message = "api_error_critical must be at least 1."
  }
}

variable "api_error_warning" {
  description = "API errors in 5 minutes that raise a warning (below api_error_critical)."
  type        = number
  default     = 5

  validation {
    condition     = var.api_error_warning >= 1 && var.api_error_warning < var.api_error_critical
    error_message = "api_error_warning must be at least 1 and below api_error_critical."
  }
}

variable "api_p95_latency_critical_seconds" {
  description = "API p95 latency over 5 minutes, in SECONDS (trace metrics are in seconds), that raises a critical alert."
  type        = number
  default     = 1.0

  validation {
    condition     = var.api_p95_latency_critical_seconds > 0 && var.api_p95_latency_critical_seconds <= 60
    error_message = "api_p95_latency_critical_seconds must be in seconds: above 0 and at most 60 (did you pass milliseconds?)."
  }
}

variable "api_p95_latency_warning_seconds" {
  description = "API p95 latency over 5 minutes, in SECONDS, that raises a warning (below the critical value)."
  type        = number
  default     = 0.5

  validation {
    condition     = var.api_p95_latency_warning_seconds > 0 && var.api_p95_latency_warning_seconds < var.api_p95_latency_critical_seconds
    error_message = "api_p95_latency_warning_seconds must be above 0 and below api_p95_latency_critical_seconds."
  }
}

variable "rds_cpu_critical" {
  description = "Average database CPU percent over 10 minutes that raises a critical alert."
  type        = number
  default     = 80

  validation {
    condition     = var.rds_cpu_critical > 0 && var.rds_cpu_critical <= 100
    error_message = "rds_cpu_critical must be a percentage (0-100]."
  }
}

variable "rds_cpu_warning" {
  description = "Average database CPU percent over 10 minutes that raises a warning (below the critical value)."
  type        = number
  default     = 60

  validation {
    condition     = var.rds_cpu_warning > 0 && var.rds_cpu_warning < var.rds_cpu_critical
    error_message = "rds_cpu_warning must be above 0 and below rds_cpu_critical."
  }
}

variable "notification_target" {
  description = "Datadog notification handle(s) appended to every monitor message, e.g. \"@slack-bookmark-alerts\" or \"@ops@example.com\"."
  type        = string
  default     = ""

  validation {
    condition     = var.notification_target == "" || can(regex("^@[^ ]+( @[^ ]+)*$", var.notification_target))
    error_message = "notification_target must be empty or one or more @handles separated by spaces."
  }
}

variable "sentry_organization" {
  description = "Slug of the Sentry organization (from .tfvars.local). Required when enable_sentry."
  type        = string
  default     = ""

  validation {
    condition     = var.sentry_organization == "" || can(regex("^[a-z0-9][a-z0-9_-]*$", var.sentry_organization))
    error_message = "sentry_organization must be a Sentry organization slug."
  }
}

variable "sentry_team" {
  description = "Slug of the Sentry team that owns the project (from .tfvars.local). Required when enable_sentry."
  type        = string
  default     = ""

  validation {
    condition     = var.sentry_team == "" || can(regex("^[a-z0-9][a-z0-9_-]*$", var.sentry_team))
    error_message = "sentry_team must be a Sentry team slug."
  }
}

variable "sentry_platform" {
  description = "Sentry platform of the project."
  type        = string
  default     = "rust"

  validation {
    condition     = can(regex("^[a-z][a-z0-9-]*$", var.sentry_platform))
    error_message = "sentry_platform must be a Sentry platform identifier such as rust."
  }
}

variable "sentry_alert_events_per_hour" {
  description = "Events of one issue per hour above which the Sentry alert fires (in addition to first-seen issues)."
  type        = number
  default     = 100

  validation {
    condition     = var.sentry_alert_events_per_hour >= 1
    error_message = "sentry_alert_events_per_hour must be at least 1."
  }
}
