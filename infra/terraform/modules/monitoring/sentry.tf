# One Sentry project per environment, a client key whose DSN the compute
# module passes to the app, and an alert on new issues and noisy issues.

resource "sentry_project" "this" {
  count = var.enable_sentry ? 1 : 0

  organization = var.sentry_organization
  teams        = [var.sentry_team]
  name         = var.name_prefix
  slug         = var.name_prefix
  platform     = var.sentry_platform

  lifecycle {
    precondition {
      condition     = var.sentry_organization != "" && var.sentry_team != ""
      error_message = "enable_sentry needs sentry_organization and sentry_team (see .tfvars.local.example)."
    }
  }
}

resource "sentry_key" "this" {
  count = var.enable_sentry ? 1 : 0

  organization = var.sentry_organization
  project      = sentry_project.this[0].slug
  name         = "${var.name_prefix}-app"
}

resource "sentry_issue_alert" "this" {
  count = var.enable_sentry ? 1 : 0

  organization = var.sentry_organization
  project      = sentry_project.this[0].slug
  name         = "${var.name_prefix}: new issue or more than ${var.sentry_alert_events_per_hour} events per hour"

  action_match = "any"
  filter_match = "any"
  frequency    = 30

  conditions_v2 = [
    { first_seen_event = {} },
    {
      event_frequency = {
        comparison_type = "count"
        interval        = "1h"
        value           = var.sentry_alert_events_per_hour
      }
    },
  ]

  actions_v2 = [
    {
      notify_email = {
        target_type      = "IssueOwners"
        fallthrough_type = "ActiveMembers"
      }
    },
  ]
}
