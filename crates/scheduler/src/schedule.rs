//! The start/stop logic.
//!
//! One `DescribeServices` call reads both services; an `UpdateService` call is
//! made only for a service whose desired count differs from the target, so a
//! retried or repeated event changes nothing. Both services are always handled:
//! a failure on one does not stop the other, and the invocation fails at the end
//! if either did, so EventBridge retries and the Lambda `Errors` metric sees it.

use std::fmt;

use aws_sdk_ecs::error::DisplayErrorContext;
use aws_sdk_ecs::types::Service;
use serde::{Deserialize, Serialize};
use serde_json::Value;

use crate::config::{Role, SchedulerConfig, ServiceTarget};

/// What EventBridge asks for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Action {
    /// Bring both services back to their configured counts (09:00 JST).
    Start,
    /// Set both services' desired count to 0 (22:00 JST).
    Stop,
}

impl Action {
    /// The desired count this action sets on `target`.
    pub fn desired_count(self, target: &ServiceTarget) -> i32 {
        match self {
            Action::Start => target.running_count,
            Action::Stop => 0,
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Action::Start => "start",
            Action::Stop => "stop",
        })
    }
}

/// The invocation payload: exactly `{"action":"start"}` or `{"action":"stop"}`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ScheduleEvent {
    /// The requested action.
    pub action: Action,
}

/// What happened to one service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ServiceOutcome {
    /// Web or API.
    pub role: Role,
    /// ECS service name.
    pub service: String,
    /// Desired count before the invocation.
    pub from: i32,
    /// Desired count after it.
    pub to: i32,
    /// Whether `UpdateService` was called.
    pub changed: bool,
}

/// The JSON result of a successful invocation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ScheduleSummary {
    /// The action performed.
    pub action: Action,
    /// The cluster acted on.
    pub cluster: String,
    /// One entry per service, web first.
    pub services: Vec<ServiceOutcome>,
}

/// Why one service could not be brought to its target count.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ServiceFailure {
    /// Web or API.
    pub role: Role,
    /// ECS service name.
    pub service: String,
    /// Human-readable cause.
    pub reason: String,
}

/// A failed invocation. The message says what to fix.
///
/// `Debug` prints the same message as `Display`: `lambda_runtime` logs a
/// handler's error with `{:?}`, and that line should read like the other one.
#[derive(Clone, PartialEq, Eq, thiserror::Error)]
pub enum ScheduleError {
    /// The payload was not `{"action":"start"|"stop"}`.
    #[error(
        "invalid scheduler event {event}: {reason}; expected {{\"action\":\"start\"}} or {{\"action\":\"stop\"}}"
    )]
    InvalidEvent {
        /// The payload as received.
        event: String,
        /// What was wrong with it.
        reason: String,
    },
    /// `DescribeServices` itself failed (missing cluster, permissions, network).
    #[error("{action}: DescribeServices on cluster {cluster:?} failed: {message}")]
    Describe {
        /// The requested action.
        action: Action,
        /// The cluster.
        cluster: String,
        /// The SDK error with its context.
        message: String,
    },
    /// At least one service could not be updated; the others were.
    #[error("{}", describe_partial(*action, cluster, failures, completed))]
    Services {
        /// The requested action.
        action: Action,
        /// The cluster.
        cluster: String,
        /// The services that failed.
        failures: Vec<ServiceFailure>,
        /// The services that reached their target.
        completed: Vec<ServiceOutcome>,
    },
}

impl fmt::Debug for ScheduleError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Display::fmt(self, f)
    }
}

fn describe_partial(
    action: Action,
    cluster: &str,
    failures: &[ServiceFailure],
    completed: &[ServiceOutcome],
) -> String {
    let failed: Vec<String> = failures
        .iter()
        .map(|f| {
            format!(
                "{} service {:?}: {}",
                role_name(f.role),
                f.service,
                f.reason
            )
        })
        .collect();
    let done: Vec<String> = completed
        .iter()
        .map(|o| format!("{:?} {} -> {}", o.service, o.from, o.to))
        .collect();
    format!(
        "{action} failed for {} of {} services in cluster {cluster:?}: {}; completed: [{}]",
        failures.len(),
        failures.len() + completed.len(),
        failed.join("; "),
        done.join(", "),
    )
}

fn role_name(role: Role) -> &'static str {
    match role {
        Role::Web => "web",
        Role::Api => "api",
    }
}

impl From<ScheduleError> for lambda_runtime::Diagnostic {
    fn from(err: ScheduleError) -> Self {
        let kind = match err {
            ScheduleError::InvalidEvent { .. } => "InvalidEvent",
            ScheduleError::Describe { .. } => "DescribeServicesFailed",
            ScheduleError::Services { .. } => "UpdateServiceFailed",
        };
        lambda_runtime::Diagnostic {
            error_type: format!("Scheduler.{kind}"),
            error_message: err.to_string(),
        }
    }
}

impl ScheduleEvent {
    /// Parses the raw payload, rejecting anything but the two known actions.
    pub fn parse(payload: &Value) -> Result<Self, ScheduleError> {
        Self::deserialize(payload).map_err(|err| ScheduleError::InvalidEvent {
            event: payload.to_string(),
            reason: err.to_string(),
        })
    }
}

/// The Lambda handler: parses `payload` and applies the action.
///
/// Errors are logged here as well as returned, so the cause is in CloudWatch
/// Logs next to the run's other lines.
pub async fn handle(
    ecs: &aws_sdk_ecs::Client,
    config: &SchedulerConfig,
    payload: Value,
) -> Result<ScheduleSummary, ScheduleError> {
    let result = match ScheduleEvent::parse(&payload) {
        Ok(event) => apply(ecs, config, event.action).await,
        Err(err) => Err(err),
    };
    match &result {
        Ok(summary) => tracing::info!(
            action = %summary.action,
            cluster = %summary.cluster,
            changed = summary.services.iter().filter(|s| s.changed).count(),
            "schedule applied"
        ),
        Err(err) => tracing::error!(error = %err, "schedule failed"),
    }
    result
}

