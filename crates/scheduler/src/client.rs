//! The ECS client.
//!
//! The SDK's default HTTPS client uses rustls with aws-lc-rs, whose C build
//! roughly doubles a clean compile and needs cmake in the Lambda build image.
//! We build the same hyper 1.x client with rustls on `ring` instead; it also
//! speaks plain HTTP, which the tests use to reach `moto_server`.

use aws_config::{BehaviorVersion, Region};
use aws_sdk_ecs::config::SharedHttpClient;
use aws_smithy_http_client::tls::{rustls_provider::CryptoMode, Provider};

/// An HTTP(S) client: rustls with the `ring` crypto provider, system roots.
pub fn http_client() -> SharedHttpClient {
    aws_smithy_http_client::Builder::new()
        .tls_provider(Provider::Rustls(CryptoMode::Ring))
        .build_https()
}

/// The ECS client as the Lambda uses it.
///
/// Credentials come from the standard chain (in Lambda: the execution role's
/// environment variables). `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_ECS` are
/// honoured by `aws-config`, which points the client at an emulator when set.
pub async fn ecs_client_from_env(region: &str) -> aws_sdk_ecs::Client {
    let shared = aws_config::defaults(BehaviorVersion::latest())
        .region(Region::new(region.to_owned()))
        .http_client(http_client())
        .load()
        .await;
    aws_sdk_ecs::Client::new(&shared)
}
