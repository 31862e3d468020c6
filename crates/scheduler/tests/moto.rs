//! End-to-end tests of the scheduler against a real `moto_server` on loopback.
//!
//! Each test starts its own emulator on a free port (so tests can run in
//! parallel and never share state) and kills it when the test ends.
//!
//! `moto_server` is found through `MOTO_SERVER` (path to the executable) or
//! `PATH`. When it is missing the tests fail, because a silent skip would let
//! CI go green without ever talking to ECS; set `TIDILY_SKIP_MOTO=1` to skip
//! them deliberately. Install it with:
//!
//! ```sh
//! python3 -m venv .venv-moto && .venv-moto/bin/pip install 'moto[server]'
//! MOTO_SERVER=$PWD/.venv-moto/bin/moto_server cargo test -p tidily-scheduler
//! ```

use std::collections::HashMap;
use std::net::{TcpListener, TcpStream};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

use aws_sdk_ecs::config::{BehaviorVersion, Credentials, Region};
use aws_sdk_ecs::types::ContainerDefinition;
use serde_json::json;
use tidily_scheduler::{client, handle, Action, ConfigError, ScheduleError, SchedulerConfig};

const REGION: &str = "ap-northeast-1";
const CLUSTER: &str = "bookmark-manager-staging-cluster";
const WEB: &str = "bookmark-manager-staging-web";
const API: &str = "bookmark-manager-staging-api";

/// A running `moto_server`, killed on drop.
struct Moto {
    child: Child,
    endpoint: String,
}

impl Drop for Moto {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn moto_executable() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("MOTO_SERVER").filter(|p| !p.is_empty()) {
        let path = PathBuf::from(path);
        assert!(
            path.is_file(),
            "MOTO_SERVER={} does not name an executable file",
            path.display()
        );
        return Some(path);
    }
    std::env::split_paths(&std::env::var_os("PATH")?)
        .map(|dir| dir.join("moto_server"))
        .find(|candidate| candidate.is_file())
}

/// Starts `moto_server`, or returns `None` when it is absent and skipping was asked for.
fn start_moto() -> Option<Moto> {
    let Some(exe) = moto_executable() else {
        if std::env::var("TIDILY_SKIP_MOTO").as_deref() == Ok("1") {
            eprintln!("SKIPPED: moto_server not found and TIDILY_SKIP_MOTO=1");
            return None;
        }
        panic!(
            "moto_server not found: set MOTO_SERVER to its path or put it on PATH \
             (python3 -m venv .venv-moto && .venv-moto/bin/pip install 'moto[server]'), \
             or set TIDILY_SKIP_MOTO=1 to skip these tests on purpose"
        );
    };
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("no free loopback port")
        .port();
    let log_path = std::env::temp_dir().join(format!("tidily-scheduler-moto-{port}.log"));
    let log = std::fs::File::create(&log_path).expect("create moto log");
    let child = Command::new(&exe)
        .args(["-H", "127.0.0.1", "-p", &port.to_string()])
        .stdin(Stdio::null())
        .stdout(log.try_clone().expect("clone log handle"))
        .stderr(log)
        .spawn()
        .unwrap_or_else(|err| panic!("cannot start {}: {err}", exe.display()));
    let mut moto = Moto {
        child,
        endpoint: format!("http://127.0.0.1:{port}"),
    };

    let deadline = Instant::now() + Duration::from_secs(30);
    loop {
        if let Some(status) = moto.child.try_wait().expect("poll moto_server") {
            let output = std::fs::read_to_string(&log_path).unwrap_or_default();
            panic!("moto_server exited early with {status}:\n{output}");
        }
        if TcpStream::connect(("127.0.0.1", port)).is_ok() {
            return Some(moto);
        }
        assert!(
            Instant::now() < deadline,
            "moto_server did not listen on port {port} within 30 s; log: {}",
            log_path.display()
        );
        std::thread::sleep(Duration::from_millis(100));
    }
}

