//! The staging scheduler: an AWS Lambda that parks the staging ECS services
//! outside working hours and brings them back in the morning.
//!
//! EventBridge invokes it with `{"action":"stop"}` at 22:00 JST and
//! `{"action":"start"}` at 09:00 JST on weekdays (see the compute module's
//! schedule rules). Stop sets the web and API services' desired count to 0;
//! start sets each back to the count configured for it.
//!
//! The crate is split so that the logic can be tested against `moto_server`:
//! - [`config`] turns the function's environment into a validated [`SchedulerConfig`];
//! - [`client`] builds the ECS client (rustls on ring, no aws-lc build);
//! - [`schedule`] holds the event type and the idempotent start/stop logic;
//! - `main.rs` only wires these into `lambda_runtime`.

pub mod client;
pub mod config;
pub mod schedule;

pub use config::{ConfigError, SchedulerConfig, ServiceTarget};
pub use schedule::{handle, Action, ScheduleError, ScheduleEvent, ScheduleSummary};

/// Installs the JSON log subscriber used in Lambda.
///
/// One JSON object per line on stdout, which CloudWatch Logs stores as-is and
/// Logs Insights can query by field (`service`, `from`, `to`). The level comes
/// from `RUST_LOG` and defaults to `info`.
pub fn init_logging() {
    let filter = tracing_subscriber::EnvFilter::try_from_default_env()
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    tracing_subscriber::fmt()
        .json()
        .with_env_filter(filter)
        .with_current_span(false)
        .with_target(false)
        .init();
}