/// Brings every configured service to the count `action` asks for.
pub async fn apply(
    ecs: &aws_sdk_ecs::Client,
    config: &SchedulerConfig,
    action: Action,
) -> Result<ScheduleSummary, ScheduleError> {
    let described = ecs
        .describe_services()
        .cluster(&config.cluster)
        .set_services(Some(
            config.services.iter().map(|s| s.name.clone()).collect(),
        ))
        .send()
        .await
        .map_err(|err| ScheduleError::Describe {
            action,
            cluster: config.cluster.clone(),
            message: DisplayErrorContext(&err).to_string(),
        })?;

    let mut completed = Vec::new();
    let mut failures = Vec::new();
    for target in &config.services {
        let current = find_service(described.services(), &target.name);
        let outcome = match current {
            Some(service) => update_one(ecs, config, target, service, action).await,
            None => Err(missing_reason(described.failures(), &target.name)),
        };
        match outcome {
            Ok(done) => completed.push(done),
            Err(reason) => {
                tracing::error!(
                    action = %action,
                    service = %target.name,
                    reason = %reason,
                    "service not updated"
                );
                failures.push(ServiceFailure {
                    role: target.role,
                    service: target.name.clone(),
                    reason,
                });
            }
        }
    }

    if failures.is_empty() {
        Ok(ScheduleSummary {
            action,
            cluster: config.cluster.clone(),
            services: completed,
        })
    } else {
        Err(ScheduleError::Services {
            action,
            cluster: config.cluster.clone(),
            failures,
            completed,
        })
    }
}

/// Updates one service if its desired count differs from the target.
async fn update_one(
    ecs: &aws_sdk_ecs::Client,
    config: &SchedulerConfig,
    target: &ServiceTarget,
    service: &Service,
    action: Action,
) -> Result<ServiceOutcome, String> {
    let status = service.status().unwrap_or("UNKNOWN");
    if status != "ACTIVE" {
        return Err(format!("service status is {status}, expected ACTIVE"));
    }
    let from = service.desired_count();
    let to = action.desired_count(target);
    let mut outcome = ServiceOutcome {
        role: target.role,
        service: target.name.clone(),
        from,
        to,
        changed: false,
    };
    if from == to {
        tracing::info!(service = %target.name, desired = to, "already at target, unchanged");
        return Ok(outcome);
    }
    ecs.update_service()
        .cluster(&config.cluster)
        .service(&target.name)
        .desired_count(to)
        .send()
        .await
        .map_err(|err| format!("UpdateService failed: {}", DisplayErrorContext(&err)))?;
    tracing::info!(service = %target.name, from, to, "desired count changed");
    outcome.changed = true;
    Ok(outcome)
}

/// Finds `name` among the described services (by name or ARN).
fn find_service<'a>(services: &'a [Service], name: &str) -> Option<&'a Service> {
    services
        .iter()
        .find(|s| s.service_name() == Some(name) || s.service_arn() == Some(name))
}

/// Explains why `name` was not in the DescribeServices answer.
fn missing_reason(failures: &[aws_sdk_ecs::types::Failure], name: &str) -> String {
    let suffix = format!("/{name}");
    let reason = failures
        .iter()
        .find(|f| {
            f.arn()
                .is_some_and(|arn| arn == name || arn.ends_with(&suffix))
        })
        .and_then(|f| f.reason());
    match reason {
        Some(reason) => format!("not found in cluster ({reason})"),
        None => "not found in cluster".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn parses_the_two_actions() {
        assert_eq!(
            ScheduleEvent::parse(&json!({"action": "start"}))
                .unwrap()
                .action,
            Action::Start
        );
        assert_eq!(
            ScheduleEvent::parse(&json!({"action": "stop"}))
                .unwrap()
                .action,
            Action::Stop
        );
    }

    #[test]
    fn rejects_anything_else_with_a_clear_message() {
        for bad in [
            json!({"action": "restart"}),
            json!({"action": "STOP"}),
            json!({}),
            json!({"action": "stop", "count": 3}),
            json!("stop"),
            json!(null),
        ] {
            let err = ScheduleEvent::parse(&bad).unwrap_err();
            assert!(matches!(err, ScheduleError::InvalidEvent { .. }), "{bad}");
            let message = err.to_string();
            assert!(message.contains("invalid scheduler event"), "{message}");
            assert!(message.contains(r#"{"action":"start"}"#), "{message}");
        }
    }

    #[test]
    fn diagnostic_names_the_error_kind() {
        let err = ScheduleEvent::parse(&json!({"action": "restart"})).unwrap_err();
        let diagnostic = lambda_runtime::Diagnostic::from(err);
        assert_eq!(diagnostic.error_type, "Scheduler.InvalidEvent");
        assert!(diagnostic.error_message.contains("restart"));
    }

    #[test]
    fn partial_failure_message_lists_both_sides() {
        let err = ScheduleError::Services {
            action: Action::Stop,
            cluster: "c".into(),
            failures: vec![ServiceFailure {
                role: Role::Api,
                service: "api".into(),
                reason: "not found in cluster (MISSING)".into(),
            }],
            completed: vec![ServiceOutcome {
                role: Role::Web,
                service: "web".into(),
                from: 1,
                to: 0,
                changed: true,
            }],
        };
        assert_eq!(
            err.to_string(),
            r#"stop failed for 1 of 2 services in cluster "c": api service "api": not found in cluster (MISSING); completed: ["web" 1 -> 0]"#
        );
    }
}