fn ecs_client(moto: &Moto) -> aws_sdk_ecs::Client {
    let config = aws_sdk_ecs::Config::builder()
        .behavior_version(BehaviorVersion::latest())
        .region(Region::new(REGION))
        .endpoint_url(&moto.endpoint)
        .credentials_provider(Credentials::new("testing", "testing", None, None, "moto"))
        .http_client(client::http_client())
        .build();
    aws_sdk_ecs::Client::from_conf(config)
}

fn env(pairs: &[(&str, &str)]) -> HashMap<String, String> {
    let mut vars: HashMap<String, String> = [
        ("CLUSTER_NAME", CLUSTER),
        ("AWS_REGION", REGION),
        ("WEB_SERVICE_NAME", WEB),
        ("API_SERVICE_NAME", API),
        ("WEB_DESIRED_COUNT", "2"),
        ("API_DESIRED_COUNT", "3"),
    ]
    .iter()
    .map(|(k, v)| (k.to_string(), v.to_string()))
    .collect();
    for (k, v) in pairs {
        vars.insert(k.to_string(), v.to_string());
    }
    vars
}

fn config(pairs: &[(&str, &str)]) -> SchedulerConfig {
    SchedulerConfig::from_map(&env(pairs)).expect("valid test configuration")
}

/// Creates the cluster and the named services, each with its starting count.
async fn create_services(ecs: &aws_sdk_ecs::Client, services: &[(&str, i32)]) {
    ecs.create_cluster()
        .cluster_name(CLUSTER)
        .send()
        .await
        .expect("create cluster");
    ecs.register_task_definition()
        .family("bookmark-manager-staging")
        .container_definitions(
            ContainerDefinition::builder()
                .name("tidily")
                .image("tidily:test")
                .memory(512)
                .build(),
        )
        .send()
        .await
        .expect("register task definition");
    for (name, count) in services {
        ecs.create_service()
            .cluster(CLUSTER)
            .service_name(*name)
            .task_definition("bookmark-manager-staging")
            .desired_count(*count)
            .send()
            .await
            .unwrap_or_else(|err| panic!("create service {name}: {err:?}"));
    }
}

async fn desired_count(ecs: &aws_sdk_ecs::Client, name: &str) -> i32 {
    let out = ecs
        .describe_services()
        .cluster(CLUSTER)
        .services(name)
        .send()
        .await
        .expect("describe services");
    out.services()
        .iter()
        .find(|s| s.service_name() == Some(name))
        .unwrap_or_else(|| panic!("service {name} not in cluster"))
        .desired_count()
}

/// (service, from, to, changed) per service, for compact assertions.
fn changes(summary: &tidily_scheduler::ScheduleSummary) -> Vec<(String, i32, i32, bool)> {
    summary
        .services
        .iter()
        .map(|s| (s.service.clone(), s.from, s.to, s.changed))
        .collect()
}

#[tokio::test]
async fn stop_then_start_restores_each_service_to_its_own_count() {
    let Some(moto) = start_moto() else { return };
    let ecs = ecs_client(&moto);
    create_services(&ecs, &[(WEB, 2), (API, 3)]).await;
    let config = config(&[]);

    let stopped = handle(&ecs, &config, json!({"action": "stop"}))
        .await
        .expect("stop succeeds");
    assert_eq!(stopped.action, Action::Stop);
    assert_eq!(stopped.cluster, CLUSTER);
    assert_eq!(
        changes(&stopped),
        [(WEB.into(), 2, 0, true), (API.into(), 3, 0, true)]
    );
    assert_eq!(desired_count(&ecs, WEB).await, 0);
    assert_eq!(desired_count(&ecs, API).await, 0);

    let started = handle(&ecs, &config, json!({"action": "start"}))
        .await
        .expect("start succeeds");
    assert_eq!(
        changes(&started),
        [(WEB.into(), 0, 2, true), (API.into(), 0, 3, true)]
    );
    assert_eq!(desired_count(&ecs, WEB).await, 2);
    assert_eq!(desired_count(&ecs, API).await, 3);

    // The summary is what the Lambda returns: check its JSON shape once.
    let json = serde_json::to_value(&started).unwrap();
    assert_eq!(json["action"], "start");
    assert_eq!(json["services"][1]["role"], "api");
    assert_eq!(json["services"][1]["to"], 3);
}

