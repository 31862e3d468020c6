//! Lambda entry point (`bootstrap` for the `provided.al2023` runtime).
//!
//! Configuration is read once per cold start; a missing or invalid variable
//! fails the init phase, which Lambda reports as a failed invocation.

use lambda_runtime::{service_fn, LambdaEvent};
use serde_json::Value;
use tidily_scheduler::{client, handle, init_logging, SchedulerConfig};

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), lambda_runtime::Error> {
    init_logging();
    let config = SchedulerConfig::from_env().inspect_err(|err| {
        tracing::error!(error = %err, "invalid scheduler configuration");
    })?;
    let ecs = client::ecs_client_from_env(&config.region).await;
    let (ecs, config) = (&ecs, &config);
    lambda_runtime::run(service_fn(move |event: LambdaEvent<Value>| async move {
        handle(ecs, config, event.payload).await
    }))
    .await
}