#[tokio::test]
async fn repeated_events_change_nothing() {
    let Some(moto) = start_moto() else { return };
    let ecs = ecs_client(&moto);
    create_services(&ecs, &[(WEB, 1), (API, 1)]).await;
    let config = config(&[("WEB_DESIRED_COUNT", "1"), ("API_DESIRED_COUNT", "1")]);

    // Already running at the configured counts: start is a no-op.
    let started = handle(&ecs, &config, json!({"action": "start"}))
        .await
        .unwrap();
    assert_eq!(
        changes(&started),
        [(WEB.into(), 1, 1, false), (API.into(), 1, 1, false)]
    );

    handle(&ecs, &config, json!({"action": "stop"}))
        .await
        .unwrap();
    let again = handle(&ecs, &config, json!({"action": "stop"}))
        .await
        .expect("second stop succeeds");
    assert_eq!(
        changes(&again),
        [(WEB.into(), 0, 0, false), (API.into(), 0, 0, false)]
    );
    assert_eq!(desired_count(&ecs, WEB).await, 0);
    assert_eq!(desired_count(&ecs, API).await, 0);
}

#[tokio::test]
async fn unknown_action_fails_without_touching_services() {
    let Some(moto) = start_moto() else { return };
    let ecs = ecs_client(&moto);
    create_services(&ecs, &[(WEB, 1), (API, 1)]).await;
    let config = config(&[]);

    for event in [
        json!({"action": "restart"}),
        json!({"verb": "stop"}),
        json!([]),
    ] {
        let err = handle(&ecs, &config, event.clone()).await.unwrap_err();
        assert!(
            matches!(err, ScheduleError::InvalidEvent { .. }),
            "{event}: {err}"
        );
        assert!(err.to_string().contains("invalid scheduler event"), "{err}");
    }
    assert_eq!(desired_count(&ecs, WEB).await, 1);
    assert_eq!(desired_count(&ecs, API).await, 1);
}

#[tokio::test]
async fn missing_cluster_fails_clearly() {
    let Some(moto) = start_moto() else { return };
    let ecs = ecs_client(&moto);
    let config = config(&[("CLUSTER_NAME", "no-such-cluster")]);

    let err = handle(&ecs, &config, json!({"action": "stop"}))
        .await
        .unwrap_err();
    assert!(matches!(err, ScheduleError::Describe { .. }), "{err}");
    let message = err.to_string();
    assert!(message.contains("no-such-cluster"), "{message}");
    assert!(message.contains("ClusterNotFoundException"), "{message}");
}

#[tokio::test]
async fn missing_service_fails_but_the_other_is_still_handled() {
    let Some(moto) = start_moto() else { return };
    let ecs = ecs_client(&moto);
    create_services(&ecs, &[(WEB, 1)]).await;
    let config = config(&[]);

    let err = handle(&ecs, &config, json!({"action": "stop"}))
        .await
        .unwrap_err();
    let ScheduleError::Services {
        failures,
        completed,
        ..
    } = &err
    else {
        panic!("expected a per-service failure, got {err}");
    };
    assert_eq!(failures.len(), 1);
    assert_eq!(failures[0].service, API);
    assert!(failures[0].reason.contains("MISSING"), "{err}");
    assert_eq!(completed.len(), 1);
    assert_eq!(completed[0].service, WEB);
    assert!(err.to_string().contains(API), "{err}");
    // The web service was stopped even though the API service failed.
    assert_eq!(desired_count(&ecs, WEB).await, 0);

    let diagnostic = lambda_runtime::Diagnostic::from(err);
    assert_eq!(diagnostic.error_type, "Scheduler.UpdateServiceFailed");
}

#[test]
fn missing_environment_variable_is_an_error() {
    let mut vars = env(&[]);
    vars.remove("API_SERVICE_NAME");
    let err = SchedulerConfig::from_map(&vars).unwrap_err();
    assert_eq!(err, ConfigError::Missing("API_SERVICE_NAME"));
    assert_eq!(
        err.to_string(),
        "environment variable API_SERVICE_NAME is required but not set"
    );
}
